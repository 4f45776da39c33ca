/**
 * @module Rebuilds a `chat.completion` / `text_completion` from the SSE bytes of a streamed answer,
 * so a stream can be cached once it has completed. Incremental: each byte is scanned once.
 */
import { StringDecoder } from "node:string_decoder";

/** Feeds SSE bytes in, and gives the assembled completion once the stream completed. */
export interface StreamAssembler {
  /** Appends raw SSE bytes as they arrive (any split, including mid UTF-8 character or mid line). */
  push(sseBytes: Buffer | string): void;
  /**
   * The assembled completion, only when the stream completed: `data: [DONE]` was seen, every choice
   * has a `finish_reason`, and no error event or tool-call delta appeared. Otherwise undefined.
   */
  result(): Record<string, unknown> | undefined;
}

interface ChoiceState {
  index: number;
  role: string;
  text: Record<string, string>;
  logprobs: Record<string, unknown[]> | null;
  finish: string | null;
}

const TEXT_FIELDS_CHAT = ["content", "refusal", "reasoning_content", "reasoning"];

function appendLogprobs(state: ChoiceState, lp: unknown): void {
  if (typeof lp !== "object" || lp === null) return;
  state.logprobs ??= {};
  for (const [k, v] of Object.entries(lp as Record<string, unknown>)) {
    if (Array.isArray(v)) (state.logprobs[k] ??= []).push(...(v as unknown[]));
  }
}

/**
 * Creates an assembler for one streamed response.
 * @example
 * const asm = createStreamAssembler("chat");
 * upstream.on("data", (b) => { client.write(b); asm.push(b); });
 * upstream.on("end", () => { const c = asm.result(); if (c) void cache.store(ctx, c); });
 */
export function createStreamAssembler(kind: "chat" | "completions"): StreamAssembler {
  const decoder = new StringDecoder("utf8");
  let buffer = "";
  let done = false;
  let broken = false;
  const meta: Record<string, unknown> = {};
  let usage: unknown;
  const choices = new Map<number, ChoiceState>();

  function onData(data: string): void {
    if (data === "[DONE]") { done = true; return; }
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(data) as Record<string, unknown>;
    } catch {
      broken = true;
      return;
    }
    if (chunk.error !== undefined) { broken = true; return; }
    for (const k of ["id", "created", "model", "system_fingerprint", "service_tier"]) {
      if (meta[k] === undefined && chunk[k] !== undefined && chunk[k] !== null) meta[k] = chunk[k];
    }
    if (chunk.usage !== undefined && chunk.usage !== null) usage = chunk.usage;
    if (!Array.isArray(chunk.choices)) return;
    for (const raw of chunk.choices as unknown[]) {
      const c = raw as Record<string, unknown>;
      const index = typeof c.index === "number" ? c.index : 0;
      let st = choices.get(index);
      if (!st) { st = { index, role: "assistant", text: {}, logprobs: null, finish: null }; choices.set(index, st); }
      if (kind === "chat") {
        const delta = (c.delta ?? {}) as Record<string, unknown>;
        if (typeof delta.role === "string") st.role = delta.role;
        for (const f of TEXT_FIELDS_CHAT) if (typeof delta[f] === "string") st.text[f] = (st.text[f] ?? "") + (delta[f] as string);
        if ((Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) || delta.function_call != null) broken = true;
      } else if (typeof c.text === "string") {
        st.text.text = (st.text.text ?? "") + c.text;
      }
      appendLogprobs(st, c.logprobs);
      if (typeof c.finish_reason === "string") st.finish = c.finish_reason;
    }
  }

  function onEvent(block: string): void {
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
    }
    if (data.length > 0) onData(data.join("\n"));
  }

  return {
    push(sseBytes) {
      let text = typeof sseBytes === "string" ? sseBytes : decoder.write(sseBytes);
      text = buffer + text;
      // A lone trailing \r may be the first half of \r\n: keep it for the next push.
      const keepCr = text.endsWith("\r");
      if (keepCr) text = text.slice(0, -1);
      text = text.replace(/\r\n?/g, "\n");
      let start = 0;
      for (let end = text.indexOf("\n\n", start); end !== -1; end = text.indexOf("\n\n", start)) {
        onEvent(text.slice(start, end));
        start = end + 2;
      }
      buffer = text.slice(start) + (keepCr ? "\r" : "");
    },
    result() {
      // Some servers end with "data: [DONE]\n" and close; accept that, but never a half-received JSON event.
      const ended = done || /^data: ?\[DONE\]$/.test(buffer.trim());
      if (!ended || broken || choices.size === 0) return undefined;
      const ordered = [...choices.values()].sort((a, b) => a.index - b.index);
      if (ordered.some((c) => c.finish === null)) return undefined;
      const out: Record<string, unknown> = {
        id: meta.id,
        object: kind === "chat" ? "chat.completion" : "text_completion",
        created: meta.created,
        model: meta.model,
        choices: ordered.map((c) => {
          if (kind === "completions") return { index: c.index, text: c.text.text ?? "", logprobs: c.logprobs, finish_reason: c.finish };
          const message = { role: c.role, content: c.text.content ?? "", ...omit(c.text, "content") };
          return { index: c.index, message, logprobs: c.logprobs, finish_reason: c.finish };
        }),
      };
      if (meta.system_fingerprint !== undefined) out.system_fingerprint = meta.system_fingerprint;
      if (meta.service_tier !== undefined) out.service_tier = meta.service_tier;
      if (usage !== undefined) out.usage = usage;
      return out;
    },
  };
}

function omit(obj: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _drop, ...rest } = obj;
  return rest;
}
