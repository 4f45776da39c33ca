import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import { startRedis, type TestRedis } from "../helpers/redis-server";
import { chat, sample, startRouter, type TestRouter } from "./router-harness";

const sha = (k: string) => `sha256:${createHash("sha256").update(k).digest("hex")}`;
const KEY_A = "sk-tenant-a-0123456789";
const KEY_B = "sk-tenant-b-0123456789";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until a request is answered from the cache (stores are asynchronous). */
async function untilHit(c: OpenAI, body: Record<string, unknown>, timeoutMs = 3_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { response, data } = await c.chat.completions.create(body as never).withResponse();
    const h = response.headers.get("x-shoestring-cache") ?? "";
    if (h.startsWith("hit") || Date.now() > end) return `${h}|${(data as OpenAI.ChatCompletion).choices[0]?.message.content ?? ""}`;
    await sleep(25);
  }
}

describe("router with the Redis response cache (real redis-server)", () => {
  let redis: TestRedis;
  let up: FakeUpstream;
  let router: TestRouter;
  let a: OpenAI;
  let b: OpenAI;
  let n = 0;

  beforeAll(async () => {
    redis = await startRedis();
    // Every upstream answer is different, so a cached answer is recognizable.
    up = await startFakeUpstream({ name: "local", behavior: { content: () => `answer number ${++n}` } });
    router = await startRouter({
      backends: [{ name: "local", baseUrl: up.url, usdPer1MInput: 1, usdPer1MOutput: 2 }],
      models: [{ name: "chat", targets: [{ backend: "local", model: "m" }] }],
      tenants: [{ id: "a", keys: [sha(KEY_A)] }, { id: "b", keys: [sha(KEY_B)] }],
      cache: { redisUrl: redis.url, redisTimeoutMs: 100 },
    });
    a = router.client(KEY_A);
    b = router.client(KEY_B);
  });
  afterAll(async () => {
    await router.close();
    await up.close();
    await redis.stop();
  });

  it("answers a repeated question from the exact cache without calling the model", async () => {
    const body = chat("What is the capital of France?");
    const first = await a.chat.completions.create(body as never).withResponse();
    expect(first.response.headers.get("x-shoestring-cache")).toBe("miss");
    const answer = (first.data as OpenAI.ChatCompletion).choices[0]?.message.content;
    const before = up.count;
    expect(await untilHit(a, body)).toBe(`hit-exact|${answer}`);
    expect(up.count).toBe(before);
    const m = await router.metrics();
    expect(sample(m, "shoestring_router_cache_requests_total", { layer: "exact", result: "hit" })).toBeGreaterThanOrEqual(1);
    expect(sample(m, "shoestring_router_cache_saved_usd_total", { model: "chat" })).toBeGreaterThan(0);
  });

  it("replays a hit as SSE when the client streams", async () => {
    const body = chat("Name three primary colors.");
    const answer = (await a.chat.completions.create(body as never) as OpenAI.ChatCompletion).choices[0]?.message.content;
    await untilHit(a, body);
    const { data, response } = await a.chat.completions.create({ ...body, stream: true } as never).withResponse();
    expect(response.headers.get("x-shoestring-cache")).toBe("hit-exact");
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    let text = "";
    for await (const c of data as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) text += c.choices[0]?.delta.content ?? "";
    expect(text).toBe(answer);
  });

  it("stores a completed stream and serves it to a non-stream request", async () => {
    const body = chat("Spell the word cache.");
    let streamed = "";
    for await (const c of await a.chat.completions.create({ ...body, stream: true } as never) as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) streamed += c.choices[0]?.delta.content ?? "";
    expect(await untilHit(a, body)).toBe(`hit-exact|${streamed}`);
  });

  it("never caches a stream that was cut", async () => {
    const body = chat("Tell me a fact about owls.", { stream: true });
    up.setBehavior({ cutAfterFirstChunk: true });
    await router.post("/v1/chat/completions", JSON.stringify(body), { authorization: `Bearer ${KEY_A}` }).then((r) => r.text());
    up.setBehavior({ cutAfterFirstChunk: false });
    await sleep(100);
    const r = await a.chat.completions.create({ ...body, stream: false } as never).withResponse();
    expect(r.response.headers.get("x-shoestring-cache")).toBe("miss");
  });

  it("never gives tenant B the answer cached for tenant A", async () => {
    const body = chat("What is my account balance?");
    const answerA = (await a.chat.completions.create(body as never) as OpenAI.ChatCompletion).choices[0]?.message.content;
    await untilHit(a, body);
    const rb = await b.chat.completions.create(body as never).withResponse();
    expect(rb.response.headers.get("x-shoestring-cache")).toBe("miss");
    expect((rb.data as OpenAI.ChatCompletion).choices[0]?.message.content).not.toBe(answerA);
    const hitB = await untilHit(b, body);
    expect(hitB.startsWith("hit-exact|")).toBe(true);
    expect(hitB).not.toBe(`hit-exact|${answerA}`);
  });

  it("bypasses the cache for sampled requests and no-cache", async () => {
    const hot = await a.chat.completions.create(chat("Write a poem", { temperature: 0.9 }) as never).withResponse();
    expect(hot.response.headers.get("x-shoestring-cache")).toBe("bypass");
    const nc = await a.chat.completions.create(chat("Write a poem") as never, { headers: { "cache-control": "no-cache" } }).withResponse();
    expect(nc.response.headers.get("x-shoestring-cache")).toBe("bypass");
    expect(sample(await router.metrics(), "shoestring_router_cache_bypass_total", { reason: "temperature" })).toBeGreaterThanOrEqual(1);
  });

  it("serves every request while Redis is stopped and restarted under load, then caches again", async () => {
    const errors: unknown[] = [];
    let stop = false;
    let i = 0;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try { await a.chat.completions.create(chat(`load question ${i++ % 20}`) as never); } catch (e) { errors.push(e); }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await sleep(200);
    await redis.stop();
    await sleep(400);
    expect((await (await fetch(`${router.origin}/ready`)).json()) as object).toMatchObject({ status: "ready", cache: "unavailable (serving uncached)" });
    await redis.restart();
    await sleep(600);
    stop = true;
    await Promise.all(workers);
    expect(errors).toEqual([]);
    expect(i).toBeGreaterThan(50);
    const m = await router.metrics();
    expect(sample(m, "shoestring_router_cache_events_total", { type: "redis_error" }) + sample(m, "shoestring_router_cache_events_total", { type: "timeout" })).toBeGreaterThan(0);
    // Redis lost its data on restart; a fresh question is stored and hit again.
    const body = chat("A question after the restart");
    await a.chat.completions.create(body as never);
    expect((await untilHit(a, body)).startsWith("hit-exact|")).toBe(true);
    // /ready reuses its result for 1 s; poll until the fresh probe sees Redis again.
    let ready: { cache?: string } = {};
    for (let t = 0; t < 40 && ready.cache !== "ok"; t++) {
      ready = (await (await fetch(`${router.origin}/ready`)).json()) as { cache?: string };
      if (ready.cache !== "ok") await sleep(50);
    }
    expect(ready.cache).toBe("ok");
  });
});

