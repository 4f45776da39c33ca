import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SseRelay } from "../../images/router/src/streaming";

const ev = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;
const chunk = (content: string, finish: string | null = null) => ev({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

describe("SseRelay", () => {
  it("forwards whole events at once and holds back an unfinished one", () => {
    const r = new SseRelay();
    const a = chunk("Hel");
    const b = chunk("lo");
    const out1 = r.push(Buffer.from(a + b.slice(0, 10)));
    expect(out1.toString()).toBe(a);
    expect(r.pending).toBe(true);
    const out2 = r.push(Buffer.from(b.slice(10)));
    expect(out2.toString()).toBe(b);
    expect(r.pending).toBe(false);
    expect(r.stats.events).toBe(2);
  });

  it("sees finish_reason, usage and [DONE]", () => {
    const r = new SseRelay();
    r.push(Buffer.from(chunk("x") + chunk("", "stop") + ev({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } }) + "data: [DONE]\n\n"));
    expect(r.stats).toMatchObject({ events: 3, finished: true, done: true, errored: false, usage: { prompt_tokens: 7, completion_tokens: 3 } });
  });

  it("accepts CRLF framing and spaces after colons", () => {
    const r = new SseRelay();
    const out = r.push(Buffer.from('data: {"choices":[{"finish_reason": "stop"}]}\r\n\r\n'));
    expect(out.length).toBeGreaterThan(0);
    expect(r.stats.finished).toBe(true);
  });

  it("completes a final event that lacks its blank line on flush", () => {
    const r = new SseRelay();
    expect(r.push(Buffer.from("data: [DONE]")).length).toBe(0);
    expect(r.flush().toString()).toBe("data: [DONE]\n\n");
    expect(r.stats.done).toBe(true);
  });

  it("recognizes a stream that starts with an error object, after comments", () => {
    expect(SseRelay.startsWithError(Buffer.from(': ping\ndata: {"error":{"message":"x"}}\n\n'))).toBe(true);
    expect(SseRelay.startsWithError(Buffer.from(chunk("hi")))).toBe(false);
  });

  it("re-frames any split of a stream into exactly the original bytes", () => {
    const events = [chunk("a"), chunk("b c"), chunk("", "stop"), "data: [DONE]\n\n"].join("");
    const bytes = Buffer.from(events);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: bytes.length }), { maxLength: 12 }), (cuts) => {
      const points = [...new Set(cuts)].sort((x, y) => x - y);
      const r = new SseRelay();
      const out: Buffer[] = [];
      let last = 0;
      for (const p of [...points, bytes.length]) {
        const region = r.push(bytes.subarray(last, p));
        // Every forwarded region ends on an event boundary.
        if (region.length > 0) expect(region.subarray(-2).toString()).toBe("\n\n");
        out.push(region);
        last = p;
      }
      out.push(r.flush());
      expect(Buffer.concat(out).equals(bytes)).toBe(true);
      expect(r.stats).toMatchObject({ events: 3, done: true, finished: true });
    }), { numRuns: 200 });
  });
});
