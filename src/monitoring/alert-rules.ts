/**
 * @module Alert rules with thresholds from the stack config (`monitoring.alerts`), plus the recording rules
 * they read, as rule groups (for a PrometheusRule) and as one rules file (YAML text).
 */
import { stringify } from "yaml";
import { MonitoringSchema, type MonitoringConfig } from "../config/monitoring";
import { RECORDED, RULE_WINDOW, recordingRuleGroup } from "./recording-rules";
import { COMPONENT_LABEL } from "./scrape-config";
import type { AlertingRule, RuleGroup } from "./rule-types";

/** Alert thresholds, as `monitoring.alerts` in the stack config. */
export type AlertThresholds = MonitoringConfig["alerts"];

/** The thresholds when none are given: the stack config schema's defaults (its one place for them, STYLE R4). */
export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = MonitoringSchema.parse({}).alerts;

/**
 * Ratio alerts (errors, fallbacks) need at least this many requests in {@link RULE_WINDOW}, so that 1 failure
 * out of 2 requests on an idle stack does not page anyone.
 */
export const MIN_REQUESTS_FOR_RATIO_ALERTS = 10;

/** Name of the group holding the alerts. */
export const ALERT_GROUP_NAME = "shoestring.alerts";

/** Every alert the kit ships. */
export const ALERT_NAMES = [
  "LlmRouterTtftP95High",
  "LlmServerTtftP95High",
  "LlmRouterErrorRateHigh",
  "LlmKvCacheUsageHigh",
  "LlmServerQueueDepthHigh",
  "LlmFallbackRateHigh",
  "ModelServerDown",
  "LlmRouterDown",
  "RedisUnavailable",
  "BreakerOpen",
] as const;

/** Name of one shipped alert. */
export type AlertName = (typeof ALERT_NAMES)[number];

const WINDOW_SECONDS = 300;
/** A threshold as PromQL reads it: no float noise such as 0.07000000000000001. */
const num = (x: number): string => String(Number(x.toPrecision(12)));

