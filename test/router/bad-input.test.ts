import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { startFakeUpstream, type FakeUpstream } from "../../bench/fake-upstream";
import { chat, startRouter, type TestRouter } from "./router-harness";

const ENVELOPE_KEYS = ["code", "message", "param", "type"];

describe("bad input gets an OpenAI-shaped 4xx and never hurts the router", () => {
  let up: FakeUpstream;
  let router: TestRouter;

  beforeAll(async () => {
    up = await startFakeUpstream({ name: "local" });
    router = await startRouter({ upstream: up.url, maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await router.close();
    await up.close();
  });

  const errorOf = async (r: Response): Promise<{ code: string; message: string; param: string | null; type: string }> => {
    expect(r.headers.get("content-type")).toBe("application/json");
    const body = (await r.json()) as { error: { code: string; message: string; param: string | null; type: string } };
    expect(Object.keys(body.error).sort()).toEqual(ENVELOPE_KEYS);
    return body.error;
  };

  it("answers malformed JSON with 400 invalid_json", async () => {
    const r = await router.post("/v1/chat/completions", '{"model": "m", "messages": [');
    expect(r.status).toBe(400);
    const e = await errorOf(r);
    expect(e.code).toBe("invalid_json");
    expect(e.type).toBe("invalid_request_error");
    expect(e.message).toMatch(/^We could not parse the JSON body of your request \(.+\)\. Send a JSON object with Content-Type: application\/json\.$/);
  });

  it("answers wrong types with 400 naming the field", async () => {
    const r = await router.post("/v1/chat/completions", JSON.stringify({ model: "m", messages: "hi" }));
    expect(r.status).toBe(400);
    expect(await errorOf(r)).toEqual({ code: "invalid_request", type: "invalid_request_error", param: "messages", message: "messages: expected a non-empty array (got string)." });
  });

  it("answers an oversized body with 413, by Content-Length and by counting chunked bytes", async () => {
    const big = JSON.stringify(chat("x".repeat(70 * 1024)));
    const r = await router.post("/v1/chat/completions", big);
    expect(r.status).toBe(413);
    expect(await errorOf(r)).toMatchObject({ code: "body_too_large", message: `Request body is ${Buffer.byteLength(big)} bytes; the limit is 65536 bytes. Send a smaller body or raise --max-body-bytes.` });
    const chunked = new ReadableStream<Uint8Array>({
      start(c) { for (let i = 0; i < 80; i++) c.enqueue(new TextEncoder().encode("x".repeat(1024))); c.close(); },
    });
    const r2 = await fetch(`${router.origin}/v1/chat/completions`, { method: "POST", body: chunked, duplex: "half", headers: { "content-type": "application/json" } } as RequestInit);
    expect(r2.status).toBe(413);
    expect((await errorOf(r2)).message).toBe("Request body is more than 65536 bytes; the limit is 65536 bytes. Send a smaller body or raise --max-body-bytes.");
  });

  it("survives arbitrary request bodies: every answer is 200 or an OpenAI-shaped 4xx", async () => {
    const arbitraryBody = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.record({
        model: fc.oneof(fc.constant("m"), fc.jsonValue()),
        messages: fc.oneof(fc.array(fc.record({ role: fc.oneof(fc.constant("user"), fc.jsonValue()), content: fc.oneof(fc.string(), fc.jsonValue()) }), { maxLength: 3 }), fc.jsonValue()),
        stream: fc.oneof(fc.boolean(), fc.jsonValue()),
        temperature: fc.oneof(fc.double(), fc.jsonValue()),
      }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(fc.asyncProperty(arbitraryBody, fc.constantFrom("/v1/chat/completions", "/v1/completions", "/v1/embeddings"), async (body, path) => {
      const r = await router.post(path, body);
      if (r.status === 200) { await r.arrayBuffer(); return; }
      expect([400, 404, 413]).toContain(r.status);
      await errorOf(r);
    }), { numRuns: 300 });
    const ok = await router.post("/v1/chat/completions", JSON.stringify(chat("still alive?", { model: "m" })));
    expect(ok.status).toBe(200);
  });
});
