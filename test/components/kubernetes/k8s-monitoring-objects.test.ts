/** K8sMonitoringObjects under mocks: ServiceMonitors, PrometheusRule and dashboard ConfigMaps, the same rules and dashboards as the Docker path. */
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sModelServer } from "../../../components/kubernetes/k8s-model-server";
import { K8sMonitoringObjects } from "../../../components/kubernetes/k8s-monitoring-objects";
import { K8sRouter } from "../../../components/kubernetes/k8s-router";
import { DockerMonitoring, GRAFANA_DASHBOARD_PROVIDER_FILE, PROMETHEUS_RULES_FILE } from "../../../components/monitoring/docker-monitoring";
import { DEFAULT_ALERT_THRESHOLDS, DEFAULT_GRAFANA_DASHBOARDS_DIR, buildDashboards, buildRuleGroups } from "../../../src/monitoring";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, expectRegistered, installMocks, ofType, settle, unwrap, type Recorded } from "../../helpers/pulumi";
import { API_KEY, LLAMA_70B, QWEN_1_5B, errorsOf } from "./fixtures";

const SERVICE_MONITOR = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const ALERTS = { ...DEFAULT_ALERT_THRESHOLDS, queueDepth: 4, ttftP95Seconds: 1.5 };

describe("K8sMonitoringObjects", () => {
  let recorded: Recorded;
  let provider: k8s.Provider;
  let vllm: K8sModelServer;
  let llama: K8sModelServer;
  let router: K8sRouter;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    vllm = new K8sModelServer("llm-llama-70b", { provider, namespace: "llm", vllm: LLAMA_70B });
    llama = new K8sModelServer("llm-qwen", { provider, namespace: "llm", llamaCpp: QWEN_1_5B, apiKey: pulumi.secret(API_KEY) });
    router = new K8sRouter("llm-router", {
      provider,
      namespace: "llm",
      image: "ghcr.io/acme/shoestring-router:0.1.0",
      modelServers: [{ name: "qwen", endpoint: llama.endpoint, servedModelName: llama.servedModelName }],
    });
  });

  it("scrapes each model server and the router with the component label, llama.cpp with its key, and ships rules and dashboards", async () => {
    const monitoring = new K8sMonitoringObjects("llm-monitoring", {
      provider,
      namespace: "llm",
      modelServers: [vllm.ref, llama.ref],
      router: router.scrapeRef,
      alerts: ALERTS,
      dashboardsNamespace: "monitoring",
    });
    expect(await unwrap(monitoring.serviceMonitorNames)).toEqual(["llm-monitoring-llm-llama-70b-mock", "llm-monitoring-llm-qwen-mock", "llm-monitoring-llm-router-mock"]);
    await settle();
    expectRegistered(recorded);
    const labels = { release: "kube-prometheus-stack", "app.kubernetes.io/part-of": "shoestring", "app.kubernetes.io/managed-by": "pulumi" };
    const vllmMonitor = byName(recorded, SERVICE_MONITOR, "llm-monitoring-llm-llama-70b").inputs;
    expect(vllmMonitor.metadata).toEqual({ namespace: "llm", labels });
    expect(vllmMonitor.spec).toEqual({
      selector: { matchLabels: { "app.kubernetes.io/instance": "llm-llama-70b", "app.kubernetes.io/component": "model-server" } },
      namespaceSelector: { matchNames: ["llm"] },
      endpoints: [{ port: "http", path: "/metrics", interval: "15s", relabelings: [{ action: "replace", targetLabel: "component", replacement: "model-server" }] }],
    });
    expect(byName(recorded, SERVICE_MONITOR, "llm-monitoring-llm-qwen").inputs.spec.endpoints[0].authorization).toEqual({
      type: "Bearer",
      credentials: { name: "llm-qwen-secrets-mock", key: "LLAMA_API_KEY" },
    });
    const routerMonitor = byName(recorded, SERVICE_MONITOR, "llm-monitoring-llm-router").inputs.spec;
    expect(routerMonitor.selector.matchLabels).toEqual({ "app.kubernetes.io/instance": "llm-router", "app.kubernetes.io/component": "router" });
    expect(routerMonitor.endpoints[0].relabelings).toEqual([{ action: "replace", targetLabel: "component", replacement: "router" }]);

    const rule = byName(recorded, RULE, "llm-monitoring-rules").inputs;
    expect(rule.metadata.labels).toEqual(labels);
    expect(rule.spec.groups).toEqual(JSON.parse(JSON.stringify(buildRuleGroups(ALERTS))));
    const [dashboard] = buildDashboards(ALERTS);
    const cm = byName(recorded, CONFIG_MAP, `llm-monitoring-dashboard-${dashboard!.uid}`).inputs;
    expect(cm.metadata).toEqual({
      namespace: "monitoring",
      labels: { grafana_dashboard: "1", "app.kubernetes.io/part-of": "shoestring", "app.kubernetes.io/managed-by": "pulumi" },
      annotations: { grafana_folder: "Shoestring" },
    });
    expect(Object.keys(cm.data)).toEqual([dashboard!.fileName]);
    expect(JSON.parse(cm.data[dashboard!.fileName])).toEqual(JSON.parse(JSON.stringify(dashboard!.dashboard)));
  });

  it("gives Prometheus and Grafana exactly the rules and dashboards the Docker path uploads", async () => {
    new K8sMonitoringObjects("llm-mon-same", { provider, namespace: "llm", alerts: ALERTS });
    new DockerMonitoring("llm-docker-mon", {
      provider: new docker.Provider("host", { host: "unix:///var/run/docker.sock" }),
      network: "llm-net",
      targets: [],
      alerts: ALERTS,
      grafanaAdminPassword: pulumi.secret("admin-password-0123"),
    });
    await settle();
    const uploads = (container: string) =>
      byName(recorded, "docker:index/container:Container", container).inputs.uploads as { file: string; content: string }[];
    const rulesFile = uploads("llm-docker-mon-prometheus").find((u) => u.file === PROMETHEUS_RULES_FILE)!;
    expect(byName(recorded, RULE, "llm-mon-same-rules").inputs.spec.groups).toEqual(parse(rulesFile.content).groups);
    const dashboardFiles = uploads("llm-docker-mon-grafana").filter((u) => u.file.startsWith(`${DEFAULT_GRAFANA_DASHBOARDS_DIR}/`) && u.file !== GRAFANA_DASHBOARD_PROVIDER_FILE);
    const configMaps = ofType(recorded, CONFIG_MAP).filter((r) => r.name.startsWith("llm-mon-same-dashboard-"));
    expect(configMaps).toHaveLength(dashboardFiles.length);
    expect(dashboardFiles.length).toBeGreaterThan(0);
    for (const file of dashboardFiles) {
      const name = file.file.slice(DEFAULT_GRAFANA_DASHBOARDS_DIR.length + 1);
      const cm = configMaps.find((c) => Object.hasOwn(c.inputs.data, name));
      expect(cm?.inputs.data[name]).toBe(file.content);
    }
  });

  it("emits only objects that validate against the Kubernetes and Prometheus Operator schemas", async () => {
    await settle();
    expect(expectValidK8sObjects(recorded)).toBe(19);
  });

  it("refuses a scrape interval that is not a duration and a server listed twice", () => {
    expect(errorsOf(() => new K8sMonitoringObjects("bad", { provider, namespace: "llm", modelServers: [vllm.ref, vllm.ref], scrapeInterval: "soon" }))).toEqual({
      message: 'Invalid arguments for K8sMonitoringObjects "bad"',
      errors: [
        { propertyPath: "scrapeInterval", reason: 'not a Prometheus duration (got "soon"; e.g. 15s, 1m, 1m30s). Use e.g. "15s"' },
        { propertyPath: "modelServers[1]", reason: '"llm-llama-70b" is already modelServers[0]; it would be scraped twice. Remove one' },
      ],
    });
  });
});
