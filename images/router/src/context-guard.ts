/**
 * @module Context guard: a cheap prompt-token estimate (characters / charsPerToken + 4 per message), a warning
 * above `warnRatio` of the context, and on overflow either a clear 400 or (opt-in) trimming of the oldest turns
 * with system messages kept. Targets whose context is too small are skipped, so a long prompt can still go to a
 * larger-context target further down the chain.
 */
import { RouterError } from "./errors";

/** Per-message framing tokens (role markers), as in OpenAI's cookbook estimate. */
export const TOKENS_PER_MESSAGE = 4;
/** Flat estimate for an image part (OpenAI low-detail image cost). */
export const TOKENS_PER_IMAGE = 85;

/** Guard settings (config `context`). */
export interface ContextGuardOptions {
  /** `reject` → 400, `trim-oldest` → drop oldest non-system turns. */
  overflow: "reject" | "trim-oldest";
  /** Warning threshold as a share of the context. */
  warnRatio: number;
  /** Characters per token. */
  charsPerToken: number;
}

function textLength(content: unknown): { chars: number; images: number } {
  if (typeof content === "string") return { chars: content.length, images: 0 };
  let chars = 0;
  let images = 0;
  if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === "string") chars += part.length;
      else if (part && typeof part === "object") {
        const p = part as { type?: unknown; text?: unknown };
        if (typeof p.text === "string") chars += p.text.length;
        else if (p.type === "image_url" || p.type === "input_image") images++;
      }
    }
  }
  return { chars, images };
}

/** Estimated tokens of one chat message. */
export function messageTokens(m: unknown, charsPerToken: number): number {
  if (!m || typeof m !== "object") return TOKENS_PER_MESSAGE;
  const msg = m as { content?: unknown; tool_calls?: unknown; name?: unknown };
  const { chars, images } = textLength(msg.content);
  const extra = msg.tool_calls === undefined ? 0 : JSON.stringify(msg.tool_calls).length;
  const name = typeof msg.name === "string" ? msg.name.length : 0;
  return TOKENS_PER_MESSAGE + Math.ceil((chars + extra + name) / charsPerToken) + images * TOKENS_PER_IMAGE;
}

/** Estimated prompt tokens of a chat or completions body. */
export function estimatePromptTokens(body: Record<string, unknown>, kind: "chat" | "completions", charsPerToken: number): number {
  if (kind === "chat") {
    const messages = body.messages as unknown[];
    let n = 3;
    for (const m of messages) n += messageTokens(m, charsPerToken);
    return n;
  }
  const p = body.prompt;
  if (typeof p === "string") return Math.ceil(p.length / charsPerToken);
  if (Array.isArray(p)) {
    // A list of token ids is exact; a list of strings is a batch, estimated as its total.
    if (p.every((x) => typeof x === "number")) return p.length;
    return p.reduce<number>((n, x) => n + (typeof x === "string" ? Math.ceil(x.length / charsPerToken) : Array.isArray(x) ? x.length : 0), 0);
  }
  return 0;
}

/** Requested completion budget (`max_completion_tokens` or `max_tokens`), 0 when unset. */
export function requestedCompletionTokens(body: Record<string, unknown>): number {
  const v = body.max_completion_tokens ?? body.max_tokens;
  return typeof v === "number" && v > 0 ? v : 0;
}

/** What the guard decided. */
export interface GuardDecision<T> {
  /** Targets that fit, in chain order. */
  targets: T[];
  /** Estimated prompt tokens (after trimming, if trimmed). */
  promptTokens: number;
  /** The estimate is above warnRatio of the first fitting target's context. */
  warn: boolean;
  /** Trimmed messages when turns were dropped (the body must be re-serialized). */
  trimmedMessages?: unknown[];
  /** Turns dropped. */
  dropped?: number;
}

/**
 * Filters targets by context and applies the overflow policy. Throws a 400 `context_length_exceeded` when
 * nothing fits.
 */
export function applyContextGuard<T>(
  input: { body: Record<string, unknown>; kind: "chat" | "completions"; model: string; targets: readonly T[]; contextOf: (t: T) => number | undefined },
  opts: ContextGuardOptions,
): GuardDecision<T> {
  const { body, kind, targets, contextOf } = input;
  const prompt = estimatePromptTokens(body, kind, opts.charsPerToken);
  const completion = requestedCompletionTokens(body);
  const fits = (need: number): T[] => targets.filter((t) => { const c = contextOf(t); return c === undefined || need <= c; });
  const warnFor = (list: T[], p: number): boolean => { const c = list.length > 0 ? contextOf(list[0] as T) : undefined; return c !== undefined && p > opts.warnRatio * c; };
  const ok = fits(prompt + completion);
  if (ok.length > 0) return { targets: ok, promptTokens: prompt, warn: warnFor(ok, prompt) };

  const largest = Math.max(...targets.map((t) => contextOf(t) ?? 0));
  if (opts.overflow === "trim-oldest" && kind === "chat") {
    const trimmed = trimOldest(body.messages as unknown[], largest - completion, opts.charsPerToken);
    if (trimmed) {
      const p = 3 + trimmed.messages.reduce<number>((n, m) => n + messageTokens(m, opts.charsPerToken), 0);
      const list = fits(p + completion);
      if (list.length > 0) return { targets: list, promptTokens: p, warn: warnFor(list, p), trimmedMessages: trimmed.messages, dropped: trimmed.dropped };
    }
  }
  const budget = completion > 0 ? ` (+ ${completion} requested completion tokens)` : "";
  const fix = opts.overflow === "reject" && kind === "chat"
    ? "Shorten the conversation, lower max_tokens, or start the router with --context-overflow trim-oldest."
    : "Shorten the prompt or lower max_tokens; trimming keeps system messages and the last message, which alone do not fit.";
  throw new RouterError("context_length_exceeded",
    `Prompt too long for model "${input.model}": about ${prompt} tokens estimated${budget}, but the largest context window among its targets is ${largest} tokens. ${fix}`,
    { param: kind === "chat" ? "messages" : "prompt" });
}

/** Drops the oldest non-system messages (keeping the last one) until the estimate fits `budget`. */
function trimOldest(messages: unknown[], budget: number, cpt: number): { messages: unknown[]; dropped: number } | undefined {
  const sizes = messages.map((m) => messageTokens(m, cpt));
  let total = 3 + sizes.reduce((a, b) => a + b, 0);
  const keep = messages.map(() => true);
  let dropped = 0;
  for (let i = 0; i < messages.length - 1 && total > budget; i++) {
    const role = (messages[i] as { role?: unknown } | null)?.role;
    if (role === "system" || role === "developer") continue;
    keep[i] = false;
    total -= sizes[i] as number;
    dropped++;
  }
  if (total > budget || dropped === 0) return undefined;
  // A tool result whose assistant tool_call was dropped is meaningless to the model; drop it too.
  const out: unknown[] = [];
  let prev: unknown;
  messages.forEach((m, i) => {
    if (!keep[i]) return;
    const role = (m as { role?: unknown }).role;
    if (role === "tool" && (prev as { role?: unknown } | undefined)?.role !== "assistant") return;
    out.push(m);
    if (role !== "tool") prev = m;
  });
  return { messages: out, dropped: messages.length - out.length };
}
