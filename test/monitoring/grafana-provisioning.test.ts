/** `renderGrafanaProvisioning`: the exact datasource and dashboard-provider files Grafana loads. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GRAFANA_DATASOURCE_UID, MonitoringInputError, renderGrafanaProvisioning } from "../../src/monitoring";

describe("renderGrafanaProvisioning", () => {
  it("provisions one default, read-only Prometheus datasource whose timeInterval is the scrape interval", () => {
    const { datasources } = renderGrafanaProvisioning({ prometheusUrl: "http://mon-prometheus:9090", scrapeInterval: "30s" });
    expect(parse(datasources)).toEqual({
      apiVersion: 1,
      datasources: [
        {
          name: "Prometheus",
          type: "prometheus",
          uid: GRAFANA_DATASOURCE_UID,
          access: "proxy",
          url: "http://mon-prometheus:9090",
          isDefault: true,
          editable: false,
          jsonData: { timeInterval: "30s", httpMethod: "POST" },
        },
      ],
    });
  });

  it("provisions the dashboards folder as files that the UI can neither edit nor delete", () => {
    const { dashboards } = renderGrafanaProvisioning({ dashboardsDir: "/srv/dash", folder: "LLM" });
    expect(parse(dashboards)).toEqual({
      apiVersion: 1,
      providers: [
        {
          name: "shoestring",
          orgId: 1,
          folder: "LLM",
          type: "file",
          disableDeletion: true,
          allowUiUpdates: false,
          updateIntervalSeconds: 60,
          options: { path: "/srv/dash", foldersFromFilesStructure: false },
        },
      ],
    });
  });

  it("defaults to http://prometheus:9090, a 15s interval and /etc/grafana/dashboards/shoestring", () => {
    const { datasources, dashboards } = renderGrafanaProvisioning();
    expect(parse(datasources).datasources[0].url).toBe("http://prometheus:9090");
    expect(parse(datasources).datasources[0].jsonData.timeInterval).toBe("15s");
    expect(parse(dashboards).providers[0].options.path).toBe("/etc/grafana/dashboards/shoestring");
    expect(parse(dashboards).providers[0].folder).toBe("Shoestring");
  });

  it("lists every bad input at once with the fix", () => {
    const bad = () => renderGrafanaProvisioning({ prometheusUrl: "prometheus:9090", scrapeInterval: "fast", dashboardsDir: "dash", folder: "" });
    expect(bad).toThrow(MonitoringInputError);
    expect(bad).toThrow(
      [
        "Invalid Grafana provisioning input (4 problems):",
        '  - prometheusUrl: is not an http(s) URL (got "prometheus:9090"; allowed: http://host:port or https://host:port). Fix: Use e.g. "http://prometheus:9090".',
        '  - scrapeInterval: is not a Prometheus duration (got "fast"; allowed: e.g. 15s, 1m). Fix: Pass the scrape interval Prometheus uses.',
        '  - dashboardsDir: is not an absolute path (got "dash"; allowed: an absolute path inside the Grafana container). Fix: Use e.g. "/etc/grafana/dashboards/shoestring".',
        '  - folder: is empty (got ""; allowed: a folder name). Fix: Use e.g. "Shoestring".',
      ].join("\n"),
    );
  });
});
