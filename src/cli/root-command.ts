/** @module The `shoestring` command table and its help rendering (the entry point is main.ts). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { defineCommand, renderUsage, type CommandDef } from "citty";
import { CliError } from "./errors";

/** The package version, read from the nearest package.json up (src/cli in tests, dist/src/cli when built). */
export const version = ((): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
    if (dirname(dir) === dir) return "0.0.0";
  }
})();

/** Loads a command module on demand (require, not import(): this is a CommonJS package). */
function load<M extends { default: unknown }>(path: string): Promise<M["default"]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return Promise.resolve((require(path) as M).default);
}

/**
 * Subcommands load lazily so `shoestring plan` never pays for the simulator's or the bench's imports
 * (the plan path has a 0.5 s process-time budget; see bench/plan-speed.ts).
 */
export const rootCommand = defineCommand({
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
    preview: () => load<typeof import("./commands/preview")>("./commands/preview"),
    diff: () => load<typeof import("./commands/diff")>("./commands/diff"),
  },
});

/**
 * Help for the command named in `rawArgs`, or the root. Written to stdout directly: citty's own
 * printer goes through consola, which goes quiet when it thinks it runs under a test runner.
 */
export async function usageFor(rawArgs: string[]): Promise<string> {
  const name = rawArgs.find((a) => !a.startsWith("-"));
  const loaders = rootCommand.subCommands as Record<string, () => Promise<CommandDef>>;
  const loader = name === undefined ? undefined : loaders[name];
  if (name !== undefined && !loader) throw new CliError(`Unknown command \`${name}\`. Run shoestring --help for the list.`);
  return loader ? renderUsage(await loader(), rootCommand) : renderUsage(rootCommand);
}

