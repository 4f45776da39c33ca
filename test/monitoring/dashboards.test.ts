/**
 * Dashboards: stable uids, unique panel ids, a full non-overlapping grid, the datasource variable on every
 * query, units, alert thresholds drawn in, and every query valid PromQL according to promtool.
 */
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { DEFAULT_ALERT_THRESHOLDS, LLM_OVERVIEW_UID, buildDashboards, listPromqlExpressions, substituteGrafanaVariables } from "../../src/monitoring";
import { promtoolOn } from "./promtool";

const overview = (): Dashboard => {
  const d = buildDashboards()[0];
  if (d === undefined) throw new Error("no dashboard built");
  return d.dashboard;
};
const panelsOf = (d: Dashboard): Panel[] => (d.panels ?? []).filter((p): p is Panel => p.type !== "row");
const rowsOf = (d: Dashboard): RowPanel[] => (d.panels ?? []).filter((p): p is RowPanel => p.type === "row");
const byTitle = (d: Dashboard, title: string): Panel => {
  const p = panelsOf(d).find((x) => x.title === title);
  if (p === undefined) throw new Error(`no panel "${title}"`);
  return p;
};
const targetsOf = (p: Panel) => (p.targets ?? []) as { expr?: string; refId?: string; legendFormat?: string; datasource?: unknown }[];

