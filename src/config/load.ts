/**
 * @module Loads stack config from a raw object or a Pulumi stack file (`stacks/Pulumi.<name>.yaml`)
 * and validates it, reporting every problem at once. No Pulumi imports: the CLI loads this.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { nearestNames } from "../util/nearest";
import { CONFIG_NAMESPACE, SECRET_NAME, STACK_SECTIONS } from "./_primitives";
import { REDACTED, StackConfigError, type ConfigIssue } from "./errors";
import { crossChecksSkipped, displayPath, toConfigIssues } from "./issues";
import { StackConfigSchema, type StackConfig } from "./schema";
import { collectSecretRefs, findNestedSecureValues, isPlaintextSecretKey, isSecureValue } from "./secrets";

/** Options for {@link parseStackConfig}. */
export interface ParseOptions {
  /** Where the config came from, shown in the error header (e.g. a file path). */
  source?: string;
  /**
   * Names of the secrets the stack holds. When given, every secret a `*Secret` field names must be
   * among them. @default - not checked
   */
  secrets?: readonly string[];
}

/** A validated config and the secrets it references. */
export interface ParsedStackConfig {
  /** The config with every default applied. */
  config: StackConfig;
  /** Names of the stack secrets referenced by `*Secret` fields, unique, in document order. */
  secretNames: string[];
}

/** A stack file, loaded and validated. */
export interface LoadedStack extends ParsedStackConfig {
  /** Path of the stack file as given. */
  file: string;
  /** Stack name, from `Pulumi.<stack>.yaml`. */
  stack: string;
}

const SKIPPED_NOTE = "  (Checks between sections, such as routes to models, run once the problems above are fixed.)";

interface Collected {
  config?: StackConfig;
  secretNames: string[];
  issues: ConfigIssue[];
  note?: string;
}

/** Validates structured config and gathers every issue without throwing. @internal */
export function collectStackIssues(raw: Record<string, unknown>, opts: ParseOptions = {}): Collected {
  const issues: ConfigIssue[] = [];
  const securePaths = findNestedSecureValues(raw).filter((p) => p.length > 0);
  for (const path of securePaths) {
    issues.push({
      path: displayPath(path),
      value: undefined,
      message: "secrets cannot sit inside structured config",
      fix: `store it as its own key (pulumi config set --secret <name> <value>) and put the name in the matching *Secret field`,
    });
  }
  const under = (path: readonly PropertyKey[]) => securePaths.some((s) => s.every((seg, i) => path[i] === seg));

  const refs = collectSecretRefs(raw).filter((r) => SECRET_NAME.test(r.name));
  const secretNames = [...new Set(refs.map((r) => r.name))];
  for (const ref of refs) {
    if ((STACK_SECTIONS as readonly string[]).includes(ref.name)) {
      issues.push({
        path: displayPath(ref.path),
        value: ref.name,
        message: "a secret cannot be named like a config section",
        fix: `use another name, e.g. ${ref.name}Key`,
      });
    } else if (opts.secrets && !opts.secrets.includes(ref.name)) {
      issues.push({
        path: displayPath(ref.path),
        value: ref.name,
        message: "secret is not set in this stack",
        allowed: opts.secrets.length ? nearestNames(ref.name, opts.secrets).join(", ") : undefined,
        fix: `pulumi config set --secret ${ref.name} <value>`,
      });
    }
  }

  const result = StackConfigSchema.safeParse(raw, { reportInput: true });
  if (result.success) return { config: result.data, secretNames, issues };
  // A nested secure value already has its issue; drop zod's follow-ups about the same spot.
  const zodIssues = result.error.issues.flatMap((i): z.core.$ZodIssue[] => {
    if (under(i.path)) return [];
    if (i.code !== "unrecognized_keys") return [i];
    const keys = i.keys.filter((k) => !under([...i.path, k]));
    return keys.length ? [{ ...i, keys }] : [];
  });
  issues.push(...toConfigIssues(zodIssues, raw, StackConfigSchema));
  return { secretNames, issues, note: crossChecksSkipped(zodIssues) ? SKIPPED_NOTE : undefined };
}

/**
 * Validates the structured `shoestring:*` sections (keys without the prefix) and applies defaults.
 *
 * @throws {StackConfigError} listing every problem.
 * @example
 * const { config } = parseStackConfig({ target: { kind: "docker-local" }, models: [...] });
 */
export function parseStackConfig(raw: Record<string, unknown>, opts: ParseOptions = {}): ParsedStackConfig {
  const { config, secretNames, issues, note } = collectStackIssues(raw, opts);
  if (!config || issues.length) throw new StackConfigError(issues, { source: opts.source, note });
  return { config, secretNames };
}

