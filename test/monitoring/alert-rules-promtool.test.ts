/**
 * `promtool test rules` for every shipped alert: synthetic series that must fire it (exact labels and rendered
 * annotations) and series that must not (below threshold, wrong component, too short, too little traffic).
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ALERT_NAMES, DEFAULT_ALERT_THRESHOLDS, buildRuleGroups, renderAlertRules, type AlertName, type AlertThresholds, type AlertingRule } from "../../src/monitoring";
import { promtoolOn } from "./promtool";

/** One expected alert: its labels, and the text each `{{ … }}` of its annotations must render to. */
interface Expected {
  labels: Record<string, string>;
  renders: Record<string, string>;
}

interface AlertCase {
  alert: AlertName;
  /** [series selector, promtool values] at a 1m interval. */
  series: [string, string][];
  /** Minutes at which nothing fires (yet). */
  quietAt: number[];
  /** Minute at which exactly `expected` fire. */
  firingAt: number;
  expected: Expected[];
}

const rule = (name: AlertName, t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): AlertingRule =>
  buildRuleGroups(t).flatMap((g) => g.rules).find((r) => "alert" in r && r.alert === name) as AlertingRule;

/** Fills each `{{ … }}` from `renders`; a placeholder the case does not cover fails the test. */
function fill(template: string, renders: Record<string, string>): string {
  return template.replace(/\{\{ (.+?) \}\}/g, (_, key: string) => {
    const v = renders[key];
    if (v === undefined) throw new Error(`the test case gives no rendering for {{ ${key} }} in: ${template}`);
    return v;
  });
}

/** A promtool unit-test file for one alert. */
function unitTests(c: AlertCase, t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS, expected = c.expected): string {
  const r = rule(c.alert, t);
  const quiet = c.quietAt.map((m) => ({ eval_time: `${m}m`, alertname: c.alert, exp_alerts: [] }));
  const firing = {
    eval_time: `${c.firingAt}m`,
    alertname: c.alert,
    exp_alerts: expected.map((e) => ({
      exp_labels: { severity: r.labels.severity, ...e.labels },
      exp_annotations: { summary: fill(r.annotations.summary, e.renders), description: fill(r.annotations.description, e.renders) },
    })),
  };
  return stringify({
    rule_files: ["rules.yml"],
    evaluation_interval: "1m",
    tests: [{ interval: "1m", input_series: c.series.map(([series, values]) => ({ series, values })), alert_rule_test: [...quiet, firing] }],
  });
}

function runCase(c: AlertCase, t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS, expected = c.expected) {
  return promtoolOn({ "rules.yml": renderAlertRules(t), "tests.yml": unitTests(c, t, expected) }, () => ["test", "rules", "tests.yml"]);
}

/** Cumulative histogram buckets growing by `perMinute` observations, all in the bucket ending at `le`. */
function histogram(metric: string, labels: string, les: readonly string[], le: string, perMinute: number): [string, string][] {
  const from = les.indexOf(le);
  return les.map((b, i) => [`${metric}{${labels}, le="${b}"}`, i >= from ? `0+${perMinute}x20` : "0x20"]);
}
const LES = ["1", "2.5", "5", "+Inf"];
const ROUTER = 'job="router", instance="router:8080"';
const REQ = (job: string, status: string) => `shoestring_router_requests_total{job="${job}", instance="${job}:8080", endpoint="chat", model="qwen", backend="local", tier="1", status="${status}"}`;

