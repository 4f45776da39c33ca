/** @module Public surface of the router's response cache (the only file the router core imports). */
export { cacheConfigSchema, isCacheEnabled, DEFAULT_FRESHNESS_CUES } from "./config";
export type { CacheConfig, ExactCacheConfig, SemanticCacheConfig, CacheBypassConfig } from "./config";
export { createResponseCache } from "./response-cache";
export { completionToSse } from "./sse";
export type { CompletionToSseOptions } from "./sse";
export { createStreamAssembler } from "./stream-assembler";
export type { StreamAssembler } from "./stream-assembler";
export type {
  CacheLookupContext, CacheDecision, CacheBypassReason, CacheMissReason, CacheEvent, CacheLogger, CacheDeps, ResponseCache,
} from "./types";
