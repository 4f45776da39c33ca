/**
 * The real monitoring test: the router (built from the kit's router config) in front of two engine
 * simulators, with a real Redis cache, scraped by a real Prometheus (Debian's binary) running the kit's own
 * generated `prometheus.yml` and rules file, pointed at loopback. After ~9 s of client traffic, every PromQL
 * expression the dashboards, recording rules and alerts use must return series.
 *
 * llama.cpp and the DCGM exporter cannot run here (no model, no GPU): their metric families are served by
 * stand-ins generated from the reference lists in `fixtures/` (names, types and labels as given there; values
 * synthetic), so their panels are checked against the names and labels the real exporters publish.
 * A missing `prometheus` or `redis-server` fails the test with the install command; it never skips.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALERT_NAMES,
  COMPONENT_LABEL,
  buildRuleGroups,
  listPromqlExpressions,
  renderAlertRules,
  renderPrometheusConfig,
  substituteGrafanaVariables,
} from "../../src/monitoring";
import { driveTraffic, type TrafficSummary } from "./live/drive-traffic";
import { LIVE, startLiveStack, type LiveStack } from "./live/live-stack";
import { missingBinaries, startPrometheus, type LivePrometheus } from "./live/prometheus-server";
import { withoutThresholds } from "./live/strip-threshold";

/** Client traffic before the checks; Prometheus' first scrape comes ~5 s after start, within it. */
const TRAFFIC_MS = 9_000;
/** How long the checks poll for series still missing (a counter needs two scrapes for `rate`). */
const SETTLE_MS = 12_000;
const RULES_FILE = "rules/shoestring.rules.yml";

interface ActiveTarget {
  labels: Record<string, string>;
  health: "up" | "down" | "unknown";
  lastError: string;
}
interface RuleState {
  name: string;
  health: "ok" | "err" | "unknown";
  lastError?: string;
  type: "alerting" | "recording";
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Re-runs `check` (which lists problems) until it finds none or `ms` pass; returns the last problems. */
async function settle(check: () => Promise<string[]>, ms = SETTLE_MS): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const problems = await check();
    if (problems.length === 0 || Date.now() > deadline) return problems;
    await sleep(500);
  }
}

/** Problems of one expression: a query error, or no series. */
async function problemsOf(prom: LivePrometheus, label: string, expr: string): Promise<string[]> {
  const r = await prom.query(expr);
  if (r.status !== "success") return [`${label}: ${expr} → ${r.errorType ?? "error"}: ${r.error ?? "?"}`];
  return (r.data?.result.length ?? 0) === 0 ? [`${label}: ${expr} → no series`] : [];
}

