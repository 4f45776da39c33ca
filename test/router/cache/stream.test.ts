import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completionToSse, createStreamAssembler } from "../../../images/router/src/cache";
import { chatCompletion } from "./fixtures";

/** Upstream-style chat SSE (vLLM shape): role chunk, content deltas, finish chunk, usage chunk, [DONE]. */
function upstreamChatSse(parts: string[], opts: { finish?: string | null; done?: boolean; n?: number } = {}): string {
  const n = opts.n ?? 1;
  const base = { id: "chatcmpl-up", object: "chat.completion.chunk", created: 1_700_000_000, model: "small" };
  const frames: string[] = [];
  for (let i = 0; i < n; i++) frames.push(`data: ${JSON.stringify({ ...base, choices: [{ index: i, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }] })}\n\n`);
  for (const p of parts) for (let i = 0; i < n; i++) frames.push(`data: ${JSON.stringify({ ...base, choices: [{ index: i, delta: { content: p }, logprobs: null, finish_reason: null }] })}\n\n`);
  if (opts.finish !== null) for (let i = 0; i < n; i++) frames.push(`data: ${JSON.stringify({ ...base, choices: [{ index: i, delta: {}, logprobs: null, finish_reason: opts.finish ?? "stop" }] })}\n\n`);
  frames.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 5, completion_tokens: parts.length, total_tokens: 5 + parts.length } })}\n\n`);
  if (opts.done !== false) frames.push("data: [DONE]\n\n");
  return frames.join("");
}

function feed(kind: "chat" | "completions", sse: string, split: (s: string) => (string | Buffer)[]): Record<string, unknown> | undefined {
  const asm = createStreamAssembler(kind);
  for (const piece of split(sse)) asm.push(piece);
  return asm.result();
}

const whole = (s: string) => [s];
const bytewise = (s: string) => [...Buffer.from(s, "utf8")].map((b) => Buffer.from([b]));
const crlf = (s: string) => [s.replace(/\n/g, "\r\n")];

describe("createStreamAssembler", () => {
  it.each([
    ["in one piece", whole],
    ["one byte at a time (split inside UTF-8 and \\r\\n)", bytewise],
    ["with CRLF framing", crlf],
  ])("rebuilds the chat completion from a stream delivered %s", (_name, split) => {
    const out = feed("chat", upstreamChatSse(["Héllo", " wörld", " 🚀"]), split);
    expect(out).toEqual({
      id: "chatcmpl-up",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "small",
      choices: [{ index: 0, message: { role: "assistant", content: "Héllo wörld 🚀" }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
  });

  it("keeps n > 1 choices apart", () => {
    const out = feed("chat", upstreamChatSse(["a", "b"], { n: 2 }), whole) as { choices: { index: number; message: { content: string } }[] };
    expect(out.choices.map((c) => [c.index, c.message.content])).toEqual([[0, "ab"], [1, "ab"]]);
  });

  it.each([
    ["no [DONE]", upstreamChatSse(["a"], { done: false })],
    ["no finish_reason", upstreamChatSse(["a"], { finish: null })],
    ["a mid-stream error event", `${upstreamChatSse(["a"], { done: false })}data: {"error":{"message":"upstream died"}}\n\n`],
    ["a tool-call delta", `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "t" }] }, finish_reason: "tool_calls" }] })}\n\ndata: [DONE]\n\n`],
    ["an empty stream", "data: [DONE]\n\n"],
  ])("returns nothing for a stream with %s", (_name, sse) => {
    expect(feed("chat", sse, whole)).toBeUndefined();
  });

  it("accepts a final [DONE] without the trailing blank line, but not a half event", () => {
    const sse = upstreamChatSse(["a"], { done: false });
    expect(feed("chat", `${sse}data: [DONE]\n`, whole)).toBeDefined();
    const asm = createStreamAssembler("chat");
    asm.push(`${sse}data: {"id":`);
    expect(asm.result()).toBeUndefined();
  });

  it("concatenates vLLM reasoning_content and chat logprobs", () => {
    const base = { id: "c", object: "chat.completion.chunk", created: 1, model: "m" };
    const lp = (t: string) => ({ content: [{ token: t, logprob: -0.1, top_logprobs: [] }] });
    const sse = [
      { ...base, choices: [{ index: 0, delta: { role: "assistant", reasoning_content: "think " }, logprobs: null, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { reasoning_content: "more", content: "A" }, logprobs: lp("A"), finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: "B" }, logprobs: lp("B"), finish_reason: "stop" }] },
    ].map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
    expect(feed("chat", sse, whole)).toMatchObject({
      choices: [{ message: { role: "assistant", content: "AB", reasoning_content: "think more" }, logprobs: { content: [{ token: "A" }, { token: "B" }] }, finish_reason: "stop" }],
    });
  });

  it("rebuilds a text_completion stream", () => {
    const base = { id: "cmpl-1", object: "text_completion", created: 2, model: "m" };
    const sse = [
      { ...base, choices: [{ index: 0, text: "Once", logprobs: null, finish_reason: null }] },
      { ...base, choices: [{ index: 0, text: " upon", logprobs: null, finish_reason: "length" }] },
    ].map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
    expect(feed("completions", sse, whole)).toEqual({ ...base, choices: [{ index: 0, text: "Once upon", logprobs: null, finish_reason: "length" }] });
  });
});

describe("completionToSse", () => {
  it("round-trips through the assembler to the same completion", () => {
    const original = chatCompletion("Redis keeps data in memory.\nLine two.", { system_fingerprint: "fp1" });
    const replayed = feed("chat", completionToSse(original, { includeUsage: true }), bytewise);
    expect(replayed).toEqual(original);
  });

  it("round-trips a text completion", () => {
    const original = { id: "cmpl-9", object: "text_completion", created: 3, model: "m", choices: [{ index: 0, text: "abc", logprobs: null, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
    expect(feed("completions", completionToSse(original, { includeUsage: true }), whole)).toEqual(original);
  });

  it("frames every event with a blank line and ends with [DONE]", () => {
    const sse = completionToSse(chatCompletion("hi"));
    expect(sse.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(sse.split("\n\n").filter(Boolean).every((e) => e.startsWith("data: "))).toBe(true);
    expect(sse).not.toContain('"usage"');
  });

  describe("with the openai SDK", () => {
    let server: Server;
    let client: OpenAI;
    const stored = chatCompletion("Cached answer ✓", { model: "small" });

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = "";
        req.on("data", (d: Buffer) => { body += d.toString(); });
        req.on("end", () => {
          const includeUsage = (JSON.parse(body) as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage === true;
          res.writeHead(200, { "content-type": "text/event-stream" }).end(completionToSse(stored, { includeUsage }));
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      client = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: "dummy", maxRetries: 0, timeout: 5000 });
    });
    afterAll(async () => {
      await new Promise((r) => server.close(r));
    });

    it("streams the cached content, finish reason and usage", async () => {
      const stream = await client.chat.completions.create({ model: "small", messages: [{ role: "user", content: "q" }], stream: true, stream_options: { include_usage: true } });
      let text = "";
      let finish: string | null | undefined;
      let usage: unknown;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? "";
        finish ??= chunk.choices[0]?.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe("Cached answer ✓");
      expect(finish).toBe("stop");
      expect(usage).toEqual(stored.usage);
    });

    it("assembles a final chat completion with the SDK's stream helper", async () => {
      const final = await client.chat.completions.stream({ model: "small", messages: [{ role: "user", content: "q" }] }).finalChatCompletion();
      expect(final.choices[0]?.message.content).toBe("Cached answer ✓");
      expect(final.choices[0]?.finish_reason).toBe("stop");
    });
  });
});
