/** @module Rounding for plan output: plans are read by people and diffed in PRs, so no float noise. */

/** Rounds to `digits` decimals (2 by default). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Rounds, keeping null (unknown) as null. */
export function roundOrNull(value: number | null, digits = 2): number | null {
  return value === null ? null : round(value, digits);
}