describe("monitoring against a real Prometheus scraping the router, engine simulators and exporter stand-ins", () => {
  let stack: LiveStack | undefined;
  let prom: LivePrometheus | undefined;
  let traffic: TrafficSummary = {};
  let setupError: unknown;

  /** The running stack and Prometheus. A setup failure is rethrown, so every test fails with it (not skipped). */
  const live = (): { stack: LiveStack; prom: LivePrometheus } => {
    if (setupError !== undefined) throw setupError;
    return { stack: stack as LiveStack, prom: prom as LivePrometheus };
  };
  const context = (): string => `traffic outcomes ${JSON.stringify(traffic)}; prometheus log: ${prom?.log() ?? "-"}`;

  async function setUp(): Promise<void> {
    const missing = missingBinaries(["prometheus", "redis-server"]);
    if (missing !== undefined) throw new Error(missing);
    const s = await startLiveStack();
    stack = s;
    prom = await startPrometheus({
      files: { [RULES_FILE]: renderAlertRules(), [`secrets/${LIVE.llamaCpp}.token`]: LIVE.llamaCppToken },
      config: (port, dir) =>
        renderPrometheusConfig({
          targets: s.scrapeTargets(`127.0.0.1:${port}`, (job) => join(dir, "secrets", `${job}.token`)),
          ruleFiles: [join(dir, RULES_FILE)],
          scrapeInterval: "1s",
          evaluationInterval: "1s",
        }),
    });
    traffic = await driveTraffic(s, TRAFFIC_MS);
  }

  beforeAll(async () => {
    try {
      await setUp();
    } catch (err) {
      setupError = err;
    }
  }, 45_000);

  afterAll(async () => {
    await prom?.stop();
    await stack?.stop();
  }, 20_000);

  it("scrapes every job of the generated config, the token-protected llama.cpp one included", async () => {
    const { stack: s, prom: p } = live();
    const expected = s.scrapeTargets("unused:1", () => "/unused").map((t) => `${t.job} ${t.component ?? "-"} up`).sort();
    let seen: string[] = [];
    const problems = await settle(async () => {
      const r = await p.api<{ data: { activeTargets: ActiveTarget[] } }>("/api/v1/targets");
      seen = r.data.activeTargets.map((t) => `${t.labels.job ?? "?"} ${t.labels[COMPONENT_LABEL] ?? "-"} ${t.health}${t.lastError ? ` (${t.lastError})` : ""}`).sort();
      return JSON.stringify(seen) === JSON.stringify(expected) ? [] : ["targets differ"];
    });
    expect(seen, problems.length > 0 ? context() : undefined).toEqual(expected);
  }, 25_000);

  it("returns series for every dashboard query and recording rule", async () => {
    const { prom: p } = live();
    const shipped = listPromqlExpressions().filter((e) => e.source !== "alert");
    expect(shipped.length).toBeGreaterThan(50);
    const problems = await settle(async () => {
      const out: string[] = [];
      for (const e of shipped) out.push(...(await problemsOf(p, `${e.source} ${e.name}`, substituteGrafanaVariables(e.expr))));
      return out;
    });
    expect(problems, context()).toEqual([]);
  }, 25_000);

  it("returns series for every alert expression and each of its operands once the thresholds are removed", async () => {
    const { prom: p } = live();
    const alerts = listPromqlExpressions().filter((e) => e.source === "alert");
    expect(alerts.map((a) => a.name)).toEqual([...ALERT_NAMES]);
    const problems = await settle(async () => {
      const out: string[] = [];
      for (const a of alerts) {
        // The expression itself must be valid PromQL; below its threshold it rightly returns nothing.
        const r = await p.query(a.expr);
        if (r.status !== "success") out.push(`alert ${a.name}: ${a.expr} → ${r.errorType ?? "error"}: ${r.error ?? "?"}`);
        const free = withoutThresholds(a.expr);
        out.push(...(await problemsOf(p, `alert ${a.name} without threshold`, free.expr)));
        if (free.parts.length > 1) for (const part of free.parts) out.push(...(await problemsOf(p, `alert ${a.name} operand`, part)));
      }
      return out;
    });
    expect(problems, context()).toEqual([]);
  }, 25_000);

  it("loads every recording and alerting rule from the rules file and evaluates each without error", async () => {
    const { prom: p } = live();
    // The API lists groups by file, then name; the rules inside keep the file's order.
    const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
    const expected = buildRuleGroups().map((g) => ({ name: g.name, rules: g.rules.map((r) => ("record" in r ? r.record : r.alert)) })).sort(byName);
    let groups: { name: string; rules: RuleState[] }[] = [];
    const problems = await settle(async () => {
      groups = (await p.api<{ data: { groups: { name: string; rules: RuleState[] }[] } }>("/api/v1/rules")).data.groups;
      return groups.flatMap((g) => g.rules).filter((r) => r.health !== "ok").map((r) => `${r.name}: ${r.health} ${r.lastError ?? ""}`.trim());
    });
    expect(groups.map((g) => ({ name: g.name, rules: g.rules.map((r) => r.name) })).sort(byName)).toEqual(expected);
    expect(problems, context()).toEqual([]);
  }, 25_000);
});
