/**
 * @module Secrets in stack config: they are stored as their own `secure:` keys (`pulumi config set
 * --secret <name>`) and referenced by name from `*Secret` fields, never inlined.
 */

/** Fields whose value is the NAME of a stack secret end with this suffix. */
export const SECRET_FIELD_SUFFIX = "Secret";

/** One reference from the structured config to a stack secret. */
export interface SecretRef {
  /** Secret name, i.e. the config key without the `shoestring:` prefix. */
  name: string;
  /** Where it is referenced, as zod-style path segments, e.g. `["router", "auth", "apiKeysSecret"]`. */
  path: (string | number)[];
}

/** True for a Pulumi encrypted value, `{ secure: "v1:…" }`. */
export function isSecureValue(value: unknown): value is { secure: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** Key names that would hold a secret in plain text (apiKey, token, password, privateKey, kubeconfig). */
export function isPlaintextSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, "");
  if (k.endsWith(SECRET_FIELD_SUFFIX.toLowerCase())) return false;
  return /(apikeys?|tokens?|password|passwd|privatekey|kubeconfig|credentials?)$/.test(k);
}

/** A secret name to suggest for a plaintext key, e.g. `openaiApiKey` for `providers[0].apiKey`. */
export function suggestSecretName(parentPath: readonly PropertyKey[], key: string, parentRaw: unknown): string {
  const owner = (parentRaw as { name?: unknown } | undefined)?.name;
  const prefix = typeof owner === "string" ? owner : String(parentPath[0] ?? "");
  const camel = prefix.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");
  return camel ? `${camel}${key[0]?.toUpperCase() ?? ""}${key.slice(1)}` : key;
}

/** Every `*Secret` field holding a name, in document order. */
export function collectSecretRefs(config: unknown): SecretRef[] {
  const refs: SecretRef[] = [];
  const visit = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        if (k.endsWith(SECRET_FIELD_SUFFIX) && typeof v === "string") refs.push({ name: v, path: [...path, k] });
        else visit(v, [...path, k]);
      }
    }
  };
  visit(config, []);
  return refs;
}

/** Paths of `{ secure: … }` values nested inside a structured value. */
export function findNestedSecureValues(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (isSecureValue(value)) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => findNestedSecureValues(v, [...path, i]));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => findNestedSecureValues(v, [...path, k]));
  return [];
}
