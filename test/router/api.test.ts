import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";

type ApiError = InstanceType<typeof OpenAI.APIError>;
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import { chat, sample, startRouter, type TestRouter } from "./router-harness";

describe("router API through the official openai SDK", () => {
  let local: FakeUpstream;
  let big: FakeUpstream;
  let router: TestRouter;
  let client: OpenAI;

  beforeAll(async () => {
    local = await startFakeUpstream({ name: "local", record: true });
    big = await startFakeUpstream({ name: "big", record: true });
    router = await startRouter({
      backends: [
        { name: "local", baseUrl: local.url, contextTokens: 4096 },
        { name: "big", baseUrl: big.url, contextTokens: 32768 },
      ],
      models: [{ name: "chat", targets: [{ backend: "local", model: "small-model" }, { backend: "big", model: "big-model" }] }],
      tiers: { "1": [{ backend: "local", model: "small-model" }], "3": [{ backend: "big", model: "big-model" }] },
      routing: { passthroughBackend: "big" },
    });
    client = router.client();
  });
  afterAll(async () => {
    await router.close();
    await local.close();
    await big.close();
  });

  it("answers a non-stream chat completion with content, usage and routing headers", async () => {
    const { data, response } = await client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe("Hello from local.");
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-shoestring-backend")).toBe("local");
    expect(response.headers.get("x-shoestring-upstream-model")).toBe("small-model");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-shoestring-cache")).toBeNull();
  });

  it("rewrites the model name for the target and passes other fields through untouched", async () => {
    await client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "x" }], top_p: 0.5, metadata: { a: "b" } } as never);
    const last = local.requests[local.requests.length - 1];
    expect(last?.body).toMatchObject({ model: "small-model", top_p: 0.5, metadata: { a: "b" } });
    expect(last?.headers["x-request-id"]).toBeDefined();
  });

  it("streams chat chunks and the usage chunk", async () => {
    const stream = await client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } });
    let text = "";
    let usage: unknown;
    let finish: string | null | undefined;
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? "";
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe("Hello from local.");
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ completion_tokens: 3 });
  });

  it("serves text completions, stream and non-stream", async () => {
    const c = await client.completions.create({ model: "chat", prompt: "Once" });
    expect(c.choices[0]?.text).toBe("Hello from local.");
    let text = "";
    for await (const ev of await client.completions.create({ model: "chat", prompt: "Once", stream: true })) text += ev.choices[0]?.text ?? "";
    expect(text).toBe("Hello from local.");
  });

  it("passes embeddings through with the SDK's default base64 encoding", async () => {
    const e = await client.embeddings.create({ model: "chat", input: "hello" });
    expect(e.data[0]?.embedding).toHaveLength(8);
    const norm = Math.hypot(...(e.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 5);
  });

  it("lists configured models, auto, and the passthrough backend's models", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(["chat", "auto", "fake-model"]);
    expect((await client.models.retrieve("auto")).id).toBe("auto");
  });

  it("sends unknown model names to the passthrough backend unchanged", async () => {
    const { data, response } = await client.chat.completions.create({ model: "Qwen/Qwen2.5-7B-Instruct", messages: [{ role: "user", content: "x" }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe("Hello from big.");
    expect(response.headers.get("x-shoestring-upstream-model")).toBe("Qwen/Qwen2.5-7B-Instruct");
  });

  it("routes model auto by the classifier and shows the tier", async () => {
    const { data, response } = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "Extract the dates as JSON" }] }).withResponse();
    expect(response.headers.get("x-shoestring-tier")).toBe("1");
    expect(data.choices[0]?.message.content).toBe("Hello from local.");
    const hard = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "Debug this race condition" }] }).withResponse();
    expect(hard.response.headers.get("x-shoestring-tier")).toBe("3");
    expect(hard.response.headers.get("x-shoestring-backend")).toBe("big");
  });

  it("lets the x-shoestring-tier header override the classifier, and a missing tier borrow the next higher", async () => {
    const r = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "Extract the dates" }] }, { headers: { "x-shoestring-tier": "2" } }).withResponse();
    expect(r.response.headers.get("x-shoestring-tier")).toBe("2");
    expect(r.response.headers.get("x-shoestring-backend")).toBe("big");
    const text = await router.metrics();
    expect(sample(text, "shoestring_router_routing_decisions_total", { tier: "2", source: "header" })).toBe(1);
  });

  it("refuses a bad tier header with a 400 naming the header", async () => {
    const err = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "x" }] }, { headers: { "x-shoestring-tier": "9" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as ApiError).code).toBe("invalid_request");
    expect((err as ApiError).param).toBe("x-shoestring-tier");
    expect((err as ApiError).message).toBe('400 Header x-shoestring-tier must be 1, 2 or 3 (got "9"). Remove it to let the router classify the prompt.');
  });

  it("answers a prompt that fits no target with 400 context_length_exceeded", async () => {
    const err = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "x".repeat(200_000) }] }, { headers: { "x-shoestring-tier": "1" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as ApiError).code).toBe("context_length_exceeded");
    expect(sample(await router.metrics(), "shoestring_router_context_guard_total", { action: "reject" })).toBe(1);
  });

  it("skips a target whose context is too small and answers from a larger one", async () => {
    const { response } = await client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "y".repeat(40_000) }] }).withResponse();
    expect(response.headers.get("x-shoestring-backend")).toBe("big");
  });

  it("returns OpenAI-shaped 404s for unknown paths and 405 for wrong methods", async () => {
    const r404 = await fetch(`${router.origin}/v1/nope`);
    expect(r404.status).toBe(404);
    expect(await r404.json()).toEqual({ error: { message: 'Unknown path "/v1/nope". Endpoints: POST /v1/chat/completions, /v1/completions, /v1/embeddings; GET /v1/models, /health, /ready, /metrics.', type: "invalid_request_error", param: null, code: "not_found" } });
    const r405 = await fetch(`${router.origin}/v1/chat/completions`);
    expect(r405.status).toBe(405);
    expect(r405.headers.get("allow")).toBe("POST");
  });

  it("echoes a sane x-request-id and replaces an unsafe one", async () => {
    const ok = await router.post("/v1/chat/completions", JSON.stringify(chat("hi")), { "x-request-id": "trace-123" });
    expect(ok.headers.get("x-request-id")).toBe("trace-123");
    const bad = await router.post("/v1/chat/completions", JSON.stringify(chat("hi")), { "x-request-id": "a b c" });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reports liveness and readiness with backend state", async () => {
    expect(await (await fetch(`${router.origin}/health`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${router.origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", cache: "disabled", backends: { local: { reachable: true, breaker: "closed" }, big: { reachable: true } } });
  });

  it("exports request, token and latency metrics", async () => {
    const text = await router.metrics();
    expect(sample(text, "shoestring_router_requests_total", { endpoint: "chat", model: "chat", backend: "local", status: "200" })).toBeGreaterThanOrEqual(3);
    expect(sample(text, "shoestring_router_tokens_total", { model: "chat", type: "output" })).toBeGreaterThan(0);
    expect(sample(text, "shoestring_router_time_to_first_token_seconds_count", { model: "chat" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "shoestring_router_overhead_seconds_count", { endpoint: "chat" })).toBeGreaterThan(0);
    expect(sample(text, "shoestring_router_breaker_state", { backend: "local" })).toBe(0);
  });
});
