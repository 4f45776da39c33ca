/**
 * @module `createResponseCache`: the exact + semantic response cache on plain Redis 7 (no modules).
 * Lookup order: bypass rules → exact key → semantic scope (embed, sync, search, verify). Every Redis
 * failure or timeout is a miss plus an event; a circuit breaker makes a dead Redis cost ~0.
 */
import { bypassReason, compileFreshnessCues, mayStore } from "./bypass";
import { exactKey, semanticTarget, type SemanticTarget } from "./canonical";
import { asServedHit, isCacheableCompletion, MAX_ENTRY_BYTES } from "./completion";
import { isCacheEnabled, ttlSecondsFor, type CacheConfig } from "./config";
import { createRedisGateway, type RedisGateway } from "./redis-gateway";
import { SemanticLayer, type SemanticQuery } from "./semantic-layer";
import type { CacheDecision, CacheDeps, CacheLookupContext, ResponseCache } from "./types";
import { normalizeVector, type VectorIndexOptions } from "./vector-index";

/** Test/bench-only knobs, not part of the config surface (a parameter type of {@link createResponseCache}, so kept in its declarations). */
export interface ResponseCacheInternals {
  /** Vector index tuning. */
  index?: Partial<VectorIndexOptions>;
}

interface Prepared {
  key: string;
  target: SemanticTarget | undefined;
  /** Why the semantic layer does not apply, when it is on but this request is not eligible. */
  skip: "multi-turn" | "unsupported" | undefined;
  vector: Promise<Float32Array | undefined> | undefined;
}

const EMBED_LOG_EVERY_MS = 5_000;

/**
 * Creates the cache. Throws only for a programming error (semantic layer on without `deps.embed`).
 * @example
 * const cache = createResponseCache(cacheConfigSchema.parse({ redisUrl }), { onEvent: (e) => metrics.count(e) });
 * const d = await cache.lookup({ tenant, model, kind: "chat", body });
 */
