/**
 * @module Plans a validated stack config: resolves each model's architecture and the target's
 * hardware, places models on hardware groups, and runs the planner on each group. Shared by the
 * CLI (`plan`, `validate`) and the Pulumi program, which refuses a stack that does not fit before
 * registering any resource.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { StackConfigError, type ConfigIssue, type StackConfig } from "../config";
import {
  findModel,
  modelFromHfConfig,
  modelNames,
  planStack,
  PlannerError,
  type ModelSpec,
  type StackModelPlan,
  type StackModelRequest,
  type StackPlan,
} from "../planner";
import { nearestNames } from "../util/nearest";
import { resolveHardware, type HardwareGroup } from "./resolve-hardware";

/** One model's plan, with the hardware group it was placed on. */
export type PlacedModelPlan = StackModelPlan & { readonly placedOn: string };

/** The plan of a whole stack. */
export interface StackCapacityPlan {
  /** Every model fits and the hardware holds all replicas. */
  readonly fits: boolean;
  /** "fits", or every refusal, one per line. */
  readonly reason: string;
  /** USD per month for everything priced; null when any group's price is unknown. */
  readonly monthlyUsd: number | null;
  /** GPUs the replicas use, and GPUs the target has. */
  readonly gpusUsed: number;
  readonly gpusAvailable: number;
  /** Upper-bound decode tokens/s of all models together. */
  readonly tokensPerSecond: number;
  /** Smallest headroom of any model, GiB. */
  readonly minHeadroomGiB: number;
  /** Per-model plans, in config order. */
  readonly models: PlacedModelPlan[];
  /** Per hardware group: where, the planner's stack plan, and price notes. */
  readonly groups: Array<{ label: string; notes: string[]; plan: StackPlan }>;
  /** Where prices come from. */
  readonly priceSnapshot: StackPlan["priceSnapshot"] | null;
}

/** Options for {@link planStackConfig}. */
export interface PlanStackConfigOptions {
  /** Directory `models[].modelConfig` paths are relative to. @default process.cwd() */
  baseDir?: string;
  /** Where the config came from, for error headers. */
  source?: string;
}

const MODELS = "shoestring:models";

/** The planner architecture for one model entry, or an issue saying how to name one. */
function resolveModelSpec(model: StackConfig["models"][number], i: number, opts: PlanStackConfigOptions, issues: ConfigIssue[]): ModelSpec | undefined {
  if (model.modelConfig !== undefined) {
    const path = resolve(opts.baseDir ?? process.cwd(), model.modelConfig);
    try {
      return modelFromHfConfig(JSON.parse(readFileSync(path, "utf8")), model.catalogId ?? model.name);
    } catch (error) {
      const why = error instanceof SyntaxError ? `not valid JSON: ${error.message}` : (error as Error).message;
      issues.push({ path: `${MODELS}[${i}].modelConfig`, value: model.modelConfig, message: `cannot use ${path}: ${why}`, fix: "point modelConfig at the model's Hugging Face config.json" });
      return undefined;
    }
  }
  const wanted = model.catalogId ?? model.source.repo;
  const spec = findModel(wanted);
  if (spec) return spec;
  const field = model.catalogId !== undefined ? "catalogId" : "source.repo";
  issues.push({
    path: `${MODELS}[${i}].${field}`,
    value: wanted,
    message: model.catalogId !== undefined ? "unknown catalog model" : "the planner does not know this repo's architecture",
    allowed: nearestNames(wanted, modelNames()).join(", "),
    fix: "set catalogId to a model from `shoestring models` with the same architecture, or modelConfig to its config.json",
  });
  return undefined;
}

