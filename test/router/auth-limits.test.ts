import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import { sample, startRouter, type TestRouter } from "./router-harness";

type ApiError = InstanceType<typeof OpenAI.APIError>;
const sha = (k: string) => `sha256:${createHash("sha256").update(k).digest("hex")}`;
const ask = (c: OpenAI) => c.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });

describe("auth and per-key limits over HTTP", () => {
  let up: FakeUpstream;
  let router: TestRouter;

  beforeAll(async () => {
    up = await startFakeUpstream({ name: "local" });
    router = await startRouter({
      upstream: up.url,
      tenants: [
        { id: "small", keys: [sha("sk-small-key-000001")], rpm: 2 },
        { id: "tokens", keys: ["env:TOKENS_KEY"], tpm: 50 },
        { id: "free", keys: [sha("sk-free-key-0000001")] },
      ],
    }, { env: { TOKENS_KEY: "sk-tokens-key-00001" } });
  });
  afterAll(async () => {
    await router.close();
    await up.close();
  });

  it("refuses a request without a key with 401 missing_api_key", async () => {
    const r = await fetch(`${router.origin}/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ error: { message: "You didn't provide an API key. Send it in the Authorization header as `Authorization: Bearer YOUR_KEY`.", type: "invalid_request_error", param: null, code: "missing_api_key" } });
  });

  it("refuses a wrong key through the SDK as AuthenticationError", async () => {
    const err = await ask(router.client("sk-wrong-key-123456")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as ApiError).code).toBe("invalid_api_key");
    expect(sample(await router.metrics(), "shoestring_router_auth_failures_total", { code: "invalid_api_key" })).toBe(1);
  });

  it("leaves /health, /ready and /metrics open for probes and scrapers", async () => {
    expect((await fetch(`${router.origin}/health`)).status).toBe(200);
    expect((await fetch(`${router.origin}/metrics`)).status).toBe(200);
  });

  it("enforces requests per minute per key with 429, Retry-After and x-ratelimit headers", async () => {
    const c = router.client("sk-small-key-000001");
    await ask(c);
    await ask(c);
    const err = await ask(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as ApiError;
    expect(e.code).toBe("rate_limit_exceeded");
    expect(e.type).toBe("requests");
    expect(Number(e.headers?.get("retry-after"))).toBeGreaterThan(0);
    expect(e.headers?.get("x-ratelimit-limit-requests")).toBe("2");
    await ask(router.client("sk-free-key-0000001"));
    expect(sample(await router.metrics(), "shoestring_router_rate_limited_total", { tenant: "small", limit: "requests" })).toBe(1);
  });

  it("charges prompt and completion tokens and enforces tokens per minute", async () => {
    const c = router.client("sk-tokens-key-00001");
    let refused: ApiError | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      try { await ask(c); } catch (e) { refused = e as ApiError; }
    }
    expect(refused?.status).toBe(429);
    expect(refused?.type).toBe("tokens");
    expect(refused?.message).toMatch(/^429 Rate limit reached for key [0-9a-f]{12} of tenant "tokens" on tokens per min \(TPM\): Limit 50, Used \d+, Requested \d+\. Try again in \d+s\.$/);
  });
});
