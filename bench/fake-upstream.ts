/**
 * @module A fast, OpenAI-shaped fake model server on loopback for router tests and benches (node:http, stream and
 * non-stream chat/completions, embeddings, models) with controllable failures: status + Retry-After, delays,
 * a stream cut after the first event, an error event, a hang, and kill/restart on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { createHash } from "node:crypto";

/** How the fake answers; fields can be changed at any time with {@link FakeUpstream.setBehavior}. */
export interface FakeBehavior {
  /** Answer with this status and an OpenAI error body (when not 2xx). @default 200 */
  status: number;
  /** `Retry-After` header sent with non-2xx answers. */
  retryAfter?: string;
  /** Delay before the response headers, in ms. @default 0 */
  delayMs: number;
  /** Stream: delay between events, in ms. @default 0 (all events in one write) */
  chunkDelayMs: number;
  /** Stream: content events (the finish event and [DONE] come after). @default 4 */
  chunks: number;
  /** Stream: destroy the socket right after the first event. @default false */
  cutAfterFirstChunk: boolean;
  /** Stream: answer 200 with an SSE error event first. @default false */
  errorEvent: boolean;
  /** Never answer (the socket stays open). @default false */
  hang: boolean;
  /** Assistant text; a function sees the parsed request body. @default "Hello from <name>." */
  content: string | ((body: Record<string, unknown>) => string);
}

/** A running fake upstream. */
export interface FakeUpstream {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  /** Loopback port (kept across kill/restart). */
  readonly port: number;
  /** Name used in default answers. */
  readonly name: string;
  /** Requests received (path and parsed body), newest last; kept only when `record` is on. */
  readonly requests: { path: string; body: Record<string, unknown>; headers: IncomingMessage["headers"] }[];
  /** Number of requests received. */
  readonly count: number;
  /** Changes how the fake answers. */
  setBehavior(b: Partial<FakeBehavior>): void;
  /** Stops listening and destroys every open connection (like a crashed server). */
  kill(): Promise<void>;
  /** Listens again on the same port after {@link kill}. */
  restart(): Promise<void>;
  /** Same as kill. */
  close(): Promise<void>;
}

const DEFAULTS: FakeBehavior = { status: 200, delayMs: 0, chunkDelayMs: 0, chunks: 4, cutAfterFirstChunk: false, errorEvent: false, hang: false, content: "" };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function chatCompletion(model: string, content: string, promptTokens: number): Record<string, unknown> {
  return {
    id: "chatcmpl-fake", object: "chat.completion", created: 1_700_000_000, model,
    choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: promptTokens, completion_tokens: content.split(" ").length, total_tokens: promptTokens + content.split(" ").length },
  };
}

