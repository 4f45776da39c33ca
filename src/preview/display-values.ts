/**
 * @module Turns recorded resource inputs into short, safe display strings: secrets as `[secret]`,
 * values only known after deployment as `(known after deploy)`, long text (config files, scripts)
 * as a line count and a content hash. Used by the preview listing and the per-resource diff.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Shown for a secret value: never its content. */
export const SECRET_TEXT = "[secret]";
/** Shown for a value the provider computes on deploy. */
export const UNKNOWN_TEXT = "(known after deploy)";
/** Strings longer than this are shown as a summary instead. */
export const MAX_INLINE_CHARS = 100;

/** Input keys that hold machinery, not settings (a dynamic provider's serialized code). */
const SKIPPED_KEYS = new Set(["__provider"]);

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIGS: Record<string, string> = {
  c44067f5952c0a294b673a41bacd8c17: "[asset]",
  "0def7320c3a5731c473e5ecbe6d01bc7": "[archive]",
};

/** True for Pulumi's "unknown during preview" marker. */
export function isUnknownValue(value: unknown): boolean {
  return pulumi.isUnknown(value);
}

/** A long or multi-line string as `<N lines, M chars, sha256:abcd1234>`, else the string itself. */
export function summarizeText(text: string): string {
  if (text.length <= MAX_INLINE_CHARS && !text.includes("\n")) return text;
  const lines = text.split("\n").length;
  const hash = createHash("sha256").update(text).digest("hex").slice(0, 8);
  return `<${lines} line${lines === 1 ? "" : "s"}, ${text.length} chars, sha256:${hash}>`;
}

/** One scalar-ish value as display text; objects and arrays as compact JSON of their display form. */
export function displayValue(value: unknown): string {
  if (pulumi.runtime.isRpcSecret(value)) return SECRET_TEXT;
  if (isUnknownValue(value)) return UNKNOWN_TEXT;
  if (typeof value === "string") return summarizeText(value);
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object") {
    const sig = (value as Record<string, unknown>)[SIG_KEY];
    if (typeof sig === "string" && ASSET_SIGS[sig]) return ASSET_SIGS[sig]!;
    return summarizeText(JSON.stringify(toDisplayTree(value)));
  }
  return summarizeText(String(value));
}

/** The value with secrets and unknowns replaced by their display text, structure kept. */
function toDisplayTree(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return SECRET_TEXT;
  if (isUnknownValue(value)) return UNKNOWN_TEXT;
  if (Array.isArray(value)) return value.map(toDisplayTree);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !SKIPPED_KEYS.has(k))
        .map(([k, v]) => [k, toDisplayTree(v)]),
    );
  }
  return value;
}

/** `a.b[0].c`; keys that are not identifiers are quoted (`labels["app.kubernetes.io/name"]`). */
function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key);
  if (!safe) return `${parent}[${JSON.stringify(key)}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/**
 * Every leaf of a resource's inputs as `path → display text`, sorted by path. Secrets and unknowns
 * are leaves (their content is never walked). Empty arrays and objects are kept as `[]` / `{}` so
 * that adding the first element shows as a change.
 * @example flattenInputs({ ports: [{ external: 8080 }] }) // { "ports[0].external": "8080" }
 */
export function flattenInputs(inputs: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, path: string): void => {
    if (pulumi.runtime.isRpcSecret(value) || isUnknownValue(value) || value === null || typeof value !== "object") {
      out[path] = displayValue(value);
      return;
    }
    const sig = (value as Record<string, unknown>)[SIG_KEY];
    if (typeof sig === "string" && ASSET_SIGS[sig]) {
      out[path] = ASSET_SIGS[sig]!;
      return;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value).filter(([k]) => !SKIPPED_KEYS.has(k));
    if (entries.length === 0) {
      out[path] = Array.isArray(value) ? "[]" : "{}";
      return;
    }
    for (const [key, child] of entries) walk(child, childPath(path, key));
  };
  for (const [key, value] of Object.entries(inputs)) {
    if (!SKIPPED_KEYS.has(key)) walk(value, childPath("", key));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
