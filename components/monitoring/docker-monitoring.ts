/**
 * @module `DockerMonitoring`: pinned Prometheus and Grafana containers (plus an optional DCGM GPU exporter) on
 * the stack's private Docker network, configured entirely from the generators in `src/monitoring`.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MonitoringSchema } from "../../src/config/monitoring";
import {
  DEFAULT_ALERT_THRESHOLDS,
  DEFAULT_GRAFANA_DASHBOARDS_DIR,
  DEFAULT_SCRAPE_INTERVAL,
  MonitoringInputError,
  buildDashboards,
  formatMonitoringIssue,
  renderAlertRules,
  renderGrafanaProvisioning,
  renderPrometheusConfig,
  type AlertThresholds,
  type ScrapeTarget,
} from "../../src/monitoring";
import { VERSIONS } from "../../src/versions";
import { CONTAINER_LOG_DRIVER, DEFAULT_LOG_OPTIONS, DEFAULT_RESTART, containerLabels } from "../_labels";
import { aliasIssue, childName } from "../_naming";

/** Grafana port on the host when none is given: the stack config's default. */
export const DEFAULT_GRAFANA_PORT: number = MonitoringSchema.parse({}).grafana.port;
/** Prometheus retention when none is given: the stack config's default. */
export const DEFAULT_RETENTION_DAYS: number = MonitoringSchema.parse({}).retentionDays;
/** Grafana is reachable from the Docker host only (SSH tunnel) unless told otherwise. */
export const DEFAULT_GRAFANA_BIND_ADDRESS = "127.0.0.1";

/** Prometheus' port inside its container (the image's default). */
export const PROMETHEUS_PORT = 9090;
/** Grafana's port inside its container (the image's default). */
export const GRAFANA_PORT = 3000;
/** DCGM exporter's metrics port. @see https://github.com/NVIDIA/dcgm-exporter */
export const DCGM_EXPORTER_PORT = 9400;
/** Where the rendered prometheus.yml is uploaded. */
export const PROMETHEUS_CONFIG_FILE = "/etc/prometheus/prometheus.yml";
/** Where the rendered rules file is uploaded. */
export const PROMETHEUS_RULES_FILE = "/etc/prometheus/rules/shoestring.rules.yml";
/** Folder of the bearer-token files (`<job>.token`). */
export const PROMETHEUS_SECRETS_DIR = "/etc/prometheus/secrets";
/** Where Grafana's datasource provisioning file is uploaded. */
export const GRAFANA_DATASOURCES_FILE = "/etc/grafana/provisioning/datasources/shoestring.yaml";
/** Where Grafana's dashboard-provider file is uploaded. */
export const GRAFANA_DASHBOARD_PROVIDER_FILE = "/etc/grafana/provisioning/dashboards/shoestring.yaml";
/** Jobs this component adds itself; targets may not use them. */
export const RESERVED_JOBS = ["prometheus", "dcgm-exporter"] as const;

// The prom/prometheus image runs as nobody (uid/gid 65534); token files are readable by it alone.
const PROMETHEUS_UID = "65534";

/** One endpoint to scrape: a {@link ScrapeTarget} whose address may be an output (a container's name). */
export interface DockerScrapeTarget extends Omit<ScrapeTarget, "address" | "metricsPath" | "bearerTokenFile"> {
  /** `host:port` on the private network; may be an output, e.g. a container's alias plus its port. */
  readonly address: pulumi.Input<string>;
  /** HTTP path of the metrics, e.g. `/metrics` (`ModelServerOutputs.metricsPath`). */
  readonly metricsPath: pulumi.Input<string>;
}

