import { afterEach, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import type { ResponseCache } from "../../images/router/src/cache";
import { chat, sample, startRouter, type TestRouter } from "./router-harness";

const open: (FakeUpstream | TestRouter)[] = [];
afterEach(async () => { while (open.length) await open.pop()?.close(); });

async function withCache(cache: ResponseCache): Promise<TestRouter> {
  const up = await startFakeUpstream({ name: "local" });
  const router = await startRouter({ upstream: up.url, cache: { redisUrl: "redis://127.0.0.1:1", redisTimeoutMs: 20 } }, { deps: { cache } });
  open.push(up, router);
  return router;
}

describe("the router never fails a request because of the cache", () => {
  it("answers uncached when a cache lookup hangs, after a bounded wait", async () => {
    const router = await withCache({ lookup: () => new Promise(() => {}), store: async () => {}, ready: async () => false, close: async () => {} });
    const t0 = Date.now();
    const r = await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m" })));
    expect(r.status).toBe(200);
    expect(r.headers.get("x-shoestring-cache")).toBe("miss");
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(sample(await router.metrics(), "shoestring_router_cache_miss_total", { reason: "timeout" })).toBe(1);
  });

  it("answers uncached when lookup and store throw", async () => {
    const router = await withCache({
      lookup: async () => { throw new Error("boom"); },
      store: async () => { throw new Error("boom"); },
      ready: async () => { throw new Error("boom"); },
      close: async () => { throw new Error("boom"); },
    });
    const r = await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m" })));
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 20));
    const m = await router.metrics();
    expect(sample(m, "shoestring_router_cache_miss_total", { reason: "redis-unavailable" })).toBe(1);
    expect(sample(m, "shoestring_router_cache_store_skipped_total", { reason: "error" })).toBe(1);
    expect(((await (await fetch(`${router.origin}/ready`)).json()) as { cache: string }).cache).toBe("unavailable (serving uncached)");
  });

  it("passes tenant, logical model, kind, body and Cache-Control to the cache", async () => {
    const seen: unknown[] = [];
    const router = await withCache({ lookup: async (ctx) => { seen.push(ctx); return { kind: "miss" }; }, store: async () => {}, ready: async () => true, close: async () => {} });
    await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { model: "m" })), { "cache-control": "max-age=0" });
    expect(seen).toEqual([{ tenant: "default", model: "m", kind: "chat", body: chat("hi", { model: "m" }), cacheControl: "max-age=0" }]);
  });
});
