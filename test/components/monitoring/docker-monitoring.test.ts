/**
 * `DockerMonitoring` under Pulumi mocks: exact containers, images, volumes, uploads (equal to the
 * generators' output), published ports, and secrets that stay secret.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LOG_OPTIONS } from "../../../components/_labels";
import { DockerMonitoring, modelServerScrapeTarget, type DockerMonitoringArgs } from "../../../components/monitoring";
import {
  DEFAULT_ALERT_THRESHOLDS,
  buildDashboards,
  renderAlertRules,
  renderGrafanaProvisioning,
  renderPrometheusConfig,
  type AlertThresholds,
} from "../../../src/monitoring";
import { VERSIONS } from "../../../src/versions";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const VOLUME = "docker:index/volume:Volume";
const PASSWORD = "grafana-plaintext-test-password";
const TOKEN = "sk-llama-plaintext-test-token";

/** The inputs with every secret replaced by a marker: what a non-secret reader of the state would see. */
function redacted(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return "<secret>";
  if (Array.isArray(value)) return value.map(redacted);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v)]));
  return value;
}

let recorded: Recorded;
let provider: docker.Provider;

beforeAll(async () => {
  recorded = await installMocks();
  provider = new docker.Provider("host", { host: "unix:///var/run/docker.sock" });
});

async function build(name: string, extra: Partial<DockerMonitoringArgs> = {}): Promise<DockerMonitoring> {
  const m = new DockerMonitoring(name, {
    provider,
    network: "llm-net",
    targets: [
      { job: "router", address: "llm-router:8080", metricsPath: "/metrics", component: "router" },
      { job: "vllm-qwen", address: pulumi.output("llm-qwen-1a2b:8000"), metricsPath: pulumi.output("/metrics"), component: "model-server" },
    ],
    ...extra,
  });
  await unwrap(m.grafanaUrl);
  await settle();
  return m;
}

const ofComponent = (name: string) => recorded.resources.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
const uploads = (inputs: Record<string, unknown>) => unwrapSecrets(inputs.uploads) as { file: string; content: string; permissions?: string; owner?: string; group?: string }[];

