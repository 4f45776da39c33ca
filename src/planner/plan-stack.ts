/**
 * @module `planStack`: plans every model of a stack on shared hardware. Each replica gets
 * dedicated GPUs inside one instance (cross-node TP is not planned), llama.cpp/CPU models share
 * host RAM, and the hardware is billed once per instance.
 */
import { round, roundOrNull } from "./_round";
import { PRICE_SNAPSHOT } from "./catalog/instances";
import { costPer1MOutputUsd, breakEvenUtilization, hourlyRate, monthlyCostUsd } from "./cost";
import { planModel } from "./plan-model";
import { PlannerError, withFieldPrefix } from "./planner-error";
import type { Hardware, ModelPlan, PlanModelRequest } from "./types";

/** One model of a stack. */
export type StackModelRequest = { readonly name: string } & Omit<PlanModelRequest, "hardware">;

/** A stack to plan. */
export interface PlanStackInput {
  /** One instance's hardware (every instance is alike). */
  readonly hardware: Hardware;
  /** Identical instances. @default 1 */
  readonly instances?: number;
  /** gp3 volume per instance, GiB (model cache). @default 0 */
  readonly volumeGiB?: number;
  /** Hours billed per month (a dev stack may run business hours only). @default 730 */
  readonly hoursPerMonth?: number;
  /** The models, each with a unique name. */
  readonly models: readonly StackModelRequest[];
}

/**
 * One model's plan inside a stack. Cost fields are its share of the stack's bill (by GPUs, or by
 * host RAM on CPU hardware); throughput and host RAM cover all its replicas.
 */
export type StackModelPlan = ModelPlan & { readonly name: string };

/** The whole stack. */
export interface StackPlan {
  /** Every model fits and the replicas fit the GPUs and host RAM. */
  readonly fits: boolean;
  /** "fits", or every refusal, one per line. */
  readonly reason: string;
  /** Instances billed. */
  readonly instances: number;
  /** GPUs across all instances. */
  readonly gpusAvailable: number;
  /** GPUs the replicas use. */
  readonly gpusUsed: number;
  /** Host RAM the llama.cpp / CPU models use, GiB. */
  readonly hostRamGiB: number;
  /** Host RAM across all instances, GiB, or null when unknown. */
  readonly hostRamAvailableGiB: number | null;
  /** Smallest headroom of any model, GiB (GPU, or host RAM on CPU). */
  readonly minHeadroomGiB: number;
  /** Upper-bound decode tokens/s of all models together. */
  readonly tokensPerSecond: number;
  /** USD per month: instances × hourly × 730 + gp3 volumes; null when the hourly rate is unknown. */
  readonly monthlyUsd: number | null;
  /** Where prices come from. */
  readonly priceSnapshot: { readonly region: string; readonly date: string; readonly source: string };
  /** Per-model plans, in input order. */
  readonly models: StackModelPlan[];
}

function positive(field: string, value: number): void {
  if (Number.isInteger(value) && value >= 1) return;
  throw new PlannerError({
    field,
    problem: "must be a positive integer",
    value,
    allowed: "1 or more",
    fix: "Count whole instances.",
  });
}

/** First-fit decreasing: do replicas of these GPU counts pack into `instances` boxes of `perInstance` GPUs? */
function packs(sizes: number[], instances: number, perInstance: number): boolean {
  const free = Array.from({ length: instances }, () => perInstance);
  for (const size of [...sizes].sort((a, b) => b - a)) {
    const slot = free.findIndex((f) => f >= size);
    if (slot < 0) return false;
    free[slot] = (free[slot] ?? 0) - size;
  }
  return true;
}

/**
 * Plans a stack: every model, GPU allocation, host RAM, totals and cost.
 * @throws PlannerError (field `models[i]…`) for an impossible model request or duplicate names.
 */
