/**
 * @module `shoestring:cache`: the router's response cache in Redis, exact-match and semantic
 * (embedding similarity), and when to bypass it.
 */
import { z } from "zod";
import { SEMANTIC_INDEXES } from "../../images/router/src/cache/config";
import { dnsLabel, positiveInt } from "./_primitives";

/**
 * Phrases that make a prompt time-sensitive, so a cached answer would be stale; matched as whole
 * words, case-insensitively.
 */
export const DEFAULT_FRESHNESS_CUES = [
  "today",
  "tonight",
  "yesterday",
  "tomorrow",
  "now",
  "right now",
  "current",
  "currently",
  "latest",
  "recent",
  "this week",
  "this month",
  "breaking",
];

/** `shoestring:cache`. */
export const CacheSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Cache responses in Redis."),
    redis: z
      .strictObject({
        maxMemoryMb: positiveInt().min(16).max(1_048_576).default(256).describe("Redis maxmemory in MiB; least-recently-used entries are evicted beyond it."),
      })
      .prefault({})
      .describe("The Redis server (its image version is pinned in src/versions.ts)."),
    ttlSeconds: positiveInt().max(31_536_000).default(86_400).describe("How long a cached response lives, in seconds."),
    exact: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Serve identical requests (same model, messages and parameters) from the cache."),
      })
      .prefault({})
      .describe("Exact-match cache."),
    semantic: z
      .strictObject({
        enabled: z.boolean().default(true).describe("Serve requests whose prompt embedding is close enough to a cached one."),
        threshold: z
          .number()
          // The router refuses thresholds below 0.8 (images/router/src/cache/config.ts): below it,
          // paraphrase scores overlap with different questions (shared/reference/routers.md §4).
          .min(0.8)
          .max(1)
          .default(0.95)
          .describe("Cosine similarity at or above which a cached answer is reused; higher is stricter. At least 0.8."),
        embeddingModel: dnsLabel(40)
          .optional()
          .describe("models[].name of the model (role embeddings) that embeds prompts. Required while the semantic cache is enabled."),
        index: z
          .enum(SEMANTIC_INDEXES)
          .default("binary")
          .describe("Router's in-memory vector index: binary (sign bits re-scored by cosine, fastest) or int8 (for an embedding model whose vectors share a large constant offset)."),
      })
      .prefault({})
      .describe("Semantic (embedding similarity) cache."),
    bypass: z
      .strictObject({
        allowTemperatureAboveZero: z
          .boolean()
          .default(false)
          .describe("Also cache sampled requests (temperature > 0). Off: only deterministic requests use the cache."),
        freshnessCues: z
          .array(z.string().min(1).max(60))
          .default(DEFAULT_FRESHNESS_CUES)
          .describe("Words that mark a prompt as time-sensitive; such requests skip the cache."),
      })
      .prefault({})
      .describe("When requests skip the cache."),
  })
  .prefault({})
  .describe("Response cache (Redis): exact and semantic.");

/** Parsed `shoestring:cache`. */
export type CacheConfig = z.output<typeof CacheSchema>;
