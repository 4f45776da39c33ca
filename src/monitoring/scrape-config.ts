/**
 * @module `renderPrometheusConfig`: the `prometheus.yml` the kit ships (global intervals, rule files, one
 * scrape job per `job`), the same text for Docker and for anything else that runs a plain Prometheus.
 */
import { stringify } from "yaml";
import { MonitoringInputError, type MonitoringInputIssue } from "./monitoring-input-error";

/**
 * Label every target carries, saying what it is. Alert rules select on it (`up{component="model-server"}`),
 * so a Kubernetes path must set it too (ServiceMonitor `targetLabels` or a relabeling).
 */
export const COMPONENT_LABEL = "component";

/** Values of {@link COMPONENT_LABEL}. */
export const SCRAPE_COMPONENTS = ["router", "model-server", "gpu-exporter", "monitoring"] as const;

/** What a scrape target is; becomes the {@link COMPONENT_LABEL} label. */
export type ScrapeComponent = (typeof SCRAPE_COMPONENTS)[number];

/** Default `global.scrape_interval`. Also Grafana's `timeInterval`, so `$__rate_interval` spans 4 scrapes. */
export const DEFAULT_SCRAPE_INTERVAL = "15s";

/** Default `global.evaluation_interval` (how often alert and recording rules run). */
export const DEFAULT_EVALUATION_INTERVAL = "15s";

/** One endpoint Prometheus scrapes. Targets that share `job` become one scrape job. */
export interface ScrapeTarget {
  /** `job_name` (and the `job` label). Letters, digits and `_ . : -`. */
  readonly job: string;
  /** `host:port` as Prometheus reaches it, e.g. `router:8080` on the private network. No scheme, no path. */
  readonly address: string;
  /** HTTP path of the metrics, e.g. `/metrics`. */
  readonly metricsPath: string;
  /** URL scheme Prometheus scrapes the target with. @default "http" */
  readonly scheme?: "http" | "https";
  /**
   * File inside the Prometheus container holding a bearer token, sent as `Authorization: Bearer <token>`.
   * llama.cpp serves `/metrics` behind its API key; vLLM and the router do not.
   * @default - no Authorization header
   * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config
   */
  readonly bearerTokenFile?: string;
  /** What the target is; set as the {@link COMPONENT_LABEL} label. Alerts such as ModelServerDown need it. */
  readonly component?: ScrapeComponent;
  /** Extra target labels, e.g. `{ model: "qwen" }` for llama.cpp, whose series carry no labels. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Input of {@link renderPrometheusConfig}. */
export interface PrometheusConfigOptions {
  /** Every endpoint to scrape. */
  readonly targets: readonly ScrapeTarget[];
  /** Rule files (paths as Prometheus sees them; relative paths resolve against the config file's folder). */
  readonly ruleFiles: readonly string[];
  /** `global.scrape_interval`, a Prometheus duration. @default "15s" */
  readonly scrapeInterval?: string;
  /** `global.evaluation_interval`, a Prometheus duration. @default "15s" */
  readonly evaluationInterval?: string;
}

const DURATION = /^(?:(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?|0)$/;
const JOB = /^[A-Za-z0-9_.:-]+$/;
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?):(\d{1,5})$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_LABELS = new Set(["job", "instance", COMPONENT_LABEL]);

/** Checks one target; pushes an issue per problem. */
function checkTarget(t: ScrapeTarget, at: string, issues: MonitoringInputIssue[]): void {
  if (!JOB.test(t.job)) {
    issues.push({ field: `${at}.job`, value: t.job, problem: "is not a usable job name", allowed: "letters, digits and _ . : -", fix: "Name the job after the service, e.g. \"router\" or \"vllm-qwen\"." });
  }
  const port = HOST_PORT.exec(t.address)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535) {
    issues.push({ field: `${at}.address`, value: t.address, problem: "is not host:port", allowed: "host:port with a port 1-65535, no scheme or path", fix: "Put the scheme in `scheme` and the path in `metricsPath`, e.g. address \"router:8080\"." });
  }
  if (!t.metricsPath.startsWith("/")) {
    issues.push({ field: `${at}.metricsPath`, value: t.metricsPath, problem: "is not an absolute HTTP path", allowed: "a path starting with /", fix: "Use e.g. \"/metrics\"." });
  }
  if (t.bearerTokenFile !== undefined && !t.bearerTokenFile.startsWith("/")) {
    issues.push({ field: `${at}.bearerTokenFile`, value: t.bearerTokenFile, problem: "is not an absolute path", allowed: "an absolute path inside the Prometheus container", fix: "Upload the token to e.g. /etc/prometheus/secrets/<job>.token and point here." });
  }
  for (const name of Object.keys(t.labels ?? {})) {
    if (!LABEL_NAME.test(name) || name.startsWith("__") || RESERVED_LABELS.has(name)) {
      issues.push({ field: `${at}.labels.${name}`, value: name, problem: "is not a label name a target may set", allowed: "[A-Za-z_][A-Za-z0-9_]*, not starting with __, not job/instance/component", fix: "Rename the label; set `job` and `component` through their own fields." });
    }
  }
}

