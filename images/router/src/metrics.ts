/**
 * @module Prometheus metrics (prom-client) of the router. Names follow OTel GenAI / vLLM spirit with the
 * `shoestring_router_` prefix; buckets follow Bifrost (routers.md §7.9). Children are cached per label set so
 * the hot path does one Map lookup per observation.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prefix of every router metric. */
export const METRIC_PREFIX = "shoestring_router_";
/** Most distinct values one free-form label (model) may take; later values become "other". */
export const MAX_LABEL_VALUES = 200;

const TTFT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const ITL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1];

/** Breaker state as exported by `shoestring_router_breaker_state`. */
export const BREAKER_STATE_VALUE = { closed: 0, "half-open": 1, open: 2 } as const;

/** Load of one backend, read at scrape time. */
export interface BackendLoad {
  /** Backend name (label). */
  backend: string;
  /** Requests holding a slot. */
  inFlight: number;
  /** Requests waiting for a slot. */
  queued: number;
}

/** All router metrics in one registry; create one per app. */
export class RouterMetrics {
  /** The registry `/metrics` serializes. */
  readonly registry = new Registry();
  private readonly seen = new Set<string>();
  private loadSource: () => Iterable<BackendLoad> = () => [];
  private readonly children = new Map<object, Map<string, unknown>>();

  readonly requests = this.counter("requests_total", "Requests answered, by endpoint, logical model, backend, tier and HTTP status.", ["endpoint", "model", "backend", "tier", "status"]);
  readonly duration = this.histogram("request_duration_seconds", "Time from request received to response end.", ["endpoint", "model", "backend", "tier"], DURATION_BUCKETS);
  readonly ttft = this.histogram("time_to_first_token_seconds", "Streams: time from request received to the first content event sent.", ["model", "backend", "tier"], TTFT_BUCKETS);
  readonly itl = this.histogram("inter_token_latency_seconds", "Streams: time between consecutive SSE events.", ["model", "backend"], ITL_BUCKETS);
  readonly tokens = this.counter("tokens_total", "Tokens by type (input|output), from upstream usage or estimated when absent.", ["model", "backend", "tier", "type"]);
  readonly overhead = this.histogram("overhead_seconds", "Router time per request excluding the wait for the upstream: before dispatch plus first-byte relay.", ["endpoint"], OVERHEAD_BUCKETS);
  readonly cacheRequests = this.counter("cache_requests_total", "Cache lookups by layer (exact|semantic|none) and result (hit|miss|bypass).", ["layer", "result"]);
  readonly cacheBypass = this.counter("cache_bypass_total", "Cache bypasses by reason.", ["reason"]);
  readonly cacheMiss = this.counter("cache_miss_total", "Cache misses by reason (not-found, guard-rejected, redis-unavailable, timeout).", ["reason"]);
  readonly cacheEvents = this.counter("cache_events_total", "Cache operational events (redis_error, timeout, recovered, evicted) by op.", ["type", "op"]);
  readonly cacheStoreSkipped = this.counter("cache_store_skipped_total", "Responses not stored (incomplete stream, upstream error).", ["reason"]);
  readonly savedUsd = this.counter("cache_saved_usd_total", "Estimated money saved by cache hits, priced at the first target's backend.", ["model"]);
  readonly savedTokens = this.counter("cache_saved_tokens_total", "Tokens served from the cache instead of a model.", ["model"]);
  readonly fallbacks = this.counter("fallbacks_total", "Moves to the next target, by failed backend, next backend (none = chain exhausted) and reason.", ["from", "to", "reason"]);
  readonly breakerState = this.gauge("breaker_state", "Circuit breaker per backend: 0 closed, 1 half-open, 2 open.", ["backend"]);
  readonly inFlight = this.gauge("in_flight", "Requests in flight per backend.", ["backend"], () => this.collectLoad());
  readonly queued = this.gauge("queued", "Requests waiting for a slot per backend.", ["backend"], () => this.collectLoad());
  readonly streamAborted = this.counter("stream_aborted_total", "Streams that failed after the first byte (client got an SSE error event, no [DONE]).", ["backend", "reason"]);
  readonly clientAborted = this.counter("client_aborted_total", "Requests the client closed before the response ended.", ["endpoint"]);
  readonly contextGuard = this.counter("context_guard_total", "Context guard actions (warn|reject|trim) by logical model.", ["model", "action"]);
  readonly rateLimited = this.counter("rate_limited_total", "Requests refused by a per-key limit (requests|tokens) by tenant.", ["tenant", "limit"]);
  readonly authFailures = this.counter("auth_failures_total", "Requests refused by auth, by code.", ["code"]);
  readonly routing = this.counter("routing_decisions_total", "Tier picks for model \"auto\", by tier and source (header|classifier).", ["tier", "source"]);
  readonly errors = this.counter("errors_total", "Error responses by stable error code.", ["code"]);

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /**
   * Where `in_flight` and `queued` come from. They are read when /metrics is scraped rather than set on every
   * change: setting a labelled gauge twice per request cost more than the rest of the accounting.
   */
  readLoadFrom(source: () => Iterable<BackendLoad>): void {
    this.loadSource = source;
  }

  /** Caps a free-form label (client-chosen model names) at {@link MAX_LABEL_VALUES} distinct values. */
  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= MAX_LABEL_VALUES) return "other";
    this.seen.add(value);
    return value;
  }

  /** Increments a counter child, cached by label values. */
  inc(metric: Counter<string>, labels: readonly string[], by = 1): void {
    this.child(metric, labels, () => metric.labels(...labels)).inc(by);
  }

  /** Observes a histogram child, cached by label values. */
  observe(metric: Histogram<string>, labels: readonly string[], value: number): void {
    this.child(metric, labels, () => metric.labels(...labels)).observe(value);
  }

  private child<T>(metric: object, labels: readonly string[], make: () => T): T {
    let byLabels = this.children.get(metric);
    if (byLabels === undefined) {
      byLabels = new Map();
      this.children.set(metric, byLabels);
    }
    const key = labels.join("\u0000");
    let c = byLabels.get(key) as T | undefined;
    if (c === undefined) {
      c = make();
      byLabels.set(key, c);
    }
    return c;
  }

  private counter(name: string, help: string, labelNames: string[]): Counter<string> {
    return new Counter({ name: METRIC_PREFIX + name, help, labelNames, registers: [this.registry] });
  }

  private collectLoad(): void {
    for (const b of this.loadSource()) {
      this.inFlight.labels(b.backend).set(b.inFlight);
      this.queued.labels(b.backend).set(b.queued);
    }
  }

  private gauge(name: string, help: string, labelNames: string[], collect?: () => void): Gauge<string> {
    return new Gauge({ name: METRIC_PREFIX + name, help, labelNames, registers: [this.registry], ...(collect ? { collect } : {}) });
  }

  private histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram<string> {
    return new Histogram({ name: METRIC_PREFIX + name, help, labelNames, buckets, registers: [this.registry] });
  }
}
