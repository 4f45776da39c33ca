/**
 * @module Runs Debian's `promtool` for the monitoring tests, in a temp folder of written files. A missing
 * promtool fails the test with the fix, never skips it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** What promtool printed and returned. */
export interface PromtoolResult {
  status: number;
  /** stdout and stderr together. */
  output: string;
}

export const PROMTOOL_MISSING =
  "promtool is not on PATH: the monitoring tests need it to check configs and rules. Install Debian's `prometheus` package (apt-get install prometheus; .ci/run installs it).";

/** Runs `promtool <args>` in `cwd`. Throws {@link PROMTOOL_MISSING} when promtool is not installed. */
export function promtool(args: readonly string[], cwd: string): PromtoolResult {
  const r = spawnSync("promtool", args, { cwd, encoding: "utf8", timeout: 30_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(PROMTOOL_MISSING);
  if (r.error) throw r.error;
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** A temp folder holding `files` (name → content); `cleanup()` removes it. */
export function writeTempFiles(files: Readonly<Record<string, string>>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "shoestring-monitoring-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `files` to a temp folder, runs promtool there, removes the folder. */
export function promtoolOn(files: Readonly<Record<string, string>>, args: (dir: string) => readonly string[]): PromtoolResult {
  const { dir, cleanup } = writeTempFiles(files);
  try {
    return promtool(args(dir), dir);
  } finally {
    cleanup();
  }
}
