/**
 * @module The Redis-backed half of bench/semantic-cache.ts: Redis round trips, exact-hit lookups,
 * and full semantic lookups through `createResponseCache` after a replica bootstraps a scope that
 * another writer filled.
 */
import { Redis } from "ioredis";
import { performance } from "node:perf_hooks";
import { cacheConfigSchema, createResponseCache, type CacheLookupContext } from "../images/router/src/cache";
import { exactKey, semanticTarget } from "../images/router/src/cache/canonical";
import { embeddingText } from "../images/router/src/cache/normalize";
import type { RedisGateway } from "../images/router/src/cache/redis-gateway";
import { SemanticLayer } from "../images/router/src/cache/semantic-layer";
import { benchQueries, entryText, quantile, WARMUP, type Dataset, type VectorSource } from "./cache-dataset";

/** p50/p99 in ms plus extras. */
export interface Timing {
  p50: number;
  p99: number;
}

const EMBEDDER = { embeddingBackend: "bench", embeddingModel: "synthetic-384" };

/** A realistic stored answer (~600 bytes of JSON). */
export function benchCompletion(i: number): Record<string, unknown> {
  const content = `To tune setting ${i}, edit the config file, set the value, and restart the service. `.repeat(5);
  return {
    id: `chatcmpl-${i}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model: "bench",
    choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 20, completion_tokens: 90, total_tokens: 110 },
  };
}

function ctx(tenant: string, text: string): CacheLookupContext {
  return { tenant, model: "bench", kind: "chat", body: { model: "bench", temperature: 0, messages: [{ role: "user", content: text }] } };
}

function timing(samples: number[]): Timing {
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

/** Round trip of the verification read (pipelined HGETALL of 1 and of 4 entries) with the cache's client options. */
export async function redisRoundTrips(url: string, iterations: number): Promise<{ one: Timing; four: Timing }> {
  const r = new Redis(url, { commandTimeout: 200, enableOfflineQueue: true, maxRetriesPerRequest: 0 });
  const payload = JSON.stringify(benchCompletion(0));
  const vec = Buffer.alloc(384 * 4, 1);
  for (let i = 0; i < 4; i++) await r.hset(`bench:e:${i}`, "v", vec, "t", entryText(i), "c", payload);
  const run = async (n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let k = 0; k < iterations + WARMUP; k++) {
      const t = performance.now();
      const p = r.pipeline();
      for (let i = 0; i < n; i++) p.hgetallBuffer(`bench:e:${i}`);
      await p.exec();
      if (k >= WARMUP) out.push(performance.now() - t);
    }
    return out;
  };
  const one = timing(await run(1));
  const four = timing(await run(4));
  r.disconnect();
  return { one, four };
}

/** `lookup()` time for an exact hit (key hashing + GET + JSON parse + fresh id). */
export async function exactHitLookups(url: string, iterations: number): Promise<Timing> {
  const cache = createResponseCache(cacheConfigSchema.parse({ redisUrl: url, redisTimeoutMs: 200 }), {});
  await cache.ready();
  const c = ctx("bench-exact", "What does maxmemory-policy allkeys-lru do in Redis 7?");
  await cache.store(c, benchCompletion(1));
  const samples: number[] = [];
  for (let k = 0; k < iterations + WARMUP; k++) {
    const t = performance.now();
    const d = await cache.lookup(ctx("bench-exact", "What does maxmemory-policy allkeys-lru do in Redis 7?"));
    if (k >= WARMUP) samples.push(performance.now() - t);
    if (d.kind !== "hit") throw new Error(`exact bench: expected a hit, got ${JSON.stringify(d)}`);
  }
  await cache.close();
  return timing(samples);
}

/** Results of one end-to-end semantic run. */
export interface EndToEnd extends Timing {
  size: number;
  writeSeconds: number;
  bootstrapSeconds: number;
  nearDupHitRate: number;
  freshFalseHits: number;
}

/**
 * Writes `size` entries in the store path's Redis layout (as another replica would), then measures
 * a fresh replica: time to bootstrap the scope, and full lookups (exact miss + embed (instant fake) +
 * sync + search + Redis verify).
 */
export async function semanticEndToEnd(url: string, src: VectorSource, data: Dataset, size: number, iterations: number): Promise<EndToEnd> {
  const tenant = `bench-${size}`;
  const config = cacheConfigSchema.parse({ redisUrl: url, redisTimeoutMs: 200, semantic: { enabled: true, ...EMBEDDER, maxEntriesPerScope: size } });
  const embedderId = `${EMBEDDER.embeddingBackend}/${EMBEDDER.embeddingModel}`;
  const vectors = new Map<string, Float32Array>();
  const writer = new Redis(url, { commandTimeout: 5000 });
  const layer = new SemanticLayer(config.semantic, {} as RedisGateway, { now: Date.now, onEvent: () => undefined });
  const t0 = performance.now();
  for (let start = 0; start < size; start += 1000) {
    const pipe = writer.pipeline();
    for (let i = start; i < Math.min(size, start + 1000); i++) {
      const c = ctx(tenant, entryText(i));
      const target = semanticTarget(c, embedderId);
      if (!target.ok) throw new Error("bench: entry not eligible for the semantic layer");
      const vector = data.vectors.subarray(i * data.dims, (i + 1) * data.dims);
      layer.write(pipe, { scope: target.scope, vector, guardText: target.guardText, ttlMs: 3_600_000 }, exactKey(c).slice(-32), JSON.stringify(benchCompletion(i)));
    }
    await pipe.exec();
  }
  const writeSeconds = (performance.now() - t0) / 1000;
  writer.disconnect();

  const queries = benchQueries(src, data, size, iterations + WARMUP).map((q, k) => {
    const text = q.source !== undefined ? `${entryText(q.source)} Thanks.` : `How do I tune setting ${size + k} of subsystem ${size + k}?`;
    vectors.set(embeddingText(text), q.vector);
    return { ...q, text };
  });
  const cache = createResponseCache(config, { embed: async (text) => vectors.get(text) ?? new Float32Array(data.dims).fill(1) });
  await cache.ready();
  const last = queries.find((q) => q.source !== undefined) as { text: string };
  const tb = performance.now();
  // The first lookup starts the background bootstrap; poll a handful of known entries until all are indexed.
  const probes = queries.filter((q) => q.source !== undefined && q.source >= size - 50).slice(0, 3);
  for (const probe of [last, ...probes]) {
    for (;;) {
      if ((await cache.lookup(ctx(tenant, probe.text))).kind === "hit") break;
      if (performance.now() - tb > 240_000) throw new Error("bench: bootstrap did not finish within 240 s");
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const bootstrapSeconds = (performance.now() - tb) / 1000;

  const samples: number[] = [];
  let nearDups = 0, nearDupHits = 0, freshFalseHits = 0;
  for (let k = 0; k < queries.length; k++) {
    const q = queries[k] as (typeof queries)[number];
    const t = performance.now();
    const d = await cache.lookup(ctx(tenant, q.text));
    samples.push(performance.now() - t);
    if (q.source !== undefined) { nearDups++; if (d.kind === "hit") nearDupHits++; } else if (d.kind === "hit") freshFalseHits++;
  }
  await cache.close();
  return { size, ...timing(samples.slice(WARMUP)), writeSeconds, bootstrapSeconds, nearDupHitRate: nearDupHits / nearDups, freshFalseHits };
}
