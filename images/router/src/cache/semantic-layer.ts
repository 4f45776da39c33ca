/**
 * @module The semantic layer: nearest entries in the request's scope, then verification of each
 * candidate (exact cosine from the stored vector, threshold, deterministic guards, entry still in
 * Redis) before anything is served.
 */
import type { Redis } from "ioredis";
import type { SemanticCacheConfig } from "./config";
import { compareGuards, extractGuardFeatures, type GuardFeatures, type GuardName } from "./guards";
import type { RedisGateway } from "./redis-gateway";
import { decodeVector, encodeVector, SemanticScope, type SemanticScopeOptions } from "./semantic-scope";
import type { CacheDecision, CacheEvent, CacheLogger } from "./types";
import { cosine, type VectorIndexOptions } from "./vector-index";

/** Candidates taken from the index per lookup and verified in one Redis round trip. */
export const CANDIDATES = 4;
/** Score slack for approximate (HNSW, re-scored on i8 copies) scores: candidates this far below the threshold are still verified exactly. */
export const APPROXIMATE_SLACK = 0.02;

/** Index settings per `cache.semantic.index` (measured in bench/semantic-cache.ts; see README.md). */
const INDEX_PRESETS: Record<SemanticCacheConfig["index"], Partial<VectorIndexOptions>> = {
  binary: {},
  // The i8 graph keeps its own measured settings: at M 16 / expansion_add 128 it already found every
  // near-duplicate in the bench, and builds faster than with the binary graph's larger ones.
  int8: { quantization: "i8", connectivity: 16, expansionAdd: 128 },
};

/** A verified semantic hit, or why there was none. */
export type SemanticOutcome = CacheDecision;

/** What the semantic layer needs to know about one request. */
export interface SemanticQuery {
  /** Scope id (tenant + model + fingerprint + embedder). */
  scope: string;
  /** Unit query vector. */
  vector: Float32Array;
  /** Case-preserving prompt text for the guards. */
  guardText: string;
  /** Entry TTL for this request's model, ms. */
  ttlMs: number;
}

interface LayerDeps {
  now: () => number;
  onEvent: (e: CacheEvent) => void;
  logger?: CacheLogger;
  index?: SemanticScopeOptions["index"];
}

/** Scope registry (LRU) plus lookup/store for the semantic layer. */
export class SemanticLayer {
  private readonly scopes = new Map<string, SemanticScope>();
  private readonly config: SemanticCacheConfig;
  private readonly gw: RedisGateway;
  private readonly deps: LayerDeps;

  constructor(config: SemanticCacheConfig, gw: RedisGateway, deps: LayerDeps) {
    this.config = config;
    this.gw = gw;
    this.deps = deps;
  }

  /** The replica-local scope, created on first use; least recently used scopes are dropped. */
  scope(id: string): SemanticScope {
    let s = this.scopes.get(id);
    if (s) {
      this.scopes.delete(id);
    } else {
      s = new SemanticScope(id, {
        maxEntries: this.config.maxEntriesPerScope,
        syncIntervalMs: this.config.syncIntervalMs,
        now: this.deps.now,
        index: { ...INDEX_PRESETS[this.config.index], ...this.deps.index },
      });
      if (this.scopes.size >= this.config.maxScopesInMemory) {
        const oldest = this.scopes.keys().next().value;
        if (oldest !== undefined) this.scopes.delete(oldest);
      }
    }
    this.scopes.set(id, s);
    return s;
  }

  /** Finds and verifies a cached answer for the query. */
  async lookup(q: SemanticQuery): Promise<SemanticOutcome> {
    const scope = this.scope(q.scope);
    const synced = await scope.refresh(this.gw, q.ttlMs);
    if (!synced.ok) return { kind: "miss", reason: synced.reason };
    const floor = this.config.threshold - (scope.approximate ? APPROXIMATE_SLACK : 1e-6);
    const candidates = scope.search(q.vector, CANDIDATES).filter((c) => c.score >= floor);
    const ids = candidates.map((c) => scope.entryId(c.label));
    const live = candidates.filter((_, i) => ids[i] !== undefined);
    if (live.length === 0) return { kind: "miss", reason: "not-found" };
    const keys = live.map((c) => scope.entryKey(scope.entryId(c.label) as string));
    const fetched = await this.gw.run("semantic-verify", (r) => fetchEntries(r, keys));
    if (!fetched.ok) return { kind: "miss", reason: fetched.reason };
    return this.verify(q, scope, live.map((c, i) => ({ label: c.label, entry: fetched.value[i] })));
  }