export function planStack(input: PlanStackInput): StackPlan {
  const instances = input.instances ?? 1;
  positive("instances", instances);
  const hw = input.hardware;
  const perInstanceGpus = hw.kind === "gpu" ? hw.gpusAvailable : 0;
  const seen = new Set<string>();
  const plans: ModelPlan[] = input.models.map((m, i) => {
    if (seen.has(m.name)) {
      throw new PlannerError({
        field: `models[${i}].name`,
        problem: "duplicate model name",
        value: m.name,
        allowed: "unique names",
        fix: "Rename one of the models.",
      });
    }
    seen.add(m.name);
    const { name: _name, replicas: _replicas, ...request } = m;
    try {
      // One replica per call: replicas may land on different instances, so each is planned alone.
      return planModel({ ...request, hardware: { ...hw, usdPerHour: undefined }, replicas: 1 });
    } catch (error) {
      throw withFieldPrefix(error, `models[${i}]`);
    }
  });
  const replicasOf = (i: number) => input.models[i]?.replicas ?? 1;
  const gpusUsed = plans.reduce((sum, p, i) => sum + p.gpusPerReplica * replicasOf(i), 0);
  const gpusAvailable = perInstanceGpus * instances;
  const hostRamGiB = plans.reduce((sum, p, i) => sum + p.hostRamGiB * replicasOf(i), 0);
  const hostRamAvailableGiB = hw.hostRamGiB === undefined ? null : hw.hostRamGiB * instances;

  const problems: string[] = [];
  plans.forEach((p, i) => {
    if (!p.fits) problems.push(`${input.models[i]?.name}: ${p.reason}`);
  });
  const sizes = plans
    .flatMap((p, i) => Array.from({ length: replicasOf(i) }, () => p.gpusPerReplica))
    .filter((s) => s > 0);
  if (sizes.length > 0 && !packs(sizes, instances, perInstanceGpus)) {
    const detail = plans
      .map((p, i) => `${input.models[i]?.name} ${replicasOf(i)}×${p.gpusPerReplica}`)
      .join(", ");
    problems.push(
      `GPUs: the models need ${gpusUsed} GPUs (${detail}; replicas × GPUs each) but ` +
        `${instances} instance(s) × ${perInstanceGpus} GPU(s) cannot hold them. ` +
        "Add instances, lower replicas or tp, or use bigger instances.",
    );
  }
  if (hostRamAvailableGiB !== null && hostRamGiB > hostRamAvailableGiB) {
    problems.push(
      `Host RAM: llama.cpp models need ${hostRamGiB.toFixed(2)} GiB together but the hardware has ` +
        `${hostRamAvailableGiB.toFixed(2)} GiB. ` +
        "Use smaller quantizations, fewer slots or a bigger host.",
    );
  }

  const usdPerHour = hourlyRate(hw);
  const monthlyUsd = monthlyCostUsd({ usdPerHour, instances, volumeGiB: input.volumeGiB ?? 0, hoursPerMonth: input.hoursPerMonth });
  const models: StackModelPlan[] = plans.map((p, i) => {
    const replicas = replicasOf(i);
    // Shares of the bill: by GPUs (or host RAM on CPU), over what is used when overcommitted.
    const share =
      hw.kind === "gpu"
        ? (p.gpusPerReplica * replicas) / Math.max(1, gpusAvailable, gpusUsed)
        : hostRamGiB > 0
          ? (p.hostRamGiB * replicas) / hostRamGiB
          : 0;
    const rate = usdPerHour === undefined ? undefined : usdPerHour * instances * share;
    const tps = p.tokensPerSecond * replicas;
    const cloud = p.cloudPer1MOutputUsd ?? undefined;
    return {
      ...p,
      name: input.models[i]?.name ?? "",
      replicas,
      gpusUsed: p.gpusPerReplica * replicas,
      hostRamGiB: round(p.hostRamGiB * replicas),
      tokensPerSecond: round(tps, 1),
      prefillTokensPerSecond: round(p.prefillTokensPerSecond * replicas, 0),
      monthlyUsd: roundOrNull(monthlyUsd === null ? null : monthlyUsd * share),
      costPer1MOutputUsd: roundOrNull(costPer1MOutputUsd(rate, tps, p.utilization), 4),
      breakEvenUtilization: roundOrNull(breakEvenUtilization(rate, tps, cloud), 4),
    };
  });
  return {
    fits: problems.length === 0,
    reason: problems.length === 0 ? "fits" : problems.join("\n"),
    instances,
    gpusAvailable,
    gpusUsed,
    hostRamGiB: round(hostRamGiB),
    hostRamAvailableGiB,
    minHeadroomGiB: models.length === 0 ? 0 : Math.min(...models.map((m) => m.headroomGiB)),
    tokensPerSecond: round(models.reduce((sum, m) => sum + m.tokensPerSecond, 0), 1),
    monthlyUsd: roundOrNull(monthlyUsd),
    priceSnapshot: {
      region: PRICE_SNAPSHOT.region,
      date: PRICE_SNAPSHOT.date,
      source: PRICE_SNAPSHOT.source,
    },
    models,
  };
}
