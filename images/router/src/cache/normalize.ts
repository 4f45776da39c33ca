/**
 * @module Text normalization for cache keys and embeddings: only changes that cannot change meaning.
 *
 * Two levels:
 * - {@link normalizeWhitespace} (exact key, guard text): CRLF → LF, trailing spaces on a line, runs of
 *   2+ spaces inside a line, 3+ newlines, leading/trailing whitespace. Code spans are left verbatim
 *   (Python indentation), tabs and line breaks are kept (TSV, lists, poems).
 * - {@link embeddingText} (semantic input only): additionally one-line, lower-cased outside code and
 *   quotes, trailing `?!.` stripped. The guards then compare the case-preserving text.
 */

/** A run of text that is either prose or a code/quoted span that must stay verbatim. */
export interface TextSpan {
  /** The span's text, delimiters included for verbatim spans. */
  text: string;
  /** `code`: fenced block or inline backticks; `quote`: "…", “…”, ‘…’ or '…'; `prose`: anything else. */
  kind: "prose" | "code" | "quote";
}

// Fenced blocks first (``` or ~~~, closed or running to the end), then inline code, then quotes.
// Single quotes only count when they open after a non-word char and close before one, so "don't" stays prose.
const SPAN_RE = /(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$))|(`[^`\n]+`)|("[^"\n]*"|“[^”\n]*”|‘[^’\n]*’|(?<![\w'])'[^'\n]+'(?![\w']))/g;

/** Splits text into prose and verbatim spans (code and quotes). */
export function splitSpans(text: string): TextSpan[] {
  const out: TextSpan[] = [];
  let last = 0;
  for (const m of text.matchAll(SPAN_RE)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at), kind: "prose" });
    out.push({ text: m[0], kind: m[3] !== undefined ? "quote" : "code" });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), kind: "prose" });
  return out;
}

/** Whitespace normalization that keeps meaning: see the module doc. */
export function normalizeWhitespace(text: string): string {
  const unified = text.replace(/\r\n?/g, "\n");
  const parts = splitSpans(unified).map((s) => {
    if (s.kind !== "prose") return s.text;
    return s.text
      .replace(/[ \t]+\n/g, "\n")
      .replace(/(\S) {2,}(?=\S)/g, "$1 ")
      .replace(/\n{3,}/g, "\n\n");
  });
  return parts.join("").trim();
}

/**
 * The text that is embedded for the semantic layer: whitespace collapsed to single spaces, prose
 * lower-cased, trailing sentence punctuation removed. Code and quoted spans keep their case.
 */
export function embeddingText(text: string): string {
  const parts = splitSpans(normalizeWhitespace(text)).map((s) =>
    s.kind === "prose" ? s.text.toLowerCase().replace(/\s+/g, " ") : s.text,
  );
  return parts.join("").replace(/[\s?!.]+$/, "").trim();
}

/** Plain text of an OpenAI message `content`, or undefined when it holds non-text parts (images, audio). */
export function contentText(content: unknown): string | undefined {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return undefined;
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part !== "object" || part === null) return undefined;
    const p = part as Record<string, unknown>;
    if (p.type !== "text" || typeof p.text !== "string") return undefined;
    texts.push(p.text);
  }
  return texts.join("\n");
}

/** Copies a message `content` with every text part whitespace-normalized; other parts untouched. */
export function normalizeContent(content: unknown): unknown {
  if (typeof content === "string") return normalizeWhitespace(content);
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown) => {
    if (typeof part !== "object" || part === null) return part;
    const p = part as Record<string, unknown>;
    return p.type === "text" && typeof p.text === "string" ? { ...p, text: normalizeWhitespace(p.text) } : p;
  });
}

/** Replaces verbatim spans (code, quotes) with a space, for matchers that must only see prose. */
export function proseOnly(text: string): string {
  return splitSpans(text).map((s) => (s.kind === "prose" ? s.text : " ")).join("");
}
