/** @module The router cache's config schema (zod): the one place where cache defaults live. */
import { z } from "zod";

/**
 * Prompt words that mark a request as time-dependent, so neither layer serves or stores it.
 * Matched case-insensitively on word boundaries in user messages (and completion prompts).
 * @see /work/shared/reference/routers.md §7 lesson 6
 */
export const DEFAULT_FRESHNESS_CUES: readonly string[] = Object.freeze([
  "today", "tonight", "tomorrow", "yesterday", "now", "right now", "currently", "current",
  "latest", "newest", "most recent", "recent", "recently", "this week", "this month", "this year",
  "breaking", "live", "real-time", "realtime", "up-to-date", "up to date", "as of",
]);

/** Circuit breaker: consecutive Redis failures that open the circuit. */
export const CIRCUIT_FAILURE_THRESHOLD = 3;
/** Circuit breaker: how long an open circuit skips Redis before one probe is let through. */
export const CIRCUIT_COOLDOWN_MS = 1000;
/** Encodings of a replica's semantic vector index (`cache.semantic.index`); the first is the default. */
export const SEMANTIC_INDEXES = ["binary", "int8"] as const;

/** Lowest semantic threshold accepted; below it unrelated prompts start to match (LiteLLM #12234). */
export const MIN_SEMANTIC_THRESHOLD = 0.8;
/** Longest TTL accepted (one year), in seconds. */
export const MAX_TTL_SECONDS = 31_536_000;

/** Exact-match layer settings. */
export interface ExactCacheConfig {
  /** Serve and store byte-identical (after whitespace normalization) requests. @default true */
  enabled: boolean;
}

/** Semantic layer settings. */
export interface SemanticCacheConfig {
  /** Serve answers cached for similar prompts (same tenant and request fingerprint). @default false */
  enabled: boolean;
  /** Cosine similarity floor (not a distance) for a candidate to be considered. @default 0.95 */
  threshold: number;
  /** Name of the router backend that serves `/v1/embeddings` for the semantic layer. Required when enabled. */
  embeddingBackend?: string;
  /** Embedding model id sent to that backend; part of the scope, so changing it starts a fresh index. */
  embeddingModel?: string;
  /** Entries kept per scope (Redis append log and the in-memory index); oldest are dropped first. @default 100000 */
  maxEntriesPerScope: number;
  /** Conversations with more user turns than this skip the semantic layer (exact still applies). @default 1 */
  maxUserTurns: number;
  /** Budget for one embeddings call; a slower call becomes a miss. @default 1000 */
  embeddingTimeoutMs: number;
  /** How stale a scope's in-memory index may be before a lookup first reads new entries from Redis. @default 250 */
  syncIntervalMs: number;
  /** Scopes (tenant × model × fingerprint) whose index one replica keeps in memory, least recently used evicted. @default 256 */
  maxScopesInMemory: number;
  /**
   * Encoding of each replica's vector index: "binary" walks sign bits and re-scores candidates by cosine
   * (~2× faster at 100k entries); "int8" computes cosine on 8-bit codes, for an embedding model whose
   * components share a large constant offset (their sign bits carry little). @default "binary"
   */
  index: (typeof SEMANTIC_INDEXES)[number];
}

/** When the cache steps aside entirely. */
export interface CacheBypassConfig {
  /** Cache sampled requests too (temperature > 0 or unset); only sensible when callers expect repeats. @default false */
  allowTemperatureAboveZero: boolean;
  /** Words/phrases that mark a prompt as time-dependent. @default DEFAULT_FRESHNESS_CUES */
  freshnessCues: string[];
}

/** The router's response cache (exact + semantic) on plain Redis 7. */
export interface CacheConfig {
  /** Turn the cache on. @default - true when `redisUrl` is set, else false */
  enabled?: boolean;
  /** Redis connection URL, e.g. `redis://cache:6379/0` or `rediss://…` (no modules needed). */
  redisUrl?: string;
  /** Per-command Redis timeout; a slower reply is a miss, never an error. @default 50 */
  redisTimeoutMs: number;
  /** Entry lifetime in seconds. @default 86400 (24 h) */
  ttlSeconds: number;
  /** Per-model TTL overrides in seconds, keyed by resolved model name; 0 never caches that model. @default {} */
  ttlSecondsByModel: Record<string, number>;
  /** Exact layer. */
  exact: ExactCacheConfig;
  /** Semantic layer. */
  semantic: SemanticCacheConfig;
  /** Bypass rules. */
  bypass: CacheBypassConfig;
}

const intIn = (path: string, min: number, max: number, fix: string) =>
  z.number().int({ error: (i) => `${path}: must be a whole number (got ${String(i.input)}). ${fix}` })
    .min(min, { error: (i) => `${path}: too small (got ${String(i.input)}; minimum ${min}). ${fix}` })
    .max(max, { error: (i) => `${path}: too large (got ${String(i.input)}; maximum ${max}). ${fix}` });

const exactSchema = z.strictObject({
  enabled: z.boolean().default(true).describe("Serve and store identical requests (whitespace-normalized)."),
});