/** Settings that must agree between the targets of one job, since they become one scrape_config. */
function jobSettings(t: ScrapeTarget): string {
  return JSON.stringify([t.metricsPath, t.scheme ?? "http", t.bearerTokenFile ?? null]);
}

function checkOptions(opts: PrometheusConfigOptions): MonitoringInputIssue[] {
  const issues: MonitoringInputIssue[] = [];
  for (const [field, value] of [["scrapeInterval", opts.scrapeInterval], ["evaluationInterval", opts.evaluationInterval]] as const) {
    if (value !== undefined && (!DURATION.test(value) || value === "0")) {
      issues.push({ field, value, problem: "is not a Prometheus duration", allowed: "e.g. 15s, 1m, 1m30s (units ms s m h d w y)", fix: `Use e.g. "${DEFAULT_SCRAPE_INTERVAL}".` });
    }
  }
  opts.ruleFiles.forEach((f, i) => {
    if (f.trim() === "") issues.push({ field: `ruleFiles[${i}]`, value: f, problem: "is empty", allowed: "a file path", fix: "Remove the entry or give the rules file's path." });
  });
  const firstOfJob = new Map<string, { index: number; target: ScrapeTarget }>();
  const seen = new Map<string, number>();
  opts.targets.forEach((t, i) => {
    const at = `targets[${i}]`;
    checkTarget(t, at, issues);
    const first = firstOfJob.get(t.job);
    if (first === undefined) firstOfJob.set(t.job, { index: i, target: t });
    else if (jobSettings(first.target) !== jobSettings(t)) {
      issues.push({ field: at, value: JSON.parse(jobSettings(t)), problem: `differs from targets[${first.index}] of the same job "${t.job}" in metricsPath/scheme/bearerTokenFile`, allowed: JSON.stringify(JSON.parse(jobSettings(first.target))), fix: "Give targets with different paths, schemes or tokens their own job." });
    }
    const key = `${t.job}\u0000${t.address}`;
    const dup = seen.get(key);
    if (dup !== undefined) {
      issues.push({ field: `${at}.address`, value: t.address, problem: `repeats targets[${dup}] in job "${t.job}"`, allowed: "each address once per job", fix: "Remove the duplicate target." });
    } else seen.set(key, i);
  });
  return issues;
}

/**
 * Renders `prometheus.yml`: global scrape/evaluation intervals, the rule files, and one scrape job per
 * distinct `job` (targets keep their own labels). Throws {@link MonitoringInputError} listing every problem.
 *
 * @example
 * renderPrometheusConfig({
 *   targets: [{ job: "router", address: "router:8080", metricsPath: "/metrics", component: "router" }],
 *   ruleFiles: ["/etc/prometheus/rules/shoestring.rules.yml"],
 * });
 */
export function renderPrometheusConfig(opts: PrometheusConfigOptions): string {
  const issues = checkOptions(opts);
  if (issues.length > 0) throw new MonitoringInputError("Prometheus config", issues);

  const jobs = new Map<string, ScrapeTarget[]>();
  for (const t of opts.targets) jobs.set(t.job, [...(jobs.get(t.job) ?? []), t]);
  const scrapeConfigs = [...jobs.entries()].map(([job, targets]) => {
    const first = targets[0] as ScrapeTarget;
    return {
      job_name: job,
      metrics_path: first.metricsPath,
      scheme: first.scheme ?? "http",
      ...(first.bearerTokenFile !== undefined ? { authorization: { type: "Bearer", credentials_file: first.bearerTokenFile } } : {}),
      static_configs: targets.map((t) => {
        const labels = { ...(t.component !== undefined ? { [COMPONENT_LABEL]: t.component } : {}), ...t.labels };
        return { targets: [t.address], ...(Object.keys(labels).length > 0 ? { labels } : {}) };
      }),
    };
  });
  const doc = {
    global: {
      scrape_interval: opts.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL,
      evaluation_interval: opts.evaluationInterval ?? DEFAULT_EVALUATION_INTERVAL,
    },
    rule_files: [...opts.ruleFiles],
    scrape_configs: scrapeConfigs,
  };
  return `# Generated by shoestring (src/monitoring/scrape-config.ts); do not edit.\n${stringify(doc, { lineWidth: 0 })}`;
}
