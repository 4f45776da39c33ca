import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ResponseCache } from "../../../images/router/src/cache";
import { createResponseCache } from "../../../images/router/src/cache/response-cache";
import { decodeVector, encodeVector } from "../../../images/router/src/cache/semantic-scope";
import { startRedis, type TestRedis } from "../../helpers/redis-server";
import { chatCompletion, chatCtx, FakeEmbedder, testConfig } from "./fixtures";

let redis: TestRedis;
let admin: Redis;
const open: ResponseCache[] = [];

function replica(over: Record<string, unknown> = {}, bruteForceMax = 64): ResponseCache {
  const emb = new FakeEmbedder();
  const c = createResponseCache(testConfig(redis.url, { exact: { enabled: false }, ...over }), { embed: emb.embed }, { index: { bruteForceMax } });
  open.push(c);
  return c;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

const question = (i: number) => `Question number ${i}`;

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

describe("semantic scopes across replicas", () => {
  it.each(["binary", "int8"])("bootstraps a large scope in the background and then finds the newest entry (%s index)", async (index) => {
    const a = replica({ semantic: { index } });
    for (let i = 0; i < 300; i++) await a.store(chatCtx(question(i)), chatCompletion(`answer ${i}`));
    const b = replica({ semantic: { index } });
    const found = await until(async () => (await b.lookup(chatCtx(question(299)))).kind === "hit", 5000);
    expect(found).toBe(true);
    const d = await b.lookup(chatCtx(question(0)));
    expect(d).toMatchObject({ kind: "hit", layer: "semantic", completion: { choices: [{ message: { content: "answer 0" } }] } });
  });

  it("picks up entries another replica writes after the bootstrap", async () => {
    const a = replica();
    const b = replica();
    expect(await b.lookup(chatCtx(question(1)))).toEqual({ kind: "miss", reason: "not-found" });
    await a.store(chatCtx(question(1)), chatCompletion("one"));
    expect((await b.lookup(chatCtx(question(1)))).kind).toBe("hit");
  });

  it("keeps at most maxEntriesPerScope entries in a replica's index, dropping the oldest", async () => {
    const a = replica({ semantic: { maxEntriesPerScope: 5 } });
    for (let i = 0; i < 8; i++) await a.store(chatCtx(question(i)), chatCompletion(`answer ${i}`));
    expect(await a.lookup(chatCtx(question(0)))).toEqual({ kind: "miss", reason: "not-found" });
    expect((await a.lookup(chatCtx(question(7)))).kind).toBe("hit");
  });

  it("re-reads a scope from Redis after it was evicted from memory", async () => {
    const a = replica({ semantic: { maxScopesInMemory: 1 } });
    await a.store(chatCtx("Q1", { tenant: "t1" }), chatCompletion("one"));
    await a.store(chatCtx("Q2", { tenant: "t2" }), chatCompletion("two"));
    expect((await a.lookup(chatCtx("Q1", { tenant: "t1" }))).kind).toBe("hit");
    expect((await a.lookup(chatCtx("Q2", { tenant: "t2" }))).kind).toBe("hit");
  });

  it("writes the entry, the append log and their TTLs to Redis", async () => {
    const a = replica({ ttlSeconds: 120 });
    await a.store(chatCtx("Q"), chatCompletion("A"));
    const [entry] = await admin.keys("shoestring:cache:v1:s:*:e:*");
    const [log] = await admin.keys("shoestring:cache:v1:s:*:log");
    expect(await admin.type(log as string)).toBe("stream");
    expect(await admin.pttl(entry as string)).toBeGreaterThan(119_000);
    expect(await admin.pttl(log as string)).toBeGreaterThan(119_000);
    const h = await admin.hgetallBuffer(entry as string);
    expect(Object.keys(h).sort()).toEqual(["c", "t", "v"]);
    expect(h.t?.toString()).toBe("Q");
    expect(JSON.parse(h.c?.toString() ?? "")).toEqual(chatCompletion("A"));
  });
});

describe("vector encoding", () => {
  it("round-trips through unaligned buffers", () => {
    const v = new Float32Array([0.5, -1.25, 3e-8]);
    const unaligned = Buffer.concat([Buffer.from([7]), encodeVector(v)]).subarray(1);
    expect(Array.from(decodeVector(unaligned))).toEqual(Array.from(v));
  });
});
