/** @module Small deterministic random helpers: a seeded generator and a string hash. @internal */

/**
 * 32-bit FNV-1a hash of a string, mixed with `seed`. Stable across runs and platforms, which is all
 * the simulator needs (it is not a cryptographic hash).
 */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Seeded generator of floats in [0, 1) (mulberry32): fast, 32-bit state, good enough spread for
 * failure draws and word choice.
 */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
