/**
 * @module Checks a generated command line against the engines' flag references (fixtures/*.json,
 * copies of shared/reference): every flag must exist in the described release, take a valid value,
 * and not be on a removed/deprecated list. Returns problems as strings, so a failing test shows them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One row of vllm-flags.json#flags. */
interface VllmFlag {
  flag: string;
  aliases: string[];
  type: string;
  choices: unknown[] | null;
}

/** The parts of vllm-flags.json the checks read. */
export interface VllmReference {
  version_described: string;
  source: { path: string; release: string };
  flag_syntax: { env: string };
  flags: VllmFlag[];
  removed_or_renamed: { flag: string }[];
  newer_than_described_version: { flag: string }[];
  quantization_methods: { common: string[] };
}

/** One row of llamacpp-flags.json#flags. */
interface LlamaFlag {
  names: string[];
  negations: string[];
  type: string;
  env: string | null;
  choices: string[] | null;
  applies_to_llama_server: boolean;
}

/** The parts of llamacpp-flags.json the checks read. */
export interface LlamaReference {
  source: { commit: string };
  flags: LlamaFlag[];
  deprecated_or_removed: { names: string[]; env?: string }[];
}

function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8")) as T;
}

export const VLLM_REF = readFixture<VllmReference>("vllm-flags.json");
export const LLAMA_REF = readFixture<LlamaReference>("llamacpp-flags.json");

/**
 * Flag names a free-text list mentions. A trailing `*` marks a prefix (`--ngram-prompt-lookup-*`);
 * `--tokenizer-pool-size/-type` is shorthand for `--tokenizer-pool-size` and `--tokenizer-pool-type`.
 */
function flagNamesIn(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/(^|[\s,/(])(-{1,2}[a-z][a-z0-9-]*\*?)/g)) {
    const [, before, name = ""] = m;
    const previous = names[names.length - 1];
    const shorthand = before === "/" && !name.startsWith("--") && previous !== undefined;
    names.push(shorthand ? previous.replace(/-[a-z0-9]+$/, "") + name : name);
  }
  return names;
}

function isListed(flag: string, listed: readonly string[]): boolean {
  return listed.some((name) => (name.endsWith("*") ? flag.startsWith(name.slice(0, -1)) : flag === name));
}

const VLLM_FLAGS = new Map<string, VllmFlag>();
for (const spec of VLLM_REF.flags) {
  if (spec.type === "positional") continue;
  for (const name of [spec.flag, ...spec.aliases]) VLLM_FLAGS.set(name, spec);
  // BooleanOptionalAction: --x has a --no-x twin (vllm-flags.json#flag_syntax.boolean_flags).
  if (spec.type === "bool") VLLM_FLAGS.set(spec.flag.replace(/^--/, "--no-"), spec);
}

/** Flags removed before, or added after, the release vllm-flags.json describes. */
export const VLLM_FORBIDDEN: readonly string[] = [...VLLM_REF.removed_or_renamed, ...VLLM_REF.newer_than_described_version].flatMap((r) =>
  flagNamesIn(r.flag),
);

function checkValue(flag: string, type: string, choices: readonly unknown[] | null, value: string): string | undefined {
  const bad = (why: string) => `${flag} ${JSON.stringify(value)}: ${why}`;
  if (value === "" || /\s/.test(value)) return bad("empty or contains whitespace");
  if (value.startsWith("-") && !/^-\d+$/.test(value)) return bad("value looks like a flag (missing value?)");
  if (choices && !choices.map(String).includes(value)) return bad(`not one of ${choices.join(", ")}`);
  if ((type === "int" || type === "human_int") && !/^-?\d+$/.test(value)) return bad("not an integer");
  if (type === "human_int_or_auto" && !/^(\d+|auto|-1)$/.test(value)) return bad("not an integer or auto");
  if (type === "int|auto|all" && !/^(-?\d+|auto|all)$/.test(value)) return bad("not an integer, auto or all");
  if (type === "float" && !Number.isFinite(Number(value))) return bad("not a number");
  return undefined;
}

/**
 * Problems in a `vllm serve` container command line (model positional first, then flags), checked
 * against vllm-flags.json. Empty when every flag is valid for the described release.
 */