export function createResponseCache(config: CacheConfig, deps: CacheDeps = {}, internals: ResponseCacheInternals = {}): ResponseCache {
  const now = deps.now ?? Date.now;
  const onEvent = deps.onEvent ?? (() => undefined);
  const enabled = isCacheEnabled(config) && config.redisUrl !== undefined;
  const semanticOn = enabled && config.semantic.enabled;
  if (semanticOn && !deps.embed) {
    throw new Error("createResponseCache: cache.semantic.enabled is true but no embed function was given (got deps.embed undefined). Pass deps.embed built from cache.semantic.embeddingBackend, or set cache.semantic.enabled: false.");
  }
  const embedderId = `${config.semantic.embeddingBackend ?? ""}/${config.semantic.embeddingModel ?? ""}`;
  const freshness = compileFreshnessCues(config.bypass.freshnessCues);
  const gw: RedisGateway | undefined = enabled
    ? createRedisGateway({ url: config.redisUrl as string, timeoutMs: config.redisTimeoutMs, now, onEvent, logger: deps.logger })
    : undefined;
  const semantic = gw && semanticOn ? new SemanticLayer(config.semantic, gw, { now, onEvent, logger: deps.logger, index: internals.index }) : undefined;
  // The same context object goes to lookup and then store: reuse its keys and its embedding.
  const prepared = new WeakMap<CacheLookupContext, Prepared>();
  let lastEmbedWarn = 0;

  async function embed(text: string): Promise<Float32Array | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<"timeout">((resolve) => { timer = setTimeout(() => resolve("timeout"), config.semantic.embeddingTimeoutMs); });
      const v = await Promise.race([(deps.embed as (t: string) => Promise<Float32Array>)(text), timeout]);
      if (v === "timeout") { onEvent({ type: "timeout", op: "embed" }); return undefined; }
      const unit = normalizeVector(v);
      return unit.some((x) => x !== 0) ? unit : undefined;
    } catch (error) {
      if (now() - lastEmbedWarn > EMBED_LOG_EVERY_MS) {
        lastEmbedWarn = now();
        deps.logger?.warn({ err: error }, "cache: embeddings call failed; semantic layer skipped for this request");
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  function prepare(ctx: CacheLookupContext): Prepared {
    let p = prepared.get(ctx);
    if (!p) {
      const target = semantic ? semanticTarget(ctx, embedderId) : undefined;
      const skip = !target ? undefined : !target.ok ? "unsupported" : target.userTurns > config.semantic.maxUserTurns ? "multi-turn" : undefined;
      p = { key: exactKey(ctx), target: target?.ok === true && skip === undefined ? target : undefined, skip, vector: undefined };
      prepared.set(ctx, p);
    }
    return p;
  }

  function vectorOf(p: Prepared): Promise<Float32Array | undefined> {
    if (p.target?.ok !== true) return Promise.resolve(undefined);
    p.vector ??= embed(p.target.embedText);
    return p.vector;
  }

  function query(p: Prepared, vector: Float32Array, model: string): SemanticQuery | undefined {
    if (p.target?.ok !== true) return undefined;
    return { scope: p.target.scope, vector, guardText: p.target.guardText, ttlMs: ttlSecondsFor(config, model) * 1000 };
  }

  async function lookup(ctx: CacheLookupContext): Promise<CacheDecision> {
    try {
      const reason = bypassReason(ctx, config, freshness);
      if (reason !== undefined || !gw) return { kind: "bypass", reason: reason ?? "disabled" };
      const p = prepare(ctx);
      if (!config.exact.enabled && !p.target) return { kind: "bypass", reason: p.skip ?? "disabled" };
      if (config.exact.enabled) {
        const got = await gw.run("exact-get", (r) => r.get(p.key));
        if (!got.ok) return { kind: "miss", reason: got.reason };
        if (got.value !== null) return { kind: "hit", layer: "exact", completion: asServedHit(JSON.parse(got.value) as Record<string, unknown>, ctx.kind) };
      }
      if (!semantic || !p.target) return { kind: "miss", reason: "not-found" };
      const vector = await vectorOf(p);
      const q = vector && query(p, vector, ctx.model);
      if (!q) return { kind: "miss", reason: "not-found" };
      const d = await semantic.lookup(q);
      return d.kind === "hit" ? { ...d, completion: asServedHit(d.completion, ctx.kind) } : d;
    } catch (error) {
      // Unreachable by design (every Redis call is guarded); kept so a bug can never fail a request.
      deps.logger?.warn({ err: error }, "cache: unexpected lookup error; serving uncached");
      return { kind: "miss", reason: "redis-unavailable" };
    }
  }

  async function store(ctx: CacheLookupContext, completion: Record<string, unknown>): Promise<void> {
    try {
      if (!gw || !mayStore(ctx, config, freshness) || !isCacheableCompletion(ctx.kind, completion)) return;
      const payload = JSON.stringify(completion);
      if (Buffer.byteLength(payload) > MAX_ENTRY_BYTES) return;
      const ttlMs = ttlSecondsFor(config, ctx.model) * 1000;
      const p = prepare(ctx);
      const vector = semantic ? await vectorOf(p) : undefined;
      const q = vector && query(p, vector, ctx.model);
      const entryId = p.key.slice(-32);
      if (!config.exact.enabled && !q) return;
      const written = await gw.run("store", async (r) => {
        const pipe = r.pipeline();
        if (config.exact.enabled) pipe.set(p.key, payload, "PX", ttlMs);
        if (q && semantic) semantic.write(pipe, q, entryId, payload);
        const results = (await pipe.exec()) ?? [];
        for (const [err] of results) if (err) throw err;
      });
      if (written.ok && q && semantic) semantic.indexLocal(q, entryId);
    } catch (error) {
      deps.logger?.warn({ err: error }, "cache: unexpected store error; response not cached");
    }
  }

  return {
    lookup,
    store,
    async ready() {
      return gw ? gw.ping() : true;
    },
    async close() {
      await gw?.close();
    },
  };
}
