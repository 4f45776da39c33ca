/** @module Parses human durations ("500ms", "30s", "2m", "1h") into milliseconds. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `"500ms"`, `"30s"`, `"1.5s"`, `"2m"` or `"1h"` into milliseconds.
 * A bare number is rejected: "30" could mean seconds or milliseconds, so the unit is required.
 * Throws an Error naming the flag (`name`), the value and the accepted forms.
 *
 * @example parseDuration("2m") // 120000
 */
export function parseDuration(text: string, name = "duration"): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/i.exec(text);
  const value = match ? Number(match[1]) * (UNIT_MS[(match[2] ?? "").toLowerCase()] ?? Number.NaN) : Number.NaN;
  if (/^\s*\d+(?:\.\d+)?\s*$/.test(text)) {
    throw new Error(`${name} "${text}" has no unit; write ${text.trim()}s or ${text.trim()}ms (units: ms, s, m, h).`);
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} "${text}" is not a duration > 0; write a number with a unit: 500ms, 30s, 1.5s, 2m or 1h.`);
  }
  return value;
}
