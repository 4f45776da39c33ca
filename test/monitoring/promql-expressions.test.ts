/**
 * Every expression the kit ships reads only metrics that exist: a renamed or removed metric in vLLM,
 * llama.cpp, the DCGM exporter or the router fails here.
 */
import { describe, expect, it } from "vitest";
import {
  ALERT_NAMES,
  RECORDED,
  buildDashboards,
  listPromqlExpressions,
  substituteGrafanaVariables,
  type PromqlExpression,
} from "../../src/monitoring";
import { knownMetricNames, metricNamesIn, removedMetricNames } from "./metric-names";

const recorded = new Set<string>(Object.values(RECORDED));

/** `name (where)` for every metric an expression reads that no source exports. */
async function unknownMetrics(exprs: readonly PromqlExpression[]): Promise<string[]> {
  const known = await knownMetricNames();
  return exprs.flatMap((e) => metricNamesIn(e.expr).filter((n) => !known.has(n) && !recorded.has(n)).map((n) => `${n} (${e.source} ${e.name})`));
}

describe("metricNamesIn", () => {
  it.each([
    ['sum by (le) (rate(a_bucket{x="y", z=~"5.."}[5m])) / on() group_left() sum(b)', ["a_bucket", "b"]],
    ["histogram_quantile(0.95, sum by (job, le) (rate(vllm:x_bucket[$__rate_interval])))", ["vllm:x_bucket"]],
    ["count(up == 0) or vector(0)", ["up"]],
    ["job:r:rate5m * 300 >= 10 and ignoring(instance) c_total offset 5m", ["job:r:rate5m", "c_total"]],
    ['max by (backend) (shoestring_router_breaker_state) > bool 1e3', ["shoestring_router_breaker_state"]],
  ])("reads the metric names of %s", (expr, names) => {
    expect(metricNamesIn(expr)).toEqual(names);
  });
});

describe("listPromqlExpressions", () => {
  it("lists every dashboard query, every recording rule and every alert", () => {
    const exprs = listPromqlExpressions();
    const targets = buildDashboards().flatMap((d) => (d.dashboard.panels ?? []).flatMap((p) => ("targets" in p ? (p.targets ?? []) : [])));
    expect(exprs.filter((e) => e.source === "dashboard")).toHaveLength(targets.length);
    expect(exprs.filter((e) => e.source === "recording-rule").map((e) => e.name).sort()).toEqual(Object.values(RECORDED).sort());
    expect(exprs.filter((e) => e.source === "alert").map((e) => e.name)).toEqual([...ALERT_NAMES]);
    expect(new Set(exprs.map((e) => `${e.source}:${e.name}`)).size).toBe(exprs.length);
  });

  it("names dashboard queries by dashboard uid, panel title and refId", () => {
    const names = listPromqlExpressions().filter((e) => e.source === "dashboard").map((e) => e.name);
    expect(names).toContain("shoestring-llm-overview/KV-cache usage/A");
    expect(names).toContain("shoestring-llm-overview/Tokens/s in and out (vLLM)/B");
  });

  it("reads only metrics that vLLM, llama.cpp, the DCGM exporter, the router or Prometheus export", async () => {
    expect(await unknownMetrics(listPromqlExpressions())).toEqual([]);
  });

  it("reports a metric that does not exist, so a rename cannot pass unnoticed", async () => {
    const renamed: PromqlExpression[] = [
      { source: "dashboard", name: "d/p/A", expr: "rate(vllm:time_to_first_token_bucket[5m])" },
      { source: "alert", name: "X", expr: "shoestring_router_request_total > 1" },
    ];
    expect(await unknownMetrics(renamed)).toEqual(["vllm:time_to_first_token_bucket (dashboard d/p/A)", "shoestring_router_request_total (alert X)"]);
  });

  it("never reads a metric the references list as removed or deprecated", () => {
    const removed = removedMetricNames();
    expect(removed).toContain("llamacpp:kv_cache_usage_ratio");
    expect(removed).toContain("vllm:gpu_cache_usage_perc");
    const used = new Set(listPromqlExpressions().flatMap((e) => metricNamesIn(e.expr)));
    expect(removed.filter((n) => used.has(n))).toEqual([]);
  });

  it("reads every metric the brief's panels need: KV cache, queues, cache savings and GPU memory", () => {
    const used = new Set(listPromqlExpressions().flatMap((e) => metricNamesIn(e.expr)));
    for (const name of [
      "vllm:kv_cache_usage_perc",
      "vllm:num_requests_waiting",
      "vllm:num_requests_running",
      "shoestring_router_queued",
      "shoestring_router_cache_saved_usd_total",
      "shoestring_router_breaker_state",
      "shoestring_router_overhead_seconds_bucket",
      "DCGM_FI_DEV_GPU_UTIL",
      "DCGM_FI_DEV_FB_USED",
      "DCGM_FI_DEV_FB_FREE",
      "llamacpp:requests_deferred",
      "llamacpp:tokens_predicted_total",
    ]) {
      expect(used.has(name), name).toBe(true);
    }
  });
});

describe("substituteGrafanaVariables", () => {
  it("puts durations in for Grafana's built-in variables", () => {
    expect(substituteGrafanaVariables("increase(a[$__range]) / rate(b[$__rate_interval]) + c[$__interval]")).toBe("increase(a[1h]) / rate(b[5m]) + c[1m]");
    expect(substituteGrafanaVariables("rate(b[$__rate_interval])", { rateInterval: "30s" })).toBe("rate(b[30s])");
  });
});
