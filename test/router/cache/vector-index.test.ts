import { describe, expect, it } from "vitest";
import { cosine, normalizeVector, VectorIndex } from "../../../images/router/src/cache/vector-index";
import { hashVector } from "./fixtures";

const D = 32;
const vec = (i: number) => normalizeVector(hashVector(`v${i}`));
function flat(ids: number[]): Float32Array {
  const out = new Float32Array(ids.length * D);
  ids.forEach((id, i) => out.set(vec(id), i * D));
  return out;
}

describe("VectorIndex", () => {
  it("finds the exact best matches by brute force while small", () => {
    const index = new VectorIndex(D, { bruteForceMax: 100 });
    const ids = Array.from({ length: 50 }, (_, i) => i);
    index.addMany(ids, flat(ids));
    const q = vec(17);
    const got = index.search(q, 3);
    const expected = ids.map((id) => ({ label: id, score: cosine(q, vec(id)) })).sort((a, b) => b.score - a.score).slice(0, 3);
    expect(index.approximate).toBe(false);
    expect(got.map((c) => c.label)).toEqual(expected.map((c) => c.label));
    expect(got[0]?.score).toBeCloseTo(1, 5);
  });

  it("moves to HNSW past bruteForceMax and still finds every stored vector", () => {
    const index = new VectorIndex(D, { bruteForceMax: 64 });
    const ids = Array.from({ length: 300 }, (_, i) => i);
    index.addMany(ids.slice(0, 40), flat(ids.slice(0, 40)));
    index.addMany(ids.slice(40), flat(ids.slice(40)));
    expect(index.approximate).toBe(true);
    expect(index.size).toBe(300);
    for (const id of [0, 39, 40, 150, 299]) {
      const top = index.search(vec(id), 1)[0];
      expect(top?.label).toBe(id);
      expect(top?.score).toBeGreaterThan(0.97);
    }
  });

  it.each(["b1", "i8"] as const)("ranks %s HNSW candidates by a score within 0.02 of the exact cosine", (quantization) => {
    const index = new VectorIndex(D, { bruteForceMax: 0, quantization });
    const ids = Array.from({ length: 400 }, (_, i) => i);
    index.addMany(ids, flat(ids));
    for (const id of [3, 200, 399]) {
      const q = normalizeVector(vec(id).map((x, i) => x + (i === 0 ? 0.05 : 0)));
      const got = index.search(q, 4);
      expect(got[0]?.label).toBe(id);
      for (const c of got) expect(Math.abs(c.score - cosine(q, vec(c.label)))).toBeLessThan(0.02);
      expect(got.map((c) => c.score)).toEqual([...got.map((c) => c.score)].sort((a, b) => b - a));
    }
  });

  it.each([
    ["brute force", 1000, "b1"],
    ["HNSW b1", 0, "b1"],
    ["HNSW i8", 0, "i8"],
  ] as const)("forgets removed labels (%s)", (_name, bruteForceMax, quantization) => {
    const index = new VectorIndex(D, { bruteForceMax, quantization });
    index.addMany([1, 2, 3], flat([1, 2, 3]));
    index.remove(2);
    index.remove(99);
    expect(index.size).toBe(2);
    expect(index.search(vec(2), 3).map((c) => c.label)).not.toContain(2);
    expect(index.search(vec(3), 1)[0]?.label).toBe(3);
  });

  it("normalizes vectors and treats a zero vector as zero", () => {
    expect(Array.from(normalizeVector(new Float32Array([3, 4])))).toEqual([0.6000000238418579, 0.800000011920929]);
    expect(Array.from(normalizeVector(new Float32Array([0, 0])))).toEqual([0, 0]);
    expect(cosine(new Float32Array([1, 0]), new Float32Array([0, 0]))).toBe(0);
  });
});
