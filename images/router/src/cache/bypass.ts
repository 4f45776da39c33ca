/**
 * @module Bypass rules: requests whose answer is not a function of the request alone skip both
 * cache layers (sampling, tools, time-dependent prompts, `Cache-Control`).
 * @see /work/shared/reference/routers.md §7 lesson 6
 */
import { isCacheEnabled, ttlSecondsFor, type CacheConfig } from "./config";
import { contentText, proseOnly } from "./normalize";
import type { CacheBypassReason, CacheLookupContext } from "./types";

/** The two `Cache-Control` request directives the cache honors. */
export interface CacheControl {
  /** `no-cache`: do not answer from the cache (the fresh answer may still be stored). */
  noCache: boolean;
  /** `no-store`: neither answer from nor write to the cache. */
  noStore: boolean;
}

/** Parses a `Cache-Control` request header (directives are case-insensitive, comma-separated). */
export function parseCacheControl(header: string | undefined): CacheControl {
  const directives = new Set((header ?? "").split(",").map((d) => d.trim().toLowerCase().split("=")[0]));
  return { noCache: directives.has("no-cache"), noStore: directives.has("no-store") };
}

/** Compiles the freshness cues into one case-insensitive, word-bounded matcher. */
export function compileFreshnessCues(cues: readonly string[]): RegExp | undefined {
  if (cues.length === 0) return undefined;
  const escaped = cues.map((c) => c.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"));
  return new RegExp(`(?<![\\w-])(?:${escaped.join("|")})(?![\\w-])`, "i");
}

function usesTools(body: Record<string, unknown>): boolean {
  const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  if (nonEmpty(body.tools) || nonEmpty(body.functions) || nonEmpty(body.tool_choice) || nonEmpty(body.function_call)) return true;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return messages.some((m: unknown) => {
    if (typeof m !== "object" || m === null) return false;
    const msg = m as Record<string, unknown>;
    return msg.role === "tool" || msg.role === "function" || nonEmpty(msg.tool_calls) || nonEmpty(msg.function_call);
  });
}

/** Texts a freshness cue is searched in: user messages (chat) or the prompt (completions), prose only. */
function userTexts(ctx: CacheLookupContext): string[] {
  if (ctx.kind === "completions") {
    const p = ctx.body.prompt;
    const prompts = Array.isArray(p) ? p : [p];
    return prompts.filter((x): x is string => typeof x === "string").map(proseOnly);
  }
  const messages = Array.isArray(ctx.body.messages) ? ctx.body.messages : [];
  const out: string[] = [];
  for (const m of messages) {
    const msg = m as Record<string, unknown> | null;
    if (msg?.role !== "user") continue;
    const text = contentText(msg.content);
    if (text !== undefined) out.push(proseOnly(text));
  }
  return out;
}

function wellFormed(ctx: CacheLookupContext): boolean {
  if (ctx.kind === "chat") return Array.isArray(ctx.body.messages) && ctx.body.messages.length > 0;
  const p = ctx.body.prompt;
  return typeof p === "string" || (Array.isArray(p) && p.length > 0);
}

/**
 * Why the cache must step aside for this request, or undefined when it may be used. The order is
 * fixed so the reported reason is stable: disabled, no-cache, unsupported, tools, temperature, freshness.
 * `no-cache` here means "do not answer from the cache"; see {@link mayStore} for writes.
 */
export function bypassReason(ctx: CacheLookupContext, config: CacheConfig, freshness: RegExp | undefined): CacheBypassReason | undefined {
  if (!isCacheEnabled(config) || ttlSecondsFor(config, ctx.model) === 0) return "disabled";
  const cc = parseCacheControl(ctx.cacheControl);
  if (cc.noCache || cc.noStore) return "no-cache";
  return contentReason(ctx, config, freshness);
}

/** Whether a finished response for this request may be written (no-cache alone still allows it). */
export function mayStore(ctx: CacheLookupContext, config: CacheConfig, freshness: RegExp | undefined): boolean {
  if (!isCacheEnabled(config) || ttlSecondsFor(config, ctx.model) === 0) return false;
  if (parseCacheControl(ctx.cacheControl).noStore) return false;
  return contentReason(ctx, config, freshness) === undefined;
}

function contentReason(ctx: CacheLookupContext, config: CacheConfig, freshness: RegExp | undefined): CacheBypassReason | undefined {
  if (!wellFormed(ctx)) return "unsupported";
  if (usesTools(ctx.body)) return "tools";
  // An unset temperature means the server's default, which samples (OpenAI 1.0, llama.cpp 0.8, vLLM the model's generation_config).
  const t = ctx.body.temperature;
  if (!config.bypass.allowTemperatureAboveZero && !(typeof t === "number" && t === 0)) return "temperature";
  if (freshness && userTexts(ctx).some((text) => freshness.test(text))) return "freshness";
  return undefined;
}
