/** @module Sends one chat completion and measures it: TTFT, inter-token gaps, tokens, or why it failed. */
import { errors, type Dispatcher } from "undici";
import { SseReader } from "./sse-reader";

/** Outcome of one request; times in ms from just before the request was sent. */
export type RequestResult =
  | {
      ok: true;
      /** Time to the first non-empty content token; null for non-stream requests. */
      ttftMs: number | null;
      /** Gaps between consecutive content chunks (stream only). */
      gapsMs: number[];
      e2eMs: number;
      /** Output tokens: `usage.completion_tokens` when sent, else content chunks (or ⌈chars/4⌉). */
      outputTokens: number;
    }
  | { ok: false; reason: string; detail: string; e2eMs: number };

/** What to send. */
export interface RequestSpec {
  /** Path of the chat completions endpoint, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** The JSON body (already carrying model, messages, max_tokens, stream). */
  body: string;
  stream: boolean;
  /** Aborts the request (deadline or user stop). */
  signal: AbortSignal;
}

interface Chunk {
  error?: { message?: string } | string;
  choices?: Array<{ delta?: { content?: string | null }; message?: { content?: string | null }; text?: string }>;
  usage?: { completion_tokens?: number } | null;
}

const fail = (reason: string, detail: string, started: number): RequestResult => ({
  ok: false,
  reason,
  detail: detail.slice(0, 300),
  e2eMs: performance.now() - started,
});

/** Sends `spec` through `dispatcher` and measures it; never throws. */
export async function sendBenchRequest(dispatcher: Dispatcher, spec: RequestSpec): Promise<RequestResult> {
  const started = performance.now();
  let response: Dispatcher.ResponseData;
  try {
    response = await dispatcher.request({
      path: spec.path,
      method: "POST",
      headers: spec.headers,
      body: spec.body,
      signal: spec.signal,
    });
  } catch (error) {
    return fail(...classify(error, spec.signal), started);
  }
  if (response.statusCode >= 400) {
    const text = await response.body.text().catch(() => "");
    return fail(`http_${response.statusCode}`, errorMessage(text), started);
  }
  try {
    return spec.stream ? await readStream(response, started) : await readJson(response, started);
  } catch (error) {
    return fail(...classify(error, spec.signal, true), started);
  }
}

async function readJson(response: Dispatcher.ResponseData, started: number): Promise<RequestResult> {
  const text = await response.body.text();
  let body: Chunk;
  try {
    body = JSON.parse(text) as Chunk;
  } catch {
    return fail("invalid_response", `not JSON: ${text}`, started);
  }
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== "string") return fail("invalid_response", `no choices[0].message.content in: ${text}`, started);
  const tokens = body.usage?.completion_tokens ?? Math.ceil(content.length / 4);
  return { ok: true, ttftMs: null, gapsMs: [], e2eMs: performance.now() - started, outputTokens: tokens };
}

async function readStream(response: Dispatcher.ResponseData, started: number): Promise<RequestResult> {
  const reader = new SseReader();
  const gapsMs: number[] = [];
  let ttftMs: number | null = null;
  let lastAt = 0;
  let chunks = 0;
  let usageTokens: number | undefined;
  let doneAt: number | undefined;
  // Keep reading after [DONE] until the body ends, so the pooled connection stays reusable.
  for await (const bytes of response.body as AsyncIterable<Buffer>) {
    if (doneAt !== undefined) continue;
    const now = performance.now();
    for (const data of reader.push(bytes)) {
      if (data === "[DONE]") {
        doneAt = now;
        break;
      }
      let chunk: Chunk;
      try {
        chunk = JSON.parse(data) as Chunk;
      } catch {
        return fail("invalid_response", `SSE data is not JSON: ${data}`, started);
      }
      if (chunk.error !== undefined) return fail("stream_error", errorMessage(JSON.stringify(chunk)), started);
      if (typeof chunk.usage?.completion_tokens === "number") usageTokens = chunk.usage.completion_tokens;
      const content = chunk.choices?.[0]?.delta?.content;
      if (typeof content !== "string" || content === "") continue;
      chunks += 1;
      if (ttftMs === null) ttftMs = now - started;
      else gapsMs.push(now - lastAt);
      lastAt = now;
    }
  }
  if (doneAt === undefined) {
    return fail("incomplete_stream", `the stream ended without data: [DONE] after ${chunks} content chunks`, started);
  }
  if (ttftMs === null) return fail("empty_stream", "the stream sent [DONE] before any content", started);
  return { ok: true, ttftMs, gapsMs, e2eMs: doneAt - started, outputTokens: usageTokens ?? chunks };
}

/** Maps a thrown error to a stable reason and a detail line. */
function classify(error: unknown, signal: AbortSignal, afterHeaders = false): [string, string] {
  const err = error as { code?: string; message?: string; name?: string };
  const message = err?.message ?? String(error);
  if (signal.aborted) {
    const why = signal.reason as { name?: string } | undefined;
    return why?.name === "TimeoutError" ? ["timeout", "no complete answer before the request timeout"] : ["aborted", message];
  }
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) return ["timeout", message];
  if (err?.code === "ECONNREFUSED") return ["connection_refused", message];
  if (afterHeaders || error instanceof errors.SocketError || err?.code === "ECONNRESET") return ["disconnected", message];
  return ["network_error", `${err?.code ?? err?.name ?? "Error"}: ${message}`];
}

/** Pulls `error.message` out of an OpenAI error body, else returns the raw text. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    if (typeof body.error === "string") return body.error;
    return body.error?.message ?? body.message ?? text;
  } catch {
    return text;
  }
}