/** Arguments for {@link DockerMonitoring}. */
export interface DockerMonitoringArgs {
  /**
   * Docker provider of the host the container runs on: a `DockerHost`'s, or any existing
   * `docker.Provider` of your program.
   * @default - the Docker provider given in this component's resource options (`provider`/`providers`)
   * or inherited from its parent, else the default provider (`docker:host` config)
   */
  provider?: docker.Provider;
  /** Name of the private Docker network shared with the router and model servers. */
  network: pulumi.Input<string>;
  /** What Prometheus scrapes besides itself (and the GPU exporter). Give model servers `component: "model-server"`. */
  targets: readonly DockerScrapeTarget[];
  /**
   * Bearer tokens by job (secrets), for targets whose `/metrics` sits behind an API key (llama.cpp). Each is
   * uploaded to `/etc/prometheus/secrets/<job>.token`, readable only by Prometheus.
   * @default - no tokens
   */
  bearerTokens?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Alert thresholds (`monitoring.alerts`). @default - the stack config schema's defaults */
  alerts?: AlertThresholds;
  /** Days Prometheus keeps samples (`--storage.tsdb.retention.time`). @default 15 */
  retentionDays?: pulumi.Input<number>;
  /** Prometheus scrape and rule evaluation interval. @default "15s" */
  scrapeInterval?: string;
  /**
   * Grafana admin password (a secret). Grafana applies it only when it first creates its database: to change
   * it later, run `grafana cli admin reset-admin-password` in the container.
   * @default - a generated 24-character password, exported as the secret output `grafanaAdminPassword`
   */
  grafanaAdminPassword?: pulumi.Input<string>;
  /** Host port Grafana is published on. @default 3000 */
  grafanaPort?: pulumi.Input<number>;
  /** Host address Grafana is published on; `0.0.0.0` exposes it to the network. @default "127.0.0.1" */
  grafanaBindAddress?: pulumi.Input<string>;
  /** When set, Prometheus is also published on 127.0.0.1:<port> of the host. @default - not published */
  prometheusHostPort?: pulumi.Input<number>;
  /**
   * Run NVIDIA's DCGM exporter (all GPUs, `SYS_ADMIN` for profiling metrics) and scrape it. Needs the NVIDIA
   * container toolkit on the host.
   * @default false
   * @see https://github.com/NVIDIA/dcgm-exporter#quickstart
   */
  gpuExporter?: boolean;
}

/**
 * Prometheus + Grafana (+ DCGM exporter) on a Docker host, with the kit's rules and dashboards. Uploaded files
 * are set at container creation, so a config, rule or dashboard change replaces the container; the data
 * volumes keep the samples and Grafana's database.
 *
 * @example
 * new DockerMonitoring("monitoring", {
 *   provider: host.provider,
 *   network: network.name,
 *   targets: [{ job: "router", address: "router:8080", metricsPath: "/metrics", component: "router" }],
 *   alerts: config.monitoring.alerts,
 *   retentionDays: config.monitoring.retentionDays,
 * });
 */
export class DockerMonitoring extends pulumi.ComponentResource {
  /** Prometheus URL on the private network, e.g. `http://<name>-prometheus:9090`. */
  public readonly prometheusUrl: pulumi.Output<string>;
  /** Grafana URL on the Docker host, e.g. `http://127.0.0.1:3000`. */
  public readonly grafanaUrl: pulumi.Output<string>;
  /** Grafana admin password (secret). */
  public readonly grafanaAdminPassword: pulumi.Output<string>;
  /** The Prometheus container. */
  public readonly prometheus: docker.Container;
  /** The Grafana container. */
  public readonly grafana: docker.Container;
  /** The DCGM exporter container, when `gpuExporter` is set. */
  public readonly gpuExporter?: docker.Container;

