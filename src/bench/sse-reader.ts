/** @module Incremental Server-Sent Events parser (the part of the spec OpenAI streams use). */

/**
 * Splits a byte stream into SSE `data` payloads. Events end at a blank line (`\n\n`, or `\r\n\r\n`);
 * several `data:` lines in one event are joined with `\n`; comments (`: keep-alive`) and `event:`/
 * `id:`/`retry:` fields are skipped. Feed it chunks as they arrive; it keeps partial events.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export class SseReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();

  /** Adds a chunk and returns the data payloads of the events it completed. */
  push(chunk: Uint8Array | string): string[] {
    this.buffer += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: string[] = [];
    for (;;) {
      const end = /\r?\n\r?\n/.exec(this.buffer);
      if (end === null) return events;
      const block = this.buffer.slice(0, end.index);
      this.buffer = this.buffer.slice(end.index + end[0].length);
      const data = parseBlock(block);
      if (data !== undefined) events.push(data);
    }
  }

  /** True when bytes of an unfinished event are buffered (the stream stopped mid-event). */
  get hasPartial(): boolean {
    return this.buffer.trim().length > 0;
  }
}

function parseBlock(block: string): string | undefined {
  const lines: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue;
    lines.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}
