/**
 * @module Policy `shoestring-secrets-not-plain`: no credential where anyone can read it.
 *
 * CrossGuard hands policies secret values already unwrapped, so a policy cannot tell a Pulumi
 * secret from plain text (pulumi/pulumi-policy `deserialize.ts`). This one therefore checks what
 * is plain regardless of Pulumi's encryption:
 * - Kubernetes env vars with a secret-like name set as a literal `value` (visible to anyone who can
 *   read the Deployment) instead of `valueFrom.secretKeyRef`;
 * - credential-shaped text (API keys, tokens, private keys) in labels, annotations, tags,
 *   ConfigMaps, command lines and EC2 user data, or in an env var whose name does not say secret;
 * - secrets passed as command-line flags (`--api-key sk-…`: visible in `ps` and `docker inspect`);
 * - secret-named env vars holding a well-known default (`admin`, `changeme`, …).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, envEntries, labelsOf, list, podContainers, str, stringEntries, type PolicyInput } from "./_props";

/** Policy name, as reported and as the key in policy config. */
export const SECRETS_NOT_PLAIN = "shoestring-secrets-not-plain";

/** Env var names that hold secrets. */
export const SECRET_ENV_NAME = /(API_?KEY|TOKEN|SECRET|PASSW(OR)?D|PRIVATE_?KEY|CREDENTIALS?|ACCESS_?KEY)/i;

/** Shapes of well-known credentials (never echoed in messages). */
export const CREDENTIAL_PATTERNS: ReadonlyArray<{ readonly kind: string; readonly pattern: RegExp }> = [
  { kind: "an OpenAI/Anthropic-style API key", pattern: /\bsk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{20,}/ },
  { kind: "an AWS access key id", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/ },
  { kind: "a Hugging Face token", pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { kind: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** Defaults that are not secrets at all. */
export const WEAK_SECRETS: readonly string[] = ["admin", "password", "changeme", "change-me", "secret", "test", "default", "root", "123456"];

/** Flags that take a secret value on a command line. */
const SECRET_FLAG = /--(api-key|hf-token|token|password|passwd|requirepass|secret)(?:=|\s+)["']?([^\s"']+)/gi;

/** What kind of credential `text` looks like, or undefined. */
export function credentialKind(text: string): string | undefined {
  return CREDENTIAL_PATTERNS.find((c) => c.pattern.test(text))?.kind;
}

function scan(r: PolicyInput, where: string, texts: Array<[string, string]>): string[] {
  return texts.flatMap(([key, text]) => {
    const kind = credentialKind(text);
    return kind ? [`${r.type.split(":").pop()} "${r.name}" ${where ? `${where} ` : ""}${key} holds what looks like ${kind} (value not shown): it is stored and shown in plain text. Move it to a Pulumi secret / Kubernetes Secret and reference it.`] : [];
  });
}

function commandLines(r: PolicyInput): Array<[string, string]> {
  const docker = list(at(r.props, "command")).map((w, i): [string, string] => [`command[${i}]`, String(w)]);
  const k8s = podContainers(r).flatMap((c) => {
    const name = str(at(c, "name")) ?? "?";
    return [...list(at(c, "command")), ...list(at(c, "args"))].map((w, i): [string, string] => [`container "${name}" args[${i}]`, String(w)]);
  });
  return r.type === "docker:index/container:Container" ? docker : k8s;
}

function flagViolations(r: PolicyInput): string[] {
  const words = commandLines(r);
  const joined = words.map(([, w]) => w).join(" ");
  return [...joined.matchAll(SECRET_FLAG)]
    .filter((m) => !m[2]!.startsWith("$"))
    .map((m) => `${r.type.split(":").pop()} "${r.name}" passes --${m[1]} with a literal value on its command line (visible in ps and docker/kubectl inspect). Pass it through an env var set from a secret.`);
}

function envViolations(r: PolicyInput): string[] {
  const k8s = r.type.startsWith("kubernetes:");
  return envEntries(r).flatMap((e) => {
    const secretName = SECRET_ENV_NAME.test(e.name);
    if (e.value === undefined || e.value === "") return [];
    if (secretName && WEAK_SECRETS.includes(e.value.toLowerCase())) {
      return [`${e.where} ${e.name} of "${r.name}" is set to a well-known default (value not shown). Generate one (random.RandomPassword) and keep it secret.`];
    }
    if (secretName && k8s) {
      return [`${e.where} ${e.name} of "${r.name}" is a literal value: anyone who can read the workload sees it. Use valueFrom.secretKeyRef to a Secret.`];
    }
    const kind = credentialKind(e.value);
    if (!secretName && kind) return [`${e.where} ${e.name} of "${r.name}" holds what looks like ${kind} under a name that does not say secret (value not shown). Rename it and set it from a secret.`];
    return [];
  });
}

/** Every plain-secret problem of one resource (empty when there is none). */
export function plainSecretViolations(r: PolicyInput): string[] {
  const out = [...envViolations(r), ...flagViolations(r)];
  out.push(...scan(r, "label", Object.entries(labelsOf(r))));
  out.push(...scan(r, "annotation", stringEntries(at(r.props, "metadata.annotations"))));
  out.push(...scan(r, "tag", stringEntries(at(r.props, "tags"))));
  out.push(...scan(r, "", commandLines(r)));
  if (r.type === "kubernetes:core/v1:ConfigMap") out.push(...scan(r, "data key", stringEntries(at(r.props, "data"))));
  if (r.type === "aws:ec2/instance:Instance" || r.type === "aws:ec2/launchTemplate:LaunchTemplate") {
    const userData = str(at(r.props, "userData"));
    if (userData !== undefined) out.push(...scan(r, "", [["userData", userData.length % 4 === 0 && /^[A-Za-z0-9+/=\s]+$/.test(userData) ? Buffer.from(userData, "base64").toString("utf8") : userData]]));
  }
  return [...new Set(out)];
}

/** The CrossGuard policy. */
export const secretsNotPlain: ResourceValidationPolicy = {
  name: SECRETS_NOT_PLAIN,
  description: "No credential in plain sight: literal secret env vars in Kubernetes, keys in labels/tags/ConfigMaps/command lines/user data, default passwords.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    for (const message of plainSecretViolations(args)) report(message);
  },
};
