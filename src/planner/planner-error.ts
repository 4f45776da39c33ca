/** @module The planner's one error type: an impossible request, named field first (STYLE R6). */

/**
 * Thrown for a request the planner cannot evaluate: a combination no engine accepts (AWQ on
 * llama.cpp, TP that does not divide the attention heads, more GPUs than the hardware has) or an
 * unknown name. A config that is valid but does not fit is NOT an error: `planModel` returns
 * `fits: false` with the reason instead.
 *
 * The message follows `<field>: <problem> (got <value>; <allowed>). <fix>.`
 */
export class PlannerError extends Error {
  /** Dotted path of the offending input, e.g. `models[0].quantization` or `tp`. */
  readonly field: string;
  /** What is wrong, without the field name. */
  readonly problem: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What would have been accepted: a list of names, a range, or a limit in words. */
  readonly allowed: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;

  constructor(args: { field: string; problem: string; value: unknown; allowed: string; fix: string }) {
    const got = `got ${formatValue(args.value)}; ${args.allowed}`;
    super(`${args.field}: ${args.problem} (${got}). ${args.fix}`);
    this.name = "PlannerError";
    this.field = args.field;
    this.problem = args.problem;
    this.value = args.value;
    this.allowed = args.allowed;
    this.fix = args.fix;
  }
}

function formatValue(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : String(value);
}

/** Prefixes a field path, so nested planners report `models[1].tp` rather than `tp`. */
export function withFieldPrefix(error: unknown, prefix: string): unknown {
  if (!(error instanceof PlannerError) || prefix === "") return error;
  return new PlannerError({
    field: `${prefix}.${error.field}`,
    problem: error.problem,
    value: error.value,
    allowed: error.allowed,
    fix: error.fix,
  });
}