  /** Verifies fetched candidates; pure except for evicting expired labels. */
  verify(q: SemanticQuery, scope: SemanticScope, fetched: { label: number; entry: Record<string, Buffer> | undefined }[]): SemanticOutcome {
    let queryFeatures: GuardFeatures | undefined;
    let best: { similarity: number; completion: Record<string, unknown> } | undefined;
    let rejected: GuardName | undefined;
    for (const { label, entry } of fetched) {
      if (!entry?.v || !entry.t || !entry.c) {
        scope.remove(label);
        this.deps.onEvent({ type: "evicted", op: "semantic-verify" });
        continue;
      }
      const similarity = cosine(q.vector, decodeVector(entry.v));
      // 1e-6: float32 rounding must not turn an identical vector (cosine 1) into a miss at threshold 1.
      if (similarity + 1e-6 < this.config.threshold || (best && similarity <= best.similarity)) continue;
      queryFeatures ??= extractGuardFeatures(q.guardText);
      const verdict = compareGuards(queryFeatures, extractGuardFeatures(entry.t.toString("utf8")));
      if (!verdict.ok) {
        rejected = verdict.guard;
        this.deps.logger?.debug?.(
          { guard: verdict.guard, query: verdict.query, candidate: verdict.candidate, similarity },
          "cache: semantic candidate rejected by guard",
        );
        continue;
      }
      try {
        best = { similarity, completion: JSON.parse(entry.c.toString("utf8")) as Record<string, unknown> };
      } catch {
        scope.remove(label);
      }
    }
    if (best) return { kind: "hit", layer: "semantic", completion: best.completion, similarity: best.similarity };
    return { kind: "miss", reason: rejected ? "guard-rejected" : "not-found" };
  }

  /** Queues the Redis writes of one entry on a pipeline and indexes it locally. */
  write(pipe: ReturnType<Redis["pipeline"]>, q: SemanticQuery, entryId: string, payload: string): void {
    const scope = this.scope(q.scope);
    const key = scope.entryKey(entryId);
    const now = this.deps.now();
    pipe.hset(key, "v", encodeVector(q.vector), "t", q.guardText, "c", payload);
    pipe.pexpire(key, q.ttlMs);
    // Exact MAXLEN (not "~"): the log is what replicas index, so it must not hold entries the cap evicted.
    pipe.xadd(scope.logKey, "MAXLEN", this.config.maxEntriesPerScope, "*", "i", entryId);
    // Ids older than the TTL point at expired entries; trimming them keeps bootstrap reads short.
    pipe.xtrim(scope.logKey, "MINID", "~", String(Math.max(0, now - q.ttlMs)));
    pipe.pexpire(scope.logKey, q.ttlMs);
  }

  /** Indexes an entry this replica just wrote, so it is found before the next sync. */
  indexLocal(q: SemanticQuery, entryId: string): void {
    const scope = this.scope(q.scope);
    if (scope.dimensions !== undefined && scope.dimensions !== q.vector.length) return;
    scope.add([{ id: entryId, vector: q.vector, expiresAt: this.deps.now() + q.ttlMs }]);
  }
}

async function fetchEntries(redis: Redis, keys: string[]): Promise<(Record<string, Buffer> | undefined)[]> {
  const pipe = redis.pipeline();
  for (const k of keys) pipe.hgetallBuffer(k);
  const results = (await pipe.exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    const h = value as Record<string, Buffer> | null;
    return h && Object.keys(h).length > 0 ? h : undefined;
  });
}
