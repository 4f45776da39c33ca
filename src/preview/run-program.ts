/**
 * @module Runs the Pulumi program for one stack in this process, under the preview mocks. It does
 * what `index.ts` does — load the stack config from Pulumi config, `createStack` — so a preview
 * is the real program's registrations, not a model of them (test/preview/program-parity.test.ts
 * holds the two together). This is the one file under src/ that imports components/.
 */
import * as pulumi from "@pulumi/pulumi";
import { createStack } from "../../components/create-stack";
import { CONFIG_NAMESPACE } from "../config";
import { loadStackFromPulumiConfig } from "../config/pulumi-config";
import { installPreviewMocks, type RecordedResource } from "./preview-mocks";

/** What the program needs: the stack's Pulumi config, as `pulumi up` would hand it over. */
export interface ProgramInput {
  /** Stack name; it appears in some resource names, as under `pulumi up`. */
  readonly stack: string;
  /** Every config value of the stack file, namespaced (`shoestring:models`), structured values as JSON text. */
  readonly config: Readonly<Record<string, string>>;
  /**
   * Names of the stack's secrets (`shoestring:<name>`). Their values are never read: each is the
   * secret marker `[secret]`, or unknown when listed in `unknownSecrets`.
   */
  readonly secretNames: readonly string[];
  /**
   * Secrets whose content the program parses (an SSH key it writes to ~/.shoestring, a kubeconfig,
   * a TLS certificate): unknown, so that code does not run on a mock value. @default []
   */
  readonly unknownSecrets?: readonly string[];
  /** Directory `models[].modelConfig` paths are relative to (the project root). */
  readonly baseDir: string;
}

/** What one program run produced. */
export interface ProgramRun {
  /** Every registration, in order (empty when the program threw before registering). */
  readonly resources: RecordedResource[];
  /** Invokes the preview had no answer for; values derived from them are missing. */
  readonly unansweredInvokes: string[];
  /** The program's error message (a refusal, a config problem, a failure), if it failed. */
  readonly error?: string;
}

/** Shown where a secret's value would be. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * A secret whose value is unknown: code that needs the value (`apply`) does not run — in
 * particular no SSH key is written to ~/.shoestring.
 */
function unknownSecret(): pulumi.Output<string> {
  // Output's constructor is @internal; it is the only way to make an unknown without a resource.
  const OutputCtor = pulumi.Output as unknown as new (...args: unknown[]) => pulumi.Output<string>;
  return new OutputCtor(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(true), Promise.resolve(new Set()));
}

/** The first line of a program error, without the SDK's "Running program … failed" wrapping. */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim();
}

/**
 * Runs the program once under fresh mocks. Never throws for program errors: they are returned in
 * `error`, next to whatever was registered before them.
 */
export async function runProgram(input: ProgramInput): Promise<ProgramRun> {
  // The project is named like the config namespace (Pulumi.yaml `name: shoestring`).
  const record = await installPreviewMocks(CONFIG_NAMESPACE, input.stack);
  const secretKeys = input.secretNames.map((n) => `${CONFIG_NAMESPACE}:${n}`);
  const values: Record<string, string> = { ...input.config };
  for (const key of secretKeys) values[key] = SECRET_PLACEHOLDER;
  pulumi.runtime.setAllConfig(values, secretKeys);

  let error: string | undefined;
  // An apply that throws rejects outputs nobody awaits; collect those instead of crashing.
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    try {
      const { config, secrets } = loadStackFromPulumiConfig();
      for (const name of input.unknownSecrets ?? []) secrets[name] = unknownSecret();
      createStack("llm", { config, secrets, baseDir: input.baseDir });
    } catch (err) {
      error = messageOf(err);
    }
    const runtime = pulumi.runtime as unknown as { waitForRPCs(): Promise<void> };
    await runtime.waitForRPCs().catch((err: unknown) => {
      error ??= messageOf(err);
    });
    // Let rejections raised in the last turn reach the handler.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (error === undefined && rejections.length > 0) error = messageOf(rejections[0]);
  return { resources: record.resources, unansweredInvokes: record.unansweredInvokes, ...(error !== undefined ? { error } : {}) };
}