/** The alerting rules, in {@link ALERT_NAMES} order. */
function alertingRules(t: AlertThresholds): Record<AlertName, AlertingRule> {
  const enoughTraffic = `${RECORDED.routerRequestRate} * ${WINDOW_SECONDS} >= ${MIN_REQUESTS_FOR_RATIO_ALERTS}`;
  const ratioNote = `alerts need at least ${MIN_REQUESTS_FOR_RATIO_ALERTS} requests in ${RULE_WINDOW}`;
  return {
    LlmRouterTtftP95High: {
      alert: "LlmRouterTtftP95High",
      expr: `${RECORDED.routerTtftP95} > ${num(t.ttftP95Seconds)}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "p95 time to first token for model {{ $labels.model }} is {{ $value | humanizeDuration }}",
        description: `Over the last ${RULE_WINDOW}, 5% of streamed requests for {{ $labels.model }} through router job {{ $labels.job }} waited longer than {{ $value | humanizeDuration }} for their first token (threshold ${num(t.ttftP95Seconds)}s, monitoring.alerts.ttftP95Seconds). Check the model servers' queue depth and KV-cache usage, and router fallbacks.`,
      },
    },
    LlmServerTtftP95High: {
      alert: "LlmServerTtftP95High",
      expr: `${RECORDED.vllmTtftP95} > ${num(t.ttftP95Seconds)}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "vLLM p95 time to first token for {{ $labels.model_name }} on {{ $labels.instance }} is {{ $value | humanizeDuration }}",
        description: `Over the last ${RULE_WINDOW}, 5% of requests to vLLM server {{ $labels.instance }} (job {{ $labels.job }}) waited longer than {{ $value | humanizeDuration }} for their first token (threshold ${num(t.ttftP95Seconds)}s, monitoring.alerts.ttftP95Seconds). Requests are queueing (vllm:num_requests_waiting) or prompts are long; add replicas or send long prompts elsewhere.`,
      },
    },
    LlmRouterErrorRateHigh: {
      alert: "LlmRouterErrorRateHigh",
      expr: `${RECORDED.routerErrorRatio} > ${num(t.errorRatePercent / 100)} and ${enoughTraffic}`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $value | humanizePercentage }} of requests through router job {{ $labels.job }} fail with 5xx",
        description: `Over the last ${RULE_WINDOW}, {{ $value | humanizePercentage }} of the answers of router job {{ $labels.job }} were 5xx (threshold ${num(t.errorRatePercent)}%, monitoring.alerts.errorRatePercent; ${ratioNote}). The dashboard panel "Error responses by code" shows which router error codes.`,
      },
    },
    LlmKvCacheUsageHigh: {
      alert: "LlmKvCacheUsageHigh",
      expr: `max by (job, instance, model_name) (vllm:kv_cache_usage_perc) > ${num(t.kvCacheUsagePercent / 100)}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "KV cache of {{ $labels.model_name }} on {{ $labels.instance }} is {{ $value | humanizePercentage }} full",
        description: `The KV cache of vLLM server {{ $labels.instance }} (job {{ $labels.job }}) has stayed above ${num(t.kvCacheUsagePercent)}% for 10 minutes (monitoring.alerts.kvCacheUsagePercent). A full cache makes vLLM queue and preempt requests, so latency rises. Lower max-num-seqs or max-model-len, or add replicas.`,
      },
    },
    LlmServerQueueDepthHigh: {
      alert: "LlmServerQueueDepthHigh",
      expr: `sum by (job, instance) (vllm:num_requests_waiting) > ${num(t.queueDepth)} or sum by (job, instance) (llamacpp:requests_deferred) > ${num(t.queueDepth)}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $value | humanize }} requests wait in the queue of {{ $labels.job }} ({{ $labels.instance }})",
        description: `More than ${num(t.queueDepth)} requests have waited for a slot on {{ $labels.instance }} for 5 minutes (monitoring.alerts.queueDepth): vllm:num_requests_waiting on vLLM, llamacpp:requests_deferred on llama.cpp. Add replicas or parallel slots, or route traffic elsewhere.`,
      },
    },
    LlmFallbackRateHigh: {
      alert: "LlmFallbackRateHigh",
      expr: `${RECORDED.routerFallbackRatio} > ${num(t.fallbackRatePercent / 100)} and ${enoughTraffic}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Router job {{ $labels.job }} falls back to another target for {{ $value | humanizePercentage }} of requests",
        description: `Over the last ${RULE_WINDOW} router job {{ $labels.job }} moved {{ $value | humanizePercentage }} of requests (fallbacks per request) to their next target (threshold ${num(t.fallbackRatePercent)}%, monitoring.alerts.fallbackRatePercent; ${ratioNote}). Fallbacks to cloud providers cost money; the dashboard panel "Fallbacks by reason" shows why.`,
      },
    },
    ModelServerDown: {
      alert: "ModelServerDown",
      expr: `up{${COMPONENT_LABEL}="model-server"} == 0`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Model server {{ $labels.job }} ({{ $labels.instance }}) is down",
        description: "Prometheus has failed to scrape {{ $labels.instance }} for 5 minutes (up = {{ $value | humanize }}). A server still downloading or loading its model counts as down too (vLLM listens only once loaded). Check the container's state and logs.",
      },
    },
    LlmRouterDown: {
      alert: "LlmRouterDown",
      expr: `up{${COMPONENT_LABEL}="router"} == 0`,
      for: "2m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Router {{ $labels.job }} ({{ $labels.instance }}) is down",
        description: "Prometheus has failed to scrape the router at {{ $labels.instance }} for 2 minutes (up = {{ $value | humanize }}); clients cannot reach any model through it. Check the container's state and logs.",
      },
    },
    RedisUnavailable: {
      alert: "RedisUnavailable",
      // op="embed" events come from the embeddings backend of the semantic cache, not from Redis.
      expr: `sum by (job, instance) (rate(shoestring_router_cache_events_total{type=~"redis_error|timeout", op!="embed"}[2m])) * 60 > 0`,
      for: "3m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Router {{ $labels.instance }} cannot use Redis ({{ $value | humanize }} cache errors per minute)",
        description: "Cache calls from router {{ $labels.instance }} to Redis have failed or timed out for 5 minutes, so requests are served uncached: clients see no errors, but nothing is saved. Check the Redis container and the router's cache URL and password. The router only calls Redis while it has traffic, so the alert resolves when traffic stops.",
      },
    },
    BreakerOpen: {
      alert: "BreakerOpen",
      expr: "max by (job, backend) (shoestring_router_breaker_state) > 0",
      for: "2m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Circuit breaker for backend {{ $labels.backend }} is not closed (state {{ $value | humanize }})",
        description: "For 2 minutes router job {{ $labels.job }} has kept its breaker for backend {{ $labels.backend }} open (2) or half-open (1): the backend failed too often, and its requests go to the next target of their chain. Check the backend's health and logs.",
      },
    },
  };
}

/**
 * The rule groups: recording rules first (alerts read them), then the alerts. The same objects suit a
 * Prometheus rules file and a PrometheusRule's `spec.groups`.
 *
 * @example
 * buildRuleGroups({ ...DEFAULT_ALERT_THRESHOLDS, queueDepth: 4 });
 */
export function buildRuleGroups(thresholds: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): RuleGroup[] {
  const alerts = alertingRules(thresholds);
  return [recordingRuleGroup(), { name: ALERT_GROUP_NAME, rules: ALERT_NAMES.map((n) => alerts[n]) }];
}

/**
 * Renders the rules file (`groups:` YAML) for Prometheus' `rule_files`.
 *
 * @example
 * renderAlertRules(config.monitoring.alerts);
 */
export function renderAlertRules(thresholds: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): string {
  const doc = { groups: buildRuleGroups(thresholds) };
  return `# Generated by shoestring (src/monitoring/alert-rules.ts); do not edit.\n${stringify(doc, { lineWidth: 0 })}`;
}
