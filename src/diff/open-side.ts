/**
 * @module One side of a diff: a directory as it is, or a git ref extracted with `git archive` into
 * a temporary directory — the user's work tree, index and HEAD are never touched.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { CliError } from "../cli/errors";
import type { DiffSideInfo } from "./types";

/** A side ready to read: where its stacks are, and how to clean up. */
export interface OpenedSide extends DiffSideInfo {
  /** Project root: `models[].modelConfig` paths start here. */
  readonly root: string;
  /** Directory holding `Pulumi.<stack>.yaml` files (may not exist: no stacks on that side). */
  readonly stacksDir: string;
  /** Removes the temporary extraction of a git ref; a no-op for directories. */
  cleanup(): void;
}

/** Options for {@link openSide}. */
export interface OpenSideOptions {
  /** Which flag the spec came from, for messages (`--base`, `--head`). */
  readonly flag: string;
  /** Working directory: relative paths and the git repository are resolved from here. @default process.cwd() */
  readonly cwd?: string;
  /** Stack directory relative to the project root. @default "stacks" */
  readonly stacksDir?: string;
}

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync("git", ["-C", cwd, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new CliError(`git: cannot run it (${code ?? result.error.message}). Install git, or pass directories to --base and --head.`);
  }
  return { ok: result.status === 0, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function hasStackFiles(dir: string): boolean {
  return readdirSync(dir).some((f) => /^Pulumi\..+\.ya?ml$/.test(f));
}

function openDir(spec: string, dir: string, stacksDir: string, flag: string): OpenedSide {
  const nested = join(dir, stacksDir);
  // Either a project root with stacks/ in it, or the stacks directory itself.
  if (existsSync(nested)) return { spec, kind: "dir", root: dir, stacksDir: nested, cleanup: () => undefined };
  if (hasStackFiles(dir)) return { spec, kind: "dir", root: dirname(dir), stacksDir: dir, cleanup: () => undefined };
  // A wrong directory would make every stack look added or removed.
  throw new CliError(`${flag}: directory "${spec}" holds neither ${stacksDir}/ nor Pulumi.<stack>.yaml files. Pass the project root (the directory with ${stacksDir}/), or a git ref.`);
}

function openRef(spec: string, cwd: string, stacksDir: string, flag: string): OpenedSide {
  const commit = git(cwd, ["rev-parse", "--verify", "--quiet", `${spec}^{commit}`]);
  if (!commit.ok) {
    const inRepo = git(cwd, ["rev-parse", "--is-inside-work-tree"]).ok;
    const why = inRepo ? "not a directory, and git does not know it as a branch, tag or commit" : `not a directory, and ${cwd} is not in a git repository`;
    throw new CliError(
      `${flag}: "${spec}" is ${why}. Pass a directory holding ${stacksDir}/, or a git ref ` +
        "(in CI, fetch it first: actions/checkout with fetch-depth: 0, or git fetch origin <branch>).",
    );
  }
  // Paths in the archive are relative to the repository root; the project may sit in a subdirectory.
  // Archive from the top: pathspecs are relative to the directory git runs in.
  const prefix = git(cwd, ["rev-parse", "--show-prefix"]).stdout;
  const top = git(cwd, ["rev-parse", "--show-toplevel"]).stdout;
  const tmp = mkdtempSync(join(tmpdir(), "shoestring-diff-"));
  const cleanup = () => rmSync(tmp, { recursive: true, force: true });
  try {
    const tar = join(tmp, "archive.tar");
    const tree = join(tmp, "tree");
    mkdirSync(tree);
    const archive = git(top, ["archive", "--format=tar", "-o", tar, commit.stdout, ...(prefix ? ["--", prefix] : [])]);
    if (archive.ok) {
      const extract = spawnSync("tar", ["-x", "-f", tar, "-C", tree], { encoding: "utf8" });
      if (extract.status !== 0) throw new CliError(`${flag}: cannot extract ${spec} (tar: ${extract.stderr?.trim() || extract.error?.message}). Install tar, or pass a directory.`);
      rmSync(tar);
      // A ref from before the project directory existed matches no files: no stacks on that side.
    } else if (!/did not match any files/.test(archive.stderr)) {
      throw new CliError(`${flag}: git archive ${spec} failed: ${archive.stderr}`);
    }
    const root = join(tree, prefix);
    return { spec, kind: "git", commit: commit.stdout, root, stacksDir: join(root, stacksDir), cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/**
 * Opens `spec` for reading: an existing directory is used as is, anything else must be a git ref
 * (branch, tag, commit, `HEAD~1`, `origin/main`) of the repository around `cwd`.
 * @throws {CliError} naming the flag, the value and what to pass instead.
 * @example
 * const base = openSide("origin/main", { flag: "--base" });
 * try { ... } finally { base.cleanup(); }
 */
export function openSide(spec: string, opts: OpenSideOptions): OpenedSide {
  const cwd = opts.cwd ?? process.cwd();
  const stacksDir = opts.stacksDir ?? "stacks";
  if (spec.trim() === "") throw new CliError(`${opts.flag}: empty value. Pass a git ref (e.g. origin/main) or a directory.`);
  const path = resolve(cwd, spec);
  if (existsSync(path) && statSync(path).isDirectory()) return openDir(spec, path, stacksDir, opts.flag);
  if (existsSync(path)) {
    throw new CliError(`${opts.flag}: "${spec}" is a file (${basename(path)}); pass the directory that holds ${stacksDir}/, or a git ref.`);
  }
  return openRef(spec, cwd, stacksDir, opts.flag);
}
