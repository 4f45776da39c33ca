/**
 * @module Loads the stack config inside the Pulumi program, from `pulumi.Config("shoestring")`.
 * Kept apart from load.ts so the CLI never pays for importing @pulumi/pulumi.
 */
import * as pulumi from "@pulumi/pulumi";
import { distance } from "fastest-levenshtein";
import { nearestNames } from "../util/nearest";
import { CONFIG_NAMESPACE, STACK_SECTIONS } from "./_primitives";
import { StackConfigError, type ConfigIssue } from "./errors";
import { collectStackIssues } from "./load";
import type { StackConfig } from "./schema";

/** The validated config of the running stack and the secrets it references. */
export interface PulumiStackConfig {
  /** The config with every default applied. */
  config: StackConfig;
  /** Each referenced secret by name, as a secret Output (never plaintext in state). */
  secrets: Record<string, pulumi.Output<string>>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Reads every `shoestring:*` section of the current stack, validates it like `loadStackFile`, and
 * resolves the referenced secrets with `requireSecret`.
 *
 * Unlike `loadStackFile`, the Pulumi runtime does not say which keys are secrets, so a referenced
 * secret only has to be set, and only unknown keys holding a map or list are reported as typos.
 *
 * @throws {pulumi.RunError} with the same one-line-per-problem message as {@link StackConfigError};
 *   the Pulumi CLI prints it without a stack trace.
 * @example
 * const { config, secrets } = loadStackFromPulumiConfig();
 */
export function loadStackFromPulumiConfig(): PulumiStackConfig {
  const cfg = new pulumi.Config(CONFIG_NAMESPACE);
  const all = pulumi.runtime.allConfig();
  const prefix = `${CONFIG_NAMESPACE}:`;
  const issues: ConfigIssue[] = [];
  const raw: Record<string, unknown> = {};
  const present: string[] = [];

  for (const section of STACK_SECTIONS) {
    const key = `${prefix}${section}`;
    let value: unknown;
    try {
      value = cfg.getObject<unknown>(section);
    } catch {
      value = all[key]; // not JSON: a plain string where a map belongs
    }
    if (value === undefined) continue;
    if (typeof value === "object" && value !== null) {
      raw[section] = value;
    } else {
      const fix = `set its fields with pulumi config set --path '${section}.<field>' <value>`;
      issues.push({ path: key, value, message: "must be a YAML map or list", fix });
    }
  }
  for (const [key, text] of Object.entries(all)) {
    const name = key.slice(prefix.length);
    if (!key.startsWith(prefix) || (STACK_SECTIONS as readonly string[]).includes(name)) continue;
    const value = parseJson(text);
    if (typeof value === "object" && value !== null) {
      const nearest = nearestNames(name, STACK_SECTIONS, 1)[0] ?? "";
      const rename = distance(name.toLowerCase(), nearest) <= 3 ? `rename it to ${prefix}${nearest}` : "rename it";
      issues.push({
        path: key,
        value: undefined,
        message: "unknown config section",
        allowed: STACK_SECTIONS.join(", "),
        fix: `${rename}, or remove it: pulumi config rm ${key}`,
      });
    } else {
      // A plain value: a secret, as far as the runtime lets us tell.
      present.push(name);
    }
  }

  const collected = collectStackIssues(raw, { secrets: present });
  issues.push(...collected.issues);
  if (!collected.config || issues.length) {
    let source: string | undefined;
    try {
      source = pulumi.getStack() ? `stack ${pulumi.getStack()}` : undefined;
    } catch {
      source = undefined; // outside a Pulumi run (tests, scripts)
    }
    const error = new StackConfigError(issues, { source, note: collected.note });
    throw new pulumi.RunError(error.message);
  }
  const secrets = Object.fromEntries(collected.secretNames.map((name) => [name, cfg.requireSecret(name)]));
  return { config: collected.config, secrets };
}
