import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cacheConfigSchema, DEFAULT_FRESHNESS_CUES, isCacheEnabled } from "../../../images/router/src/cache";

function errors(input: unknown): string[] {
  const r = cacheConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe("cacheConfigSchema", () => {
  it("fills every default from an empty object", () => {
    expect(cacheConfigSchema.parse({})).toEqual({
      redisTimeoutMs: 50,
      ttlSeconds: 86_400,
      ttlSecondsByModel: {},
      exact: { enabled: true },
      semantic: { enabled: false, threshold: 0.95, maxEntriesPerScope: 100_000, maxUserTurns: 1, embeddingTimeoutMs: 1000, syncIntervalMs: 250, maxScopesInMemory: 256, index: "binary" },
      bypass: { allowTemperatureAboveZero: false, freshnessCues: [...DEFAULT_FRESHNESS_CUES] },
    });
  });

  it("turns the cache on exactly when a Redis URL is set, unless told otherwise", () => {
    expect(isCacheEnabled(cacheConfigSchema.parse({}))).toBe(false);
    expect(isCacheEnabled(cacheConfigSchema.parse({ redisUrl: "redis://cache:6379/0" }))).toBe(true);
    expect(isCacheEnabled(cacheConfigSchema.parse({ redisUrl: "rediss://u:p@cache:6380", enabled: false }))).toBe(false);
  });

  it.each([
    [{ enabled: true }, "cache.redisUrl: required when cache.enabled is true (got nothing). Set it to redis://host:6379 or set cache.enabled: false."],
    [{ redisUrl: "http://cache:6379" }, 'cache.redisUrl: not a Redis URL (got "http://cache:6379"; expected redis://host:port[/db] or rediss://…). Fix the scheme or host.'],
    [{ semantic: { threshold: 0.5 } }, "cache.semantic.threshold: too low (got 0.5; allowed 0.8–1). Below 0.8 unrelated prompts match; use 0.95 unless you measured your embedder."],
    [{ semantic: { threshold: 5 } }, "cache.semantic.threshold: is a cosine similarity, at most 1 (got 5). A distance of 0.05 is a similarity of 0.95."],
    [{ redisTimeoutMs: 0 }, "cache.redisTimeoutMs: too small (got 0; minimum 1). A cache must be faster than the model; 20–100 ms is typical."],
    [{ ttlSeconds: 1.5 }, "cache.ttlSeconds: must be a whole number (got 1.5). Use ttlSecondsByModel: {<model>: 0} to stop caching one model."],
    [{ ttlSecondsByModel: { m: -1 } }, "cache.ttlSecondsByModel.<model>: too small (got -1; minimum 0). 0 disables caching for that model."],
    [{ semantic: { enabled: true } }, "cache.semantic.embeddingBackend: required when cache.semantic.enabled is true (got nothing). Name the router backend that serves /v1/embeddings, or set cache.semantic.enabled: false."],
    [{ bypass: { freshnessCues: ["today", " "] } }, "cache.bypass.freshnessCues: entries must be non-empty words or phrases."],
    [{ semantic: { index: "f16" } }, 'cache.semantic.index: unknown encoding "f16"; allowed: binary (default), int8. Use int8 only if your embedder\'s vectors share a large constant offset.'],
  ])("rejects %j with a message naming the field, value and fix", (input, message) => {
    expect(errors(input)).toContain(message);
  });

  it("rejects unknown keys at every level", () => {
    expect(cacheConfigSchema.safeParse({ ttlSecond: 5 }).success).toBe(false);
    expect(cacheConfigSchema.safeParse({ semantic: { treshold: 0.9 } }).success).toBe(false);
  });

  it("reports every problem at once", () => {
    expect(errors({ redisTimeoutMs: 0, ttlSeconds: 0 })).toHaveLength(2);
  });

  it("describes every field and converts to JSON Schema", () => {
    const json = z.toJSONSchema(cacheConfigSchema, { io: "input" }) as { properties: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> };
    for (const [key, prop] of Object.entries(json.properties)) {
      expect(prop.description, key).toBeTruthy();
      for (const [sub, p] of Object.entries(prop.properties ?? {})) expect(p.description, `${key}.${sub}`).toBeTruthy();
    }
  });
});
