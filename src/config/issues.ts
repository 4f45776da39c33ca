/**
 * @module Turns zod issues into {@link ConfigIssue}s: the stack-file path, the value, what is
 * allowed (nearest names for enums, ranges for numbers) and a `pulumi config` fix. Raw zod text
 * ("Invalid input") never reaches the user.
 */
import { z } from "zod";
import { distance } from "fastest-levenshtein";
import { nearestNames } from "../util/nearest";
import { CONFIG_NAMESPACE, STACK_SECTIONS } from "./_primitives";
import type { IssueHints } from "./cross-checks";
import { REDACTED, formatValue, type ConfigIssue } from "./errors";
import { discriminatorOf, objectAt, schemaAtPath, typeLabel, unwrap, variantsOf } from "./schema-walk";
import { isPlaintextSecretKey, isSecureValue, suggestSecretName } from "./secrets";

type Path = readonly PropertyKey[];
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path as `pulumi config set --path` takes it, e.g. `models[1].quantization`, `router.tiers["1"]`. */
export function pulumiPath(path: Path): string {
  return path
    .map((seg, i) => {
      if (typeof seg === "number") return `[${seg}]`;
      const key = String(seg);
      if (!IDENT.test(key)) return `["${key}"]`;
      return i === 0 ? key : `.${key}`;
    })
    .join("");
}

/** The path as the stack file shows it, e.g. `shoestring:models[1].quantization`. */
export function displayPath(path: Path): string {
  return path.length ? `${CONFIG_NAMESPACE}:${pulumiPath(path)}` : CONFIG_NAMESPACE;
}

