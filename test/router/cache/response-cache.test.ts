import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createResponseCache, type CacheEvent, type ResponseCache } from "../../../images/router/src/cache";
import { startRedis, type TestRedis } from "../../helpers/redis-server";
import { chatCompletion, chatCtx, FakeEmbedder, testConfig } from "./fixtures";

const OPEN = "Is port 6379 open by default?";
const CLOSED = "Is port 6379 closed by default?";
const PARAPHRASE = "By default, is port 6379 open?";

let redis: TestRedis;
let admin: Redis;
const open: ResponseCache[] = [];

function cache(over: Record<string, unknown> = {}, embedder = new FakeEmbedder(), events: CacheEvent[] = []): ResponseCache {
  const c = createResponseCache(testConfig(redis.url, over), { embed: embedder.embed, onEvent: (e) => events.push(e) });
  open.push(c);
  return c;
}

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await admin.flushall();
});
afterAll(async () => {
  admin.disconnect();
  await redis.stop();
});

describe("createResponseCache exact layer", () => {
  it("misses first, then hits the stored answer with a fresh id and the same content", async () => {
    const c = cache({ semantic: { enabled: false } });
    const ctx = chatCtx("What is Redis?");
    expect(await c.lookup(ctx)).toEqual({ kind: "miss", reason: "not-found" });
    await c.store(ctx, chatCompletion("An in-memory data store."));
    const d = await c.lookup(chatCtx("What is Redis?"));
    expect(d.kind).toBe("hit");
    if (d.kind !== "hit") return;
    expect(d.layer).toBe("exact");
    expect(d.completion.choices).toEqual(chatCompletion("An in-memory data store.").choices);
    expect(d.completion.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(d.completion.id).not.toBe("chatcmpl-upstream1");
  });

  it("hits when only insignificant whitespace differs and misses when case differs", async () => {
    const c = cache({ semantic: { enabled: false } });
    await c.store(chatCtx("What is  Redis?\r\n"), chatCompletion("A store."));
    expect((await c.lookup(chatCtx("  What is Redis?"))).kind).toBe("hit");
    expect(await c.lookup(chatCtx("what is redis?"))).toEqual({ kind: "miss", reason: "not-found" });
  });

  it("serves one tenant's answer never to another tenant", async () => {
    const c = cache({ semantic: { enabled: false } });
    await c.store(chatCtx("What is my plan?", { tenant: "a" }), chatCompletion("Tenant A's plan"));
    expect(await c.lookup(chatCtx("What is my plan?", { tenant: "b" }))).toEqual({ kind: "miss", reason: "not-found" });
    expect((await c.lookup(chatCtx("What is my plan?", { tenant: "a" }))).kind).toBe("hit");
  });

  it("expires entries after the model's own TTL while other models keep the default", async () => {
    const c = cache({ ttlSeconds: 60, ttlSecondsByModel: { tiny: 1 }, semantic: { enabled: false } });
    await c.store(chatCtx("Q", { model: "tiny" }), chatCompletion("A"));
    await c.store(chatCtx("Q", { model: "small" }), chatCompletion("A"));
    const ttlTiny = await admin.pttl((await admin.keys("shoestring:cache:v1:x:*")).sort()[0] as string);
    expect(ttlTiny).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await c.lookup(chatCtx("Q", { model: "tiny" }))).toEqual({ kind: "miss", reason: "not-found" });
    expect((await c.lookup(chatCtx("Q", { model: "small" }))).kind).toBe("hit");
  });

  it("does not store answers that did not finish cleanly", async () => {
    const c = cache({ semantic: { enabled: false } });
    const ctx = chatCtx("Q");
    await c.store(ctx, chatCompletion("half", { choices: [{ index: 0, message: { role: "assistant", content: "half" }, finish_reason: null }] }));
    await c.store(ctx, chatCompletion("x", { choices: [{ index: 0, message: { role: "assistant", content: "x" }, finish_reason: "content_filter" }] }));
    await c.store(ctx, { error: { message: "boom" } });
    expect(await admin.dbsize()).toBe(0);
  });

  it("stores after Cache-Control no-cache but neither reads nor writes with no-store", async () => {
    const c = cache({ semantic: { enabled: false } });
    expect(await c.lookup(chatCtx("Q", { cacheControl: "no-cache" }))).toEqual({ kind: "bypass", reason: "no-cache" });
    await c.store(chatCtx("Q", { cacheControl: "no-store" }), chatCompletion("A"));
    expect(await admin.dbsize()).toBe(0);
    await c.store(chatCtx("Q", { cacheControl: "no-cache" }), chatCompletion("A"));
    expect((await c.lookup(chatCtx("Q"))).kind).toBe("hit");
  });

  it("bypasses sampled, tool and time-dependent requests without touching Redis", async () => {
    const c = cache();
    expect(await c.lookup(chatCtx("Q", { body: { temperature: 0.7 } }))).toEqual({ kind: "bypass", reason: "temperature" });
    expect(await c.lookup(chatCtx("Q", { body: { tools: [{ type: "function", function: { name: "f" } }] } }))).toEqual({ kind: "bypass", reason: "tools" });
    expect(await c.lookup(chatCtx("What is the latest Redis version?"))).toEqual({ kind: "bypass", reason: "freshness" });
    await c.store(chatCtx("Q", { body: { temperature: 0.7 } }), chatCompletion("A"));
    expect(await admin.dbsize()).toBe(0);
  });

  it("shares entries across replicas: B finds what A stored", async () => {
    const a = cache({ semantic: { enabled: false } });
    const b = cache({ semantic: { enabled: false } });
    await a.store(chatCtx("Q"), chatCompletion("A"));
    expect((await b.lookup(chatCtx("Q"))).kind).toBe("hit");
  });

  it("reports disabled when no Redis URL is configured and is ready anyway", async () => {
    const c = createResponseCache(testConfig(redis.url, { enabled: false }), {});
    expect(await c.lookup(chatCtx("Q"))).toEqual({ kind: "bypass", reason: "disabled" });
    expect(await c.ready()).toBe(true);
    await c.close();
  });

  it("refuses to start the semantic layer without an embed function", () => {
    expect(() => createResponseCache(testConfig(redis.url), {})).toThrow(
      "createResponseCache: cache.semantic.enabled is true but no embed function was given (got deps.embed undefined). Pass deps.embed built from cache.semantic.embeddingBackend, or set cache.semantic.enabled: false.",
    );
  });
});

