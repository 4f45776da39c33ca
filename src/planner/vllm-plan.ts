/**
 * @module Plans one vLLM model: picks the tensor-parallel size, runs the per-GPU budget, estimates
 * throughput, and proposes fixes (bigger TP, fp8 KV, shorter context, quantized weights) in the
 * spirit of planner-notes.md §2.5.
 */
import type { GpuSpec } from "./catalog/gpus";
import type { QuantizationSpec } from "./catalog/quantizations";
import { DECODE_CONTEXT_SHARE, MBU, VLLM_MAX_NUM_SEQS } from "./constants";
import { kvBytesPerToken } from "./kv-cache";
import {
  chooseTensorParallel,
  divisorTensorParallelSizes,
  isKvHeadFriendly,
  validTensorParallelSizes,
} from "./parallelism";
import { PlannerError } from "./planner-error";
import type { ResolvedRequest } from "./resolve-request";
import { estimateDecode, estimatePrefill } from "./throughput";
import { vllmBudget, type VllmBudget } from "./vllm-budget";
import { activeWeightBytes, estimateWeights, requireQuantization } from "./weights";

/**
 * What `planModel` needs from an engine planner (per replica; fields as in ModelPlan).
 * @internal
 */
export interface EnginePlan {
  readonly tp: number;
  readonly gpusPerReplica: number;
  readonly fits: boolean;
  readonly reason: string;
  readonly weightsGiB: number;
  readonly weightsTotalGiB: number;
  readonly kvCacheGiB: number;
  readonly kvTokens: number;
  readonly maxConcurrency: number;
  readonly maxModelLenPossible: number;
  readonly activationGiB: number;
  readonly overheadGiB: number;
  readonly headroomGiB: number;
  readonly hostRamGiB: number;
  readonly gpuLayers: number | null;
  readonly tokensPerSecondPerReplica: number;
  readonly tokensPerSecondPerSequence: number;
  readonly prefillPerReplica: number;
  readonly notes: string[];
  readonly suggestions: string[];
}

interface Variant {
  readonly tp: number;
  readonly quant: QuantizationSpec;
  readonly kvBytesPerElement: number;
  readonly maxModelLen: number;
}

function gpuOf(r: ResolvedRequest): GpuSpec {
  // resolveRequest already refused vLLM on CPU-only hardware with a PlannerError.
  if (r.hardware.kind !== "gpu") throw new Error("planVllm called with CPU hardware");
  return r.hardware.gpu;
}

interface Evaluation {
  readonly budget: VllmBudget;
  readonly weightsTotalGiB: number;
  readonly perToken: number;
}

function evaluate(r: ResolvedRequest, v: Variant): Evaluation {
  const gpu = gpuOf(r);
  const weightsTotalGiB = estimateWeights(r.model, v.quant).totalGiB;
  const perToken = kvBytesPerToken(r.model, { tp: v.tp, bytesPerElement: v.kvBytesPerElement });
  const budget = vllmBudget({
    model: r.model,
    cudaVisibleGiB: gpu.cudaVisibleGiB,
    gpuMemoryUtilization: r.gpuMemoryUtilization,
    tp: v.tp,
    weightsGiB: weightsTotalGiB / v.tp,
    maxModelLen: v.maxModelLen,
    kvBytesPerTokenPerGpu: perToken,
    enforceEager: r.enforceEager,
    profile: r.profile,
    ...(r.maxNumBatchedTokens !== undefined ? { maxNumBatchedTokens: r.maxNumBatchedTokens } : {}),
  });
  return { budget, weightsTotalGiB, perToken };
}

function chooseTp(r: ResolvedRequest, gpusAvailable: number): number {
  if (r.tp !== "auto") return r.tp;
  const perReplica = Math.floor(gpusAvailable / r.replicas);
  const candidates = validTensorParallelSizes(r.model, perReplica);
  if (candidates.length === 0) {
    throw new PlannerError({
      field: "replicas",
      problem:
        `${r.replicas} replica(s) leave ${perReplica} GPU(s) each, and no TP size of 1, 2, 4, 8 fits that ` +
        `and divides ${r.model.id}'s ${r.model.attentionHeads} heads`,
      value: r.replicas,
      allowed: `at most ${gpusAvailable} replicas of TP 1`,
      fix: "Lower replicas or choose hardware with more GPUs.",
    });
  }
  const fits = (tp: number) => evaluate(r, { ...baseVariant(r), tp }).budget.fits;
  return chooseTensorParallel(candidates, fits, (tp) => isKvHeadFriendly(r.model, tp)) ?? 1;
}

function baseVariant(r: ResolvedRequest): Variant {
  return { tp: 1, quant: r.quant, kvBytesPerElement: r.kv.bytesPerElement, maxModelLen: r.maxModelLen };
}

function tokens(n: number): string {
  return n.toLocaleString("en-US");
}

/** "tp 4: 16.9 GiB weights/GPU, KV 54.3 GiB/GPU = 712,032 tokens (86.9× at 8192 ctx)". */
function describeVariant(r: ResolvedRequest, label: string, v: Variant): string {
  const e = evaluate(r, v);
  const concurrency = (e.budget.kvTokens / v.maxModelLen).toFixed(1);
  return (
    `${label}: ${(e.weightsTotalGiB / v.tp).toFixed(1)} GiB weights/GPU, ` +
    `KV ${e.budget.kvCacheGiB.toFixed(1)} GiB/GPU = ${tokens(e.budget.kvTokens)} tokens ` +
    `(${concurrency}× at ${v.maxModelLen} ctx)` +
    (e.budget.fits ? "" : " — still does not fit")
  );
}

