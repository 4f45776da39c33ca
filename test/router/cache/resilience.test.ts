import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponseCache, type CacheDecision, type CacheEvent } from "../../../images/router/src/cache";
import { redactUrl } from "../../../images/router/src/cache/redis-gateway";
import { startRedis, type TestRedis } from "../../helpers/redis-server";
import { chatCompletion, chatCtx, FakeEmbedder, testConfig } from "./fixtures";

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

async function shutdownRedis(): Promise<void> {
  const admin = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  admin.on("error", () => undefined);
  await admin.call("SHUTDOWN", "NOSAVE").catch(() => undefined);
  admin.disconnect();
}

describe("createResponseCache when Redis fails", () => {
  it("turns a Redis stop under load into misses, never errors, and resumes caching after a restart", async () => {
    const events: CacheEvent[] = [];
    const emb = new FakeEmbedder();
    const cache = createResponseCache(testConfig(redis.url, { redisTimeoutMs: 50 }), { embed: emb.embed, onEvent: (e) => events.push(e) });
    expect(await cache.ready()).toBe(true);
    await cache.store(chatCtx("Q"), chatCompletion("A"));
    expect((await cache.lookup(chatCtx("Q"))).kind).toBe("hit");

    const decisions: CacheDecision[] = [];
    const failures: unknown[] = [];
    let slowest = 0;
    let running = true;
    const worker = async (): Promise<void> => {
      while (running) {
        const t = performance.now();
        try {
          decisions.push(await cache.lookup(chatCtx("Q")));
        } catch (error) {
          failures.push(error);
        }
        slowest = Math.max(slowest, performance.now() - t);
        await new Promise((r) => setImmediate(r));
      }
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);

    await new Promise((r) => setTimeout(r, 100));
    await shutdownRedis();
    await new Promise((r) => setTimeout(r, 300));
    expect(await cache.ready()).toBe(false);
    await redis.restart();
    // The restarted Redis is empty: caching resumes when a store and a lookup both work again.
    const resumed = await until(async () => {
      await cache.store(chatCtx("Q"), chatCompletion("A"));
      return (await cache.lookup(chatCtx("Q"))).kind === "hit";
    }, 3000);
    running = false;
    await load;
    await cache.close();

    expect(failures).toEqual([]);
    expect(resumed).toBe(true);
    const reasons = new Set(decisions.map((d) => (d.kind === "miss" ? d.reason : d.kind)));
    expect(reasons.has("redis-unavailable")).toBe(true);
    // hit before the stop and after the restart; not-found while the restarted (empty) Redis has no entry yet.
    for (const r of reasons) expect(["hit", "redis-unavailable", "timeout", "not-found"]).toContain(r);
    // Four sequential Redis calls at most, each bounded by the 50 ms timeout.
    expect(slowest).toBeLessThan(400);
    expect(events.some((e) => e.type === "redis_error")).toBe(true);
    expect(events.some((e) => e.type === "recovered")).toBe(true);
  });

  it("times out a stalled Redis, then skips it for the cooldown, then recovers by itself", async () => {
    const events: CacheEvent[] = [];
    const cache = createResponseCache(testConfig(redis.url, { redisTimeoutMs: 40, semantic: { enabled: false } }), { onEvent: (e) => events.push(e) });
    expect(await cache.ready()).toBe(true);
    await cache.store(chatCtx("Q"), chatCompletion("A"));
    const admin = new Redis(redis.url);
    await admin.call("CLIENT", "PAUSE", "400", "ALL");

    const timed: { d: CacheDecision; ms: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      timed.push({ d: await cache.lookup(chatCtx("Q")), ms: performance.now() - t });
    }
    expect(timed.slice(0, 3).map((x) => x.d)).toEqual(Array(3).fill({ kind: "miss", reason: "timeout" }));
    for (const x of timed.slice(0, 3)) expect(x.ms).toBeLessThan(150);
    // Circuit open: no Redis call at all.
    expect(timed.slice(3).map((x) => x.d)).toEqual(Array(3).fill({ kind: "miss", reason: "redis-unavailable" }));
    for (const x of timed.slice(3)) expect(x.ms).toBeLessThan(5);
    expect(events.filter((e) => e.type === "timeout").map((e) => e.op)).toEqual(["exact-get", "exact-get", "exact-get"]);

    const recovered = await until(async () => (await cache.lookup(chatCtx("Q"))).kind === "hit", 3000);
    expect(recovered).toBe(true);
    expect(events.at(-1)).toEqual({ type: "recovered", op: "exact-get" });
    admin.disconnect();
    await cache.close();
  });
});

describe("redactUrl", () => {
  it("hides the credentials of a Redis URL in logs", () => {
    expect(redactUrl("rediss://default:s3cret@cache.internal:6380/0")).toBe("rediss://***@cache.internal:6380/0");
    expect(redactUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
  });
});
