/**
 * @module The planner's request and result shapes. Results are plain JSON (numbers, strings,
 * null for "unknown"), so the CLI can print them with `--json` and policy tools can read them.
 */
import type { GpuSpec } from "./catalog/gpus";
import type { ModelSpec } from "./catalog/model-spec";
import type { Engine } from "./catalog/quantizations";
import type { VllmProfileId } from "./vllm-profiles";

/** Hardware one plan runs on: GPUs (one instance or box), or a CPU-only host. */
export type Hardware =
  | {
      readonly kind: "gpu";
      /** The GPU model (see `findGpu`). */
      readonly gpu: GpuSpec;
      /** GPUs in the box / instance. */
      readonly gpusAvailable: number;
      /** Host RAM, GiB, when known (llama.cpp layers left on the CPU live there). */
      readonly hostRamGiB?: number;
      /** Host RAM bandwidth, GB/s, for llama.cpp layers left on the CPU. @default 50 */
      readonly hostMemoryBandwidthGBps?: number;
      /** USD per hour of the box; undefined when unknown (cost fields become null). */
      readonly usdPerHour?: number;
      /** EC2 instance type, for messages. */
      readonly instanceType?: string;
    }
  | {
      readonly kind: "cpu";
      /** Host RAM, GiB. */
      readonly hostRamGiB: number;
      /** Host RAM bandwidth, GB/s: it bounds CPU decode speed. */
      readonly memoryBandwidthGBps: number;
      /** Dense FP32 peak of the CPU, TFLOPS, for the prefill bound. @default 0.9 */
      readonly cpuTflops?: number;
      /** USD per hour of the host; undefined when unknown. */
      readonly usdPerHour?: number;
    };

/** One model to plan. */
export interface PlanModelRequest {
  /** The model (catalog row or `modelFromHfConfig`). */
  readonly model: ModelSpec;
  /** Serving engine. */
  readonly engine: Engine;
  /** Weight format, e.g. "bf16", "awq", "fp8", "Q4_K_M" (case-insensitive). */
  readonly quantization: string;
  /** Where it runs. */
  readonly hardware: Hardware;
  /**
   * GPUs per replica: vLLM tensor-parallel size, or GPUs llama.cpp splits layers over.
   * @default "auto" for vLLM, 1 for llama.cpp
   */
  readonly tp?: number | "auto";
  /** Context per sequence, tokens. @default model max (vLLM) / 4096 (llama.cpp) */
  readonly maxModelLen?: number;
  /** vLLM `--gpu-memory-utilization`. @default 0.9 */
  readonly gpuMemoryUtilization?: number;
  /**
   * KV dtype: vLLM "auto" | "fp8"…, llama.cpp "f16" | "q8_0"…; "auto" = engine default.
   * @default "auto"
   */
  readonly kvCacheDtype?: string;
  /** vLLM `--enforce-eager` (no CUDA graphs). @default false */
  readonly enforceEager?: boolean;
  /** llama.cpp `-ngl`. @default "all" */
  readonly gpuLayers?: number | "all";
  /** llama.cpp `--parallel` slots. @default 4 */
  readonly parallelSlots?: number;
  /** Replicas, each on its own GPUs. @default 1 */
  readonly replicas?: number;
  /** Share of the month spent generating, for cost per 1M tokens. @default 0.5 */
  readonly utilization?: number;
  /** A cloud API's USD per 1M output tokens, to compare against. */
  readonly cloudPriceUsdPer1MOutput?: number;
  /** Which vLLM generation's memory constants apply. @default "v1" */
  readonly vllmProfile?: VllmProfileId;
  /** vLLM `--max-num-batched-tokens`, when set (scales the activation peak). */
  readonly maxNumBatchedTokens?: number;
}

/** The plan for one model. Memory figures are per GPU unless the name says otherwise. */
export interface ModelPlan {
  /** Catalog id of the model. */
  readonly model: string;
  /** Serving engine. */
  readonly engine: Engine;
  /** Canonical quantization id. */
  readonly quantization: string;
  /** Whether every replica starts and holds at least one max-length sequence. */
  readonly fits: boolean;
  /** "fits", or the refusal (vLLM's own wording where vLLM would refuse). */
  readonly reason: string;
  /** vLLM tensor-parallel size (llama.cpp: GPUs the layers are split over; 0 on CPU). */
  readonly tp: number;
  /** GPUs one replica uses. */
  readonly gpusPerReplica: number;
  /** Replicas. */
  readonly replicas: number;
  /** GPUs all replicas use. */
  readonly gpusUsed: number;
  /** Context per sequence, tokens. */
  readonly maxModelLen: number;
  /** Resolved KV dtype name. */
  readonly kvCacheDtype: string;
  /** Weights on one GPU, GiB (vLLM "Model loading took X GiB"; llama.cpp: GPU share / GPUs). */
  readonly weightsGiB: number;
  /** Whole-model weights, GiB. */
  readonly weightsTotalGiB: number;
  /**
   * KV pool on one GPU, GiB (vLLM "Available KV cache memory"; llama.cpp: GPU KV / GPUs).
   * Negative when the model does not fit.
   */
  readonly kvCacheGiB: number;
  /** KV capacity of one replica in tokens (vLLM "GPU KV cache size"; llama.cpp context × slots). */
  readonly kvTokens: number;
  /** Max-length sequences one replica holds at once (kvTokens / maxModelLen; llama.cpp: slots). */
  readonly maxConcurrency: number;
  /** Longest context one replica could hold at this configuration, tokens. */
  readonly maxModelLenPossible: number;
  /** vLLM profiling activation peak per GPU, GiB (0 for llama.cpp). */
  readonly activationGiB: number;
  /** vLLM non-torch memory per GPU, GiB (llama.cpp: compute buffers and CUDA context). */
  readonly overheadGiB: number;
  /** GPU memory left per GPU once one max-length sequence is cached, GiB (host RAM for CPU plans). */
  readonly headroomGiB: number;
  /** Host RAM one replica uses, GiB (llama.cpp layers, KV and runtime on the CPU; 0 for vLLM). */
  readonly hostRamGiB: number;
  /** llama.cpp layers offloaded to the GPU (`-ngl`), or null for vLLM. */
  readonly gpuLayers: number | null;
  /** Upper-bound decode tokens/s of all replicas together at full batch. */
  readonly tokensPerSecond: number;
  /** Upper-bound decode tokens/s one sequence sees at full batch. */
  readonly tokensPerSecondPerSequence: number;
  /** Upper-bound prefill tokens/s of all replicas together. */
  readonly prefillTokensPerSecond: number;
  /** USD per month of the hardware (730 h), or null when its hourly rate is unknown. */
  readonly monthlyUsd: number | null;
  /** USD per 1M output tokens at `utilization`, or null. */
  readonly costPer1MOutputUsd: number | null;
  /** The utilization the cost assumes. */
  readonly utilization: number;
  /** The cloud API price compared against, or null. */
  readonly cloudPer1MOutputUsd: number | null;
  /** Utilization at which self-hosting matches the cloud price per output token, or null. */
  readonly breakEvenUtilization: number | null;
  /** vLLM memory profile used, or null for llama.cpp. */
  readonly vllmProfile: VllmProfileId | null;
  /** Facts worth knowing that do not block the plan (e.g. FP8 runs weight-only on Ampere). */
  readonly notes: string[];
  /** Ways to make a refused plan fit, or to get more out of a fitting one. */
  readonly suggestions: string[];
}
