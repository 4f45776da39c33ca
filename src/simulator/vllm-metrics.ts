/** @module The simulator's `/metrics`: vLLM's own metric names, types, labels and buckets. */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { FinishedSequence, SchedulerObserver } from "./engine-scheduler";

/**
 * Bucket bounds copied from vLLM's PrometheusStatLogger (vllm/v1/metrics/loggers.py), so dashboards
 * and alerts built on the simulator see the same `le` values as on a real engine.
 * Names and labels: shared/reference/vllm-metrics.json.
 */
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
  160.0, 640.0, 2560.0,
];
const TOKEN_LATENCY_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];
const REQUEST_LATENCY_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0,
  1920.0, 7680.0,
];
const PARAMS_N_BUCKETS = [1, 2, 5, 10, 20];

/** vLLM's build_1_2_5_buckets: 1, 2, 5, 10, 20, 50, … up to `max`. */
export function buckets125(max: number): number[] {
  const out: number[] = [];
  for (let exponent = 1; ; exponent *= 10) {
    for (const mantissa of [1, 2, 5]) {
      const value = mantissa * exponent;
      if (value > max) return out;
      out.push(value);
    }
  }
}

/** What the simulator feeds its metrics with. @internal */
export interface SchedulerGauges {
  readonly runningCount: number;
  readonly waitingCount: number;
  readonly kvCacheUsage: number;
}

/** Registry plus the hooks that keep it current. */
export interface SimulatorMetrics {
  /** Own registry (no default process metrics), rendered at `/metrics`. */
  registry: Registry;
  /** Scheduler hooks that update the counters and histograms. */
  observer: SchedulerObserver;
  /** Records the parameters of an accepted generation request. */
  recordRequestParams(maxTokens: number, n: number): void;
}

/**
 * Creates the simulator's metrics with vLLM's labels (`model_name`, and `engine="0"` as a
 * single-engine vLLM reports). Gauges are read from `gauges` at scrape time.
 */
export function createSimulatorMetrics(modelName: string, maxModelLen: number, gauges: SchedulerGauges): SimulatorMetrics {
  const registry = new Registry();
  const labels = { model_name: modelName, engine: "0" };
  const labelNames = ["model_name", "engine"] as const;
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.set(labels, read());
      },
    });
  const counter = (name: string, help: string) => {
    const metric = new Counter({ name, help, labelNames, registers: [registry] });
    metric.inc(labels, 0);
    return metric;
  };
  const histogram = (name: string, help: string, buckets: number[]) =>
    new Histogram({ name, help, labelNames, buckets, registers: [registry] });

  gauge("vllm:num_requests_running", "Number of requests in model execution batches.", () => gauges.runningCount);
  gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", () => gauges.waitingCount);
  gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", () => gauges.kvCacheUsage);

  const promptTokens = counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.");
  const generationTokens = counter("vllm:generation_tokens_total", "Number of generation tokens processed.");
  counter("vllm:num_preemptions_total", "Cumulative number of preemptions from the engine.");
  const prefixQueries = counter("vllm:prefix_cache_queries_total", "Prefix cache queries, in terms of number of queried tokens.");
  // The simulator has no prefix cache: hits stay 0, so a hit-rate panel reads 0 rather than no data.
  counter("vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.");
  const success = new Counter({
    name: "vllm:request_success_total",
    help: "Count of successfully processed requests.",
    labelNames: ["model_name", "engine", "finished_reason"],
    registers: [registry],
  });
  for (const finished_reason of ["stop", "length", "abort"]) success.inc({ ...labels, finished_reason }, 0);

  const tokenBuckets = buckets125(maxModelLen);
  const requestPromptTokens = histogram("vllm:request_prompt_tokens", "Number of prefill tokens processed.", tokenBuckets);
  const requestGenerationTokens = histogram("vllm:request_generation_tokens", "Number of generation tokens processed.", tokenBuckets);
  const maxTokensParam = histogram("vllm:request_params_max_tokens", "Histogram of the max_tokens request parameter.", tokenBuckets);
  const nParam = histogram("vllm:request_params_n", "Histogram of the n request parameter.", PARAMS_N_BUCKETS);
  // vllm:iteration_tokens_total is left out: a histogram ending in _total fails promtool's lint.
  const ttft = histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", TTFT_BUCKETS);
  const itl = histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", TOKEN_LATENCY_BUCKETS);
  const tpot = histogram(
    "vllm:request_time_per_output_token_seconds",
    "Histogram of time_per_output_token_seconds per request.",
    TOKEN_LATENCY_BUCKETS,
  );
  const e2e = histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", REQUEST_LATENCY_BUCKETS);
  const queue = histogram("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", REQUEST_LATENCY_BUCKETS);
  const inference = histogram("vllm:request_inference_time_seconds", "Histogram of time spent in RUNNING phase for request.", REQUEST_LATENCY_BUCKETS);
  const prefill = histogram("vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase for request.", REQUEST_LATENCY_BUCKETS);
  const decode = histogram("vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase for request.", REQUEST_LATENCY_BUCKETS);

  const onFinish = (s: FinishedSequence): void => {
    success.inc({ ...labels, finished_reason: s.reason });
    // vLLM records the per-request histograms for every finished request, aborted ones included.
    requestPromptTokens.observe(labels, s.promptTokens);
    requestGenerationTokens.observe(labels, s.generatedTokens);
    if (s.ttftMs !== null) ttft.observe(labels, s.ttftMs / 1000);
    if (s.generatedTokens > 1) tpot.observe(labels, s.decodeMs / 1000 / (s.generatedTokens - 1));
    e2e.observe(labels, s.e2eMs / 1000);
    queue.observe(labels, s.queueMs / 1000);
    inference.observe(labels, (s.prefillMs + s.decodeMs) / 1000);
    prefill.observe(labels, s.prefillMs / 1000);
    decode.observe(labels, s.decodeMs / 1000);
  };

  return {
    registry,
    observer: {
      onIteration: (prompt, generated) => {
        promptTokens.inc(labels, prompt);
        prefixQueries.inc(labels, prompt);
        generationTokens.inc(labels, generated);
      },
      onInterTokenLatency: (ms) => itl.observe(labels, ms / 1000),
      onFinish,
    },
    recordRequestParams(maxTokens, n) {
      maxTokensParam.observe(labels, maxTokens);
      nParam.observe(labels, n);
    },
  };
}