describe("DockerMonitoring", () => {
  it("runs pinned Prometheus and Grafana with their volumes and a generated admin password", async () => {
    await build("mon");
    expectRegistered(recorded);
    expect(ofComponent("mon").map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "shoestring:index:DockerMonitoring mon",
        `${IMAGE} mon-prometheus-image`,
        `${IMAGE} mon-grafana-image`,
        `${VOLUME} mon-prometheus-data`,
        `${VOLUME} mon-grafana-data`,
        `${CONTAINER} mon-prometheus`,
        `${CONTAINER} mon-grafana`,
        "random:index/randomPassword:RandomPassword mon-grafana-admin-password",
      ].sort(),
    );
    expect(byName(recorded, IMAGE, "mon-prometheus-image").inputs).toEqual({ name: VERSIONS.prometheus.image, keepLocally: true });
    expect(byName(recorded, IMAGE, "mon-grafana-image").inputs).toEqual({ name: VERSIONS.grafana.image, keepLocally: true });
    expect(byName(recorded, CONTAINER, "mon-prometheus").inputs.image).toBe("sha256:mock-mon-prometheus-image");
    expect(byName(recorded, CONTAINER, "mon-grafana").inputs.image).toBe("sha256:mock-mon-grafana-image");
    for (const c of ["mon-prometheus", "mon-grafana"]) expect(byName(recorded, CONTAINER, c).provider, c).toContain("pulumi:providers:docker::host");
  });

  it("starts Prometheus with its config, data path and 15-day retention, on the private network only", async () => {
    await build("mon-p");
    const p = byName(recorded, CONTAINER, "mon-p-prometheus").inputs;
    expect(p.command).toEqual([
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=15d",
      "--web.listen-address=:9090",
    ]);
    expect(p.volumes).toEqual([{ volumeName: "mon-p-prometheus-data", containerPath: "/prometheus" }]);
    expect(p.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["mon-p-prometheus"] }]);
    expect(p.ports).toBeUndefined();
    expect(p.healthcheck).toEqual({ tests: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:9090/-/ready"], interval: "30s", timeout: "5s", retries: 3, startPeriod: "30s" });
    expect(p.restart).toBe("unless-stopped");
    expect(p.logDriver).toBe("json-file");
    expect(p.logOpts).toEqual(DEFAULT_LOG_OPTIONS);
    expect(p.labels).toEqual([
      { label: "shoestring.component", value: "monitoring" },
      { label: "shoestring.name", value: "mon-p" },
      { label: "shoestring.stack", value: "shoestring/test" },
      { label: "shoestring.managed-by", value: "pulumi" },
      { label: "shoestring.role", value: "prometheus" },
    ]);
  });

  it("uploads exactly the generators' prometheus.yml (targets resolved) and rules file", async () => {
    const alerts: AlertThresholds = { ...DEFAULT_ALERT_THRESHOLDS, queueDepth: 3, ttftP95Seconds: 4 };
    await build("mon-u", { alerts, scrapeInterval: "30s" });
    const files = uploads(byName(recorded, CONTAINER, "mon-u-prometheus").inputs);
    expect(files.map((f) => f.file)).toEqual(["/etc/prometheus/prometheus.yml", "/etc/prometheus/rules/shoestring.rules.yml"]);
    expect(files[0]?.content).toBe(
      renderPrometheusConfig({
        targets: [
          { job: "prometheus", address: "localhost:9090", metricsPath: "/metrics", component: "monitoring" },
          { job: "router", address: "llm-router:8080", metricsPath: "/metrics", component: "router" },
          { job: "vllm-qwen", address: "llm-qwen-1a2b:8000", metricsPath: "/metrics", component: "model-server" },
        ],
        ruleFiles: ["/etc/prometheus/rules/shoestring.rules.yml"],
        scrapeInterval: "30s",
        evaluationInterval: "30s",
      }),
    );
    expect(files[1]?.content).toBe(renderAlertRules(alerts));
    expect(containsSecret(byName(recorded, CONTAINER, "mon-u-prometheus").inputs.uploads)).toBe(false);
  });

  it("provisions Grafana's datasource and every dashboard from the generators, with no anonymous access", async () => {
    await build("mon-g", { scrapeInterval: "30s" });
    const g = byName(recorded, CONTAINER, "mon-g-grafana").inputs;
    const provisioning = renderGrafanaProvisioning({ prometheusUrl: "http://mon-g-prometheus:9090", scrapeInterval: "30s" });
    const dashboards = buildDashboards();
    expect(uploads(g)).toEqual([
      { file: "/etc/grafana/provisioning/datasources/shoestring.yaml", content: provisioning.datasources },
      { file: "/etc/grafana/provisioning/dashboards/shoestring.yaml", content: provisioning.dashboards },
      ...dashboards.map((d) => ({ file: `/etc/grafana/dashboards/shoestring/${d.fileName}`, content: JSON.stringify(d.dashboard, null, 2) })),
    ]);
    expect(unwrapSecrets(g.envs)).toEqual([
      "GF_SECURITY_ADMIN_USER=admin",
      "GF_SECURITY_ADMIN_PASSWORD=mock-random-password",
      "GF_AUTH_ANONYMOUS_ENABLED=false",
      "GF_USERS_ALLOW_SIGN_UP=false",
      "GF_ANALYTICS_REPORTING_ENABLED=false",
      "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
      "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false",
      "GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH=/etc/grafana/dashboards/shoestring/shoestring-llm-overview.json",
    ]);
    expect(g.volumes).toEqual([{ volumeName: "mon-g-grafana-data", containerPath: "/var/lib/grafana" }]);
    expect(g.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["mon-g-grafana"] }]);
    expect(g.healthcheck.tests).toEqual(["CMD", "wget", "-q", "--spider", "http://127.0.0.1:3000/api/health"]);
  });

  it("publishes Grafana on 127.0.0.1:3000 and nothing else by default", async () => {
    const m = await build("mon-d");
    expect(byName(recorded, CONTAINER, "mon-d-grafana").inputs.ports).toEqual([{ internal: 3000, external: 3000, ip: "127.0.0.1" }]);
    expect(byName(recorded, CONTAINER, "mon-d-prometheus").inputs.ports).toBeUndefined();
    expect(await unwrap(m.grafanaUrl)).toBe("http://127.0.0.1:3000");
    expect(await unwrap(m.prometheusUrl)).toBe("http://mon-d-prometheus:9090");
  });

  it("keeps a given admin password secret in the env and the output, and creates no random one", async () => {
    const m = await build("mon-s", { grafanaAdminPassword: pulumi.secret(PASSWORD) });
    const g = byName(recorded, CONTAINER, "mon-s-grafana").inputs;
    expect(ofComponent("mon-s").filter((r) => r.type === "random:index/randomPassword:RandomPassword")).toEqual([]);
    expect(containsSecret(g.envs)).toBe(true);
    expect(unwrapSecrets(g.envs)).toContain(`GF_SECURITY_ADMIN_PASSWORD=${PASSWORD}`);
    expect(JSON.stringify(ofComponent("mon-s").map((r) => redacted(r.inputs)))).not.toContain(PASSWORD);
    expect(await pulumi.isSecret(m.grafanaAdminPassword)).toBe(true);
    expect(await unwrap(m.grafanaAdminPassword)).toBe(PASSWORD);
  });

  it("marks a plain-string admin password secret all the same", async () => {
    const m = await build("mon-ps", { grafanaAdminPassword: PASSWORD });
    expect(containsSecret(byName(recorded, CONTAINER, "mon-ps-grafana").inputs.envs)).toBe(true);
    expect(JSON.stringify(ofComponent("mon-ps").map((r) => redacted(r.inputs)))).not.toContain(PASSWORD);
    expect(await pulumi.isSecret(m.grafanaAdminPassword)).toBe(true);
  });

  it("exports the generated password as a secret output", async () => {
    const m = await build("mon-r");
    expect(byName(recorded, "random:index/randomPassword:RandomPassword", "mon-r-grafana-admin-password").inputs).toEqual({ length: 24, special: false });
    expect(await pulumi.isSecret(m.grafanaAdminPassword)).toBe(true);
    expect(await unwrap(m.grafanaAdminPassword)).toBe("mock-random-password");
  });

  it("uploads a job's bearer token as a secret file only Prometheus can read, and scrapes with it", async () => {
    await build("mon-t", {
      targets: [{ job: "llama-phi", address: "llm-phi:8080", metricsPath: "/metrics", component: "model-server", labels: { model: "phi" } }],
      bearerTokens: { "llama-phi": pulumi.secret(TOKEN) },
    });
    const p = byName(recorded, CONTAINER, "mon-t-prometheus").inputs;
    expect(containsSecret(p.uploads)).toBe(true);
    expect(JSON.stringify(ofComponent("mon-t").map((r) => redacted(r.inputs)))).not.toContain(TOKEN);
    const files = uploads(p);
    expect(files[2]).toEqual({ file: "/etc/prometheus/secrets/llama-phi.token", content: TOKEN, permissions: "0400", owner: "65534", group: "65534" });
    expect(files[0]?.content).toContain("credentials_file: /etc/prometheus/secrets/llama-phi.token");
    expect(files[0]?.content).not.toContain(TOKEN);
  });

  it("runs the DCGM exporter on all GPUs with SYS_ADMIN and scrapes it, when asked", async () => {
    await build("mon-gpu", { gpuExporter: true });
    expect(byName(recorded, IMAGE, "mon-gpu-dcgm-exporter-image").inputs.name).toBe(VERSIONS.charts.dcgmExporter.image);
    const e = byName(recorded, CONTAINER, "mon-gpu-dcgm-exporter").inputs;
    expect(e.image).toBe("sha256:mock-mon-gpu-dcgm-exporter-image");
    expect(e.gpus).toBe("all");
    expect(e.capabilities).toEqual({ adds: ["SYS_ADMIN"] });
    expect(e.ports).toBeUndefined();
    expect(e.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["mon-gpu-dcgm-exporter"] }]);
    const config = uploads(byName(recorded, CONTAINER, "mon-gpu-prometheus").inputs)[0]?.content ?? "";
    expect(config).toContain("job_name: dcgm-exporter");
    expect(config).toContain("- mon-gpu-dcgm-exporter:9400");
    expect(config).toContain("component: gpu-exporter");
  });

  it("runs no GPU exporter by default", async () => {
    await build("mon-nogpu");
    expect(ofComponent("mon-nogpu").filter((r) => r.name.includes("dcgm"))).toEqual([]);
  });

  it("honours the retention, Grafana port and bind address, and publishes Prometheus on 127.0.0.1 when asked", async () => {
    const m = await build("mon-c", { retentionDays: 30, grafanaPort: 3300, grafanaBindAddress: "0.0.0.0", prometheusHostPort: 19090 });
    const p = byName(recorded, CONTAINER, "mon-c-prometheus").inputs;
    expect(p.command).toContain("--storage.tsdb.retention.time=30d");
    expect(p.ports).toEqual([{ internal: 9090, external: 19090, ip: "127.0.0.1" }]);
    expect(byName(recorded, CONTAINER, "mon-c-grafana").inputs.ports).toEqual([{ internal: 3000, external: 3300, ip: "0.0.0.0" }]);
    expect(await unwrap(m.grafanaUrl)).toBe("http://0.0.0.0:3300");
  });

  it("scrapes a model server through the ModelServerOutputs contract", async () => {
    const server = {
      endpoint: pulumi.output("http://llm-phi:8080/v1"),
      metricsPort: pulumi.output(8080),
      metricsPath: pulumi.output("/metrics"),
    };
    await build("mon-ms", { targets: [modelServerScrapeTarget("llama-phi", server, { model: "phi" })] });
    const config = uploads(byName(recorded, CONTAINER, "mon-ms-prometheus").inputs)[0]?.content ?? "";
    expect(config).toBe(
      renderPrometheusConfig({
        targets: [
          { job: "prometheus", address: "localhost:9090", metricsPath: "/metrics", component: "monitoring" },
          { job: "llama-phi", address: "llm-phi:8080", metricsPath: "/metrics", component: "model-server", labels: { model: "phi" } },
        ],
        ruleFiles: ["/etc/prometheus/rules/shoestring.rules.yml"],
        scrapeInterval: "15s",
        evaluationInterval: "15s",
      }),
    );
  });

  it("refuses a component name that cannot be a network alias", () => {
    let error: unknown;
    try {
      new DockerMonitoring("Monitoring_2", { provider, network: "llm-net", targets: [] });
    } catch (e) {
      error = e;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    expect((error as pulumi.InputPropertiesError).errors.map((x) => x.propertyPath)).toEqual(["name"]);
    expect((error as pulumi.InputPropertiesError).errors[0]?.reason).toContain('network alias "Monitoring_2-prometheus" is not a DNS label');
  });

  it("refuses reserved jobs, tokens for unknown jobs and bad targets, all in one error", () => {
    let error: unknown;
    try {
      new DockerMonitoring("mon-bad", {
        provider,
        network: "llm-net",
        targets: [
          { job: "prometheus", address: "x:1", metricsPath: "/metrics" },
          { job: "router", address: "http://router:8080", metricsPath: "/metrics" },
        ],
        bearerTokens: { llama: "t" },
      });
    } catch (e) {
      error = e;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const e = error as pulumi.InputPropertiesError;
    expect(e.message).toBe("Invalid arguments for DockerMonitoring");
    expect(e.errors).toEqual([
      { propertyPath: "targets[0].job", reason: 'job "prometheus" is reserved for the component\'s own targets (reserved: prometheus, dcgm-exporter). Name the job after the service, e.g. "router".' },
      { propertyPath: "bearerTokens.llama", reason: 'no target has job "llama" (jobs: prometheus, router). Key each token by the job of the targets it authenticates.' },
      {
        propertyPath: "targets[1].address",
        reason: 'targets[1].address: is not host:port (got "http://router:8080"; allowed: host:port with a port 1-65535, no scheme or path). Fix: Put the scheme in `scheme` and the path in `metricsPath`, e.g. address "router:8080".',
      },
    ]);
  });
});
