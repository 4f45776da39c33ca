/**
 * @module Model-server rows: vLLM (labels `model_name`, `engine`) and llama.cpp (no labels of its own; the
 * scrape config's `job`/`instance` tell servers apart). Metric names: shared/reference/vllm-metrics.json and
 * llamacpp-metrics.json; llama.cpp's removed KV-cache gauges are deliberately absent.
 */
import type { AlertThresholds } from "../alert-rules";
import { quantileQueries, type SectionSpec } from "../dashboard-kit";

const RI = "$__rate_interval";
const P = [0.5, 0.95, 0.99];

/** vLLM: TTFT, end-to-end and inter-token latency, tokens/s, finishes, KV cache, queue, prefix cache. */
export function vllmSection(t: AlertThresholds): SectionSpec {
  return {
    title: "vLLM servers",
    panels: [
      {
        kind: "timeseries",
        title: "TTFT p50/p95/p99 (vLLM)",
        description: "Time to first token inside vLLM (queue + prefill), by served model. The dashed line is monitoring.alerts.ttftP95Seconds.",
        unit: "s",
        redFrom: t.ttftP95Seconds,
        queries: quantileQueries("vllm:time_to_first_token_seconds_bucket", ["model_name"], P, " {{model_name}}"),
      },
      {
        kind: "timeseries",
        title: "Request latency p50/p95/p99 (vLLM)",
        description: "End-to-end request latency inside vLLM, by served model.",
        unit: "s",
        queries: quantileQueries("vllm:e2e_request_latency_seconds_bucket", ["model_name"], P, " {{model_name}}"),
      },
      {
        kind: "timeseries",
        title: "Inter-token latency p50/p95 (vLLM)",
        description: "Time between generated tokens, by served model.",
        unit: "s",
        queries: quantileQueries("vllm:inter_token_latency_seconds_bucket", ["model_name"], [0.5, 0.95], " {{model_name}}"),
      },
      {
        kind: "timeseries",
        title: "Tokens/s in and out (vLLM)",
        description: "Prompt tokens prefilled and tokens generated per second, by served model.",
        unit: "suffix: tok/s",
        queries: [
          { expr: `sum by (model_name) (rate(vllm:prompt_tokens_total[${RI}]))`, legend: "{{model_name}} in" },
          { expr: `sum by (model_name) (rate(vllm:generation_tokens_total[${RI}]))`, legend: "{{model_name}} out" },
        ],
      },
      {
        kind: "timeseries",
        title: "Finished requests by reason (vLLM)",
        description: "Requests finished per second by finished_reason (stop, length, abort).",
        unit: "reqps",
        stacked: true,
        queries: [{ expr: `sum by (model_name, finished_reason) (rate(vllm:request_success_total[${RI}]))`, legend: "{{model_name}} {{finished_reason}}" }],
      },
      {
        kind: "timeseries",
        title: "KV-cache usage",
        description: "Fraction of the KV cache in use, per server. The dashed line is monitoring.alerts.kvCacheUsagePercent.",
        unit: "percentunit",
        min: 0,
        max: 1,
        redFrom: t.kvCacheUsagePercent / 100,
        queries: [{ expr: "max by (model_name, instance) (vllm:kv_cache_usage_perc)", legend: "{{model_name}} {{instance}}" }],
      },
      {
        kind: "timeseries",
        title: "Queue: running and waiting (vLLM)",
        description: "Requests in the running batch and requests waiting to be scheduled. The dashed line is monitoring.alerts.queueDepth.",
        unit: "short",
        redFrom: t.queueDepth,
        queries: [
          { expr: "sum by (model_name) (vllm:num_requests_running)", legend: "{{model_name}} running" },
          { expr: "sum by (model_name) (vllm:num_requests_waiting)", legend: "{{model_name}} waiting" },
        ],
      },
      {
        kind: "timeseries",
        title: "Prefix-cache hit rate (vLLM)",
        description: "Share of prompt tokens served from vLLM's prefix cache, by served model.",
        unit: "percentunit",
        queries: [
          {
            expr: `sum by (model_name) (rate(vllm:prefix_cache_hits_total[${RI}])) / sum by (model_name) (rate(vllm:prefix_cache_queries_total[${RI}]))`,
            legend: "{{model_name}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Preemptions/s (vLLM)",
        description: "Requests preempted per second because the KV cache ran out; they are recomputed later.",
        unit: "ops",
        queries: [{ expr: `sum by (model_name) (rate(vllm:num_preemptions_total[${RI}]))`, legend: "{{model_name}}" }],
      },
    ],
  };
}

/** llama.cpp: tokens/s, server-reported throughput, busy and deferred slots, time per token. */
export function llamaCppSection(t: AlertThresholds): SectionSpec {
  return {
    title: "llama.cpp servers",
    panels: [
      {
        kind: "timeseries",
        title: "Tokens/s in and out (llama.cpp)",
        description: "Prompt tokens processed and tokens generated per second, per server.",
        unit: "suffix: tok/s",
        queries: [
          { expr: `sum by (job) (rate(llamacpp:prompt_tokens_total[${RI}]))`, legend: "{{job}} in" },
          { expr: `sum by (job) (rate(llamacpp:tokens_predicted_total[${RI}]))`, legend: "{{job}} out" },
        ],
      },
      {
        kind: "timeseries",
        title: "Time per generated token (llama.cpp)",
        description: "Seconds spent generating per generated token, per server (the inverse of decode speed).",
        unit: "s",
        queries: [
          {
            expr: `sum by (job) (rate(llamacpp:tokens_predicted_seconds_total[${RI}])) / sum by (job) (rate(llamacpp:tokens_predicted_total[${RI}]))`,
            legend: "{{job}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Slots: processing and deferred (llama.cpp)",
        description: "Requests being processed (busy slots) and requests deferred because no slot was free. The dashed line is monitoring.alerts.queueDepth.",
        unit: "short",
        redFrom: t.queueDepth,
        queries: [
          { expr: "sum by (job) (llamacpp:requests_processing)", legend: "{{job}} processing" },
          { expr: "sum by (job) (llamacpp:requests_deferred)", legend: "{{job}} deferred" },
        ],
      },
      {
        kind: "timeseries",
        title: "Server-reported throughput (llama.cpp)",
        description: "llama.cpp's own average prompt and generation throughput, tokens/s.",
        unit: "suffix: tok/s",
        queries: [
          { expr: "max by (job) (llamacpp:prompt_tokens_seconds)", legend: "{{job}} prompt" },
          { expr: "max by (job) (llamacpp:predicted_tokens_seconds)", legend: "{{job}} generation" },
        ],
      },
      {
        kind: "timeseries",
        title: "Busy slots per decode (llama.cpp)",
        description: "Average number of busy slots per llama_decode() call: how well requests are batched.",
        unit: "short",
        queries: [{ expr: "max by (job) (llamacpp:n_busy_slots_per_decode)", legend: "{{job}}" }],
      },
    ],
  };
}
