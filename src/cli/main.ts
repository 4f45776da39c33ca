/** @module Entry point of the `shoestring` CLI: the command table and the one top-level error handler. */
import { defineCommand, runCommand, runMain } from "citty";
import { reportError } from "./errors";

// Read at run time instead of importing package.json, so dist/ does not need a copy of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../../package.json") as { version: string };

/**
 * Subcommands load lazily so `shoestring plan` never pays for the simulator's or the bench's imports
 * (the plan path has a 0.5 s process-time budget; see bench/plan-speed.ts).
 */
export const main = defineCommand({
  meta: {
    name: "shoestring",
    version,
    description: "Plan, validate, simulate and benchmark a self-hosted LLM serving stack.",
  },
  subCommands: {
    plan: () => import("./commands/plan").then((m) => m.default),
    validate: () => import("./commands/validate").then((m) => m.default),
    models: () => import("./commands/models").then((m) => m.default),
    gpus: () => import("./commands/gpus").then((m) => m.default),
    simulate: () => import("./commands/simulate").then((m) => m.default),
    bench: () => import("./commands/bench").then((m) => m.default),
  },
});

async function run(rawArgs: string[]): Promise<void> {
  const wantsUsage = rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h");
  if (wantsUsage || (rawArgs.length === 1 && rawArgs[0] === "--version")) {
    // citty renders help and version; nothing there can fail in a way the user must read.
    await runMain(main, { rawArgs: rawArgs.length === 0 ? ["--help"] : rawArgs });
    return;
  }
  try {
    await runCommand(main, { rawArgs });
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

void run(process.argv.slice(2));
