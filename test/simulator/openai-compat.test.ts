import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { cosineSimilarity } from "../../src/simulator";
import { MODEL, startSimulator, type RunningSimulator } from "./_simulator-fixture";

let running: RunningSimulator | undefined;
afterEach(async () => {
  await running?.sim.close();
  running = undefined;
});

const ask = { model: MODEL, messages: [{ role: "user" as const, content: "Say hello to the cluster" }] };

describe("simulator speaks the OpenAI API as the official SDK sees it", () => {
  it("answers a non-stream chat completion with exactly max_tokens words and usage", async () => {
    running = await startSimulator();
    const reply = await running.client.chat.completions.create({ ...ask, max_tokens: 6 });
    expect(reply.object).toBe("chat.completion");
    expect(reply.model).toBe(MODEL);
    expect(reply.id).toMatch(/^chatcmpl-/);
    expect(typeof reply.created).toBe("number");
    expect(reply.choices[0]?.finish_reason).toBe("length");
    expect(reply.choices[0]?.message.role).toBe("assistant");
    expect(reply.choices[0]?.message.content?.trim().split(" ")).toHaveLength(6);
    // "user: Say hello to the cluster" is 30 characters → ⌈30/4⌉ = 8 prompt tokens.
    expect(reply.usage).toEqual({ prompt_tokens: 8, completion_tokens: 6, total_tokens: 14 });
  });

  it("streams chunks whose deltas add up to the non-stream answer, then a usage chunk and [DONE]", async () => {
    running = await startSimulator();
    const whole = await running.client.chat.completions.create({ ...ask, max_completion_tokens: 5 });
    const stream = await running.client.chat.completions.create({
      ...ask,
      max_completion_tokens: 5,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0]?.id)).toBe(true);
    const finishes = chunks.map((c) => c.choices[0]?.finish_reason ?? null).filter((f) => f !== null);
    expect(finishes).toEqual(["length"]);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 });
  });

  it("frames the raw stream as text/event-stream events separated by blank lines, ending with data: [DONE]", async () => {
    running = await startSimulator();
    const res = await fetch(`${running.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...ask, max_tokens: 3, stream: true }),
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const raw = await res.text();
    const events = raw.split("\n\n").filter((e) => e !== "");
    expect(events.every((e) => e.startsWith("data: ") && !e.includes("\n"))).toBe(true);
    expect(events[events.length - 1]).toBe("data: [DONE]");
    expect(raw.endsWith("\n\n")).toBe(true);
    // role chunk + 3 content chunks, no usage chunk without include_usage
    expect(events).toHaveLength(5);
    expect(raw).not.toContain('"usage"');
  });

  it("ends an uncapped answer naturally with finish_reason stop and the same words every time", async () => {
    running = await startSimulator();
    const a = await running.client.chat.completions.create(ask);
    const b = await running.client.chat.completions.create(ask);
    expect(a.choices[0]?.finish_reason).toBe("stop");
    expect(a.choices[0]?.message.content).toBe(b.choices[0]?.message.content);
    expect(a.usage?.completion_tokens).toBeGreaterThanOrEqual(16);
    expect(a.usage?.completion_tokens).toBeLessThanOrEqual(256);
  });

  it("serves text completions in the text_completion shape, stream and non-stream", async () => {
    running = await startSimulator();
    const reply = await running.client.completions.create({ model: MODEL, prompt: "Once upon a time", max_tokens: 4 });
    expect(reply.object).toBe("text_completion");
    expect(reply.id).toMatch(/^cmpl-/);
    expect(reply.choices[0]?.text.trim().split(" ")).toHaveLength(4);
    expect(reply.usage).toEqual({ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 });
    const stream = await running.client.completions.create({ model: MODEL, prompt: "Once upon a time", max_tokens: 4, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe(reply.choices[0]?.text);
  });

  it("returns base64 embeddings by default (the SDK asks for them) that decode to unit vectors", async () => {
    running = await startSimulator();
    const reply = await running.client.embeddings.create({ model: MODEL, input: ["How do I reset my password?", "how do i reset my password"] });
    expect(reply.data).toHaveLength(2);
    const [a, b] = reply.data.map((d) => d.embedding);
    expect(a).toHaveLength(384);
    const norm = Math.sqrt((a ?? []).reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    expect(cosineSimilarity(a ?? [], b ?? [])).toBeGreaterThan(0.99);
    expect(reply.usage).toEqual({ prompt_tokens: 14, total_tokens: 14 });
  });

  it("returns the same vector as float and as base64, and honours dimensions", async () => {
    running = await startSimulator();
    const input = "semantic cache key";
    const floats = await running.client.embeddings.create({ model: MODEL, input, encoding_format: "float" });
    const b64 = await running.client.embeddings.create({ model: MODEL, input });
    expect(b64.data[0]?.embedding).toEqual(floats.data[0]?.embedding);
    const small = await running.client.embeddings.create({ model: MODEL, input, dimensions: 64 });
    expect(small.data[0]?.embedding).toHaveLength(64);
  });

  it("lists exactly the served model with vLLM's max_model_len", async () => {
    running = await startSimulator();
    const page = await running.client.models.list();
    expect(page.data.map((m) => m.id)).toEqual([MODEL]);
    const raw = (await (await fetch(`${running.url}/v1/models`)).json()) as { data: Array<{ max_model_len: number; owned_by: string }> };
    expect(raw.data[0]).toMatchObject({ max_model_len: 2048, owned_by: "vllm" });
  });
});

describe("simulator rejects bad requests the way vLLM does", () => {
  it("answers 404 NotFoundError for another model name", async () => {
    running = await startSimulator();
    const error = await running.client.chat.completions.create({ ...ask, model: "gpt-4o" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toBe("404 The model `gpt-4o` does not exist.");
  });

  it("answers 400 with vLLM's context-length message when prompt + max_tokens exceeds max_model_len", async () => {
    running = await startSimulator();
    const error = await running.client.chat.completions.create({ ...ask, max_tokens: 2045 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toBe(
      "400 This model's maximum context length is 2048 tokens. However, you requested 2053 tokens " +
        "(8 in the messages, 2045 in the completion). Please reduce the length of the messages or completion.",
    );
  });

  it("answers 400 for n > 1, stream_options without stream, and invalid JSON", async () => {
    running = await startSimulator();
    const n = await running.client.chat.completions.create({ ...ask, n: 2 }).catch((e: unknown) => e);
    expect((n as Error).message).toBe("400 The simulator supports n=1 only (got n=2).");
    const opts = await running.client.chat.completions
      .create({ ...ask, stream_options: { include_usage: true } })
      .catch((e: unknown) => e);
    expect((opts as Error).message).toBe("400 Stream options can only be defined when `stream=True`.");
    const res = await fetch(`${running.url}/v1/chat/completions`, { method: "POST", body: "{nope" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("BadRequestError");
    expect(body.error.message).toMatch(/^The request body is not valid JSON: /);
  });

  it("requires the API key on /v1/* when one is set, but not on /health and /metrics", async () => {
    running = await startSimulator({ apiKey: "sk-test" });
    const wrong = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: "sk-wrong", maxRetries: 0 });
    const error = await wrong.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as Error).message).toBe("401 Invalid or missing API key: send `Authorization: Bearer <key>`.");
    await expect(running.client.models.list()).resolves.toBeDefined();
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
    expect((await fetch(`${running.url}/metrics`)).status).toBe(200);
  });

  it("answers 503 on /health and the API while loading, then 200", async () => {
    running = await startSimulator({ loadingMs: 300 });
    const early = await fetch(`${running.url}/health`);
    expect(early.status).toBe(503);
    const busy = await running.client.chat.completions.create(ask).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(OpenAI.InternalServerError);
    expect((busy as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    await new Promise((r) => setTimeout(r, 350));
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it("answers 404 for unknown paths and 405 for wrong methods, in the error envelope", async () => {
    running = await startSimulator();
    const missing = await fetch(`${running.url}/v2/things`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { message: "No route for GET /v2/things.", type: "NotFoundError", param: null, code: 404 },
    });
    const method = await fetch(`${running.url}/v1/chat/completions`);
    expect(method.status).toBe(405);
  });
});
