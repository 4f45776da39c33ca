import { describe, expect, it } from "vitest";
import { SseReader } from "../../src/bench";

describe("SseReader", () => {
  it("splits events on blank lines and keeps a partial event for the next chunk", () => {
    const reader = new SseReader();
    expect(reader.push('data: {"a":1}\n\ndata: {"b"')).toEqual(['{"a":1}']);
    expect(reader.hasPartial).toBe(true);
    expect(reader.push(":2}\n\ndata: [DONE]\n\n")).toEqual(['{"b":2}', "[DONE]"]);
    expect(reader.hasPartial).toBe(false);
  });

  it("accepts CRLF framing, data: without a space, comments and other fields", () => {
    const reader = new SseReader();
    expect(reader.push(": keep-alive\r\n\r\nevent: message\r\nid: 7\r\ndata:x\r\n\r\n")).toEqual(["x"]);
  });

  it("joins multi-line data with newlines", () => {
    expect(new SseReader().push("data: one\ndata: two\n\n")).toEqual(["one\ntwo"]);
  });

  it("decodes UTF-8 split across chunks", () => {
    const bytes = Buffer.from("data: héllo\n\n");
    const reader = new SseReader();
    expect(reader.push(bytes.subarray(0, 8))).toEqual([]);
    expect(reader.push(bytes.subarray(8))).toEqual(["héllo"]);
  });

  it("does not end an event at a single newline", () => {
    expect(new SseReader().push('data: {"a":1}\ndata: {"b":2}\n')).toEqual([]);
  });
});