/** Quotes a value for a shell command line; `<placeholders>` stay as they are for the user to replace. */
function shellWord(value: string): string {
  if (/^<[\w ().|-]+>$/.test(value)) return value;
  return /^[A-Za-z0-9._/:@,+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `pulumi config set --path` for a value. With --path, Pulumi stores integers and true/false as
 * JSON numbers/booleans and everything else as strings, so floats need `--type float`.
 * @see https://www.pulumi.com/docs/iac/cli/commands/pulumi_config_set/
 */
export function setCommand(path: Path, value: string | number | boolean): string {
  const base = `pulumi config set --path '${pulumiPath(path)}' ${shellWord(String(value))}`;
  if (typeof value === "number" && !Number.isInteger(value)) return `${base} --type float`;
  if (typeof value === "string" && /^(-?\d+|true|false)$/.test(value)) return `${base} --type string`;
  return base;
}

function fillFix(fix: string, path: Path): string {
  return fix.replaceAll("{path}", pulumiPath(path)).replaceAll("{parent}", pulumiPath(path.slice(0, -1)));
}

function valueAt(raw: unknown, path: Path): unknown {
  let value = raw;
  for (const key of path) value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** Lists allowed names, nearest first when there are many. */
function allowedNames(input: unknown, names: readonly string[]): string {
  if (names.length <= 8 || typeof input !== "string") return names.join(", ");
  return `${nearestNames(input, names).join(", ")} (nearest of ${names.length})`;
}

function nearest(input: unknown, names: readonly string[]): string | undefined {
  return typeof input === "string" ? nearestNames(input, names, 1)[0] : names[0];
}

const DOCS = "docs/config-reference.md";

type Make = (message: string, value: unknown, extra?: { allowed?: string; fix?: string }, p?: Path) => ConfigIssue;

/** What every mapper needs about one zod issue. */
interface IssueContext {
  path: Path;
  /** The schema at the issue's path, if the path is known to the schema. */
  at: z.ZodType | undefined;
  /** Human type label of `at`. */
  label: string;
  raw: unknown;
  root: z.ZodType;
  make: Make;
}

function fromDiscriminator(issue: z.core.$ZodIssueInvalidUnion, ctx: IssueContext): ConfigIssue[] {
  if (issue.discriminator === undefined) {
    return [ctx.make("not a valid value", issue.input, { allowed: ctx.label, fix: defaultFix(ctx.at, ctx.path) })];
  }
  const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
  const value = valueAt(ctx.raw, ctx.path);
  const suggestion = nearest(value, options);
  const message = value === undefined ? "required" : `unknown ${issue.discriminator}`;
  return [
    ctx.make(message, value, {
      allowed: options.join(", "),
      fix: suggestion === undefined ? undefined : setCommand(ctx.path, suggestion),
    }),
  ];
}

function fromInvalidType(issue: z.core.$ZodIssueInvalidType, ctx: IssueContext): ConfigIssue[] {
  const { path, make } = ctx;
  const value = issue.input;
  if (value === undefined) {
    // A plaintext sibling (apiKey next to a missing apiKeySecret) gets one issue whose fix sets both.
    const parent = valueAt(ctx.raw, path.slice(0, -1));
    const plaintext = typeof parent === "object" && parent !== null && Object.keys(parent).some(isPlaintextSecretKey);
    if (String(path[path.length - 1]).endsWith("Secret") && plaintext) return [];
    return [make("required", undefined, { allowed: ctx.label, fix: missingFix(ctx.at, path) })];
  }
  if (isSecureValue(value)) {
    return [
      make("secrets cannot sit inside structured config", value, {
        fix: "store the secret as its own key (pulumi config set --secret <name> <value>) and put the name in the matching *Secret field",
      }),
    ];
  }
  const got = Array.isArray(value) ? "list" : value === null ? "null value" : typeof value === "object" ? "map" : typeof value;
  return [make(`expected ${ctx.label}, found a ${got}`, value, { fix: typeFix(ctx.at, path, value) })];
}

function fromInvalidValue(issue: z.core.$ZodIssueInvalidValue, ctx: IssueContext): ConfigIssue[] {
  const names = issue.values.map(String);
  const typed = issue.values.find((v) => String(v) === nearest(issue.input, names));
  const settable = typeof typed === "string" || typeof typed === "number" || typeof typed === "boolean";
  return [
    ctx.make("unknown value", issue.input, {
      allowed: allowedNames(issue.input, names),
      fix: settable ? setCommand(ctx.path, typed) : undefined,
    }),
  ];
}

function fromRange(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, ctx: IssueContext): ConfigIssue[] {
  const { path, make, label } = ctx;
  const small = issue.code === "too_small";
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === "array") {
    const message = small ? `needs at least ${limit} ${limit === 1 ? "entry" : "entries"}` : `has more than ${limit} entries`;
    return [make(message, issue.input, { fix: small ? `add entries (see ${DOCS})` : "remove entries" })];
  }
  if (issue.origin === "string") {
    return [make(small ? "must not be empty" : `longer than ${limit} characters`, issue.input, { allowed: label })];
  }
  const inclusive = issue.inclusive !== false;
  const word = small ? (inclusive ? "at least" : "greater than") : inclusive ? "at most" : "less than";
  const fix = inclusive ? setCommand(path, limit) : defaultFix(ctx.at, path);
  return [make(`must be ${word} ${limit}`, issue.input, { allowed: label, fix })];
}

function fromFormat(issue: z.core.$ZodIssueInvalidStringFormat, ctx: IssueContext): ConfigIssue[] {
  const regex = issue.format === "regex";
  const value = issue.input;
  const prefix = `${CONFIG_NAMESPACE}:`;
  // Secret names are config keys without the namespace; a pasted `shoestring:name` gets the bare name.
  const bare = typeof value === "string" && value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
  return [
    ctx.make(`not a valid ${regex ? "value" : ctx.label}`, value, {
      allowed: regex ? issue.message : ctx.label,
      fix: bare ? setCommand(ctx.path, bare) : undefined,
    }),
  ];
}

/** Maps one zod issue (parsed with `reportInput`) to config issues. */
function mapIssue(issue: z.core.$ZodIssue, raw: unknown, root: z.ZodType): ConfigIssue[] {
  const path = issue.path;
  const at = schemaAtPath(root, path, raw);
  const make: Make = (message, value, extra = {}, p = path) => ({
    path: displayPath(p),
    value: isSecureValue(value) ? { secure: "…" } : value,
    message,
    ...extra,
  });
  const ctx: IssueContext = { path, at, label: at ? typeLabel(at) : "a valid value", raw, root, make };
  switch (issue.code) {
    case "invalid_union":
      return fromDiscriminator(issue, ctx);
    case "invalid_type":
      return fromInvalidType(issue, ctx);
    case "invalid_value":
      return fromInvalidValue(issue, ctx);
    case "too_small":
    case "too_big":
      return fromRange(issue, ctx);
    case "invalid_format":
      return fromFormat(issue, ctx);
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey(path, key, raw, root, make));
    case "invalid_key": {
      const inner = issue.issues[0];
      const hint = inner?.code === "invalid_format" && inner.format === "regex" ? inner.message : "a valid key";
      return [make("invalid key", issue.input, { allowed: hint }, [...path, String(issue.input)])];
    }
    case "custom": {
      const hints = (issue.params ?? {}) as IssueHints;
      const fix = hints.fix ? fillFix(hints.fix, path) : hints.suggest !== undefined ? setCommand(path, hints.suggest) : undefined;
      return [make(issue.message, issue.input, { allowed: hints.allowed, fix })];
    }
    default:
      return [make("not a valid value", issue.input, { allowed: ctx.label })];
  }
}

function defaultFix(at: z.ZodType | undefined, path: Path): string | undefined {
  const info = at && unwrap(at);
  return info?.default ? `remove it to use the default ${JSON.stringify(info.default.value)}: pulumi config rm --path '${pulumiPath(path)}'` : undefined;
}

function missingFix(at: z.ZodType | undefined, path: Path): string {
  const key = String(path[path.length - 1] ?? "");
  if (path.length === 1) return `add ${displayPath(path)} to the stack file (see ${DOCS})`;
  if (key.endsWith("Secret")) {
    return `pulumi config set --secret <name> <value> && pulumi config set --path '${pulumiPath(path)}' <name>`;
  }
  const inner = at && unwrap(at).inner;
  if (inner instanceof z.ZodObject) {
    const required = Object.entries(inner.shape).find(([, s]) => !unwrap(s as z.ZodType).optional);
    if (required) return setCommand([...path, required[0]], `<${typeLabel(required[1] as z.ZodType)}>`);
  }
  if (inner instanceof z.ZodArray) return `add at least one entry (see ${DOCS})`;
  const label = at ? typeLabel(at) : "value";
  return setCommand(path, `<${/^[\w() -]+$/.test(label) ? label : "value"}>`);
}

function typeFix(at: z.ZodType | undefined, path: Path, value: unknown): string | undefined {
  const inner = at && unwrap(at).inner;
  if (typeof value === "string") {
    const variants = inner ? variantsOf(inner) : [];
    const key = inner && discriminatorOf(inner);
    if (key && variants.some((v) => v.value === value)) return `write a map: ${setCommand([...path, key], value)}`;
    if (inner instanceof z.ZodNumber && value.trim() !== "" && Number.isFinite(Number(value))) return setCommand(path, Number(value));
    if (inner instanceof z.ZodBoolean && (value === "true" || value === "false")) return `${setCommand(path, value === "true")} --type bool`;
  }
  return defaultFix(at, path);
}

function unknownKey(
  parentPath: Path,
  key: string,
  raw: unknown,
  root: z.ZodType,
  make: Make,
): ConfigIssue {
  const path = [...parentPath, key];
  const parentRaw = valueAt(raw, parentPath);
  const value = (parentRaw as Record<string, unknown> | undefined)?.[key];
  const parentSchema = parentPath.length ? schemaAtPath(root, parentPath, raw) : root;
  const known = Object.keys(objectAt(parentSchema, parentRaw)?.shape ?? {});
  const rm = `pulumi config rm --path '${pulumiPath(path)}'`;

  if (parentPath.length === 0) {
    const suggestion = nearest(key, STACK_SECTIONS);
    return make("unknown config key", undefined, {
      allowed: `${STACK_SECTIONS.join(", ")}, or a secret set with pulumi config set --secret`,
      fix: suggestion && distance(key.toLowerCase(), suggestion) <= 3 ? `rename it to ${CONFIG_NAMESPACE}:${suggestion}` : "remove it",
    }, path);
  }
  if (isPlaintextSecretKey(key)) {
    const field = known.find((k) => k.toLowerCase() === `${key.toLowerCase()}secret`) ?? known.find((k) => k.endsWith("Secret"));
    const name = suggestSecretName(parentPath, key, parentRaw);
    return make("plaintext secrets are not allowed in stack config", value === undefined ? undefined : REDACTED, {
      fix: field
        ? `${rm} && pulumi config set --secret ${name} <value> && ${setCommand([...parentPath, field], name)}`
        : `${rm}, then store it with pulumi config set --secret ${name} <value>`,
    }, path);
  }
  const union = parentSchema && unwrap(parentSchema).inner;
  const disc = union && discriminatorOf(union);
  if (union && disc) {
    const owners = variantsOf(union).filter((v) => key in v.schema.shape).map((v) => v.value);
    if (owners.length) {
      const current = (parentRaw as Record<string, unknown> | undefined)?.[disc];
      return make(`${key} applies only to ${disc} ${owners.join(", ")} (this one is ${typeof current === "string" ? current : formatValue(current)})`, value, { fix: rm }, path);
    }
  }
  const suggestion = nearest(key, known);
  const close = suggestion !== undefined && distance(key.toLowerCase(), suggestion.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3));
  return make("unknown key", value, {
    allowed: allowedNames(key, known),
    fix: close ? `rename it to ${suggestion} (${rm}, then set '${pulumiPath([...parentPath, suggestion])}')` : rm,
  }, path);
}

/** Converts zod issues (parsed with `reportInput: true`) into config issues. */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, root: z.ZodType): ConfigIssue[] {
  return issues.flatMap((issue) => mapIssue(issue, raw, root));
}

/** Zod skips cross-field checks after a type error; true when that happened. */
export function crossChecksSkipped(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.some((i) => i.code === "invalid_type" || i.code === "invalid_value" || i.code === "invalid_union" || i.code === "invalid_key");
}
