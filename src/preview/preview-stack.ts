/**
 * @module `previewStack`: what a stack file would deploy, offline. Validates the file, plans it,
 * runs the real program under the preview mocks, and describes every registered resource.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { planStackConfig, type StackCapacityPlan } from "../capacity/plan-stack-config";
import { collectSecretRefs, CONFIG_NAMESPACE, loadStackFile, StackConfigError, type LoadedStack } from "../config";
import { previewImageId } from "./_mock-outputs";
import { flattenInputs } from "./display-values";
import { keySettings } from "./key-settings";
import type { RecordedResource } from "./preview-mocks";
import { runProgram, type ProgramInput } from "./run-program";
import type { PreviewModel, PreviewResource, PreviewTotals, StackPreview } from "./types";

/** Options for {@link previewStack}. */
export interface PreviewStackOptions {
  /** Path of the stack file, `…/stacks/Pulumi.<stack>.yaml`. */
  file: string;
  /**
   * Project root: where `models[].modelConfig` paths start (Pulumi runs the program there).
   * @default - the parent of the stack file's directory
   */
  baseDir?: string;
  /** Name shown for the file in messages. @default file */
  displayFile?: string;
}

/** A stack file's `config:` map as Pulumi hands it to a program; `secure:` values become secret names. */
function programConfig(file: string): { values: Record<string, string>; secureNames: string[] } {
  const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, string> = {};
  const secureNames: string[] = [];
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const secure = value !== null && typeof value === "object" && "secure" in value;
    if (secure) {
      if (key.startsWith(prefix)) secureNames.push(key.slice(prefix.length));
      continue;
    }
    values[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { values, secureNames };
}

function programInput(file: string, loaded: LoadedStack, baseDir: string): ProgramInput {
  const { values, secureNames } = programConfig(file);
  return {
    stack: loaded.stack,
    config: values,
    secretNames: [...new Set([...loaded.secretNames, ...secureNames])],
    // Target secrets (SSH key, kubeconfig, TLS certificate) are parsed by the program: keep them unknown.
    unknownSecrets: collectSecretRefs(loaded.config.target).map((r) => r.name),
    baseDir,
  };
}

/**
 * What {@link runProgram} needs to run the program for a stack file, as `previewStack` runs it
 * (for tools that want the raw registrations, e.g. the policy tests).
 * @throws {StackConfigError} when the file is invalid.
 */
export function stackProgramInput(file: string, baseDir = resolve(dirname(file), "..")): ProgramInput {
  return programInput(file, loadStackFile(file, { checkSecrets: false }), baseDir);
}

function models(plan: StackCapacityPlan): PreviewModel[] {
  return plan.models.map((m) => ({
    name: m.name,
    engine: m.engine,
    quantization: m.quantization,
    placedOn: m.placedOn,
    tp: m.tp,
    replicas: m.replicas,
    gpusUsed: m.gpusUsed,
    maxModelLen: m.maxModelLen,
    maxConcurrency: m.maxConcurrency * m.replicas,
    tokensPerSecond: m.tokensPerSecond,
    headroomGiB: m.headroomGiB,
    fits: m.fits,
    reason: m.reason,
  }));
}

function totals(plan: StackCapacityPlan, hoursPerMonth: number): PreviewTotals {
  return {
    fits: plan.fits,
    monthlyUsd: plan.monthlyUsd,
    priceNotes: plan.groups.flatMap((g) => g.notes.map((n) => `${g.label}: ${n}`)),
    hoursPerMonth,
    gpusUsed: plan.gpusUsed,
    gpusAvailable: plan.gpusAvailable,
    minHeadroomGiB: plan.minHeadroomGiB,
    maxConcurrency: plan.models.reduce((sum, m) => sum + m.maxConcurrency * m.replicas, 0),
    tokensPerSecond: plan.tokensPerSecond,
    hardware: plan.groups.map((g) => ({
      label: g.label,
      instances: g.plan.instances,
      gpus: g.plan.gpusAvailable,
      monthlyUsd: g.plan.monthlyUsd,
      notes: g.notes,
    })),
  };
}

/** Describes recorded registrations for display and diffing, sorted by URN. */
export function describeResources(recorded: readonly RecordedResource[]): PreviewResource[] {
  const imageRefs = new Map<string, string>();
  for (const r of recorded) {
    if (r.type === "docker:index/remoteImage:RemoteImage" && typeof r.inputs.name === "string") imageRefs.set(previewImageId(r.name), r.inputs.name);
  }
  return [...recorded]
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))
    .map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      ...(r.parent !== undefined ? { parent: r.parent } : {}),
      custom: r.custom,
      keySettings: Object.fromEntries(keySettings(r, imageRefs)),
      inputs: flattenInputs(r.inputs),
    }));
}

/**
 * Previews one stack file. Never throws for a bad stack: an invalid file, a refusal or a program
 * failure comes back as the preview's `status` and `message`.
 * @example
 * const preview = await previewStack({ file: "stacks/Pulumi.edge.yaml" });
 */
export async function previewStack(opts: PreviewStackOptions): Promise<StackPreview> {
  const file = opts.displayFile ?? opts.file;
  const baseDir = opts.baseDir ?? resolve(dirname(opts.file), "..");
  const stack = /Pulumi\.(.+)\.ya?ml$/.exec(opts.file)?.[1] ?? opts.file;
  const empty = { stack, file, resources: [], models: [], warnings: [], priceSnapshot: null } as const;

  let loaded: LoadedStack;
  let plan: StackCapacityPlan;
  try {
    // Previews need no secret values: a freshly cloned stack previews before `pulumi config set --secret`.
    loaded = loadStackFile(opts.file, { checkSecrets: false });
    plan = planStackConfig(loaded.config, { baseDir, source: file });
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    return { ...empty, target: null, status: "invalid", message: error.message.replaceAll(opts.file, file), totals: null };
  }

  const run = await runProgram(programInput(opts.file, loaded, baseDir));
  const warnings = run.unansweredInvokes.map(
    (token) => `the program reads data source ${token}, which an offline preview cannot answer; values derived from it are missing`,
  );
  const status = run.error === undefined ? "ok" : plan.fits ? "failed" : "refused";
  return {
    ...empty,
    target: loaded.config.target.kind,
    status,
    ...(run.error !== undefined ? { message: run.error } : {}),
    totals: totals(plan, loaded.config.planning.hoursPerMonth),
    models: models(plan),
    resources: describeResources(run.resources),
    warnings,
    priceSnapshot: plan.priceSnapshot,
  };
}