function request(model: StackConfig["models"][number], spec: ModelSpec, planning: StackConfig["planning"]): StackModelRequest {
  const engineFields =
    model.engine === "vllm"
      ? { gpuMemoryUtilization: model.gpuMemoryUtilization }
      : { gpuLayers: model.gpuLayers, parallelSlots: model.parallelSlots };
  return {
    name: model.name,
    model: spec,
    engine: model.engine,
    quantization: model.quantization,
    tp: model.gpusPerReplica,
    maxModelLen: model.maxModelLen,
    kvCacheDtype: model.kvCacheDtype,
    replicas: model.replicas,
    utilization: planning.utilization,
    cloudPriceUsdPer1MOutput: planning.cloudApiUsdPer1MOutput,
    ...engineFields,
  };
}

/** The group a model runs on: its EKS pool by name, else the first group. */
function groupFor(model: StackConfig["models"][number], groups: HardwareGroup[]): HardwareGroup | undefined {
  return (model.nodePool !== undefined && groups.find((g) => g.pool === model.nodePool)) || groups[0];
}

/** Planner errors carry `models[i].field`; say it the way the stack file does. */
function plannerIssue(error: PlannerError, indexOf: (name: number) => number): ConfigIssue {
  const match = /^models\[(\d+)\]\.?(.*)$/.exec(error.field);
  const configField = (field: string) => (field === "tp" ? "gpusPerReplica" : field);
  const path = match ? `${MODELS}[${indexOf(Number(match[1]))}]${match[2] ? `.${configField(match[2])}` : ""}` : `shoestring:${error.field}`;
  return { path, value: error.value, message: error.problem, allowed: error.allowed, fix: error.fix };
}

/**
 * Plans every model of a validated stack on its target.
 * @throws StackConfigError listing every model or hardware name the planner cannot resolve and
 * every impossible combination (TP not dividing the heads, more GPUs than a machine has).
 */
export function planStackConfig(config: StackConfig, opts: PlanStackConfigOptions = {}): StackCapacityPlan {
  const issues: ConfigIssue[] = [];
  const groups = resolveHardware(config.target, issues);
  const specs = config.models.map((m, i) => resolveModelSpec(m, i, opts, issues));
  if (issues.length > 0) throw new StackConfigError(issues, { source: opts.source });

  const results: Array<{ group: HardwareGroup; plan: StackPlan; indexes: number[] }> = [];
  for (const group of groups) {
    const indexes = config.models.map((m, i) => (groupFor(m, groups) === group ? i : -1)).filter((i) => i >= 0);
    if (indexes.length === 0) continue;
    const models = indexes.map((i) => request(config.models[i]!, specs[i]!, config.planning));
    try {
      const plan = planStack({
        hardware: group.hardware,
        instances: group.instances,
        volumeGiB: group.volumeGiB,
        hoursPerMonth: config.planning.hoursPerMonth,
        models,
      });
      results.push({ group, plan, indexes });
    } catch (error) {
      if (!(error instanceof PlannerError)) throw error;
      issues.push(plannerIssue(error, (local) => indexes[local] ?? local));
    }
  }
  if (issues.length > 0) throw new StackConfigError(issues, { source: opts.source });

  const placed: PlacedModelPlan[] = [];
  for (const { group, plan, indexes } of results) {
    plan.models.forEach((m, local) => {
      placed[indexes[local]!] = { ...m, placedOn: group.label };
    });
  }
  const monthly = results.map((r) => r.plan.monthlyUsd);
  return {
    fits: results.every((r) => r.plan.fits),
    reason: results.every((r) => r.plan.fits) ? "fits" : results.filter((r) => !r.plan.fits).map((r) => r.plan.reason).join("\n"),
    monthlyUsd: monthly.some((m) => m === null) ? null : round2(sum(monthly.map((m) => m ?? 0))),
    gpusUsed: sum(results.map((r) => r.plan.gpusUsed)),
    gpusAvailable: sum(results.map((r) => r.plan.gpusAvailable)),
    tokensPerSecond: sum(results.map((r) => r.plan.tokensPerSecond)),
    minHeadroomGiB: Math.min(...results.map((r) => r.plan.minHeadroomGiB)),
    models: placed,
    groups: results.map((r) => ({ label: r.group.label, notes: r.group.notes, plan: r.plan })),
    priceSnapshot: results[0]?.plan.priceSnapshot ?? null,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
