/**
 * @module `StackConfigError`: every problem found in a stack's config, thrown once, each naming
 * the field (as the stack file spells it), the value, what is allowed, and the fix.
 */
import { CONFIG_NAMESPACE, STACK_SECTIONS } from "./_primitives";

/** One problem in a stack's config. */
export interface ConfigIssue {
  /** Dotted path from the stack file's view, e.g. `shoestring:models[1].quantization`. */
  path: string;
  /** The offending value; undefined when the field is missing. Secrets are redacted. */
  value: unknown;
  /** What is wrong, e.g. `unknown quantization`. */
  message: string;
  /** What is allowed: nearest valid names, a range, a type. */
  allowed?: string;
  /** How to fix it, usually a `pulumi config` command. */
  fix?: string;
}

const MAX_VALUE_CHARS = 60;

/** Stands in for a secret value in {@link ConfigIssue.value}; shown as `<redacted>`. */
export const REDACTED = "<redacted>";

/** Renders a config value for a message: JSON, shortened, secrets hidden. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === REDACTED) return REDACTED;
  if (typeof value === "object" && value !== null && "secure" in value) return "a secure (encrypted) value";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Not JSON (a cycle, a BigInt): name its type rather than call its own toString, which may throw too.
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** One issue as one line: `path: message (got value; allowed: …). Fix: …`. */
export function formatIssue(issue: ConfigIssue): string {
  const facts = [issue.value === undefined ? undefined : `got ${formatValue(issue.value)}`, issue.allowed && `allowed: ${issue.allowed}`]
    .filter(Boolean)
    .join("; ");
  return `${issue.path}: ${issue.message}${facts ? ` (${facts})` : ""}${issue.fix ? `. Fix: ${issue.fix}` : ""}`;
}

/**
 * Orders issues as a reader meets them: file-level problems (YAML, top-level keys) first, then by
 * section (target, models, …), then other `shoestring:*` keys; stable inside each group.
 */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const rank = (path: string) => {
    if (!path.startsWith(`${CONFIG_NAMESPACE}:`)) return -1;
    const section = /^[A-Za-z]+/.exec(path.slice(CONFIG_NAMESPACE.length + 1))?.[0] ?? "";
    const index = (STACK_SECTIONS as readonly string[]).indexOf(section);
    return index === -1 ? STACK_SECTIONS.length : index;
  };
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => rank(a.issue.path) - rank(b.issue.path) || a.i - b.i)
    .map((x) => x.issue);
}

/** Options for {@link StackConfigError}. */
export interface StackConfigErrorOptions {
  /** Where the config came from, e.g. `stacks/Pulumi.edge.yaml`. */
  source?: string;
  /** A closing line after the issues. */
  note?: string;
  /** Replaces the header line, e.g. `Stack "x" not found`. @default - "Invalid stack configuration in <source> (N problems)" */
  title?: string;
}

/**
 * Thrown when a stack's config is invalid; `issues` lists every problem and `message` shows them
 * one per line.
 *
 * @example
 * try { loadStackByName("edge"); } catch (e) { if (e instanceof StackConfigError) console.error(e.message); }
 */
export class StackConfigError extends Error {
  /** Every problem found, in stack-file order. */
  readonly issues: ConfigIssue[];
  /** Where the config came from, e.g. `stacks/Pulumi.edge.yaml`. */
  readonly source?: string;

  constructor(issues: readonly ConfigIssue[], opts: StackConfigErrorOptions = {}) {
    const sorted = sortIssues(issues);
    const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
    const header = opts.title ? `${opts.title}:` : `Invalid stack configuration${opts.source ? ` in ${opts.source}` : ""} (${count}):`;
    const lines = [header, ...sorted.map((i) => `  - ${formatIssue(i)}`)];
    if (opts.note) lines.push(opts.note);
    super(lines.join("\n"));
    this.name = "StackConfigError";
    this.issues = sorted;
    this.source = opts.source;
  }
}
