/** @module Entry point of the `shoestring` CLI: the command table and the one top-level error handler. */
import { defineCommand, renderUsage, runCommand, type CommandDef } from "citty";
import { CliError, reportError } from "./errors";

// Read at run time instead of importing package.json, so dist/ does not need a copy of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../../../package.json") as { version: string };

/** Loads a command module on demand (require, not import(): this is a CommonJS package). */
function load<M extends { default: unknown }>(path: string): Promise<M["default"]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return Promise.resolve((require(path) as M).default);
}

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
    plan: () => load<typeof import("./commands/plan")>("./commands/plan"),
    validate: () => load<typeof import("./commands/validate")>("./commands/validate"),
    models: () => load<typeof import("./commands/models")>("./commands/models"),
    gpus: () => load<typeof import("./commands/gpus")>("./commands/gpus"),
    simulate: () => load<typeof import("./commands/simulate")>("./commands/simulate"),
    bench: () => load<typeof import("./commands/bench")>("./commands/bench"),
  },
});

async function run(rawArgs: string[]): Promise<void> {
  try {
    if (rawArgs.length === 1 && rawArgs[0] === "--version") {
      process.stdout.write(`${version}\n`);
    } else if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      process.stdout.write(`${await usageFor(rawArgs)}\n`);
    } else {
      await runCommand(main, { rawArgs });
    }
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

/**
 * Help for the command named in `rawArgs`, or the root. Written to stdout directly: citty's own
 * printer goes through consola, which goes quiet when it thinks it runs under a test runner.
 */
async function usageFor(rawArgs: string[]): Promise<string> {
  const name = rawArgs.find((a) => !a.startsWith("-"));
  const loaders = main.subCommands as Record<string, () => Promise<CommandDef>>;
  const loader = name === undefined ? undefined : loaders[name];
  if (name !== undefined && !loader) throw new CliError(`Unknown command \`${name}\`. Run shoestring --help for the list.`);
  return loader ? renderUsage(await loader(), main) : renderUsage(main);
}

void run(process.argv.slice(2));
