/** @module The CLI's one error type, its exit codes, and the top-level handler that prints errors. */

/** Exit codes every command shares (documented in README "Troubleshooting"). */
export const EXIT = {
  ok: 0,
  /** Bad input: flags, stack file, unknown model / GPU / quantization. */
  invalid: 1,
  /** Valid input that does not fit on the hardware (plan, validate, preview). */
  doesNotFit: 2,
  /** `diff --fail-on-increase`: the monthly cost rose by more than allowed. */
  costIncrease: 3,
  /** A bug: the message asks for a report. */
  internal: 70,
} as const;

/** An error meant for the user: printed as-is (no stack trace), with its own exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.invalid,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Errors from other layers that already carry a user-facing message (config and planner errors). */
interface UserFacingError {
  name: string;
  message: string;
}

const USER_FACING = new Set(["CliError", "CLIError", "StackConfigError", "PlannerError"]);

/**
 * Prints an error the way a user should see it and returns the exit code.
 * Only unexpected errors show a stack, and only with SHOESTRING_DEBUG=1.
 */
export function reportError(error: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (error instanceof CliError) {
    write(`${error.message}\n`);
    return error.exitCode;
  }
  const named = error as UserFacingError;
  if (named && typeof named === "object" && USER_FACING.has(named.name)) {
    // citty's own argument errors (unknown command, missing --flag) also land here.
    const hint = named.name === "CLIError" ? "\nRun with --help to see the options." : "";
    write(`${named.message}${hint}\n`);
    return EXIT.invalid;
  }
  const detail = process.env.SHOESTRING_DEBUG ? `\n${(error as Error)?.stack ?? ""}` : "";
  write(
    `shoestring: unexpected error: ${(error as Error)?.message ?? String(error)}${detail}\n` +
      "This is a bug; please report it with the command you ran (SHOESTRING_DEBUG=1 shows the stack).\n",
  );
  return EXIT.internal;
}
