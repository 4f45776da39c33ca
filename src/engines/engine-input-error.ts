/**
 * @module `EngineInputError`: every problem in one model server's generator input, thrown once,
 * each naming the field, the value, what is allowed and the fix (STYLE R5, R6).
 */

/** One problem in a generator's input. */
export interface EngineInputIssue {
  /** Input field, e.g. `tensorParallelSize`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What is wrong, e.g. `must be a whole number of GPUs`. */
  readonly problem: string;
  /** What would be accepted: a range, or a list of names. */
  readonly allowed: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;
}

/** Engines whose inputs this error reports on. */
export type EngineName = "vLLM" | "llama.cpp";

function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** One issue as one line: `field: problem (got value; allowed: …). Fix: …`. */
export function formatEngineIssue(issue: EngineInputIssue): string {
  return `${issue.field}: ${issue.problem} (got ${formatValue(issue.value)}; allowed: ${issue.allowed}). Fix: ${issue.fix}`;
}

/**
 * Thrown by `vllmCommand` / `llamaCppCommand` when the input cannot become a valid command line;
 * `issues` lists every problem and `message` shows them one per line.
 *
 * @example
 * try { vllmCommand(input); } catch (e) { if (e instanceof EngineInputError) console.error(e.message); }
 */
export class EngineInputError extends Error {
  /** The engine whose input was rejected. */
  readonly engine: EngineName;
  /** The served model name, as given (for locating the model in a stack). */
  readonly servedModelName: unknown;
  /** Every problem found, in input-field order. */
  readonly issues: readonly EngineInputIssue[];

  constructor(engine: EngineName, servedModelName: unknown, issues: readonly EngineInputIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    const who = typeof servedModelName === "string" && servedModelName !== "" ? ` for "${servedModelName}"` : "";
    super([`Invalid ${engine} server input${who} (${count}):`, ...issues.map((i) => `  - ${formatEngineIssue(i)}`)].join("\n"));
    this.name = "EngineInputError";
    this.engine = engine;
    this.servedModelName = servedModelName;
    this.issues = issues;
  }
}
