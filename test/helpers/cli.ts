/** @module Runs the real, built `shoestring` binary (bin/shoestring.cjs → dist/) and captures its output. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const REPO_ROOT = join(__dirname, "..", "..");
const BIN = join(REPO_ROOT, "bin", "shoestring.cjs");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `shoestring <args>` from the repository root, as a user would after `npm ci`. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  if (!existsSync(join(REPO_ROOT, "dist", "src", "cli", "main.js"))) {
    throw new Error("dist/ is missing: the CLI tests run the built binary; run `npm run build` first (npm test does).");
  }
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    encoding: "utf8",
    // No TTY and NO_COLOR: output is plain text, as in a pipe.
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...opts.env },
    timeout: 15_000,
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