  constructor(name: string, args: DockerMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shoestring:index:DockerMonitoring", name, {}, opts);
    const alerts = args.alerts ?? DEFAULT_ALERT_THRESHOLDS;
    const retentionDays = args.retentionDays ?? DEFAULT_RETENTION_DAYS;
    const scrapeInterval = args.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
    const grafanaPort = args.grafanaPort ?? DEFAULT_GRAFANA_PORT;
    const grafanaBind = args.grafanaBindAddress ?? DEFAULT_GRAFANA_BIND_ADDRESS;
    const bearerTokens = args.bearerTokens ?? {};
    const gpu = args.gpuExporter ?? false;
    const child = { parent: this, provider: args.provider };
    const alias = (role: string): string => childName(name, role);

    const targets: DockerScrapeTarget[] = [
      { job: "prometheus", address: `localhost:${PROMETHEUS_PORT}`, metricsPath: "/metrics", component: "monitoring" },
      ...(gpu ? [{ job: "dcgm-exporter", address: `${alias("dcgm-exporter")}:${DCGM_EXPORTER_PORT}`, metricsPath: "/metrics", component: "gpu-exporter" as const }] : []),
      ...args.targets,
    ];
    const tokenFile = (job: string): string | undefined => (Object.hasOwn(bearerTokens, job) ? `${PROMETHEUS_SECRETS_DIR}/${job}.token` : undefined);
    const render = ([addresses, paths]: readonly [string[], string[]]): string =>
      renderPrometheusConfig({
        targets: targets.map((t, i) => ({ ...t, address: addresses[i] as string, metricsPath: paths[i] as string, bearerTokenFile: tokenFile(t.job) })),
        ruleFiles: [PROMETHEUS_RULES_FILE],
        scrapeInterval,
        evaluationInterval: scrapeInterval,
      });
    validate(name, args, bearerTokens, scrapeInterval, tokenFile);

    const networks = (role: string) => [{ name: args.network, aliases: [alias(role)] }];
    const image = (role: string, ref: string) => new docker.RemoteImage(`${name}-${role}-image`, { name: ref, keepLocally: true }, child);

    // Prometheus: config, rules and tokens uploaded; data on a volume. Replace = delete first, since the new
    // container would share the volume (TSDB lock) and the network alias with the old one.
    const promVolume = new docker.Volume(`${name}-prometheus-data`, {}, child);
    const config = pulumi.all([pulumi.all(targets.map((t) => t.address)), pulumi.all(targets.map((t) => t.metricsPath))]).apply(render);
    const tokenUploads = Object.entries(bearerTokens).map(([job, token]) => ({
      file: tokenFile(job) as string,
      content: pulumi.secret(token),
      permissions: "0400",
      owner: PROMETHEUS_UID,
      group: PROMETHEUS_UID,
    }));
    this.prometheus = new docker.Container(
      `${name}-prometheus`,
      {
        image: image("prometheus", VERSIONS.prometheus.image).imageId,
        command: [
          `--config.file=${PROMETHEUS_CONFIG_FILE}`,
          "--storage.tsdb.path=/prometheus",
          pulumi.interpolate`--storage.tsdb.retention.time=${retentionDays}d`,
          `--web.listen-address=:${PROMETHEUS_PORT}`,
        ],
        uploads: [{ file: PROMETHEUS_CONFIG_FILE, content: config }, { file: PROMETHEUS_RULES_FILE, content: renderAlertRules(alerts) }, ...tokenUploads],
        volumes: [{ volumeName: promVolume.name, containerPath: "/prometheus" }],
        networksAdvanced: networks("prometheus"),
        ports: args.prometheusHostPort !== undefined ? [{ internal: PROMETHEUS_PORT, external: args.prometheusHostPort, ip: "127.0.0.1" }] : undefined,
        healthcheck: wgetCheck(`http://127.0.0.1:${PROMETHEUS_PORT}/-/ready`),
        labels: containerLabels("monitoring", name, { role: "prometheus" }),
        restart: DEFAULT_RESTART,
        logDriver: CONTAINER_LOG_DRIVER,
        logOpts: { ...DEFAULT_LOG_OPTIONS },
      },
      { ...child, deleteBeforeReplace: true },
    );
    this.prometheusUrl = pulumi.output(`http://${alias("prometheus")}:${PROMETHEUS_PORT}`);

    // Grafana: provisioned datasource and dashboards (files win over UI edits), no anonymous access.
    const password =
      args.grafanaAdminPassword !== undefined
        ? pulumi.secret(args.grafanaAdminPassword)
        : new random.RandomPassword(`${name}-grafana-admin-password`, { length: 24, special: false }, { parent: this }).result;
    const provisioning = renderGrafanaProvisioning({ prometheusUrl: `http://${alias("prometheus")}:${PROMETHEUS_PORT}`, scrapeInterval });
    const dashboards = buildDashboards(alerts);
    const home = dashboards[0];
    const grafanaVolume = new docker.Volume(`${name}-grafana-data`, {}, child);
    this.grafana = new docker.Container(
      `${name}-grafana`,
      {
        image: image("grafana", VERSIONS.grafana.image).imageId,
        envs: [
          "GF_SECURITY_ADMIN_USER=admin",
          pulumi.interpolate`GF_SECURITY_ADMIN_PASSWORD=${password}`,
          "GF_AUTH_ANONYMOUS_ENABLED=false",
          "GF_USERS_ALLOW_SIGN_UP=false",
          "GF_ANALYTICS_REPORTING_ENABLED=false",
          "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
          "GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES=false",
          ...(home !== undefined ? [`GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH=${DEFAULT_GRAFANA_DASHBOARDS_DIR}/${home.fileName}`] : []),
        ],
        uploads: [
          { file: GRAFANA_DATASOURCES_FILE, content: provisioning.datasources },
          { file: GRAFANA_DASHBOARD_PROVIDER_FILE, content: provisioning.dashboards },
          ...dashboards.map((d) => ({ file: `${DEFAULT_GRAFANA_DASHBOARDS_DIR}/${d.fileName}`, content: JSON.stringify(d.dashboard, null, 2) })),
        ],
        volumes: [{ volumeName: grafanaVolume.name, containerPath: "/var/lib/grafana" }],
        networksAdvanced: networks("grafana"),
        ports: [{ internal: GRAFANA_PORT, external: grafanaPort, ip: grafanaBind }],
        healthcheck: wgetCheck(`http://127.0.0.1:${GRAFANA_PORT}/api/health`),
        labels: containerLabels("monitoring", name, { role: "grafana" }),
        restart: DEFAULT_RESTART,
        logDriver: CONTAINER_LOG_DRIVER,
        logOpts: { ...DEFAULT_LOG_OPTIONS },
      },
      { ...child, deleteBeforeReplace: true },
    );
    this.grafanaUrl = pulumi.interpolate`http://${grafanaBind}:${grafanaPort}`;
    this.grafanaAdminPassword = pulumi.secret(password);

    if (gpu) {
      this.gpuExporter = new docker.Container(
        `${name}-dcgm-exporter`,
        {
          image: image("dcgm-exporter", VERSIONS.charts.dcgmExporter.image).imageId,
          gpus: "all",
          // Profiling (DCP) metrics need SYS_ADMIN, as in NVIDIA's own `docker run` example.
          capabilities: { adds: ["SYS_ADMIN"] },
          networksAdvanced: networks("dcgm-exporter"),
          labels: containerLabels("monitoring", name, { role: "gpu-exporter" }),
          restart: DEFAULT_RESTART,
          logDriver: CONTAINER_LOG_DRIVER,
          logOpts: { ...DEFAULT_LOG_OPTIONS },
        },
        child,
      );
    }

    this.registerOutputs({
      prometheusUrl: this.prometheusUrl,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminPassword: this.grafanaAdminPassword,
    });
  }
}

