/** @module The dashboard's top row: the handful of numbers to read first. */
import type { AlertThresholds } from "../alert-rules";
import type { SectionSpec } from "../dashboard-kit";

const RI = "$__rate_interval";
const REQUESTS = "shoestring_router_requests_total";

/** Top row: traffic, errors, latency, cache, savings and targets down, coloured by the alert thresholds. */
export function overviewSection(t: AlertThresholds): SectionSpec {
  return {
    title: "Overview",
    panels: [
      {
        kind: "stat",
        title: "Requests/s",
        description: "Requests per second answered by the router (all endpoints, all statuses).",
        unit: "reqps",
        queries: [{ expr: `sum(rate(${REQUESTS}[${RI}]))`, legend: "requests/s" }],
      },
      {
        kind: "stat",
        title: "Error rate (5xx)",
        description: "Share of router answers with a 5xx status. Red at the LlmRouterErrorRateHigh threshold (monitoring.alerts.errorRatePercent).",
        unit: "percentunit",
        redFrom: t.errorRatePercent / 100,
        queries: [{ expr: `sum(rate(${REQUESTS}{status=~"5.."}[${RI}])) / sum(rate(${REQUESTS}[${RI}]))`, legend: "5xx" }],
      },
      {
        kind: "stat",
        title: "TTFT p95 (router)",
        description: "95th percentile time to first token of streamed requests, as clients see it. Red at monitoring.alerts.ttftP95Seconds.",
        unit: "s",
        redFrom: t.ttftP95Seconds,
        queries: [{ expr: `histogram_quantile(0.95, sum by (le) (rate(shoestring_router_time_to_first_token_seconds_bucket[${RI}])))`, legend: "p95" }],
      },
      {
        kind: "stat",
        title: "Cache hit rate",
        description: "Share of router cache lookups answered from the cache (exact and semantic layers together).",
        unit: "percentunit",
        queries: [
          {
            expr: `sum(rate(shoestring_router_cache_requests_total{result="hit"}[${RI}])) / sum(rate(shoestring_router_cache_requests_total[${RI}]))`,
            legend: "hit rate",
          },
        ],
      },
      {
        kind: "stat",
        title: "Saved by the cache",
        description: "Estimated money the cache saved over the dashboard's time range, priced at each model's first backend.",
        unit: "currencyUSD",
        queries: [{ expr: "sum(increase(shoestring_router_cache_saved_usd_total[$__range]))", legend: "saved" }],
      },
      {
        kind: "stat",
        title: "Targets down",
        description: "Scrape targets Prometheus cannot reach (up == 0): model servers, router, GPU exporter.",
        unit: "short",
        redFrom: 1,
        queries: [{ expr: "count(up == 0) or vector(0)", legend: "down" }],
      },
      {
        kind: "state-timeline",
        title: "Scrape targets",
        description: "Whether Prometheus reaches each target (up). A model server loading its model shows as down.",
        unit: "short",
        width: 24,
        valueTexts: [
          { value: 0, text: "down", color: "red" },
          { value: 1, text: "up", color: "green" },
        ],
        queries: [{ expr: "max by (job, instance) (up)", legend: "{{job}} {{instance}}" }],
      },
    ],
  };
}
