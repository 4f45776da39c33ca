/**
 * @module Which metric names a PromQL expression reads, and every name the kit may read: vLLM and llama.cpp
 * (fixtures copied from the metric research), the DCGM exporter's defaults, the router's own registry, `up`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RouterMetrics } from "../../images/router/src/metrics";

const FIXTURES = join(__dirname, "fixtures");

interface VllmReference {
  metrics: { exposed_series: string[] }[];
  deprecated_or_removed: { name: string }[];
}
interface LlamaCppReference {
  metrics: { name: string }[];
  removed_or_never_merged: { name: string }[];
}
interface DcgmReference {
  default_metrics: string[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as T;

const KEYWORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan"]);

/**
 * Metric names an expression reads. Strips strings, label matchers, ranges and grouping clauses, then keeps
 * identifiers that are not keywords, functions or aggregations (followed by `(`) or numbers/durations.
 */
export function metricNamesIn(expr: string): string[] {
  const s = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const m of s.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const before = s[m.index - 1] ?? " ";
    const after = s.slice(m.index + m[0].length).trimStart()[0];
    if (/[\w.$]/.test(before) || after === "(" || KEYWORDS.has(m[0])) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Every metric name the kit may read, with where it comes from. */
export async function knownMetricNames(): Promise<Map<string, string>> {
  const known = new Map<string, string>([["up", "Prometheus"]]);
  for (const m of readJson<VllmReference>("vllm-metrics.json").metrics) for (const s of m.exposed_series) known.set(s, "vLLM");
  for (const m of readJson<LlamaCppReference>("llamacpp-metrics.json").metrics) known.set(m.name, "llama.cpp");
  for (const n of readJson<DcgmReference>("dcgm-metrics.json").default_metrics) known.set(n, "DCGM exporter");
  const registry = new RouterMetrics({ defaultMetrics: false }).registry;
  for (const m of await registry.getMetricsAsJSON()) {
    const series = String(m.type) === "histogram" ? ["_bucket", "_sum", "_count"].map((s) => m.name + s) : [m.name];
    for (const s of series) known.set(s, "router");
  }
  return known;
}

/** Names the references list as removed or deprecated: never on a dashboard or in a rule. */
export function removedMetricNames(): string[] {
  const vllm = readJson<VllmReference>("vllm-metrics.json").deprecated_or_removed.map((m) => m.name);
  const llama = readJson<LlamaCppReference>("llamacpp-metrics.json").removed_or_never_merged.map((m) => m.name);
  // Entries such as "vllm:gpu_prefix_cache_hit_rate / vllm:cpu_prefix_cache_hit_rate" name several metrics.
  return [...vllm, ...llama].flatMap((n) => n.match(/(?:vllm|llamacpp):[A-Za-z0-9_:]+/g) ?? []);
}