describe("createResponseCache semantic layer", () => {
  it("serves a paraphrase stored by another replica", async () => {
    const emb = new FakeEmbedder().near(OPEN, PARAPHRASE, 0.97);
    const a = cache({}, emb);
    const b = cache({}, emb);
    await a.store(chatCtx(OPEN), chatCompletion("No: it listens on localhost only."));
    const d = await b.lookup(chatCtx(PARAPHRASE));
    expect(d).toMatchObject({ kind: "hit", layer: "semantic", completion: { choices: [{ message: { content: "No: it listens on localhost only." } }] } });
    if (d.kind === "hit") expect(d.similarity).toBeCloseTo(0.97, 5);
  });

  it("never serves the 'open' answer for 'closed' even at cosine 0.98", async () => {
    const emb = new FakeEmbedder().near(OPEN, CLOSED, 0.98);
    const a = cache({}, emb);
    await a.store(chatCtx(OPEN), chatCompletion("It is open to localhost."));
    expect(await a.lookup(chatCtx(CLOSED))).toEqual({ kind: "miss", reason: "guard-rejected" });
    const b = cache({}, emb);
    expect(await b.lookup(chatCtx(CLOSED))).toEqual({ kind: "miss", reason: "guard-rejected" });
  });

  it("misses below the threshold", async () => {
    const emb = new FakeEmbedder().near(OPEN, PARAPHRASE, 0.94);
    const a = cache({}, emb);
    await a.store(chatCtx(OPEN), chatCompletion("A"));
    expect(await a.lookup(chatCtx(PARAPHRASE))).toEqual({ kind: "miss", reason: "not-found" });
  });

  it("keeps tenants apart even for identical vectors", async () => {
    const emb = new FakeEmbedder().near(OPEN, PARAPHRASE, 0.99);
    const a = cache({}, emb);
    await a.store(chatCtx(OPEN, { tenant: "a" }), chatCompletion("A's answer"));
    expect(await a.lookup(chatCtx(PARAPHRASE, { tenant: "b" }))).toEqual({ kind: "miss", reason: "not-found" });
    expect((await a.lookup(chatCtx(PARAPHRASE, { tenant: "a" }))).kind).toBe("hit");
  });

  it.each([
    ["max_tokens", { body: { max_tokens: 16 } }],
    ["temperature", { body: { temperature: 0.3 } }],
    ["top_p", { body: { top_p: 0.5 } }],
    ["system prompt", { body: { messages: [{ role: "system", content: "Answer in French." }, { role: "user", content: PARAPHRASE }] } }],
    ["model", { model: "large" }],
  ])("never matches semantically across a different %s", async (_name, over) => {
    const emb = new FakeEmbedder().near(OPEN, PARAPHRASE, 0.99);
    // Sampled requests are allowed here so that a temperature difference reaches the semantic layer.
    const a = cache({ bypass: { allowTemperatureAboveZero: true } }, emb);
    await a.store(chatCtx(OPEN), chatCompletion("A"));
    expect(await a.lookup(chatCtx(PARAPHRASE, over))).toEqual({ kind: "miss", reason: "not-found" });
    expect((await a.lookup(chatCtx(PARAPHRASE))).kind).toBe("hit");
  });

  it("skips the semantic layer for conversations longer than maxUserTurns", async () => {
    const emb = new FakeEmbedder().near(OPEN, PARAPHRASE, 0.99);
    const a = cache({}, emb);
    const history = [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }];
    await a.store(chatCtx(OPEN, { body: { messages: [...history, { role: "user", content: OPEN }] } }), chatCompletion("A"));
    const before = emb.calls;
    expect(await a.lookup(chatCtx(PARAPHRASE, { body: { messages: [...history, { role: "user", content: PARAPHRASE }] } }))).toEqual({ kind: "miss", reason: "not-found" });
    expect(emb.calls).toBe(before);
  });

  it("bypasses a long conversation when only the semantic layer is on", async () => {
    const a = cache({ exact: { enabled: false } });
    const messages = [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }, { role: "user", content: OPEN }];
    expect(await a.lookup(chatCtx(OPEN, { body: { messages } }))).toEqual({ kind: "bypass", reason: "multi-turn" });
    const image = [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:," } }] }];
    expect(await a.lookup(chatCtx(OPEN, { body: { messages: image } }))).toEqual({ kind: "bypass", reason: "unsupported" });
  });

  it("embeds once per request when lookup and store share the context", async () => {
    const emb = new FakeEmbedder();
    const a = cache({}, emb);
    const ctx = chatCtx("How many databases does Redis have?");
    await a.lookup(ctx);
    await a.store(ctx, chatCompletion("16"));
    expect(emb.calls).toBe(1);
  });

  it("treats a slow or failing embedder as a miss and reports the timeout", async () => {
    const emb = new FakeEmbedder();
    const events: CacheEvent[] = [];
    const a = cache({ semantic: { embeddingTimeoutMs: 20 } }, emb, events);
    emb.delayMs = 200;
    expect(await a.lookup(chatCtx("Q1"))).toEqual({ kind: "miss", reason: "not-found" });
    expect(events).toContainEqual({ type: "timeout", op: "embed" });
    emb.delayMs = 0;
    emb.fail = true;
    expect(await a.lookup(chatCtx("Q2"))).toEqual({ kind: "miss", reason: "not-found" });
  });

  it("evicts an expired entry from the local index when Redis no longer has it", async () => {
    const emb = new FakeEmbedder().near(OPEN, PARAPHRASE, 0.99);
    const events: CacheEvent[] = [];
    const a = cache({ exact: { enabled: false } }, emb, events);
    await a.store(chatCtx(OPEN), chatCompletion("A"));
    for (const k of await admin.keys("shoestring:cache:v1:s:*:e:*")) await admin.del(k);
    expect(await a.lookup(chatCtx(PARAPHRASE))).toEqual({ kind: "miss", reason: "not-found" });
    expect(events).toContainEqual({ type: "evicted", op: "semantic-verify" });
  });

  it("stores completions prompts too and answers them from the semantic layer", async () => {
    const emb = new FakeEmbedder().near("Write a haiku about Redis", "Write a haiku about Redis please", 0.97);
    const a = cache({}, emb);
    const ctx = (prompt: string) => ({ tenant: "acme", model: "small", kind: "completions" as const, body: { prompt, temperature: 0 } });
    const done = { id: "cmpl-1", object: "text_completion", created: 1, model: "small", choices: [{ index: 0, text: "keys in memory", logprobs: null, finish_reason: "stop" }] };
    await a.store(ctx("Write a haiku about Redis"), done);
    const d = await a.lookup(ctx("Write a haiku about Redis please"));
    expect(d).toMatchObject({ kind: "hit", layer: "semantic", completion: { object: "text_completion", choices: [{ text: "keys in memory" }] } });
    if (d.kind === "hit") expect(d.completion.id).toMatch(/^cmpl-/);
  });
});
