/** @module Deterministic pseudo-words the simulator "generates", and its token estimate. @internal */
import { createRandom, hashString } from "./seeded-random";

/**
 * Vocabulary of generated tokens: one token is one word with its leading space, the way BPE
 * tokenizers split English text, so `content` stays readable and token counts stay exact.
 */
const WORDS = [
  "the", "model", "serves", "tokens", "with", "a", "cache", "and", "batch", "of", "requests", "while",
  "latency", "stays", "low", "under", "load", "each", "step", "decodes", "one", "word", "for", "every",
  "sequence", "in", "queue", "prompt", "prefill", "takes", "time", "throughput", "grows", "until", "memory",
  "bandwidth", "limits", "it", "so", "router", "sends", "work", "to", "replicas", "that", "have", "room",
] as const;

/** Characters per token in the simulator's estimate, the usual English rule of thumb. */
export const CHARS_PER_TOKEN = 4;

/** Shortest and longest natural (`finish_reason: "stop"`) answer when a request sets no max_tokens. */
export const NATURAL_LENGTH_RANGE = { min: 16, max: 256 } as const;

/** Estimates the token count of a text as ⌈chars / 4⌉ (at least 1 for a non-empty text). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Returns a generator of words that depends only on `seed` and `key` (the prompt), so the same
 * prompt always gets the same answer: a response cache in front can be tested for exact equality.
 */
export function createWordStream(seed: number, key: string): () => string {
  const next = createRandom(hashString(key, seed));
  return () => ` ${WORDS[Math.floor(next() * WORDS.length)] ?? "the"}`;
}

/** Deterministic length of an answer that is not capped by max_tokens. */
export function naturalLength(seed: number, key: string): number {
  const span = NATURAL_LENGTH_RANGE.max - NATURAL_LENGTH_RANGE.min + 1;
  return NATURAL_LENGTH_RANGE.min + (hashString(key, seed ^ 0x5bd1e995) % span);
}
