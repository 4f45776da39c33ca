/**
 * @module Canonical request identity: the exact-cache key and the semantic scope (compatibility
 * fingerprint), both SHA-256 over canonical JSON.
 *
 * What goes in: tenant, resolved model, kind, every message (role, normalized content, name,
 * tool calls, any other field) or the prompt, and every body field except the transport-only ones
 * in {@link TRANSPORT_ONLY_FIELDS}. Unknown fields (vLLM's `top_k`, `chat_template_kwargs`, …) are
 * included on purpose: a parameter we do not know might change the answer. `user` is included too:
 * apps that set it may personalize by it, and a shared answer across end users is the leak
 * vllm-project/semantic-router#1448 describes.
 */
import { createHash } from "node:crypto";
import { contentText, embeddingText, normalizeContent, normalizeWhitespace } from "./normalize";
import type { CacheLookupContext } from "./types";

/** Versioned Redis key prefix; bump the version when the key or entry format changes. */
export const KEY_PREFIX = "shoestring:cache:v1:";

/**
 * Body fields that only change how the answer is delivered, not what it is. A stream and a JSON
 * request share entries: hits are replayed in the format the request asked for.
 */
export const TRANSPORT_ONLY_FIELDS: ReadonlySet<string> = new Set(["model", "messages", "prompt", "stream", "stream_options"]);

/** JSON with object keys sorted at every level and `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) return "null";
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** Hex SHA-256 of a string. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Generation parameters: every body field that is not transport-only. */
export function generationParams(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (!TRANSPORT_ONLY_FIELDS.has(k)) out[k] = v;
  return out;
}

function normalizeMessage(m: unknown): unknown {
  if (typeof m !== "object" || m === null) return m;
  const msg = m as Record<string, unknown>;
  return "content" in msg ? { ...msg, content: normalizeContent(msg.content) } : msg;
}

function normalizedInput(ctx: CacheLookupContext): unknown {
  if (ctx.kind === "chat") {
    const messages = ctx.body.messages;
    return Array.isArray(messages) ? messages.map(normalizeMessage) : messages;
  }
  const prompt = ctx.body.prompt;
  if (typeof prompt === "string") return normalizeWhitespace(prompt);
  return prompt;
}

/** The exact-cache key: `shoestring:cache:v1:x:<sha256>`. */
export function exactKey(ctx: CacheLookupContext): string {
  const identity = { tenant: ctx.tenant, model: ctx.model, kind: ctx.kind, input: normalizedInput(ctx), params: generationParams(ctx.body) };
  return `${KEY_PREFIX}x:${sha256Hex(canonicalJson(identity))}`;
}

/** Where a request may look for semantic matches, and what it embeds. */
export type SemanticTarget =
  | { ok: true; scope: string; guardText: string; embedText: string; userTurns: number }
  | { ok: false; reason: "unsupported" };

/**
 * The semantic scope and the text to embed. The scope hashes everything except the last user
 * message's text (vLLM-SR's compatibility fingerprint), plus tenant and embedder, so a match can only
 * come from a request that differs in that one text. Eligible: chat whose last message is a text-only
 * user message, or a completion with a single string prompt.
 */
export function semanticTarget(ctx: CacheLookupContext, embedderId: string): SemanticTarget {
  const params = generationParams(ctx.body);
  let last: string | undefined;
  let fingerprintInput: unknown;
  let userTurns = 1;
  if (ctx.kind === "chat") {
    const messages = ctx.body.messages;
    if (!Array.isArray(messages) || messages.length === 0) return { ok: false, reason: "unsupported" };
    const lastMsg: unknown = messages[messages.length - 1];
    if (typeof lastMsg !== "object" || lastMsg === null) return { ok: false, reason: "unsupported" };
    const { content, ...lastRest } = lastMsg as Record<string, unknown>;
    if (lastRest.role !== "user") return { ok: false, reason: "unsupported" };
    last = contentText(content);
    userTurns = messages.filter((m: unknown) => (m as { role?: unknown } | null)?.role === "user").length;
    fingerprintInput = { history: messages.slice(0, -1).map(normalizeMessage), last: lastRest };
  } else {
    if (typeof ctx.body.prompt !== "string") return { ok: false, reason: "unsupported" };
    last = ctx.body.prompt;
    fingerprintInput = { prompt: true };
  }
  if (last === undefined) return { ok: false, reason: "unsupported" };
  const guardText = normalizeWhitespace(last);
  if (guardText === "") return { ok: false, reason: "unsupported" };
  const identity = { tenant: ctx.tenant, model: ctx.model, kind: ctx.kind, embedder: embedderId, input: fingerprintInput, params };
  const scope = sha256Hex(canonicalJson(identity)).slice(0, 32);
  return { ok: true, scope, guardText, embedText: embeddingText(last), userTurns };
}

/** Redis keys of one semantic scope. */
export function scopeKeys(scope: string): { log: string; entry: (id: string) => string } {
  const base = `${KEY_PREFIX}s:${scope}:`;
  return { log: `${base}log`, entry: (id) => `${base}e:${id}` };
}