const CASES: AlertCase[] = [
  {
    alert: "LlmRouterTtftP95High",
    series: [
      ...histogram("shoestring_router_time_to_first_token_seconds_bucket", `${ROUTER}, model="slow", backend="local", tier="1"`, LES, "5", 60),
      ...histogram("shoestring_router_time_to_first_token_seconds_bucket", `${ROUTER}, model="fast", backend="local", tier="1"`, LES, "1", 60),
    ],
    quietAt: [9],
    firingAt: 12,
    // All observations in (2.5, 5]: p95 = 2.5 + 0.95 * 2.5 = 4.875 s.
    expected: [{ labels: { job: "router", model: "slow" }, renders: { "$labels.model": "slow", "$labels.job": "router", "$value | humanizeDuration": "4.875s" } }],
  },
  {
    alert: "LlmServerTtftP95High",
    series: [
      ...histogram("vllm:time_to_first_token_seconds_bucket", 'job="vllm-qwen", instance="qwen:8000", model_name="qwen", engine="0"', LES, "5", 60),
      ...histogram("vllm:time_to_first_token_seconds_bucket", 'job="vllm-qwen", instance="qwen-2:8000", model_name="qwen", engine="0"', LES, "1", 60),
    ],
    quietAt: [9],
    firingAt: 12,
    expected: [
      {
        labels: { job: "vllm-qwen", instance: "qwen:8000", model_name: "qwen" },
        renders: { "$labels.model_name": "qwen", "$labels.instance": "qwen:8000", "$labels.job": "vllm-qwen", "$value | humanizeDuration": "4.875s" },
      },
    ],
  },
  {
    alert: "LlmRouterErrorRateHigh",
    series: [
      [REQ("router", "200"), "0+90x20"],
      [REQ("router", "503"), "0+10x20"],
      // 1% errors: below 5%.
      [REQ("router-ok", "200"), "0+99x20"],
      [REQ("router-ok", "500"), "0+1x20"],
      // 33% errors but 7.5 requests per 5m: too little traffic to page.
      [REQ("router-idle", "200"), "0+1x20"],
      [REQ("router-idle", "502"), "0+0.5x20"],
    ],
    quietAt: [5],
    firingAt: 7,
    expected: [{ labels: { job: "router" }, renders: { "$value | humanizePercentage": "10%", "$labels.job": "router" } }],
  },
  {
    alert: "LlmKvCacheUsageHigh",
    series: [
      ['vllm:kv_cache_usage_perc{job="vllm-qwen", instance="qwen:8000", model_name="qwen", engine="0"}', "0.95x20"],
      ['vllm:kv_cache_usage_perc{job="vllm-qwen", instance="qwen-2:8000", model_name="qwen", engine="0"}', "0.85x20"],
      // Full for 5 minutes only.
      ['vllm:kv_cache_usage_perc{job="vllm-qwen", instance="qwen-3:8000", model_name="qwen", engine="0"}', "0.95x5 0.5x15"],
    ],
    quietAt: [9],
    firingAt: 12,
    expected: [
      {
        labels: { job: "vllm-qwen", instance: "qwen:8000", model_name: "qwen" },
        renders: { "$labels.model_name": "qwen", "$labels.instance": "qwen:8000", "$labels.job": "vllm-qwen", "$value | humanizePercentage": "95%" },
      },
    ],
  },
  {
    alert: "LlmServerQueueDepthHigh",
    series: [
      ['vllm:num_requests_waiting{job="vllm-qwen", instance="qwen:8000", model_name="qwen", engine="0"}', "12x10"],
      // Exactly at the threshold: not above it.
      ['vllm:num_requests_waiting{job="vllm-ok", instance="ok:8000", model_name="ok", engine="0"}', "10x10"],
      ['llamacpp:requests_deferred{job="llama-phi", instance="phi:8080"}', "15x10"],
    ],
    quietAt: [4],
    firingAt: 6,
    expected: [
      { labels: { job: "vllm-qwen", instance: "qwen:8000" }, renders: { "$value | humanize": "12", "$labels.job": "vllm-qwen", "$labels.instance": "qwen:8000" } },
      { labels: { job: "llama-phi", instance: "phi:8080" }, renders: { "$value | humanize": "15", "$labels.job": "llama-phi", "$labels.instance": "phi:8080" } },
    ],
  },
  {
    alert: "LlmFallbackRateHigh",
    series: [
      [REQ("router", "200"), "0+100x20"],
      [`shoestring_router_fallbacks_total{${ROUTER}, from="local", to="cloud", reason="status_5xx"}`, "0+30x20"],
      // to="none" is an exhausted chain (an error), not a fallback.
      [REQ("router-b", "200"), "0+100x20"],
      ['shoestring_router_fallbacks_total{job="router-b", instance="router-b:8080", from="local", to="none", reason="connect"}', "0+50x20"],
    ],
    quietAt: [9],
    firingAt: 12,
    expected: [{ labels: { job: "router" }, renders: { "$labels.job": "router", "$value | humanizePercentage": "30%" } }],
  },
  {
    alert: "ModelServerDown",
    series: [
      ['up{job="vllm-qwen", instance="qwen:8000", component="model-server"}', "1 1 0x12"],
      ['up{job="vllm-ok", instance="ok:8000", component="model-server"}', "1x14"],
      // A router is not a model server.
      ['up{job="router", instance="router:8080", component="router"}', "0x14"],
    ],
    quietAt: [6],
    firingAt: 8,
    expected: [
      {
        labels: { job: "vllm-qwen", instance: "qwen:8000", component: "model-server" },
        renders: { "$labels.job": "vllm-qwen", "$labels.instance": "qwen:8000", "$value | humanize": "0" },
      },
    ],
  },
  {
    alert: "LlmRouterDown",
    series: [
      ['up{job="router", instance="router:8080", component="router"}', "1 0x10"],
      ['up{job="vllm-qwen", instance="qwen:8000", component="model-server"}', "0x10"],
    ],
    quietAt: [2],
    firingAt: 4,
    expected: [{ labels: { job: "router", instance: "router:8080", component: "router" }, renders: { "$labels.job": "router", "$labels.instance": "router:8080", "$value | humanize": "0" } }],
  },
  {
    alert: "RedisUnavailable",
    series: [
      [`shoestring_router_cache_events_total{${ROUTER}, type="redis_error", op="get"}`, "0+6x20"],
      // One burst, then quiet: shorter than the alert's for.
      ['shoestring_router_cache_events_total{job="router", instance="router-2:8080", type="redis_error", op="get"}', "0 5x20"],
      // Embedding failures are not Redis failures; recoveries are not failures.
      ['shoestring_router_cache_events_total{job="router", instance="router-3:8080", type="timeout", op="embed"}', "0+6x20"],
      ['shoestring_router_cache_events_total{job="router", instance="router-4:8080", type="recovered", op="get"}', "0+6x20"],
    ],
    quietAt: [3],
    firingAt: 6,
    expected: [{ labels: { job: "router", instance: "router:8080" }, renders: { "$labels.instance": "router:8080", "$value | humanize": "6" } }],
  },
  {
    alert: "BreakerOpen",
    series: [
      [`shoestring_router_breaker_state{${ROUTER}, backend="qwen"}`, "2x10"],
      [`shoestring_router_breaker_state{${ROUTER}, backend="phi"}`, "0x10"],
      // Closes every other minute: never 2 minutes without a break.
      [`shoestring_router_breaker_state{${ROUTER}, backend="flappy"}`, "2 0 2 0 2 0 2 0 2 0 2"],
    ],
    quietAt: [1],
    firingAt: 4,
    expected: [{ labels: { job: "router", backend: "qwen" }, renders: { "$labels.backend": "qwen", "$value | humanize": "2", "$labels.job": "router" } }],
  },
];

