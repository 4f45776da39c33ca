/** @module Suggests the closest valid names for a misspelled one, for "did you mean" errors. */
import { distance } from "fastest-levenshtein";

/**
 * Returns up to `limit` candidates closest to `input`, case-insensitively: exact prefixes and
 * substrings first (a user typing "h100" wants "H100" and "H100-NVL"), then by edit distance.
 */
export function nearestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  const wanted = input.toLowerCase();
  const scored = candidates.map((name) => {
    const lower = name.toLowerCase();
    const contains = lower.includes(wanted) || wanted.includes(lower);
    return { name, score: (contains ? 0 : 1000) + distance(wanted, lower) };
  });
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}
