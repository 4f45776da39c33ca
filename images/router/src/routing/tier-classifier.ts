/**
 * @module The tier heuristic for model "auto": cheap, local, no model call (routers.md §7.10).
 *
 * Rule, in order:
 * 1. Text = the last user message (chat) or the prompt (completions), lower-cased.
 * 2. It contains a fenced code block (```) → `codeTier` (default 3).
 * 3. Each tier scores the number of its keywords found as whole words (`routing.classifier.keywords`). The best
 *    score wins; a tie goes to the higher tier (a wrong "too easy" pick costs answer quality, a wrong "too hard"
 *    pick only costs money).
 * 4. Nothing matched → `routing.defaultTier` (default 2).
 * 5. A tier-1 pick whose prompt is at least `longPromptTokens` (default 4000) is raised to tier 2: long inputs
 *    overwhelm small extraction models.
 * The `x-shoestring-tier: 1|2|3` header skips all of this.
 */

/** A tier: 1 extraction/formatting, 2 summarize/translate, 3 analysis/code. */
export type Tier = 1 | 2 | 3;

/** Classifier settings (config `routing`). */
export interface TierClassifierOptions {
  /** Keywords per tier. */
  keywords: { "1": readonly string[]; "2": readonly string[]; "3": readonly string[] };
  /** Tier when nothing matches. */
  defaultTier: Tier;
  /** Prompt size that raises tier 1 to tier 2. */
  longPromptTokens: number;
  /** Tier for prompts with a fenced code block. */
  codeTier: Tier;
}

/** A tier pick and why. */
export interface TierDecision {
  /** The tier. */
  tier: Tier;
  /** Short reason for logs, e.g. `keyword:summarize`, `code-block`, `default`, `long-prompt`. */
  reason: string;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Compiles the options once; {@link TierClassifier.classify} is then a few regex scans. */
export class TierClassifier {
  private readonly patterns: { tier: Tier; re: RegExp }[];

  constructor(private readonly opts: TierClassifierOptions) {
    this.patterns = ([1, 2, 3] as const)
      .filter((t) => opts.keywords[`${t}`].length > 0)
      .map((t) => ({
        tier: t,
        // Word boundaries only where the keyword starts/ends with a word character ("tl;dr" still matches).
        re: new RegExp(opts.keywords[`${t}`].map((k) => {
          const kw = escape(k.toLowerCase());
          return `${/^\w/.test(k) ? "\\b" : ""}${kw}${/\w$/.test(k) ? "\\b" : ""}`;
        }).join("|"), "g"),
      }));
  }

  /** Picks a tier for a request body. */
  classify(body: Record<string, unknown>, kind: "chat" | "completions", promptTokens: number): TierDecision {
    const text = lastUserText(body, kind).toLowerCase();
    if (text.includes("```")) return { tier: this.opts.codeTier, reason: "code-block" };
    let best: TierDecision | undefined;
    let bestScore = 0;
    for (const { tier, re } of this.patterns) {
      re.lastIndex = 0;
      const found = text.match(re);
      const score = found?.length ?? 0;
      if (score > 0 && score >= bestScore) {
        bestScore = score;
        best = { tier, reason: `keyword:${found?.[0] ?? ""}` };
      }
    }
    const pick = best ?? { tier: this.opts.defaultTier, reason: "default" };
    if (pick.tier === 1 && promptTokens >= this.opts.longPromptTokens) return { tier: 2, reason: "long-prompt" };
    return pick;
  }
}

/** Text of the last user message (string content or the text parts), or the completion prompt. */
export function lastUserText(body: Record<string, unknown>, kind: "chat" | "completions"): string {
  if (kind === "completions") {
    const p = body.prompt;
    return typeof p === "string" ? p : Array.isArray(p) ? p.filter((x) => typeof x === "string").join("\n") : "";
  }
  const messages = body.messages as unknown[];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown };
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) {
      return m.content.map((p: unknown) => (p && typeof p === "object" && typeof (p as { text?: unknown }).text === "string" ? (p as { text: string }).text : "")).join("\n");
    }
    return "";
  }
  return "";
}
