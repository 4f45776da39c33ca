/**
 * @module SSE passthrough framing and an incremental token counter. Upstream bytes are forwarded as they arrive,
 * cut only at event boundaries (`\n\n`), so that a stream cut mid-event can still end with a well-formed
 * `data: {"error":…}` event (routers.md §7.1–7.2; the SDK drops data framed with a single `\n`, toolbox §9).
 * The counter looks at each event once and parses JSON only for the rare event that carries `usage`.
 */

/** What the relay learned from the events it forwarded. */
export interface SseStats {
  /** `data:` events other than `[DONE]`. */
  events: number;
  /** A `[DONE]` event was seen. */
  done: boolean;
  /** A non-null `finish_reason` was seen. */
  finished: boolean;
  /** An event with a top-level `error` was seen. */
  errored: boolean;
  /** `usage` from the last event that carried it (stream_options.include_usage). */
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

const LF2 = Buffer.from("\n\n");
const CRLF2 = Buffer.from("\r\n\r\n");

/** Splits an upstream SSE byte stream into complete-event regions and counts what passes. */
export class SseRelay {
  private carry: Buffer | undefined;
  /** Counters over everything returned by {@link push} and {@link flush}. */
  readonly stats: SseStats = { events: 0, done: false, finished: false, errored: false };

  /**
   * Feeds one upstream chunk; returns the bytes that complete whole events (possibly empty). Bytes of an
   * unfinished event are held until its blank line arrives.
   */
  push(chunk: Buffer): Buffer {
    const buf = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    const end = lastBoundary(buf);
    if (end === -1) {
      this.carry = buf;
      return EMPTY;
    }
    this.carry = end === buf.length ? undefined : buf.subarray(end);
    const region = end === buf.length ? buf : buf.subarray(0, end);
    this.count(region);
    return region;
  }

  /** At upstream end: returns held bytes completed with a blank line (an upstream that omitted the final `\n\n`). */
  flush(): Buffer {
    const rest = this.carry;
    this.carry = undefined;
    if (rest === undefined || rest.toString("utf8").trim() === "") return EMPTY;
    const region = Buffer.concat([rest, LF2]);
    this.count(region);
    return region;
  }

  /** Whether bytes of an unfinished event are held back. */
  get pending(): boolean {
    return this.carry !== undefined;
  }

  /** Whether the first forwarded event is an error object (a 200 that is really a failure). */
  static startsWithError(region: Buffer): boolean {
    const head = region.subarray(0, 64).toString("utf8").replace(/^(\s*:[^\n]*\n)+/, "");
    return /^\s*data:\s*\{\s*"error"/.test(head);
  }

  private count(region: Buffer): void {
    const text = region.toString("utf8");
    let pos = 0;
    for (;;) {
      const at = text.indexOf("data:", pos);
      if (at === -1) break;
      const nl = text.indexOf("\n", at);
      const line = text.slice(at + 5, nl === -1 ? undefined : nl).trim();
      pos = nl === -1 ? text.length : nl;
      if (line === "[DONE]") { this.stats.done = true; continue; }
      this.stats.events++;
      if (!this.stats.finished && FINISH_RE.test(line)) this.stats.finished = true;
      if (ERROR_RE.test(line)) this.stats.errored = true;
      if (USAGE_RE.test(line)) {
        try {
          const u = (JSON.parse(line) as { usage?: SseStats["usage"] }).usage;
          if (u) this.stats.usage = u;
        } catch {
          // A multi-line data field or a non-JSON event: usage stays unknown and tokens are estimated.
        }
      }
    }
  }
}

const EMPTY = Buffer.alloc(0);
// Python servers may put a space after ':'; vLLM (pydantic) and llama.cpp do not.
const FINISH_RE = /"finish_reason"\s*:\s*"/;
const USAGE_RE = /"usage"\s*:\s*\{/;
const ERROR_RE = /^\{\s*"error"/;

function lastBoundary(buf: Buffer): number {
  const lf = buf.lastIndexOf(LF2);
  const crlf = buf.lastIndexOf(CRLF2);
  const a = lf === -1 ? -1 : lf + 2;
  const b = crlf === -1 ? -1 : crlf + 4;
  return Math.max(a, b);
}

/** Standard response headers of an SSE stream. */
export const SSE_HEADERS: readonly string[] = [
  "content-type", "text/event-stream; charset=utf-8",
  "cache-control", "no-cache",
  // Reverse proxies (nginx) must not buffer the stream.
  "x-accel-buffering", "no",
];