/** Fixes for a refused plan (shorter context, fp8 KV, bigger TP, quantized weights), and fp8 KV for a tight one. */
function suggestions(r: ResolvedRequest, tp: number, budget: VllmBudget, gpusAvailable: number): string[] {
  const out: string[] = [];
  const base: Variant = { ...baseVariant(r), tp };
  const tight = budget.fits && budget.kvTokens < 4 * r.maxModelLen;
  if (budget.kvCacheGiB > 0 && budget.kvTokens < r.maxModelLen) {
    out.push(`Largest maxModelLen that fits: ${tokens(budget.kvTokens)} tokens.`);
  }
  if ((!budget.fits || tight) && r.kv.bytesPerElement > 1 && r.model.role === "chat") {
    const fp8 = evaluate(r, { ...base, kvBytesPerElement: 1 });
    if (fp8.budget.kvCacheGiB > 0) {
      out.push(`With kvCacheDtype fp8: ${tokens(fp8.budget.kvTokens)} tokens of KV (2× capacity).`);
    }
  }
  if (budget.fits) return out;
  const biggerTp = validTensorParallelSizes(r.model, Math.floor(gpusAvailable / r.replicas)).filter((t) => t > tp);
  const tpFit = biggerTp.find((t) => evaluate(r, { ...base, tp: t }).budget.fits);
  if (tpFit !== undefined) {
    out.push(describeVariant(r, `tp ${tpFit}`, { ...base, tp: tpFit }));
  } else if (biggerTp.length === 0) {
    const allowed = divisorTensorParallelSizes(r.model, 8).filter((t) => t > tp);
    if (allowed.length > 0) {
      out.push(`More GPUs: ${r.model.attentionHeads} attention heads allow TP ${allowed.join(", ")}.`);
    }
  }
  if (r.quant.bitsPerWeight >= 16) {
    for (const id of gpuOf(r).supportsFp8 ? ["fp8", "awq"] : ["awq"]) {
      out.push(describeVariant(r, `${id} weights`, { ...base, quant: requireQuantization(id) }));
    }
  }
  return out;
}

function tpNotes(r: ResolvedRequest, tp: number): string[] {
  const notes: string[] = [];
  const kv = r.model.kvHeads;
  if (kv < tp && !r.model.mla) {
    notes.push(
      `TP ${tp} exceeds ${kv} KV heads: heads are replicated, so more TP no longer shrinks KV per token.`,
    );
  }
  return notes;
}

/** Plans a vLLM model on GPU hardware. @internal (use planModel) */
export function planVllm(r: ResolvedRequest): EnginePlan {
  const gpu = gpuOf(r);
  const gpusAvailable = r.hardware.kind === "gpu" ? r.hardware.gpusAvailable : 0;
  const tp = chooseTp(r, gpusAvailable);
  const { budget, weightsTotalGiB, perToken } = evaluate(r, { ...baseVariant(r), tp });
  const embeddings = r.model.role === "embeddings";
  const maxConcurrency = !budget.fits
    ? 0
    : embeddings
      ? VLLM_MAX_NUM_SEQS
      : Math.floor(budget.kvTokens / r.maxModelLen);
  const weights = estimateWeights(r.model, r.quant);
  const tflops = (r.quant.id === "fp8" && gpu.fp8Tflops) || gpu.bf16Tflops || gpu.fp16Tflops || 0;
  const decode = estimateDecode({
    tiers: [
      {
        weightBytes: activeWeightBytes(r.model, weights) / tp,
        kvBytesPerToken: perToken,
        bandwidthGBps: gpu.bandwidthGBps,
        mbu: MBU.vllm,
        tflops,
        flopShare: 1,
      },
    ],
    batch: Math.min(Math.max(1, maxConcurrency), VLLM_MAX_NUM_SEQS),
    avgContext: r.maxModelLen * DECODE_CONTEXT_SHARE,
    activeParams: r.model.paramsActive,
    parallelDevices: tp,
  });
  const generates = budget.fits && !embeddings;
  return {
    tp,
    gpusPerReplica: tp,
    fits: budget.fits,
    reason: budget.reason,
    weightsGiB: budget.weightsGiB,
    weightsTotalGiB,
    kvCacheGiB: budget.kvCacheGiB,
    kvTokens: budget.kvTokens,
    maxConcurrency,
    maxModelLenPossible: budget.maxModelLenPossible,
    activationGiB: budget.activationGiB,
    overheadGiB: budget.nonTorchGiB,
    headroomGiB: budget.kvCacheGiB - budget.kvNeededGiB,
    hostRamGiB: 0,
    gpuLayers: null,
    // Embedding models generate nothing: their throughput is the prefill bound.
    tokensPerSecondPerReplica: generates ? decode.aggregate : 0,
    tokensPerSecondPerSequence: generates ? decode.perSequence : 0,
    prefillPerReplica: budget.fits ? estimatePrefill(r.model.paramsActive, tflops, tp) : 0,
    notes: tpNotes(r, tp),
    suggestions: suggestions(r, tp, budget, gpusAvailable),
  };
}
