/** @module Shared fixtures for the cache tests: request contexts, completions and a controllable fake embedder. */
import { createHash } from "node:crypto";
import { cacheConfigSchema, type CacheConfig, type CacheLookupContext } from "../../../images/router/src/cache";
import { embeddingText } from "../../../images/router/src/cache/normalize";

/** Dimensions of the fake embedder's vectors. */
export const DIMS = 32;

/** A chat request context with temperature 0 (cacheable), overridable. */
export function chatCtx(content: string, over: Partial<CacheLookupContext> & { body?: Record<string, unknown> } = {}): CacheLookupContext {
  const { body, ...rest } = over;
  return {
    tenant: "acme",
    model: "small",
    kind: "chat",
    body: { model: "small", temperature: 0, messages: [{ role: "user", content }], ...body },
    ...rest,
  };
}

/** A finished chat completion answering `text`. */
export function chatCompletion(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "chatcmpl-upstream1",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "small",
    choices: [{ index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    ...extra,
  };
}

/** Cache config for tests: Redis URL set, semantic on unless overridden. */
export function testConfig(redisUrl: string, over: Record<string, unknown> = {}): CacheConfig {
  const { semantic, ...rest } = over as { semantic?: Record<string, unknown> };
  return cacheConfigSchema.parse({
    redisUrl,
    redisTimeoutMs: 200,
    semantic: { enabled: true, embeddingBackend: "fake", embeddingModel: "fake-1", syncIntervalMs: 0, ...semantic },
    ...rest,
  });
}

function unit(i: number): Float32Array {
  const v = new Float32Array(DIMS);
  v[i] = 1;
  return v;
}

/** A deterministic pseudo-random unit vector for a text (unrelated texts score ~0). */
export function hashVector(text: string): Float32Array {
  const h = createHash("sha256").update(text).digest();
  const v = new Float32Array(DIMS);
  for (let i = 0; i < DIMS; i++) v[i] = ((h[i % h.length] as number) - 127.5) / 127.5;
  return v;
}

/**
 * A fake embeddings backend: texts registered with {@link FakeEmbedder.near} get vectors at an exact
 * cosine to an anchor; others get a hash vector. Keys are the embedding text (lower-cased, no trailing `?`).
 */
export class FakeEmbedder {
  private readonly vectors = new Map<string, Float32Array>();
  private axis = 0;
  calls = 0;
  delayMs = 0;
  fail = false;

  /** Makes `text` embed at exactly cosine `similarity` to `anchor` (each call uses a fresh orthogonal axis). */
  near(anchor: string, text: string, similarity: number): this {
    const a = this.vectorFor(anchor);
    const v = new Float32Array(DIMS);
    const axis = this.nextAxis();
    for (let i = 0; i < DIMS; i++) v[i] = (a[i] as number) * similarity;
    v[axis] = Math.sqrt(1 - similarity * similarity);
    this.vectors.set(embeddingText(text), v);
    return this;
  }

  private vectorFor(text: string): Float32Array {
    const key = embeddingText(text);
    let v = this.vectors.get(key);
    if (!v) {
      v = unit(this.nextAxis());
      this.vectors.set(key, v);
    }
    return v;
  }

  private nextAxis(): number {
    if (this.axis >= DIMS) throw new Error(`FakeEmbedder: out of axes (DIMS ${DIMS}); raise DIMS`);
    return this.axis++;
  }

  readonly embed = async (text: string): Promise<Float32Array> => {
    this.calls++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.fail) throw new Error("embeddings backend down");
    return this.vectors.get(text) ?? hashVector(text);
  };
}
