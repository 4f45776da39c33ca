import { describe, expect, it } from "vitest";
import { cosineSimilarity, embedText } from "../../src/simulator";
import { toBase64 } from "../../src/simulator/hashed-embedding";

describe("embedText", () => {
  it("returns the same unit vector for the same text, every time", () => {
    const a = embedText("Where is my order?", 384);
    const b = embedText("Where is my order?", 384);
    expect(Array.from(a)).toEqual(Array.from(b));
    const norm = Math.sqrt(a.reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 6);
  });

  it("scores near-identical texts high and unrelated texts low", () => {
    const base = embedText("How do I reset my password on the dashboard?", 384);
    expect(cosineSimilarity(base, embedText("how do i reset my password on the dashboard", 384))).toBeGreaterThan(0.99);
    expect(cosineSimilarity(base, embedText("How do I reset my pasword on the dashboard?", 384))).toBeGreaterThan(0.85);
    expect(cosineSimilarity(base, embedText("Quarterly revenue grew in the northern region", 384))).toBeLessThan(0.3);
  });

  it("gives an empty text a valid unit vector instead of zeros", () => {
    expect(Array.from(embedText("", 4))).toEqual([1, 0, 0, 0]);
  });

  it("encodes base64 as little-endian float32, as the OpenAI API does", () => {
    const vector = new Float32Array([1, -0.5]);
    expect(toBase64(vector)).toBe(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xbf]).toString("base64"));
  });
});