function wgetCheck(url: string): docker.types.input.ContainerHealthcheck {
  // Both images are busybox/alpine based: wget is there, curl is not guaranteed.
  return { tests: ["CMD", "wget", "-q", "--spider", url], interval: "30s", timeout: "5s", retries: 3, startPeriod: "30s" };
}

/**
 * Checks what can be checked before deployment (addresses that are outputs are checked when known) and
 * throws one InputPropertiesError listing every problem.
 */
function validate(
  name: string,
  args: DockerMonitoringArgs,
  bearerTokens: Readonly<Record<string, unknown>>,
  scrapeInterval: string,
  tokenFile: (job: string) => string | undefined,
): void {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  // Other containers reach Prometheus and Grafana by `<name>-prometheus` / `<name>-grafana`.
  const badAlias = aliasIssue("name", childName(name, "prometheus"));
  if (badAlias !== undefined) errors.push(badAlias);
  const jobs = new Set(args.targets.map((t) => t.job));
  args.targets.forEach((t, i) => {
    if ((RESERVED_JOBS as readonly string[]).includes(t.job)) {
      errors.push({ propertyPath: `targets[${i}].job`, reason: `job "${t.job}" is reserved for the component's own targets (reserved: ${RESERVED_JOBS.join(", ")}). Name the job after the service, e.g. "router".` });
    }
  });
  for (const job of Object.keys(bearerTokens)) {
    if (!jobs.has(job)) {
      errors.push({ propertyPath: `bearerTokens.${job}`, reason: `no target has job "${job}" (jobs: ${[...jobs].join(", ") || "none"}). Key each token by the job of the targets it authenticates.` });
    }
  }
  try {
    renderPrometheusConfig({
      // Output addresses get a unique stand-in, so everything else is checked now, before any resource exists.
      targets: args.targets.map((t, i) => ({
        ...t,
        address: typeof t.address === "string" ? t.address : `pending-output-${i}:1`,
        metricsPath: typeof t.metricsPath === "string" ? t.metricsPath : "/pending-output",
        bearerTokenFile: tokenFile(t.job),
      })),
      ruleFiles: [PROMETHEUS_RULES_FILE],
      scrapeInterval,
      evaluationInterval: scrapeInterval,
    });
  } catch (e) {
    if (!(e instanceof MonitoringInputError)) throw e;
    for (const issue of e.issues) errors.push({ propertyPath: issue.field, reason: formatMonitoringIssue(issue) });
  }
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: "Invalid arguments for DockerMonitoring", errors });
}
