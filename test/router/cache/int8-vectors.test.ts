import { describe, expect, it } from "vitest";
import { Int8Vectors, quantizeInt8 } from "../../../images/router/src/cache/int8-vectors";
import { cosine, normalizeVector } from "../../../images/router/src/cache/vector-index";

const D = 384;
// Seeded, so a failure reproduces.
function randomUnit(seed: number): Float32Array {
  let s = seed >>> 0;
  const v = new Float32Array(D);
  for (let i = 0; i < D; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 4294967296 - 0.5;
  }
  return normalizeVector(v);
}

describe("Int8Vectors", () => {
  it("scores cosine within 0.005 of the exact value, from unrelated to near-identical vectors", () => {
    const store = new Int8Vectors(D, 4);
    const base = randomUnit(1);
    const others = [base, randomUnit(2), normalizeVector(base.map((x, i) => x + (i % 7 === 0 ? 0.01 : 0)))];
    others.forEach((v, label) => store.set(label, v));
    const out = new Float64Array(3);
    store.cosines(base, [0, 1, 2], out);
    others.forEach((v, i) => expect(Math.abs((out[i] as number) - cosine(base, v))).toBeLessThan(0.005));
    expect(out[0]).toBeGreaterThan(0.995);
  });

  it("scores labels it does not hold as -Infinity and zero vectors as 0", () => {
    const store = new Int8Vectors(D);
    store.set(7, new Float32Array(D));
    const out = new Float64Array(2);
    store.cosines(randomUnit(3), [7, 8], out);
    expect(Array.from(out)).toEqual([0, Number.NEGATIVE_INFINITY]);
  });

  it("keeps every vector across growth and reuses the slots of deleted labels", () => {
    const store = new Int8Vectors(D, 2);
    for (let label = 0; label < 50; label++) store.set(label, randomUnit(100 + label));
    for (let label = 0; label < 50; label += 2) store.delete(label);
    for (let label = 50; label < 75; label++) store.set(label, randomUnit(100 + label));
    expect(store.size).toBe(50);
    const out = new Float64Array(1);
    for (const label of [1, 49, 50, 74]) {
      store.cosines(randomUnit(100 + label), [label], out);
      expect(out[0]).toBeGreaterThan(0.995);
    }
    store.cosines(randomUnit(100), [0], out);
    expect(out[0]).toBe(Number.NEGATIVE_INFINITY);
  });

  it("maps the largest component to ±127 and returns the scale", () => {
    const out = new Int8Array(3);
    expect(quantizeInt8(new Float32Array([0.5, -0.3, 0]), out)).toBe(254);
    expect(Array.from(out)).toEqual([127, -76, 0]);
  });
});
