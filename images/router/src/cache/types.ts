/** @module The contract between the router core and the response cache (types only). */

/** What the core knows about a request when it asks the cache. */
export interface CacheLookupContext {
  /** Tenant id from auth ("default" when auth is off). Never shared across tenants. */
  tenant: string;
  /** Resolved logical model / tier target that answers the request. */
  model: string;
  /** Which OpenAI endpoint: `/v1/chat/completions` or `/v1/completions`. */
  kind: "chat" | "completions";
  /** Parsed OpenAI request body (messages/prompt + generation params). */
  body: Record<string, unknown>;
  /** The request's `Cache-Control` header, if any. */
  cacheControl?: string;
}

/** Why the cache stepped aside for a request. */
export type CacheBypassReason =
  | "disabled"
  | "no-cache"
  | "temperature"
  | "tools"
  | "freshness"
  | "multi-turn"
  | "unsupported";

/** Why a lookup did not hit. */
export type CacheMissReason = "not-found" | "guard-rejected" | "redis-unavailable" | "timeout";

/** The outcome of {@link ResponseCache.lookup}. */
export type CacheDecision =
  | { kind: "bypass"; reason: CacheBypassReason }
  | { kind: "hit"; layer: "exact" | "semantic"; completion: Record<string, unknown>; similarity?: number }
  | { kind: "miss"; reason?: CacheMissReason };

/** Operational signal for metrics (the core counts these). */
export interface CacheEvent {
  /** `redis_error`/`timeout`: a Redis (or embeddings, op "embed") call failed; `recovered`: Redis answers again; `evicted`: an expired id left a local index. */
  type: "redis_error" | "timeout" | "recovered" | "evicted";
  /** The cache operation, e.g. "exact-get", "semantic-sync", "store", "embed". */
  op?: string;
  /** The underlying error, when there is one. */
  error?: unknown;
}

/** Minimal logger (pino-compatible). */
export interface CacheLogger {
  warn(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

/** Collaborators injected by the core. */
export interface CacheDeps {
  /** Embeds one text through the configured embeddings backend. Required when the semantic layer is on. */
  embed?: (text: string) => Promise<Float32Array>;
  /** Called for every Redis failure, timeout, recovery and lazy eviction. */
  onEvent?: (e: CacheEvent) => void;
  /** Structured logger. */
  logger?: CacheLogger;
  /** Clock in ms (tests). @default Date.now */
  now?: () => number;
}

/** The response cache the core uses. */
export interface ResponseCache {
  /** Never throws; each Redis call is bounded by `redisTimeoutMs`, the embeddings call by `semantic.embeddingTimeoutMs`. */
  lookup(ctx: CacheLookupContext): Promise<CacheDecision>;
  /** Stores a completed response (finish_reason stop/length on every choice). Never throws. */
  store(ctx: CacheLookupContext, completion: Record<string, unknown>): Promise<void>;
  /** Redis reachable (for `/ready`); true when the cache is disabled. */
  ready(): Promise<boolean>;
  /** Closes the Redis connection and stops background work. */
  close(): Promise<void>;
}
