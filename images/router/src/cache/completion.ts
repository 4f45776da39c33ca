/** @module Which responses may be cached, and how a stored one is handed back. */
import { randomBytes } from "node:crypto";

/** Finish reasons of a complete, reproducible answer (`length` is reproducible given the same max_tokens). */
const CACHEABLE_FINISH = new Set(["stop", "length"]);

/** Largest serialized completion stored, in bytes; bigger answers are served but not cached. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/**
 * True for a finished `chat.completion` / `text_completion` whose every choice ended with
 * `stop` or `length` and carries text: no tool calls, no content filter, no truncated stream.
 */
export function isCacheableCompletion(kind: "chat" | "completions", completion: Record<string, unknown>): boolean {
  const expected = kind === "chat" ? "chat.completion" : "text_completion";
  if (completion.object !== expected) return false;
  const choices = completion.choices;
  if (!Array.isArray(choices) || choices.length === 0) return false;
  return choices.every((c: unknown) => {
    if (typeof c !== "object" || c === null) return false;
    const choice = c as Record<string, unknown>;
    if (typeof choice.finish_reason !== "string" || !CACHEABLE_FINISH.has(choice.finish_reason)) return false;
    if (kind === "completions") return typeof choice.text === "string";
    const msg = choice.message as Record<string, unknown> | undefined;
    if (typeof msg !== "object" || msg === null || typeof msg.content !== "string") return false;
    const tools = msg.tool_calls;
    return !(Array.isArray(tools) && tools.length > 0) && msg.function_call == null;
  });
}

/**
 * A stored completion as served on a hit: same content, usage and `created`, but a fresh `id` so
 * two answers never share one (clients and logs key on it).
 */
export function asServedHit(stored: Record<string, unknown>, kind: "chat" | "completions"): Record<string, unknown> {
  const prefix = kind === "chat" ? "chatcmpl-" : "cmpl-";
  return { ...stored, id: `${prefix}${randomBytes(12).toString("hex")}` };
}