export function vllmArgProblems(args: readonly string[]): string[] {
  const problems: string[] = [];
  const model = args[0];
  if (model === undefined || model.startsWith("-")) problems.push(`first arg must be the model, got ${JSON.stringify(model)}`);
  if (model === "serve") problems.push("first arg is 'serve': the image ENTRYPOINT already runs `vllm serve`");
  const seen = new Set<string>();
  for (let i = 1; i < args.length; i++) {
    const flag = args[i] as string;
    if (!flag.startsWith("-")) {
      problems.push(`stray value ${JSON.stringify(flag)} (a second positional, or a flag given too many values)`);
      continue;
    }
    if (isListed(flag, VLLM_FORBIDDEN)) problems.push(`${flag} is removed in, or newer than, ${VLLM_REF.version_described}`);
    const spec = VLLM_FLAGS.get(flag);
    if (!spec) {
      problems.push(`${flag} is not a flag of vllm serve ${VLLM_REF.version_described}`);
      continue;
    }
    if (seen.has(spec.flag)) problems.push(`${spec.flag} given twice`);
    seen.add(spec.flag);
    if (spec.type === "bool" || spec.type === "flag") continue;
    const value = args[++i];
    if (value === undefined) {
      problems.push(`${flag} needs a value`);
      continue;
    }
    const quantizations = spec.flag === "--quantization" ? VLLM_REF.quantization_methods.common : null;
    const problem = checkValue(flag, spec.type, spec.choices ?? quantizations, value);
    if (problem) problems.push(problem);
  }
  return problems;
}

const LLAMA_FLAGS = new Map<string, { spec: LlamaFlag; negated: boolean }>();
for (const spec of LLAMA_REF.flags) {
  for (const name of spec.names) LLAMA_FLAGS.set(name, { spec, negated: false });
  for (const name of spec.negations) LLAMA_FLAGS.set(name, { spec, negated: true });
}

/** Deprecated or removed llama.cpp flags (llamacpp-flags.json#deprecated_or_removed). */
export const LLAMA_DEPRECATED: readonly string[] = LLAMA_REF.deprecated_or_removed.flatMap((r) => r.names.flatMap(flagNamesIn));

/** Deprecated llama.cpp env vars (`LLAMA_ARG_MLOCK`, `LLAMA_ARG_NO_MMAP`, …). */
export const LLAMA_DEPRECATED_ENV: readonly string[] = LLAMA_REF.deprecated_or_removed.flatMap((r) => [
  ...(r.env ?? "").matchAll(/LLAMA_ARG_[A-Z_]+/g),
]).map((m) => m[0]);

const LLAMA_NO_VALUE = new Set(["flag", "bool", "action"]);

/** Problems in a `llama-server` command line, checked against llamacpp-flags.json. */
export function llamaArgProblems(args: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<LlamaFlag>();
  for (let i = 0; i < args.length; i++) {
    const flag = args[i] as string;
    if (!flag.startsWith("-")) {
      problems.push(`stray value ${JSON.stringify(flag)} (llama-server takes no positional args)`);
      continue;
    }
    if (isListed(flag, LLAMA_DEPRECATED)) problems.push(`${flag} is deprecated or removed`);
    const found = LLAMA_FLAGS.get(flag);
    if (!found) {
      problems.push(`${flag} is not a llama-server flag at ${LLAMA_REF.source.commit.slice(0, 8)}`);
      continue;
    }
    const { spec, negated } = found;
    if (!spec.applies_to_llama_server) problems.push(`${flag} does not apply to llama-server`);
    if (seen.has(spec)) problems.push(`${flag} given twice (or with its negation)`);
    seen.add(spec);
    if (negated || LLAMA_NO_VALUE.has(spec.type)) continue;
    const arity = spec.type === "two ints" ? 2 : 1;
    for (let k = 0; k < arity; k++) {
      const value = args[++i];
      if (value === undefined) {
        problems.push(`${flag} needs a value`);
        break;
      }
      const problem = checkValue(flag, spec.type === "two ints" ? "int" : spec.type, spec.choices, value);
      if (problem) problems.push(problem);
      // --alias and --api-key are comma-separated lists in recent builds: a comma would split the name.
      if (spec.type === "csv" && value.includes(",")) problems.push(`${flag} ${JSON.stringify(value)}: a comma splits it into several values`);
    }
  }
  return problems;
}

/** The env var llamacpp-flags.json gives for a flag (e.g. `--api-key` → `LLAMA_API_KEY`). */
export function llamaFlagEnv(flag: string): string | null | undefined {
  return LLAMA_FLAGS.get(flag)?.spec.env;
}

/** The choices vllm-flags.json lists for a flag. */
export function vllmChoices(flag: string): unknown[] | null | undefined {
  return VLLM_FLAGS.get(flag)?.choices;
}

/** The choices llamacpp-flags.json lists for a flag. */
export function llamaChoices(flag: string): string[] | null | undefined {
  return LLAMA_FLAGS.get(flag)?.spec.choices;
}
