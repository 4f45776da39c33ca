/**
 * @module Wires the response cache module (images/router/src/cache, built to the core/cache contract) into
 * requests: lookup with a hard safety cap, replay of hits as JSON or SSE to match the request, fire-and-forget
 * stores, metrics from decisions and events, and the embeddings call for the semantic layer. Nothing here can
 * fail a request: every cache problem becomes an uncached answer and a counter.
 */
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import {
  completionToSse, createResponseCache, createStreamAssembler,
  type CacheDecision, type CacheLookupContext, type ResponseCache,
} from "./cache";
import type { RouterConfig } from "./config-load";
import type { RouterLogger } from "./logger";
import type { RouterMetrics } from "./metrics";
import type { RequestContext } from "./request-context";
import { SSE_HEADERS } from "./streaming";
import type { Backend } from "./upstream/backend";
import type { RouteTarget } from "./routing/route-resolver";

/** Header naming the cache outcome: hit-exact | hit-semantic | miss | bypass. */
export const CACHE_HEADER = "x-shoestring-cache";
const LOG_EVERY_MS = 5_000;

/** Builds the `embed` function the semantic layer needs, over a router backend's `/embeddings`. */
export function createEmbedder(backend: Backend, model: string | undefined, timeoutMs: number): (text: string) => Promise<Float32Array> {
  return async (text) => {
    const r = await backend.postJson("/embeddings", { model: model ?? "default", input: text, encoding_format: "float" }, timeoutMs);
    if (r.status !== 200) throw new Error(`embeddings backend "${backend.name}" answered HTTP ${r.status}`);
    const emb = (JSON.parse(r.body.toString("utf8")) as { data?: { embedding?: unknown }[] }).data?.[0]?.embedding;
    if (Array.isArray(emb)) return Float32Array.from(emb as number[]);
    // Some servers ignore encoding_format and answer base64 (toolbox §9).
    if (typeof emb === "string") { const b = Buffer.from(emb, "base64"); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice(); }
    throw new Error(`embeddings backend "${backend.name}" returned no data[0].embedding`);
  };
}

/** The cache as the request path sees it. */
export class CacheBridge {
  constructor(
    private readonly cache: ResponseCache,
    private readonly metrics: RouterMetrics,
    private readonly capMs: number,
  ) {}

  /** Creates the cache from config, or returns undefined when it is off. */
  static create(config: RouterConfig, backends: ReadonlyMap<string, Backend>, metrics: RouterMetrics, log: RouterLogger, injected?: ResponseCache): CacheBridge | undefined {
    const c = config.cache;
    const enabled = c.enabled ?? c.redisUrl !== undefined;
    if (!injected && !enabled) return undefined;
    const throttle = new Map<string, number>();
    const onEvent = (e: { type: string; op?: string; error?: unknown }): void => {
      metrics.inc(metrics.cacheEvents, [e.type, e.op ?? ""]);
      const now = Date.now();
      const key = `${e.type}:${e.op ?? ""}`;
      if (e.type === "evicted" || now - (throttle.get(key) ?? 0) < LOG_EVERY_MS) return;
      throttle.set(key, now);
      const msg = e.type === "recovered" ? "cache: Redis answers again; caching resumed" : `cache: ${e.type} during ${e.op ?? "?"}; serving uncached`;
      log[e.type === "recovered" ? "info" : "warn"]({ cacheEvent: e.type, op: e.op, err: e.error instanceof Error ? e.error.message : e.error }, msg);
    };
    const eb = c.semantic.embeddingBackend;
    const embed = c.semantic.enabled && eb !== undefined && backends.has(eb)
      ? createEmbedder(backends.get(eb) as Backend, c.semantic.embeddingModel, c.semantic.embeddingTimeoutMs) : undefined;
    const cache = injected ?? createResponseCache(c, { embed, onEvent, logger: log });
    // The cache bounds itself; this cap only guards against a bug there ever holding a request.
    const cap = 4 * c.redisTimeoutMs + (c.semantic.enabled ? c.semantic.embeddingTimeoutMs : 0) + 100;
    return new CacheBridge(cache, metrics, cap);
  }

  /** Looks up; never throws, never waits longer than the cap. Records metrics. */
  async lookup(lc: CacheLookupContext): Promise<CacheDecision> {
    let timer: NodeJS.Timeout | undefined;
    let d: CacheDecision;
    try {
      d = await Promise.race([
        this.cache.lookup(lc),
        new Promise<CacheDecision>((resolve) => { timer = setTimeout(() => resolve({ kind: "miss", reason: "timeout" }), this.capMs); }),
      ]);
    } catch {
      d = { kind: "miss", reason: "redis-unavailable" };
    } finally {
      clearTimeout(timer);
    }
    const m = this.metrics;
    if (d.kind === "hit") m.inc(m.cacheRequests, [d.layer, "hit"]);
    else if (d.kind === "miss") { m.inc(m.cacheRequests, ["none", "miss"]); m.inc(m.cacheMiss, [d.reason ?? "not-found"]); }
    else { m.inc(m.cacheRequests, ["none", "bypass"]); m.inc(m.cacheBypass, [d.reason]); }
    return d;
  }

  /** Sends a hit as JSON or SSE (to match `stream`) and counts the money it saved. */
  replay(ctx: RequestContext, res: ServerResponse, hit: Extract<CacheDecision, { kind: "hit" }>, stream: boolean, includeUsage: boolean, priced: RouteTarget | undefined): void {
    const firstByteAt = performance.now();
    if (stream) {
      const sse = completionToSse(hit.completion, { includeUsage });
      res.writeHead(200, [...ctx.headers, ...SSE_HEADERS]);
      res.end(sse);
    } else {
      const body = JSON.stringify(hit.completion);
      res.writeHead(200, [...ctx.headers, "content-type", "application/json", "content-length", String(Buffer.byteLength(body))]);
      res.end(body);
    }
    ctx.status = 200;
    ctx.backend = "cache";
    ctx.overheadMs = performance.now() - firstByteAt + (firstByteAt - ctx.start);
    const usage = hit.completion.usage as { prompt_tokens?: number; completion_tokens?: number } | undefined;
    const inTok = usage?.prompt_tokens ?? 0;
    const outTok = usage?.completion_tokens ?? 0;
    const cfg = priced?.backend.config;
    const usd = ((cfg?.usdPer1MInput ?? 0) * inTok + (cfg?.usdPer1MOutput ?? 0) * outTok) / 1e6;
    const m = this.metrics;
    if (usd > 0) m.inc(m.savedUsd, [ctx.model], usd);
    if (inTok + outTok > 0) m.inc(m.savedTokens, [ctx.model], inTok + outTok);
  }

  /** Stores a completed response in the background. */
  store(lc: CacheLookupContext, completion: Record<string, unknown>): void {
    this.cache.store(lc, completion).catch(() => this.metrics.inc(this.metrics.cacheStoreSkipped, ["error"]));
  }

  /** Collects a stream's events; `result()` is defined only for a stream that completed. */
  tee(kind: "chat" | "completions"): { push(region: Buffer): void; result(): Record<string, unknown> | undefined } {
    return createStreamAssembler(kind);
  }

  /** Counts a response that was not stored. */
  skipped(reason: string): void {
    this.metrics.inc(this.metrics.cacheStoreSkipped, [reason]);
  }

  /** Redis reachable. */
  ready(): Promise<boolean> {
    return this.cache.ready().catch(() => false);
  }

  /** Closes Redis. */
  close(): Promise<void> {
    return this.cache.close().catch(() => undefined);
  }
}
