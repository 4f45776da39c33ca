/**
 * @module vLLM's per-GPU memory budget and its startup refusals (planner-notes.md §1, §2.3):
 * `KV = cudaVisible × gmu − weights − activation peak − non-torch`; the tightest TP rank decides,
 * and the engine refuses to start when the pool is empty or cannot hold one max-length
 * sequence.
 */
import type { ModelSpec } from "./catalog/model-spec";
import { CUDA_GRAPH_MARGIN_GIB, CUDA_GRAPH_RESERVE_GIB, GIB, KV_BLOCK_SIZE } from "./constants";
import { kvTokensFor, roundUpToBlock } from "./kv-cache";
import { activationPeakGiB, nonTorchGiB, type VllmMemoryProfile } from "./vllm-profiles";

/** Inputs of one vLLM replica's budget (per GPU unless stated). */
export interface VllmBudgetInput {
  /** The model being served. */
  readonly model: ModelSpec;
  /** Total memory CUDA reports on one GPU, GiB. */
  readonly cudaVisibleGiB: number;
  /** `--gpu-memory-utilization`, 0–1. */
  readonly gpuMemoryUtilization: number;
  /** Tensor-parallel size. */
  readonly tp: number;
  /** Weight GiB on one GPU. */
  readonly weightsGiB: number;
  /** `--max-model-len`, tokens. */
  readonly maxModelLen: number;
  /** KV bytes per token on one GPU (after the TP head split and dtype). */
  readonly kvBytesPerTokenPerGpu: number;
  /** `--enforce-eager`: no CUDA graphs, so no graph headroom needed. */
  readonly enforceEager: boolean;
  /** Which vLLM generation's constants apply. */
  readonly profile: VllmMemoryProfile;
  /** `--max-num-batched-tokens`, when set. */
  readonly maxNumBatchedTokens?: number;
}

/** One replica's budget, in the numbers vLLM logs at startup. */
export interface VllmBudget {
  /** `cudaVisible × gmu`, GiB per GPU. */
  readonly budgetGiB: number;
  /** Weights, GiB per GPU ("Model loading took X GiB"). */
  readonly weightsGiB: number;
  /** Profiling activation peak, GiB per GPU. */
  readonly activationGiB: number;
  /** Non-torch memory, GiB per GPU. */
  readonly nonTorchGiB: number;
  /** KV pool, GiB per GPU ("Available KV cache memory"); negative when the model does not fit. */
  readonly kvCacheGiB: number;
  /** KV capacity of the replica in tokens ("GPU KV cache size: N tokens"). */
  readonly kvTokens: number;
  /** KV GiB one max-length sequence needs on one GPU. */
  readonly kvNeededGiB: number;
  /** Longest `max_model_len` the pool can hold (vLLM's "estimated maximum model length"). */
  readonly maxModelLenPossible: number;
  /** `cudaVisible × (1 − gmu)`: memory left outside the budget for CUDA graphs, GiB. */
  readonly graphHeadroomGiB: number;
  /** Whether the startup succeeds. */
  readonly fits: boolean;
  /** Empty when it fits; otherwise vLLM's refusal, in the profile's wording. */
  readonly reason: string;
}

/** Computes one vLLM replica's per-GPU memory budget and whether vLLM would start. */
export function vllmBudget(input: VllmBudgetInput): VllmBudget {
  const { model, profile } = input;
  const budgetGiB = input.cudaVisibleGiB * input.gpuMemoryUtilization;
  const activationGiB = activationPeakGiB(profile, model, input.maxModelLen, input.maxNumBatchedTokens);
  const nonTorch = nonTorchGiB(profile, input.tp);
  const kvCacheGiB = budgetGiB - input.weightsGiB - activationGiB - nonTorch;
  const perToken = input.kvBytesPerTokenPerGpu;
  const kvTokens = kvTokensFor(kvCacheGiB * GIB, perToken);
  const kvNeededGiB = (perToken * roundUpToBlock(input.maxModelLen)) / GIB;
  const maxModelLenPossible =
    perToken === 0 ? model.maxPositionEmbeddings : Math.min(kvTokens, model.maxPositionEmbeddings);
  const graphHeadroomGiB = input.cudaVisibleGiB * (1 - input.gpuMemoryUtilization);

  const graphNeedGiB = CUDA_GRAPH_RESERVE_GIB + CUDA_GRAPH_MARGIN_GIB;
  const gmu = input.gpuMemoryUtilization;
  let reason = "";
  if (kvCacheGiB <= 0) {
    reason =
      "No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when " +
      `initializing the engine. (budget ${fmt(budgetGiB)} GiB = ${fmt(input.cudaVisibleGiB)} GiB × ${gmu}; ` +
      `weights ${fmt(input.weightsGiB)} + activation ${fmt(activationGiB)} + non-torch ${fmt(nonTorch)} GiB ` +
      `leave ${fmt(kvCacheGiB)} GiB for the KV cache.)`;
  } else if (perToken > 0 && kvTokens < input.maxModelLen) {
    reason =
      profile.refusalStyle === "v0"
        ? v0Refusal(input.maxModelLen, kvTokens)
        : v1Refusal(input.maxModelLen, kvNeededGiB, kvCacheGiB, kvTokens);
  } else if (!input.enforceEager && graphHeadroomGiB < graphNeedGiB) {
    const maxGmu = Math.floor((1 - graphNeedGiB / input.cudaVisibleGiB) * 100) / 100;
    reason =
      "CUDA graphs are captured after the KV cache, outside gpu_memory_utilization: " +
      `${fmt(input.cudaVisibleGiB)} GiB × (1 − ${gmu}) leaves ${fmt(graphHeadroomGiB)} GiB ` +
      `but ${fmt(graphNeedGiB)} GiB is needed. ` +
      `Set gpuMemoryUtilization to ${maxGmu} or less, or enforceEager: true (slower decode).`;
  }
  return {
    budgetGiB,
    weightsGiB: input.weightsGiB,
    activationGiB,
    nonTorchGiB: nonTorch,
    kvCacheGiB,
    kvTokens,
    kvNeededGiB,
    maxModelLenPossible,
    graphHeadroomGiB,
    fits: reason === "",
    reason,
  };
}

/** vLLM V1 wording (vllm/v1/core/kv_cache_utils.py), grammar fixed: need vs have vs best length. */
function v1Refusal(maxModelLen: number, needGiB: number, haveGiB: number, possible: number): string {
  return (
    `To serve at least one request with the model's max seq len (${maxModelLen}), ` +
    `${fmt(needGiB)} GiB KV cache is needed, which is larger than the available KV cache memory ` +
    `(${fmt(haveGiB)} GiB). Based on the available memory, the estimated maximum model length is ` +
    `${possible}. Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when ` +
    "initializing the engine."
  );
}

/** vLLM V0 wording (vllm/worker/worker.py raise_if_cache_size_invalid). */
function v0Refusal(maxModelLen: number, kvTokens: number): string {
  return (
    `The model's max seq len (${maxModelLen}) is larger than the maximum number of tokens that ` +
    `can be stored in KV cache (${kvTokens}). Try increasing \`gpu_memory_utilization\` or ` +
    "decreasing `max_model_len` when initializing the engine."
  );
}

function fmt(gib: number): string {
  return gib.toFixed(2);
}

/** Largest max_model_len (whole blocks) a KV pool of `kvGiB` holds at `bytesPerToken`. */
export function maxModelLenFor(kvGiB: number, bytesPerToken: number): number {
  return kvTokensFor(kvGiB * GIB, bytesPerToken, KV_BLOCK_SIZE);
}