describe("alert rules under promtool test rules", () => {
  it("has a case for every shipped alert", () => {
    expect(CASES.map((c) => c.alert).sort()).toEqual([...ALERT_NAMES].sort());
  });

  it.each(CASES.map((c) => [c.alert, c] as const))("fires %s only for the series that cross its threshold long enough", (_, c) => {
    const r = runCase(c);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("fails the unit test when an expectation is wrong, so a passing run means something", () => {
    const c = CASES.find((x) => x.alert === "BreakerOpen") as AlertCase;
    const r = runCase({ ...c, expected: [{ ...(c.expected[0] as Expected), labels: { job: "router", backend: "phi" } }] });
    expect(r.status).toBe(1);
    expect(r.output).toContain("FAILED");
  });

  it.each([
    ["LlmServerQueueDepthHigh", { queueDepth: 20 }],
    ["LlmRouterErrorRateHigh", { errorRatePercent: 15 }],
    ["LlmKvCacheUsageHigh", { kvCacheUsagePercent: 96 }],
    ["LlmRouterTtftP95High", { ttftP95Seconds: 5 }],
    ["LlmFallbackRateHigh", { fallbackRatePercent: 31 }],
  ] as const)("stays quiet on the same series when monitoring.alerts raises the threshold of %s", (name, raise) => {
    const c = CASES.find((x) => x.alert === name) as AlertCase;
    const r = runCase(c, { ...DEFAULT_ALERT_THRESHOLDS, ...raise }, []);
    expect(r.output).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });
});
