/**
 * @module `runDiff`: previews every stack on both sides (the installed program, offline) and
 * compares them. Sides are directories or git refs (see open-side.ts).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { version } from "../cli/root-command";
import { CliError } from "../cli/errors";
import { CONFIG_NAMESPACE } from "../config";
import { previewStack, type StackPreview } from "../preview";
import { byText } from "./compare-resources";
import { compareStack, costChange, type CompareOptions } from "./compare-stacks";
import { openSide, type OpenedSide } from "./open-side";
import type { DiffReport, StackDiff } from "./types";

/** Options for {@link runDiff}. */
export interface RunDiffOptions extends CompareOptions {
  /** Base side: a git ref or a directory. */
  base: string;
  /** Head side: a git ref or a directory. */
  head: string;
  /** Compare only this stack. @default - every stack found on either side */
  stack?: string;
  /** Working directory (git repository, relative paths). @default process.cwd() */
  cwd?: string;
  /** Stack directory relative to each side's project root. @default "stacks" */
  stacksDir?: string;
}

function stackNames(side: OpenedSide): string[] {
  if (!existsSync(side.stacksDir)) return [];
  return readdirSync(side.stacksDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined);
}

/**
 * What a preview depends on besides the program: the stack file and any model config.json it
 * names. Equal fingerprints give equal previews, so an unchanged stack is previewed once.
 */
function fingerprint(side: OpenedSide, file: string): string {
  const hash = createHash("sha256");
  const text = readFileSync(file, "utf8");
  hash.update(text);
  try {
    const doc = parse(text) as { config?: Record<string, unknown> } | null;
    const models = doc?.config?.[`${CONFIG_NAMESPACE}:models`];
    for (const m of Array.isArray(models) ? models : []) {
      const path = (m as { modelConfig?: unknown }).modelConfig;
      if (typeof path === "string" && existsSync(resolve(side.root, path))) hash.update(readFileSync(resolve(side.root, path)));
    }
  } catch {
    // Unparsable YAML: the preview reports it; the text alone identifies it.
  }
  return hash.digest("hex");
}

/** Sum of known costs and the stacks whose cost is unknown. */
function sumCosts(values: Array<[string, number | null]>): { sum: number; unpriced: string[] } {
  return {
    sum: Math.round(values.reduce((s, [, v]) => s + (v ?? 0), 0) * 100) / 100,
    unpriced: values.filter(([, v]) => v === null).map(([n]) => n),
  };
}

function mostCommon(values: number[], fallback: number): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? fallback;
}

/** Summarizes per-stack diffs into the report (totals over every stack, all warnings). */
export function buildReport(stacks: StackDiff[], sides: Pick<DiffReport, "base" | "head">): DiffReport {
  const before = sumCosts(stacks.map((s) => [s.stack, s.cost.before]));
  const after = sumCosts(stacks.map((s) => [s.stack, s.cost.after]));
  // An unpriced stack that did not change does not make the change unknown; one that changed does.
  const unknownChange = stacks.some((s) => s.cost.delta === null && s.status !== "unchanged");
  const change = costChange(before.sum, after.sum);
  const total = {
    ...change,
    delta: unknownChange ? null : change.delta,
    percent: unknownChange ? null : change.percent,
    unpricedBefore: before.unpriced,
    unpricedAfter: after.unpriced,
  };
  const heads = stacks.map((s) => s.head).filter((h): h is StackPreview => h !== null);
  return {
    ...sides,
    stacks,
    total,
    warnings: stacks.flatMap((s) => s.warnings),
    priceSnapshot: heads.find((h) => h.priceSnapshot)?.priceSnapshot ?? stacks.find((s) => s.base?.priceSnapshot)?.base?.priceSnapshot ?? null,
    hoursPerMonth: mostCommon(heads.flatMap((h) => (h.totals ? [h.totals.hoursPerMonth] : [])), 730),
    programVersion: version,
  };
}

/**
 * Previews and compares the stacks of two sides.
 * @throws {CliError} when a side cannot be opened, or `stack` exists on neither side.
 * @example
 * const report = await runDiff({ base: "origin/main", head: "." });
 */
export async function runDiff(opts: RunDiffOptions): Promise<DiffReport> {
  const sideOpts = { cwd: opts.cwd, stacksDir: opts.stacksDir };
  const base = openSide(opts.base, { ...sideOpts, flag: "--base" });
  let head: OpenedSide | undefined;
  try {
    head = openSide(opts.head, { ...sideOpts, flag: "--head" });
    const all = [...new Set([...stackNames(base), ...stackNames(head)])].sort(byText);
    if (opts.stack !== undefined && !all.includes(opts.stack)) {
      throw new CliError(
        `--stack: no stack "${opts.stack}" on either side (base ${opts.base}: ${stackNames(base).join(", ") || "none"}; ` +
          `head ${opts.head}: ${stackNames(head).join(", ") || "none"}). Use one of those, or --all.`,
      );
    }
    const names = opts.stack !== undefined ? [opts.stack] : all;
    const cache = new Map<string, StackPreview>();
    const preview = async (side: OpenedSide, name: string): Promise<StackPreview | null> => {
      const file = join(side.stacksDir, `Pulumi.${name}.yaml`);
      if (!existsSync(file)) return null;
      const key = `${name}:${fingerprint(side, file)}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const result = await previewStack({ file, baseDir: side.root, displayFile: join(opts.stacksDir ?? "stacks", `Pulumi.${name}.yaml`) });
      cache.set(key, result);
      return result;
    };
    const stacks: StackDiff[] = [];
    // One at a time: the Pulumi runtime (and its mocks) is process-wide state.
    for (const name of names) stacks.push(compareStack(name, await preview(base, name), await preview(head, name), opts));
    const info = (side: OpenedSide) => ({ spec: side.spec, kind: side.kind, ...(side.commit ? { commit: side.commit } : {}) });
    return buildReport(stacks, { base: info(base), head: info(head) });
  } finally {
    base.cleanup();
    head?.cleanup();
  }
}
