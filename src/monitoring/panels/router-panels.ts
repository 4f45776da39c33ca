/** @module Router rows: traffic and latency as clients see them, then cache, fallbacks and backends. */
import type { AlertThresholds } from "../alert-rules";
import { quantileQueries, type SectionSpec } from "../dashboard-kit";

const RI = "$__rate_interval";
const P = [0.5, 0.95, 0.99];

/** Router traffic, errors, latency percentiles, tokens and its own overhead. */
export function routerTrafficSection(t: AlertThresholds): SectionSpec {
  return {
    title: "Router: traffic and latency",
    panels: [
      {
        kind: "timeseries",
        title: "Request rate by model",
        description: "Requests per second answered by the router, by logical model.",
        unit: "reqps",
        queries: [{ expr: `sum by (model) (rate(shoestring_router_requests_total[${RI}]))`, legend: "{{model}}" }],
      },
      {
        kind: "timeseries",
        title: "Error responses by code",
        description: "Error answers per second by the router's stable error code (see docs/router.md).",
        unit: "reqps",
        stacked: true,
        queries: [{ expr: `sum by (code) (rate(shoestring_router_errors_total[${RI}]))`, legend: "{{code}}" }],
      },
      {
        kind: "timeseries",
        title: "Error rate (5xx) by model",
        description: "Share of answers with a 5xx status, by logical model. The dashed line is monitoring.alerts.errorRatePercent.",
        unit: "percentunit",
        redFrom: t.errorRatePercent / 100,
        queries: [
          {
            expr: `sum by (model) (rate(shoestring_router_requests_total{status=~"5.."}[${RI}])) / sum by (model) (rate(shoestring_router_requests_total[${RI}]))`,
            legend: "{{model}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Request latency p50/p95/p99",
        description: "Time from request received to response end, all models (streams included, so long generations dominate).",
        unit: "s",
        queries: quantileQueries("shoestring_router_request_duration_seconds_bucket", [], P),
      },
      {
        kind: "timeseries",
        title: "TTFT p50/p95/p99 (router)",
        description: "Streams: time from request received to the first content event, as clients see it (queueing and fallbacks included). The dashed line is monitoring.alerts.ttftP95Seconds.",
        unit: "s",
        redFrom: t.ttftP95Seconds,
        queries: quantileQueries("shoestring_router_time_to_first_token_seconds_bucket", [], P),
      },
      {
        kind: "timeseries",
        title: "Inter-token latency p50/p95 (router)",
        description: "Streams: time between consecutive events sent to clients.",
        unit: "s",
        queries: quantileQueries("shoestring_router_inter_token_latency_seconds_bucket", [], [0.5, 0.95]),
      },
      {
        kind: "timeseries",
        title: "Tokens/s in and out (router)",
        description: "Prompt (input) and completion (output) tokens per second, from upstream usage or estimated when absent.",
        unit: "suffix: tok/s",
        queries: [{ expr: `sum by (type) (rate(shoestring_router_tokens_total[${RI}]))`, legend: "{{type}}" }],
      },
      {
        kind: "timeseries",
        title: "Router overhead p50/p95/p99",
        description: "Router time per request excluding the wait for the upstream: work before dispatch plus first-byte relay.",
        unit: "s",
        queries: quantileQueries("shoestring_router_overhead_seconds_bucket", [], P),
      },
      {
        kind: "timeseries",
        title: "Tier picks for model \"auto\"",
        description: "Routing decisions per second for model \"auto\", by tier and source (header or classifier).",
        unit: "reqps",
        queries: [{ expr: `sum by (tier, source) (rate(shoestring_router_routing_decisions_total[${RI}]))`, legend: "tier {{tier}} ({{source}})" }],
      },
    ],
  };
}

/** Router cache (hit rate by layer, misses, savings, Redis events), fallbacks, breakers and backend load. */
export function routerResilienceSection(t: AlertThresholds): SectionSpec {
  return {
    title: "Router: cache, fallbacks and backends",
    panels: [
      {
        kind: "timeseries",
        title: "Cache hit rate by layer",
        description: "Share of all cache lookups answered by each layer (exact, semantic).",
        unit: "percentunit",
        stacked: true,
        queries: [
          {
            expr: `sum by (layer) (rate(shoestring_router_cache_requests_total{result="hit"}[${RI}])) / on() group_left() sum(rate(shoestring_router_cache_requests_total[${RI}]))`,
            legend: "{{layer}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Cache misses and bypasses by reason",
        description: "Lookups per second that missed (not-found, guard-rejected, redis-unavailable, timeout) or skipped the cache.",
        unit: "reqps",
        queries: [
          { expr: `sum by (reason) (rate(shoestring_router_cache_miss_total[${RI}]))`, legend: "miss: {{reason}}" },
          { expr: `sum by (reason) (rate(shoestring_router_cache_bypass_total[${RI}]))`, legend: "bypass: {{reason}}" },
        ],
      },
      {
        kind: "timeseries",
        title: "Money saved by the cache",
        description: "Estimated USD per hour saved by cache hits, by model, priced at the model's first backend.",
        unit: "currencyUSD",
        queries: [{ expr: `sum by (model) (rate(shoestring_router_cache_saved_usd_total[${RI}])) * 3600`, legend: "{{model}} per hour" }],
      },
      {
        kind: "timeseries",
        title: "Redis events",
        description: "Cache store events per second: redis_error and timeout (requests served uncached), recovered, evicted.",
        unit: "ops",
        queries: [{ expr: `sum by (type, op) (rate(shoestring_router_cache_events_total[${RI}]))`, legend: "{{type}} {{op}}" }],
      },
      {
        kind: "timeseries",
        title: "Fallbacks by reason",
        description: "Moves to the next target per second, by reason (connect, status_5xx, status_429, timeout, breaker_open, saturated, …); to=\"none\" means the chain ran out.",
        unit: "reqps",
        stacked: true,
        queries: [{ expr: `sum by (reason) (rate(shoestring_router_fallbacks_total[${RI}]))`, legend: "{{reason}}" }],
      },
      {
        kind: "timeseries",
        title: "Fallback rate",
        description: "Fallbacks to another target per request. The dashed line is monitoring.alerts.fallbackRatePercent.",
        unit: "percentunit",
        redFrom: t.fallbackRatePercent / 100,
        queries: [
          {
            expr: `sum(rate(shoestring_router_fallbacks_total{to!="none"}[${RI}])) / sum(rate(shoestring_router_requests_total[${RI}]))`,
            legend: "fallbacks per request",
          },
        ],
      },
      {
        kind: "state-timeline",
        title: "Circuit breaker state",
        description: "Per backend: closed (traffic flows), half-open (one probe), open (requests skip it).",
        unit: "short",
        valueTexts: [
          { value: 0, text: "closed", color: "green" },
          { value: 1, text: "half-open", color: "yellow" },
          { value: 2, text: "open", color: "red" },
        ],
        queries: [{ expr: "max by (backend) (shoestring_router_breaker_state)", legend: "{{backend}}" }],
      },
      {
        kind: "timeseries",
        title: "Backend load: in flight and queued",
        description: "Requests the router has in flight to each backend, and requests queued waiting for a slot.",
        unit: "short",
        queries: [
          { expr: "sum by (backend) (shoestring_router_in_flight)", legend: "{{backend}} in flight" },
          { expr: "sum by (backend) (shoestring_router_queued)", legend: "{{backend}} queued" },
        ],
      },
      {
        kind: "timeseries",
        title: "Refused and aborted",
        description: "Requests refused by rate limits or auth, and streams cut after the first byte.",
        unit: "reqps",
        queries: [
          { expr: `sum by (limit) (rate(shoestring_router_rate_limited_total[${RI}]))`, legend: "rate limited: {{limit}}" },
          { expr: `sum by (code) (rate(shoestring_router_auth_failures_total[${RI}]))`, legend: "auth: {{code}}" },
          { expr: `sum by (reason) (rate(shoestring_router_stream_aborted_total[${RI}]))`, legend: "stream cut: {{reason}}" },
        ],
      },
    ],
  };
}