describe("semantic cache layer wired to an embeddings backend", () => {
  it("serves a rephrased question from the semantic layer using the configured embeddings backend", async () => {
    const redis = await startRedis();
    let n = 0;
    const up = await startFakeUpstream({ name: "local", record: true, behavior: { content: () => `semantic answer ${++n}` } });
    const router = await startRouter({
      backends: [{ name: "local", baseUrl: up.url }],
      models: [{ name: "chat", targets: [{ backend: "local", model: "m" }] }],
      cache: { redisUrl: redis.url, semantic: { enabled: true, embeddingBackend: "local", embeddingModel: "embedder" } },
    });
    try {
      const c = router.client();
      const first = await c.chat.completions.create(chat("What is the boiling point of water?") as never) as OpenAI.ChatCompletion;
      // The fake embeds by hashing the normalized text, so only a rewording that normalizes identically is "similar".
      const hit = await untilHit(c, chat("what is the boiling point of water"));
      expect(hit).toBe(`hit-semantic|${first.choices[0]?.message.content ?? ""}`);
      const embedCalls = up.requests.filter((r) => r.path === "/v1/embeddings");
      expect(embedCalls.length).toBeGreaterThan(0);
      expect(embedCalls[0]?.body).toMatchObject({ model: "embedder", encoding_format: "float" });
      expect(sample(await router.metrics(), "shoestring_router_cache_requests_total", { layer: "semantic", result: "hit" })).toBeGreaterThanOrEqual(1);
    } finally {
      await router.close();
      await up.close();
      await redis.stop();
    }
  });
});
