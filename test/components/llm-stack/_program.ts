/**
 * @module Runs the real Pulumi program (index.ts) for one stack file under the mocks, the way
 * `pulumi up` would: structured config as JSON text, secrets marked secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { parse } from "yaml";
import { installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";

const ROOT = join(__dirname, "..", "..", "..");

/** An unencrypted OpenSSH private key block; the key bytes are filler, not a credential. */
function fillerOpensshKey(): { pem: string; body: string } {
  const cipher = Buffer.from("none", "latin1");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(cipher.length);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), len, cipher, Buffer.alloc(64, 7)]).toString("base64");
  return { pem: `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)!.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`, body };
}
const SSH_KEY = fillerOpensshKey();

/** Test values for the secrets a stack names. */
export const TEST_SECRETS: Record<string, string> = {
  routerApiKeys: "sk-router-PLAINTEXT-1,sk-router-PLAINTEXT-2",
  openaiApiKey: "sk-openai-PLAINTEXT",
  sshPrivateKey: SSH_KEY.pem,
};

/** Substrings of the secret values that no non-secret input may contain. */
export const SECRET_MARKERS = ["PLAINTEXT", SSH_KEY.body.slice(20, 60)];

export interface ProgramRun {
  recorded: Recorded;
  outputs: Record<string, unknown>;
  /** The program module's exports, unresolved (to check secretness). */
  exports: Record<string, pulumi.Output<unknown>>;
}

/** Loads `stacks/Pulumi.<stack>.yaml` (or a fixture path) into Pulumi's config store and runs index.ts. */
export async function runProgram(
  stackFile: string,
  secrets: Record<string, string> = TEST_SECRETS,
  onMocks?: (recorded: Recorded) => void,
): Promise<ProgramRun> {
  const file = stackFile.includes("/") ? join(ROOT, stackFile) : join(ROOT, "stacks", `Pulumi.${stackFile}.yaml`);
  const config = (parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) values[key] = typeof value === "string" ? value : JSON.stringify(value);
  for (const [name, value] of Object.entries(secrets)) values[`shoestring:${name}`] = value;
  // DockerHost writes an SSH key file under ~/.shoestring/ssh: keep it out of the real home.
  process.env.HOME = mkdtempSync(join(tmpdir(), "shoestring-home-"));
  vi.resetModules();
  const recorded = await installMocks({ project: "shoestring", stack: "test" });
  onMocks?.(recorded);
  pulumi.runtime.setAllConfig(values, Object.keys(secrets).map((n) => `shoestring:${n}`));
  // The program runs on import, as under `pulumi up`.
  const exports = (await import("../../../index.js")) as unknown as Record<string, pulumi.Output<unknown>>;
  const outputs: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(exports)) outputs[name] = await unwrap(output);
  await settle();
  return { recorded, outputs, exports };
}

/** The non-secret strings of every registration that contain a secret's value, as "type name: text". */
export function leakedSecrets(recorded: Recorded): string[] {
  return recorded.resources.flatMap((r) =>
    plainStrings(r.inputs)
      .filter((s) => SECRET_MARKERS.some((m) => s.includes(m)))
      .map((s) => `${r.type} ${r.name}: ${s.slice(0, 80)}`),
  );
}

/** Every string in a registration's inputs that sits outside a secret wrapper. */
export function plainStrings(value: unknown): string[] {
  if (pulumi.runtime.isRpcSecret(value)) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(plainStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(plainStrings);
  return [];
}
