/**
 * @module Tensor-parallel choice (planner-notes.md §2.4): vLLM requires the TP size to divide the
 * attention heads, and its QKV sharding needs `n_kv % tp == 0` or `tp % n_kv == 0` (beyond n_kv
 * the KV heads are replicated and TP stops shrinking the cache; phi-4, 10 KV heads, exits at TP 4:
 * llm-d-planner accuracy/results/v0.19.0/runs/microsoft-phi-4--h100-80gb--tp4pp1dp1--8192.json).
 * The planner tries 1, 2, 4, 8 within the GPUs available.
 */
import type { ModelSpec } from "./catalog/model-spec";
import { TENSOR_PARALLEL_CANDIDATES } from "./constants";
import { PlannerError } from "./planner-error";

/** vLLM's own check (ModelConfig.verify_with_parallel_config), word for word. */
export function headsDivisibilityMessage(model: ModelSpec, tp: number): string {
  return (
    `Total number of attention heads (${model.attentionHeads}) must be divisible by ` +
    `tensor parallel size (${tp}).`
  );
}

/** True when TP splits the KV heads evenly (or replicates whole heads evenly beyond n_kv). */
export function isKvHeadFriendly(model: ModelSpec, tp: number): boolean {
  if (model.mla) return true;
  return model.kvHeads % tp === 0 || tp % model.kvHeads === 0;
}

/** True when vLLM accepts this TP size for the model: it divides the heads and shards the KV heads. */
export function isValidTensorParallel(model: ModelSpec, tp: number): boolean {
  return model.attentionHeads % tp === 0 && isKvHeadFriendly(model, tp);
}

/** TP sizes vLLM accepts, up to `limit` GPUs (any size, not only powers of two). */
export function divisorTensorParallelSizes(model: ModelSpec, limit: number): number[] {
  const sizes: number[] = [];
  for (let tp = 1; tp <= limit; tp++) if (isValidTensorParallel(model, tp)) sizes.push(tp);
  return sizes;
}

/** Candidate TP sizes for `auto`: 1, 2, 4, 8 that fit in `gpusAvailable` and vLLM accepts. */
export function validTensorParallelSizes(model: ModelSpec, gpusAvailable: number): number[] {
  return TENSOR_PARALLEL_CANDIDATES.filter((tp) => tp <= gpusAvailable && isValidTensorParallel(model, tp));
}

/**
 * Checks an explicit TP size against the heads and the GPUs available.
 * @throws PlannerError with vLLM's message when TP does not divide the heads, or when there are
 *   fewer GPUs than TP × replicas.
 */
export function assertTensorParallel(
  model: ModelSpec,
  tp: number,
  gpusAvailable: number,
  replicas = 1,
): void {
  if (!Number.isInteger(tp) || tp < 1) {
    throw new PlannerError({
      field: "tp",
      problem: "tensor-parallel size must be a positive integer",
      value: tp,
      allowed: `1–${gpusAvailable} or "auto"`,
      fix: 'Use "auto" to let the planner pick the smallest size that fits.',
    });
  }
  if (model.attentionHeads % tp !== 0) {
    const valid = divisorTensorParallelSizes(model, Math.max(gpusAvailable, 8)).join(", ");
    throw new PlannerError({
      field: "tp",
      problem: headsDivisibilityMessage(model, tp).replace(/\.$/, ""),
      value: tp,
      allowed: `${model.id} allows TP ${valid}`,
      fix: "Pick one of those sizes, or \"auto\".",
    });
  }
  if (!isKvHeadFriendly(model, tp)) {
    const valid = divisorTensorParallelSizes(model, Math.max(gpusAvailable, 8)).join(", ");
    throw new PlannerError({
      field: "tp",
      problem:
        `TP ${tp} cannot shard ${model.id}'s ${model.kvHeads} KV heads (vLLM's QKV layer needs ` +
        "n_kv % tp == 0 or tp % n_kv == 0)",
      value: tp,
      allowed: `${model.id} allows TP ${valid}`,
      fix: 'Pick one of those sizes, or "auto".',
    });
  }
  assertGpuCount(tp, replicas, gpusAvailable);
}

/**
 * Checks that `replicas` replicas of `gpusPerReplica` GPUs fit in the hardware.
 * @throws PlannerError naming the counts.
 */
export function assertGpuCount(gpusPerReplica: number, replicas: number, gpusAvailable: number): void {
  if (gpusPerReplica * replicas <= gpusAvailable) return;
  throw new PlannerError({
    field: replicas > 1 ? "replicas" : "tp",
    problem:
      `${replicas} replica(s) × ${gpusPerReplica} GPU(s) need ${gpusPerReplica * replicas} GPUs ` +
      `but the hardware has ${gpusAvailable}`,
    value: replicas > 1 ? replicas : gpusPerReplica,
    allowed: `at most ${gpusAvailable} GPUs in total`,
    fix: "Lower tp or replicas, or choose hardware with more GPUs.",
  });
}

/**
 * Picks the TP size for `auto`: the smallest candidate that fits, preferring KV-head-friendly
 * sizes at equal fit; when none fits, the largest candidate (the best attempt, for the refusal).
 * @returns undefined when no candidate exists (no size divides the heads within the GPUs).
 */
export function chooseTensorParallel(
  candidates: readonly number[],
  fits: (tp: number) => boolean,
  friendly: (tp: number) => boolean,
): number | undefined {
  const fitting = candidates.filter(fits);
  return fitting.find(friendly) ?? fitting[0] ?? candidates[candidates.length - 1];
}