function sse(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\n\n`;
}

/** Stream events for chat (`chat.completion.chunk`) or completions (`text_completion`). */
function streamEvents(kind: "chat" | "completions", model: string, content: string, n: number, usage: boolean, promptTokens: number): string[] {
  const words = content.split(" ");
  const per = Math.max(1, Math.ceil(words.length / n));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += per) pieces.push((i === 0 ? "" : " ") + words.slice(i, i + per).join(" "));
  const base = { id: "chatcmpl-fake", created: 1_700_000_000, model };
  const ev: string[] = [];
  if (kind === "chat") {
    ev.push(sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }));
    for (const p of pieces) ev.push(sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: p }, finish_reason: null }] }));
    ev.push(sse({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }));
    if (usage) ev.push(sse({ ...base, object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: pieces.length, total_tokens: promptTokens + pieces.length } }));
  } else {
    for (const p of pieces) ev.push(sse({ ...base, object: "text_completion", choices: [{ index: 0, text: p, finish_reason: null }] }));
    ev.push(sse({ ...base, object: "text_completion", choices: [{ index: 0, text: "", finish_reason: "stop" }] }));
  }
  ev.push("data: [DONE]\n\n");
  return ev;
}

/** A deterministic 8-dim unit vector per input text. */
function embedding(text: string): number[] {
  const h = createHash("sha256").update(text).digest();
  const v = Array.from({ length: 8 }, (_, i) => (h[i] as number) / 255 - 0.5);
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
}

/**
 * Starts the fake on 127.0.0.1.
 * @example const up = await startFakeUpstream({ name: "local" }); up.setBehavior({ status: 503 });
 */
export async function startFakeUpstream(opts: { port?: number; name?: string; record?: boolean; behavior?: Partial<FakeBehavior> } = {}): Promise<FakeUpstream> {
  const name = opts.name ?? "fake";
  let behavior: FakeBehavior = { ...DEFAULTS, content: `Hello from ${name}.`, ...opts.behavior };
  const requests: FakeUpstream["requests"] = [];
  let count = 0;
  const sockets = new Set<Socket>();
  // The hot path of the bench: a fixed non-stream answer serialized once per (model, content).
  const cache = new Map<string, Buffer>();

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> => {
    count++;
    const path = (req.url ?? "/").split("?")[0] as string;
    const b = behavior;
    if (req.method === "GET" && path === "/v1/models") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "fake-model", object: "model", created: 0, owned_by: name }] }));
      return;
    }
    let body: Record<string, unknown> = {};
    try { body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {}; } catch { /* answered below as 400 */ }
    if (opts.record) requests.push({ path, body, headers: req.headers });
    if (b.hang) return;
    if (b.delayMs > 0) await sleep(b.delayMs);
    if (b.status < 200 || b.status >= 300) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (b.retryAfter !== undefined) headers["retry-after"] = b.retryAfter;
      res.writeHead(b.status, headers);
      res.end(JSON.stringify({ error: { message: `fake ${name} says ${b.status}`, type: "server_error", param: null, code: null } }));
      return;
    }
    const model = typeof body.model === "string" ? body.model : "fake-model";
    const content = typeof b.content === "function" ? b.content(body) : b.content;
    const promptTokens = JSON.stringify(body.messages ?? body.prompt ?? "").length >> 2;
    if (path === "/v1/embeddings") {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      const data = inputs.map((t, index) => {
        const v = embedding(String(t));
        return { object: "embedding", index, embedding: body.encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v };
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }));
      return;
    }
    const kind = path === "/v1/completions" ? "completions" : "chat";
    if (body.stream === true) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      if (b.errorEvent) {
        res.end(sse({ error: { message: `fake ${name} failed`, type: "server_error", param: null, code: null } }));
        return;
      }
      const so = body.stream_options as { include_usage?: boolean } | undefined;
      const events = streamEvents(kind, model, content, b.chunks, so?.include_usage === true, promptTokens);
      if (b.cutAfterFirstChunk) {
        res.write(events[0]);
        await sleep(5);
        res.socket?.destroy();
        return;
      }
      if (b.chunkDelayMs === 0) { res.end(events.join("")); return; }
      for (const e of events) {
        if (res.destroyed) return;
        res.write(e);
        await sleep(b.chunkDelayMs);
      }
      res.end();
      return;
    }
    const key = `${kind}\u0000${model}\u0000${content}\u0000${promptTokens}`;
    let out = cache.get(key);
    if (!out) {
      const obj = kind === "chat" ? chatCompletion(model, content, promptTokens)
        : { id: "cmpl-fake", object: "text_completion", created: 1_700_000_000, model, choices: [{ index: 0, text: content, logprobs: null, finish_reason: "stop" }], usage: { prompt_tokens: promptTokens, completion_tokens: 3, total_tokens: promptTokens + 3 } };
      out = Buffer.from(JSON.stringify(obj));
      if (cache.size < 1000) cache.set(key, out);
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": String(out.length) });
    res.end(out);
  };

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => { raw += c; });
    req.on("end", () => { handle(req, res, raw).catch(() => res.destroy()); });
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (s: Socket) => { sockets.add(s); s.once("close", () => sockets.delete(s)); });
  const listen = (port: number): Promise<number> => new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => { server.off("error", reject); resolve((server.address() as { port: number }).port); });
  });
  const port = await listen(opts.port ?? 0);
  const kill = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    name,
    requests,
    get count() { return count; },
    setBehavior: (b) => { behavior = { ...behavior, ...b }; },
    kill,
    restart: async () => { await kill(); await listen(port); },
    close: kill,
  };
}
