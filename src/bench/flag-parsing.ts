/** @module Parses numeric CLI flag values with errors that name the flag, the value and the range. */
import { parseDuration } from "./parse-duration";

/** Limits of one numeric flag. */
export interface NumberFlagSpec {
  /** Flag as the user typed it, e.g. "--port". */
  flag: string;
  min: number;
  max?: number;
  integer?: boolean;
  /** Example shown in the error. */
  example: string;
}

/**
 * Parses `value` as a number within `spec`, collecting a message into `issues` (and returning
 * undefined) when it is not one. Undefined means the flag was not set; "" means it was given
 * without a value (citty's reading of `--flag` alone, or of `--flag -1`: write `--flag=-1`).
 */
export function parseNumberFlag(value: string | undefined, spec: NumberFlagSpec, issues: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (value === "") {
    issues.push(`${spec.flag} needs a value; e.g. ${spec.flag} ${spec.example} (write ${spec.flag}=-1 for a negative number)`);
    return undefined;
  }
  const number = Number(value);
  const range = spec.max === undefined ? `≥ ${spec.min}` : `from ${spec.min} to ${spec.max}`;
  const kind = spec.integer ? "an integer" : "a number";
  if (
    value.trim() === "" ||
    !Number.isFinite(number) ||
    (spec.integer && !Number.isInteger(number)) ||
    number < spec.min ||
    (spec.max !== undefined && number > spec.max)
  ) {
    issues.push(`${spec.flag} must be ${kind} ${range} (got "${value}"); e.g. ${spec.flag} ${spec.example}`);
    return undefined;
  }
  return number;
}

/** Parses a comma-separated list of integers ≥ 1, e.g. "8,16,32". */
export function parseIntListFlag(value: string | undefined, flag: string, issues: string[]): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(",").map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.some((p) => p === "") || numbers.some((n) => !Number.isInteger(n) || n < 1)) {
    issues.push(`${flag} must be comma-separated integers ≥ 1 (got "${value}"); e.g. ${flag} 8,16,32`);
    return undefined;
  }
  return numbers;
}

/** Parses a duration flag ("30s", "2m", "500ms") in ms; problems go to `issues`, so all are reported at once. */
export function parseDurationFlag(value: string | undefined, flag: string, issues: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (value === "") {
    issues.push(`--${flag} needs a value; e.g. --${flag} 30s`);
    return undefined;
  }
  try {
    return parseDuration(value, `--${flag}`);
  } catch (error) {
    issues.push((error as Error).message);
    return undefined;
  }
}