/** Top-level keys of a Pulumi stack file. */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/** Options for {@link loadStackFile} and {@link loadStackByName}. */
export interface LoadOptions {
  /** Require every referenced secret to be set in the file. @default true */
  checkSecrets?: boolean;
}

/**
 * Reads and validates a Pulumi stack file: YAML syntax, `shoestring:*` keys, secrets (stored as
 * `secure:` values, referenced by name) and the structured config.
 *
 * @throws {StackConfigError} listing every problem.
 */
export function loadStackFile(file: string, opts: LoadOptions = {}): LoadedStack {
  const stack = /Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1] ?? file;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === "ENOENT" ? "file does not exist" : `cannot read it (${code ?? String(error)})`;
    const fix = "check the path; stack files are named Pulumi.<stack>.yaml";
    throw new StackConfigError([{ path: file, value: undefined, message, fix }], { title: `Cannot read stack file ${file}` });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    const issues = doc.errors.map((e) => ({
      path: `${file}:${e.linePos?.[0].line ?? 0}:${e.linePos?.[0].col ?? 0}`,
      value: undefined,
      message: `YAML syntax error: ${e.message.split(" at line ")[0]}`,
      fix: "correct the YAML at that line (indent with spaces, close brackets and quotes)",
    }));
    throw new StackConfigError(issues, { source: file });
  }
  const issues: ConfigIssue[] = [];
  const top: unknown = doc.toJS() ?? {};
  if (typeof top !== "object" || top === null || Array.isArray(top)) {
    const message = "a stack file must be a YAML map with a `config:` key";
    throw new StackConfigError([{ path: file, value: top, message }], { source: file });
  }
  for (const key of Object.keys(top)) {
    if (!STACK_FILE_KEYS.includes(key)) {
      issues.push({
        path: key,
        value: undefined,
        message: "unknown stack file key",
        allowed: STACK_FILE_KEYS.join(", "),
        fix: `rename it to ${nearestNames(key, STACK_FILE_KEYS, 1)[0]}, or remove it`,
      });
    }
  }
  const config: unknown = (top as Record<string, unknown>).config ?? {};
  const raw: Record<string, unknown> = {};
  const secrets: string[] = [];
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [key, value] of Object.entries(typeof config === "object" && config !== null ? config : {})) {
    if (!key.includes(":")) {
      const fix = `rename it to ${prefix}${key}`;
      issues.push({ path: key, value: undefined, message: "config keys must be namespaced", fix });
    } else if (key.startsWith(prefix)) {
      const name = key.slice(prefix.length);
      const section = (STACK_SECTIONS as readonly string[]).includes(name);
      if (isSecureValue(value) && section) {
        const fix = "store secrets as their own keys and reference them from *Secret fields";
        issues.push({ path: key, value, message: "a config section cannot be a secret", fix });
      } else if (isSecureValue(value)) {
        secrets.push(name);
      } else if (!section && (isPlaintextSecretKey(name) || collectSecretRefs(config).some((r) => r.name === name))) {
        const fix = `pulumi config set --secret ${name} <value>`;
        issues.push({ path: key, value: REDACTED, message: "secret stored in plain text", fix });
        secrets.push(name);
      } else {
        raw[name] = value;
      }
    }
  }
  const collected = collectStackIssues(raw, { secrets: opts.checkSecrets === false ? undefined : secrets });
  issues.push(...collected.issues);
  if (!collected.config || issues.length) {
    throw new StackConfigError(issues, { source: file, note: collected.note });
  }
  return { config: collected.config, secretNames: collected.secretNames, file, stack };
}

/** Names of the stacks in a stack directory (`Pulumi.<name>.yaml`), sorted. */
export function listStacks(dir = "stacks"): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

/**
 * Loads `<dir>/Pulumi.<name>.yaml`.
 *
 * @throws {StackConfigError} when the stack does not exist (listing those that do) or is invalid.
 */
export function loadStackByName(name: string, opts: LoadOptions & { dir?: string } = {}): LoadedStack {
  const dir = opts.dir ?? "stacks";
  const file = join(dir, `Pulumi.${name}.yaml`);
  if (!existsSync(file)) {
    const stacks = listStacks(dir);
    throw new StackConfigError(
      [
        {
          path: relative(process.cwd(), file) || file,
          value: name,
          message: "no such stack file",
          allowed: stacks.length ? stacks.join(", ") : `no Pulumi.<name>.yaml in ${dir}`,
          fix: stacks.length ? `use one of those, or create ${file}` : `create ${file}`,
        },
      ],
      { title: `Stack "${name}" not found` },
    );
  }
  return loadStackFile(file, opts);
}
