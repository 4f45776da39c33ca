/** @module Deterministic text embeddings for the simulator: hashed words + character trigrams. */
import { hashString } from "./seeded-random";

/** Weight of a whole lower-cased word; trigrams carry the rest so one typo keeps most of the vector. */
const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.5;

/**
 * Embeds `text` into a unit-length vector of `dimensions` floats, the same vector every time.
 *
 * Features are the lower-cased words and the character trigrams of each word (padded with spaces),
 * each hashed to one signed dimension (the "hashing trick"). Texts sharing most words and trigrams
 * get a cosine near 1; unrelated texts land near 0 (about ±1/√dimensions), which is what semantic
 * cache tests need. It is not a language model: synonyms do not match.
 *
 * @example
 * const a = embedText("What is the capital of France?", 384);
 * const b = embedText("what is the capital of france", 384); // cosine(a, b) === 1
 */
export function embedText(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    addFeature(vector, `w:${word}`, WORD_WEIGHT);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) {
      addFeature(vector, `t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
    }
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) {
    // An empty or symbol-only text still needs a valid unit vector; all such texts are "the same".
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const hash = hashString(feature);
  const index = hash % vector.length;
  const sign = hashString(feature, 0x9e3779b9) & 1 ? 1 : -1;
  vector[index] = (vector[index] ?? 0) + sign * weight;
}

/** Cosine similarity of two vectors of the same length (tests and docs use it). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** Encodes a vector the way OpenAI's `encoding_format: "base64"` does: little-endian float32 bytes. */
export function toBase64(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
}
