/** @module Entry point of the `shoestring` CLI: runs the command table under one top-level error handler. */
import { runCommand } from "citty";
import { reportError } from "./errors";
import { rootCommand, usageFor, version } from "./root-command";

async function run(rawArgs: string[]): Promise<void> {
  try {
    if (rawArgs.length === 1 && rawArgs[0] === "--version") {
      process.stdout.write(`${version}\n`);
    } else if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      process.stdout.write(`${await usageFor(rawArgs)}\n`);
    } else {
      await runCommand(rootCommand, { rawArgs });
    }
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

void run(process.argv.slice(2));
