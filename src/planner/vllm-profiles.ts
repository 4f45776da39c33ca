/**
 * @module vLLM's memory-profiling constants, versioned. What vLLM subtracts from
 * `total × gpu_memory_utilization` before the KV cache (activation peak, non-torch memory) changed
 * between releases, so the planner takes the vLLM generation as an input instead of bending one
 * set of numbers to fit every log (planner-notes.md §1, §7).
 */
import type { ModelSpec } from "./catalog/model-spec";

/** Architecture families whose activation peak was measured separately. */
export type ActivationFamily =
  | "llama"
  | "mistral"
  | "qwen2"
  | "qwen3"
  | "qwen3-moe"
  | "mixtral"
  | "phi3"
  | "deepseek"
  | "gemma2"
  | "gemma3"
  | "gpt-oss"
  | "dense"
  | "moe";

/** Names of the profiles in {@link VLLM_MEMORY_PROFILES}. */
export type VllmProfileId = "v1" | "v1-early" | "v0";

/** Activation measured per architecture family at a reference batch. */
export interface PerFamilyActivation {
  readonly kind: "per-family";
  /** Peak GiB per GPU by family. */
  readonly gib: Readonly<Record<ActivationFamily, number>>;
  /** `max_num_batched_tokens` the figures were measured at. */
  readonly referenceBatchedTokens: number;
}

/** V0 activation: proportional to the dummy batch, which is max_model_len without chunked prefill. */
export interface PerTokenActivation {
  readonly kind: "per-token";
  /** Above this max_model_len V0 turned chunked prefill on by default. */
  readonly chunkedPrefillAboveTokens: number;
  /** The dummy batch with chunked prefill, tokens. */
  readonly chunkedBatchTokens: number;
}

/** One vLLM generation's memory accounting. */
export interface VllmMemoryProfile {
  /** Profile name, used in requests and fixtures. */
  readonly id: VllmProfileId;
  /** vLLM releases the numbers were measured on or apply to. */
  readonly versions: string;
  /**
   * Activation peak of the profiling forward pass, GiB per GPU. `per-family`: a measured figure
   * at `referenceBatchedTokens`, scaled up linearly for larger `max_num_batched_tokens`.
   * `per-token`: V0 without chunked prefill, where the dummy batch is `max(max_model_len, 2048)`
   * tokens and the peak is the MLP intermediate (3·I) plus hidden buffers (3·H) in 16 bit per token.
   */
  readonly activation: PerFamilyActivation | PerTokenActivation;
  /** Memory outside the torch allocator (NCCL, cuBLAS workspaces), GiB per GPU. */
  readonly nonTorchGiB: { readonly tp1: number; readonly tpN: number };
  /** Which vLLM refusal wording this generation prints. */
  readonly refusalStyle: "v0" | "v1";
  /** Where the numbers come from. */
  readonly source: string;
}

