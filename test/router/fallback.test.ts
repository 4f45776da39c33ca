import { afterEach, describe, expect, it } from "vitest";
import OpenAI from "openai";

type ApiError = InstanceType<typeof OpenAI.APIError>;
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import { chat, sample, startRouter, type TestRouter } from "./router-harness";

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()?.close();
});

async function pair(extra: Record<string, unknown> = {}, backendExtra: Record<string, unknown> = {}): Promise<{ a: FakeUpstream; b: FakeUpstream; router: TestRouter }> {
  const a = await startFakeUpstream({ name: "primary" });
  const b = await startFakeUpstream({ name: "secondary" });
  const router = await startRouter({
    backends: [{ name: "primary", baseUrl: a.url, ...backendExtra }, { name: "secondary", baseUrl: b.url }],
    models: [{ name: "chat", targets: [{ backend: "primary", model: "m1" }, { backend: "secondary", model: "m2" }] }],
    ...extra,
  });
  opened.push(a, b, router);
  return { a, b, router };
}

const ask = (c: OpenAI, stream = false) => c.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }], stream } as never).withResponse();

describe("fallback and circuit breaking", () => {
  it("falls back with zero client errors when the primary is killed mid-run, and opens its breaker", async () => {
    const { a, router } = await pair({ breaker: { minRequests: 5, errorRatio: 0.5, windowMs: 10_000, cooldownMs: 60_000 } });
    const client = router.client();
    const served: string[] = [];
    const errors: unknown[] = [];
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < 240) {
        sent++;
        if (sent === 80) await a.kill();
        try {
          const { response } = await ask(client);
          served.push(response.headers.get("x-shoestring-backend") ?? "?");
        } catch (e) { errors.push(e); }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(errors).toEqual([]);
    expect(served.filter((s) => s === "primary").length).toBeGreaterThanOrEqual(70);
    expect(served.filter((s) => s === "secondary").length).toBeGreaterThanOrEqual(150);
    const m = await router.metrics();
    expect(sample(m, "shoestring_router_breaker_state", { backend: "primary" })).toBe(2);
    // Every answer from the secondary is one counted fallback: connect errors first, then the open breaker.
    expect(sample(m, "shoestring_router_fallbacks_total", { from: "primary", to: "secondary" })).toBe(served.filter((s) => s === "secondary").length);
    expect(sample(m, "shoestring_router_fallbacks_total", { from: "primary", reason: "connect" })).toBeGreaterThanOrEqual(1);
    expect(sample(m, "shoestring_router_fallbacks_total", { from: "primary", reason: "breaker_open" })).toBeGreaterThanOrEqual(1);
  });

  it("closes the breaker again after a successful half-open probe", async () => {
    const { a, router } = await pair({ breaker: { minRequests: 2, errorRatio: 0.5, windowMs: 10_000, cooldownMs: 100 } });
    const client = router.client();
    a.setBehavior({ status: 500 });
    await ask(client);
    await ask(client);
    expect(sample(await router.metrics(), "shoestring_router_breaker_state", { backend: "primary" })).toBe(2);
    a.setBehavior({ status: 200 });
    await new Promise((r) => setTimeout(r, 150));
    const { response } = await ask(client);
    expect(response.headers.get("x-shoestring-backend")).toBe("primary");
    expect(sample(await router.metrics(), "shoestring_router_breaker_state", { backend: "primary" })).toBe(0);
  });

  it("moves on after a 5xx and says how many targets failed", async () => {
    const { a, router } = await pair();
    a.setBehavior({ status: 503 });
    const { data, response } = await ask(router.client());
    expect((data as OpenAI.ChatCompletion).choices[0]?.message.content).toBe("Hello from secondary.");
    expect(response.headers.get("x-shoestring-fallbacks")).toBe("1");
  });

  it("honours Retry-After on 429: falls back now and skips the primary until it expires", async () => {
    const { a, router } = await pair();
    a.setBehavior({ status: 429, retryAfter: "1" });
    const client = router.client();
    expect((await ask(client)).response.headers.get("x-shoestring-backend")).toBe("secondary");
    const before = a.count;
    a.setBehavior({ status: 200 });
    expect((await ask(client)).response.headers.get("x-shoestring-backend")).toBe("secondary");
    expect(a.count).toBe(before);
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await ask(client)).response.headers.get("x-shoestring-backend")).toBe("primary");
    expect(sample(await router.metrics(), "shoestring_router_breaker_state", { backend: "primary" })).toBe(0);
  });

  it("falls back when the primary does not answer within its timeout", async () => {
    const { a, router } = await pair({}, { timeoutMs: 100 });
    a.setBehavior({ hang: true });
    const t0 = Date.now();
    const { response } = await ask(router.client());
    expect(response.headers.get("x-shoestring-backend")).toBe("secondary");
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("names every failed attempt when the whole chain fails", async () => {
    const { a, b, router } = await pair();
    a.setBehavior({ status: 500 });
    await b.kill();
    const err = await ask(router.client()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    const e = err as ApiError;
    expect(e.status).toBe(502);
    expect(e.code).toBe("upstream_error");
    expect(e.message).toMatch(/^502 All 2 targets for model "chat" failed: primary \(m1\): HTTP 500 "\{\\"error\\":\{\\"message\\":\\"fake primary says 500\\".*"; secondary \(m2\): connect ECONNREFUSED\. Check GET \/ready and the backend logs\.$/);
  });

  it("answers 503 with Retry-After when the only target's breaker is open", async () => {
    const a = await startFakeUpstream({ name: "only", behavior: { status: 500 } });
    const router = await startRouter({ upstream: a.url, breaker: { minRequests: 1, errorRatio: 0.5, windowMs: 10_000, cooldownMs: 30_000 } });
    opened.push(a, router);
    const first = await router.post("/v1/chat/completions", JSON.stringify(chat("x", { model: "m" })));
    expect(first.status).toBe(502);
    expect(((await first.json()) as { error: { message: string } }).error.message).toMatch(/^The only target for model "m" failed: upstream \(m\): HTTP 500 ".*"\. Check GET \/ready and the backend logs\.$/);
    const second = await router.post("/v1/chat/completions", JSON.stringify(chat("x", { model: "m" })));
    expect(second.status).toBe(503);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(29);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe("upstream_unavailable");
  });

  it("sends overflow to the next target when a backend is at max in-flight with a full queue", async () => {
    const { a, router } = await pair({}, { maxInFlight: 1, maxQueue: 0 });
    a.setBehavior({ delayMs: 200 });
    const client = router.client();
    const [r1, r2] = await Promise.all([ask(client), new Promise((r) => setTimeout(r, 50)).then(() => ask(client))]);
    expect(r1.response.headers.get("x-shoestring-backend")).toBe("primary");
    expect(r2.response.headers.get("x-shoestring-backend")).toBe("secondary");
    expect(sample(await router.metrics(), "shoestring_router_fallbacks_total", { reason: "saturated" })).toBe(1);
  });

  it("queues within the bound when the backend is busy", async () => {
    const { a, router } = await pair({}, { maxInFlight: 1, maxQueue: 4 });
    a.setBehavior({ delayMs: 50 });
    const client = router.client();
    const all = await Promise.all(Array.from({ length: 4 }, () => ask(client)));
    expect(all.map((r) => r.response.headers.get("x-shoestring-backend"))).toEqual(["primary", "primary", "primary", "primary"]);
  });
});

describe("streams and the commit point", () => {
  it("ends a stream cut after the first byte with an SSE error event and no [DONE]", async () => {
    const { a, router } = await pair();
    a.setBehavior({ cutAfterFirstChunk: true });
    const res = await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { stream: true })));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-shoestring-backend")).toBe("primary");
    const text = await res.text();
    const events = text.split("\n\n").filter(Boolean);
    expect(events[0]).toMatch(/^data: \{"id":"chatcmpl-fake"/);
    expect(JSON.parse((events[events.length - 1] as string).slice(6))).toEqual({ error: { message: expect.stringMatching(/^The stream was interrupted: connection to "primary" failed mid-stream/), type: "server_error", param: null, code: "stream_interrupted" } });
    expect(text).not.toContain("[DONE]");
    expect(sample(await router.metrics(), "shoestring_router_stream_aborted_total", { backend: "primary", reason: "upstream_disconnect" })).toBe(1);
  });

  it("makes the SDK raise an APIError for the interrupted stream", async () => {
    const { a, router } = await pair();
    a.setBehavior({ cutAfterFirstChunk: true });
    const stream = (await ask(router.client(), true)).data as unknown as AsyncIterable<unknown>;
    const err = await (async () => { for await (const _ of stream) { /* drain */ } })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
  });

  it("falls back transparently when a stream fails before its first byte", async () => {
    const { a, router } = await pair();
    a.setBehavior({ errorEvent: true });
    let text = "";
    for await (const c of (await ask(router.client(), true)).data as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) text += c.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from secondary.");
    await a.kill();
    text = "";
    for await (const c of (await ask(router.client(), true)).data as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) text += c.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from secondary.");
  });

  it("relays each event as it arrives without waiting for the rest", async () => {
    const { a, router } = await pair();
    a.setBehavior({ chunkDelayMs: 150, chunks: 3 });
    const res = await router.post("/v1/chat/completions", JSON.stringify(chat("hi", { stream: true })));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const t0 = Date.now();
    const first = await reader.read();
    expect(Date.now() - t0).toBeLessThan(120);
    expect(new TextDecoder().decode(first.value)).toMatch(/^data: /);
    await reader.cancel();
  });

  it("aborts the upstream exchange when the client goes away mid-stream", async () => {
    const { a, router } = await pair();
    a.setBehavior({ chunkDelayMs: 100, chunks: 20 });
    const ac = new AbortController();
    const res = await fetch(`${router.origin}/v1/chat/completions`, { method: "POST", body: JSON.stringify(chat("hi", { stream: true })), signal: ac.signal });
    await (res.body as ReadableStream<Uint8Array>).getReader().read();
    ac.abort();
    await new Promise((r) => setTimeout(r, 100));
    const backends = ((await (await fetch(`${router.origin}/ready`)).json()) as { backends: Record<string, { inFlight: number }> }).backends;
    expect(backends.primary?.inFlight).toBe(0);
    expect(sample(await router.metrics(), "shoestring_router_client_aborted_total", { endpoint: "chat" })).toBe(1);
  });
});