/** A recording-rule file holding each expression, so `promtool check rules` parses them all. */
function asRules(exprs: readonly string[]): string {
  return stringify({ groups: [{ name: "dashboard-queries", rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] });
}

describe("buildDashboards", () => {
  it("ships the LLM overview with its stable uid, file name and tags", () => {
    const all = buildDashboards();
    expect(all.map((d) => [d.uid, d.title, d.fileName])).toEqual([[LLM_OVERVIEW_UID, "LLM overview", "shoestring-llm-overview.json"]]);
    expect(all[0]?.dashboard.uid).toBe("shoestring-llm-overview");
    expect(all[0]?.dashboard.tags).toEqual(["shoestring", "llm"]);
    expect(new Set(all.map((d) => d.uid)).size).toBe(all.length);
  });

  it("groups panels in the rows router, vLLM, llama.cpp and GPUs", () => {
    expect(rowsOf(overview()).map((r) => r.title)).toEqual([
      "Overview",
      "Router: traffic and latency",
      "Router: cache, fallbacks and backends",
      "vLLM servers",
      "llama.cpp servers",
      "GPUs (DCGM exporter)",
    ]);
  });

  it("gives every panel and row a unique id and a grid position inside 24 columns, with no overlaps", () => {
    const all = overview().panels ?? [];
    expect(all.length).toBeGreaterThan(30);
    const ids = all.map((p) => p.id);
    expect(ids.every((id) => typeof id === "number")).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const boxes = all.map((p) => {
      const g = p.gridPos;
      if (g === undefined) throw new Error(`panel ${p.title} has no gridPos`);
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
      expect(g.h > 0 && g.w > 0 && g.x >= 0 && g.y >= 0, p.title).toBe(true);
      return { ...g, title: p.title };
    });
    const overlaps = boxes.flatMap((a, i) =>
      boxes.slice(i + 1).filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map((b) => `${a.title} / ${b.title}`),
    );
    expect(overlaps).toEqual([]);
  });

  it("queries the ${datasource} variable, a Prometheus datasource picker, from every panel and target", () => {
    const d = overview();
    expect(d.templating?.list).toEqual([expect.objectContaining({ type: "datasource", name: "datasource", query: "prometheus", label: "Prometheus" })]);
    for (const p of panelsOf(d)) {
      expect(p.datasource, p.title).toEqual({ type: "prometheus", uid: "${datasource}" });
      for (const t of targetsOf(p)) expect(t.datasource, p.title).toEqual({ type: "prometheus", uid: "${datasource}" });
    }
  });

  it("gives every panel a unit, a description and queries with distinct refIds and a legend", () => {
    for (const p of panelsOf(overview())) {
      expect(p.fieldConfig?.defaults?.unit, p.title).toMatch(/\S/);
      expect(p.description, p.title).toMatch(/\S/);
      const targets = targetsOf(p);
      expect(targets.length, p.title).toBeGreaterThan(0);
      expect(new Set(targets.map((t) => t.refId)).size, p.title).toBe(targets.length);
      for (const t of targets) {
        expect(t.expr, p.title).toMatch(/\S/);
        expect(t.legendFormat, p.title).toMatch(/\S/);
      }
    }
  });

  it.each([
    ["TTFT p50/p95/p99 (router)", "s"],
    ["TTFT p50/p95/p99 (vLLM)", "s"],
    ["Request rate by model", "reqps"],
    ["KV-cache usage", "percentunit"],
    ["Money saved by the cache", "currencyUSD"],
    ["Saved by the cache", "currencyUSD"],
    ["GPU memory used (MiB)", "mbytes"],
    ["GPU utilization", "percent"],
    ["Tokens/s in and out (vLLM)", "suffix: tok/s"],
    ["Router overhead p50/p95/p99", "s"],
  ])("shows %s in unit %s", (title, unit) => {
    expect(byTitle(overview(), title).fieldConfig?.defaults?.unit).toBe(unit);
  });

  it("draws TTFT p50, p95 and p99 from the router's and vLLM's histograms", () => {
    expect(targetsOf(byTitle(overview(), "TTFT p50/p95/p99 (vLLM)")).map((t) => [t.expr, t.legendFormat])).toEqual([
      ["histogram_quantile(0.5, sum by (model_name, le) (rate(vllm:time_to_first_token_seconds_bucket[$__rate_interval])))", "p50 {{model_name}}"],
      ["histogram_quantile(0.95, sum by (model_name, le) (rate(vllm:time_to_first_token_seconds_bucket[$__rate_interval])))", "p95 {{model_name}}"],
      ["histogram_quantile(0.99, sum by (model_name, le) (rate(vllm:time_to_first_token_seconds_bucket[$__rate_interval])))", "p99 {{model_name}}"],
    ]);
    expect(targetsOf(byTitle(overview(), "TTFT p50/p95/p99 (router)")).map((t) => t.expr)).toEqual(
      [0.5, 0.95, 0.99].map((q) => `histogram_quantile(${q}, sum by (le) (rate(shoestring_router_time_to_first_token_seconds_bucket[$__rate_interval])))`),
    );
  });

  it("maps breaker states 0/1/2 to closed/half-open/open", () => {
    const p = byTitle(overview(), "Circuit breaker state");
    expect(p.type).toBe("state-timeline");
    expect(p.fieldConfig?.defaults?.mappings).toEqual([
      { type: "value", options: { "0": { text: "closed", color: "green", index: 0 }, "1": { text: "half-open", color: "yellow", index: 1 }, "2": { text: "open", color: "red", index: 2 } } },
    ]);
  });

  it("turns red at the alert thresholds of the stack config", () => {
    const custom = { ...DEFAULT_ALERT_THRESHOLDS, errorRatePercent: 7, ttftP95Seconds: 1.5, kvCacheUsagePercent: 80, queueDepth: 4, fallbackRatePercent: 30 };
    const d = buildDashboards(custom)[0]?.dashboard as Dashboard;
    const red = (title: string) => byTitle(d, title).fieldConfig?.defaults?.thresholds?.steps;
    expect(red("Error rate (5xx)")).toEqual([{ value: null, color: "green" }, { value: 0.07, color: "red" }]);
    expect(red("TTFT p95 (router)")).toEqual([{ value: null, color: "green" }, { value: 1.5, color: "red" }]);
    expect(red("TTFT p50/p95/p99 (vLLM)")).toEqual([{ value: null, color: "green" }, { value: 1.5, color: "red" }]);
    expect(red("KV-cache usage")).toEqual([{ value: null, color: "green" }, { value: 0.8, color: "red" }]);
    expect(red("Queue: running and waiting (vLLM)")).toEqual([{ value: null, color: "green" }, { value: 4, color: "red" }]);
    expect(red("Fallback rate")).toEqual([{ value: null, color: "green" }, { value: 0.3, color: "red" }]);
    expect(byTitle(d, "KV-cache usage").fieldConfig?.defaults?.custom).toMatchObject({ thresholdsStyle: { mode: "dashed" } });
    expect(red("Request rate by model")).toEqual([{ value: null, color: "green" }]);
  });

  it("survives a JSON round trip unchanged (what the provisioned file holds)", () => {
    const d = overview();
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe("dashboard queries", () => {
  const exprs = listPromqlExpressions().filter((e) => e.source === "dashboard").map((e) => substituteGrafanaVariables(e.expr));

  it("are all valid PromQL according to promtool check rules", () => {
    expect(exprs.length).toBeGreaterThan(40);
    const r = promtoolOn({ "dashboard-rules.yml": asRules(exprs) }, () => ["check", "rules", "dashboard-rules.yml"]);
    expect(r.output).toContain(`SUCCESS: ${exprs.length} rules found`);
    expect(r.status).toBe(0);
  });

  it("would be caught by the same check if one had a typo", () => {
    const broken = [...exprs.slice(0, 3), exprs[3]?.replace("rate(", "rat(") ?? ""];
    const r = promtoolOn({ "dashboard-rules.yml": asRules(broken) }, () => ["check", "rules", "dashboard-rules.yml"]);
    expect(r.status).toBe(1);
    expect(r.output).toContain("rat");
  });
});