const semanticSchema = z.strictObject({
  enabled: z.boolean().default(false).describe("Serve answers cached for similar prompts within the same tenant and request fingerprint."),
  threshold: z.number()
    .min(MIN_SEMANTIC_THRESHOLD, { error: (i) => `cache.semantic.threshold: too low (got ${String(i.input)}; allowed ${MIN_SEMANTIC_THRESHOLD}–1). Below ${MIN_SEMANTIC_THRESHOLD} unrelated prompts match; use 0.95 unless you measured your embedder.` })
    .max(1, { error: (i) => `cache.semantic.threshold: is a cosine similarity, at most 1 (got ${String(i.input)}). A distance of 0.05 is a similarity of 0.95.` })
    .default(0.95).describe("Cosine similarity floor (0.8–1) before the deterministic guards run."),
  embeddingBackend: z.string().min(1).optional().describe("Router backend that serves /v1/embeddings; required when semantic is enabled."),
  embeddingModel: z.string().min(1).optional().describe("Embedding model id; part of the scope, so changing it starts a fresh index."),
  maxEntriesPerScope: intIn("cache.semantic.maxEntriesPerScope", 1, 1_000_000, "Each 384-d entry costs ~1.6 KB plus its answer in Redis and ~0.75 KB in each replica's index.")
    .default(100_000).describe("Entries kept per scope; the oldest are dropped first."),
  maxUserTurns: intIn("cache.semantic.maxUserTurns", 1, 50, "Semantic matching is only safe on short conversations.")
    .default(1).describe("Longer conversations skip the semantic layer (exact still applies)."),
  embeddingTimeoutMs: intIn("cache.semantic.embeddingTimeoutMs", 1, 60_000, "Set it a little above the embedder's p99.")
    .default(1000).describe("Budget for one embeddings call; slower is a miss."),
  syncIntervalMs: intIn("cache.semantic.syncIntervalMs", 0, 60_000, "0 reads new entries from Redis on every lookup.")
    .default(250).describe("Index staleness (ms) after which a lookup first pulls entries written by other replicas."),
  maxScopesInMemory: intIn("cache.semantic.maxScopesInMemory", 1, 100_000, "Each scope holds its own vector index.")
    .default(256).describe("Scope indexes one replica keeps in memory (LRU)."),
  index: z.enum(SEMANTIC_INDEXES, { error: (i) => `cache.semantic.index: unknown encoding ${JSON.stringify(i.input)}; allowed: binary (default), int8. Use int8 only if your embedder's vectors share a large constant offset.` })
    .default("binary").describe("Replica index encoding: binary (sign bits, re-scored by cosine; fastest) or int8 (cosine on 8-bit codes)."),
});

const bypassSchema = z.strictObject({
  allowTemperatureAboveZero: z.boolean().default(false).describe("Also cache sampled requests (temperature > 0 or unset)."),
  freshnessCues: z.array(z.string().trim().min(1, { error: "cache.bypass.freshnessCues: entries must be non-empty words or phrases." }))
    .default(() => [...DEFAULT_FRESHNESS_CUES]).describe("Words/phrases that make a prompt time-dependent (bypass)."),
});

const schema = z.strictObject({
  enabled: z.boolean().optional().describe("Turn the cache on (default: true when redisUrl is set)."),
  redisUrl: z.string()
    .regex(/^rediss?:\/\/\S+$/, { error: (i) => `cache.redisUrl: not a Redis URL (got "${String(i.input)}"; expected redis://host:port[/db] or rediss://…). Fix the scheme or host.` })
    .optional().describe("Redis 7 URL (plain Redis, no modules)."),
  redisTimeoutMs: intIn("cache.redisTimeoutMs", 1, 10_000, "A cache must be faster than the model; 20–100 ms is typical.")
    .default(50).describe("Per-command Redis timeout (ms); slower replies are misses."),
  ttlSeconds: intIn("cache.ttlSeconds", 1, MAX_TTL_SECONDS, "Use ttlSecondsByModel: {<model>: 0} to stop caching one model.")
    .default(86_400).describe("Entry lifetime in seconds."),
  ttlSecondsByModel: z.record(z.string().min(1), intIn("cache.ttlSecondsByModel.<model>", 0, MAX_TTL_SECONDS, "0 disables caching for that model."))
    .default({}).describe("Per-model TTL overrides in seconds (0 = never cache that model)."),
  exact: exactSchema.prefault({}).describe("Exact-match layer."),
  semantic: semanticSchema.prefault({}).describe("Semantic layer (embeddings + deterministic guards)."),
  bypass: bypassSchema.prefault({}).describe("When the cache steps aside."),
}).superRefine((c, ctx) => {
  if (c.enabled === true && c.redisUrl === undefined) {
    ctx.addIssue({ code: "custom", path: ["redisUrl"], message: "cache.redisUrl: required when cache.enabled is true (got nothing). Set it to redis://host:6379 or set cache.enabled: false." });
  }
  if (c.semantic.enabled && c.semantic.embeddingBackend === undefined) {
    ctx.addIssue({ code: "custom", path: ["semantic", "embeddingBackend"], message: "cache.semantic.embeddingBackend: required when cache.semantic.enabled is true (got nothing). Name the router backend that serves /v1/embeddings, or set cache.semantic.enabled: false." });
  }
});

/**
 * The cache config schema the router embeds as `cache`. Strict objects: a typo is an error.
 * @example
 * const cache = cacheConfigSchema.parse({ redisUrl: "redis://127.0.0.1:6379" }); // enabled, exact layer on
 */
export const cacheConfigSchema: z.ZodType<CacheConfig> = schema;

/** Whether the cache is on: explicit `enabled`, else on exactly when a Redis URL is configured. */
export function isCacheEnabled(config: CacheConfig): boolean {
  return config.enabled ?? config.redisUrl !== undefined;
}

/** TTL for a resolved model in seconds; 0 means "never cache this model". */
export function ttlSecondsFor(config: CacheConfig, model: string): number {
  return config.ttlSecondsByModel[model] ?? config.ttlSeconds;
}

// Compile-time check that the hand-written interface (which carries the docs) and the schema agree.
type _SchemaOut = z.output<typeof schema>;
const _sameShape: [CacheConfig] extends [_SchemaOut] ? ([_SchemaOut] extends [CacheConfig] ? true : never) : never = true;
void _sameShape;