/** Profiles by id. `v1` is the default: current vLLM (V1 engine, chunked prefill). */
export const VLLM_MEMORY_PROFILES: Readonly<Record<VllmProfileId, VllmMemoryProfile>> = {
  v1: {
    id: "v1",
    versions: "vLLM V1 engine, current (measured on v0.19.0, H100, max_num_batched_tokens 8192)",
    activation: {
      kind: "per-family",
      referenceBatchedTokens: 8192,
      // llm-d-planner data/configuration/vllm_memory_constants.json activation_profiles and
      // accuracy/results/v0.19.0/results_raw.csv; "dense"/"moe" are the notes' conservative defaults.
      gib: {
        llama: 1.89, mistral: 2.03, qwen2: 2.25, qwen3: 2.21, "qwen3-moe": 2.68, mixtral: 1.21,
        phi3: 1.52, deepseek: 1.93, gemma2: 3.65, gemma3: 3.94, "gpt-oss": 2.87, dense: 2.5, moe: 3.0,
      },
    },
    nonTorchGiB: { tp1: 0.25, tpN: 2.1 },
    refusalStyle: "v1",
    source:
      "https://github.com/jgchn/llm-d-planner/blob/30ec05f7cab43782bdfa4f529aef70e06ff9f149/accuracy/results/v0.19.0/results_raw.csv",
  },
  "v1-early": {
    id: "v1-early",
    versions: "vLLM V1 before the v0.11 profiling changes (~0.9–0.10; H100, max-model-len 16000)",
    activation: {
      kind: "per-family",
      referenceBatchedTokens: 8192,
      // llm-d-benchmark empirical runs: Llama-3.1-8B 4.76, Llama-3.3-70B-FP8 4.84, Qwen3 5.56–5.64,
      // gpt-oss 7.38 GiB. Families not measured take the largest dense / MoE figure.
      gib: {
        llama: 4.84, mistral: 5.64, qwen2: 5.64, qwen3: 5.64, "qwen3-moe": 7.38, mixtral: 7.38,
        phi3: 5.64, deepseek: 7.38, gemma2: 5.64, gemma3: 5.64, "gpt-oss": 7.38, dense: 5.64, moe: 7.38,
      },
    },
    nonTorchGiB: { tp1: 0.14, tpN: 0.55 },
    refusalStyle: "v1",
    source:
      "https://github.com/llm-d/llm-d-benchmark/blob/259334868c5075da530cc6c90b43fceb11b6e6a7/config_explorer/empirical-vllm-memory-results.md",
  },
  v0: {
    id: "v0",
    versions: "vLLM 0.6–0.7 V0 engine (chunked prefill off up to 32k context)",
    // V0 turns chunked prefill on above 32k with a 512-token batch: vllm-project/vllm#10517 shows
    // peak torch 17.06 GiB at 20k, 17.98 at 29k and 15.05 at 35k for Llama-3.1-8B (14.99 weights).
    activation: { kind: "per-token", chunkedPrefillAboveTokens: 32768, chunkedBatchTokens: 512 },
    nonTorchGiB: { tp1: 0.35, tpN: 0.55 },
    refusalStyle: "v0",
    source: "https://github.com/vllm-project/vllm/issues/10517",
  },
};

/** The profile `planModel` uses when the request names none. */
export const DEFAULT_VLLM_PROFILE: VllmProfileId = "v1";

/** Every profile id, for validation messages. */
export const VLLM_PROFILE_IDS = Object.keys(VLLM_MEMORY_PROFILES) as VllmProfileId[];

/** Maps a Hugging Face architecture class to its measured activation family. */
export function activationFamily(model: ModelSpec): ActivationFamily {
  const arch = model.architecture;
  const table: Array<[RegExp, ActivationFamily]> = [
    [/^Llama/, "llama"],
    [/^Mistral/, "mistral"],
    [/^Qwen2Moe|^Qwen3Moe/, "qwen3-moe"],
    [/^Qwen2/, "qwen2"],
    [/^Qwen3/, "qwen3"],
    [/^Mixtral/, "mixtral"],
    [/^Phi3/, "phi3"],
    [/^Deepseek/i, "deepseek"],
    [/^Gemma2/, "gemma2"],
    [/^Gemma3/, "gemma3"],
    [/^GptOss/, "gpt-oss"],
  ];
  const hit = table.find(([pattern]) => pattern.test(arch));
  if (hit) return hit[1];
  return model.moe ? "moe" : "dense";
}

/**
 * Peak activation memory of vLLM's profiling run, GiB per GPU.
 * @param maxNumBatchedTokens `--max-num-batched-tokens` when the user sets it.
 */
export function activationPeakGiB(
  profile: VllmMemoryProfile,
  model: ModelSpec,
  maxModelLen: number,
  maxNumBatchedTokens?: number,
): number {
  const a = profile.activation;
  if (a.kind === "per-family") {
    const batched = maxNumBatchedTokens ?? a.referenceBatchedTokens;
    const scale = Math.max(1, batched / a.referenceBatchedTokens);
    return a.gib[activationFamily(model)] * scale;
  }
  const defaultBatch =
    maxModelLen > a.chunkedPrefillAboveTokens ? a.chunkedBatchTokens : Math.max(maxModelLen, 2048);
  const tokens = maxNumBatchedTokens ?? defaultBatch;
  const intermediate = model.moe
    ? model.moe.expertIntermediate * model.moe.expertsPerToken
    : (model.intermediate ?? 4 * model.hidden);
  return (tokens * 2 * (3 * intermediate + 3 * model.hidden)) / 1024 ** 3;
}

/** Non-torch memory per GPU: NCCL buffers and custom all-reduce only exist with TP > 1. */
export function nonTorchGiB(profile: VllmMemoryProfile, tp: number): number {
  return tp > 1 ? profile.nonTorchGiB.tpN : profile.nonTorchGiB.tp1;
}
