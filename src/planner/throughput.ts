/**
 * @module Throughput upper bounds (planner-notes.md §3). Decode is a roofline: each step streams
 * the touched weights plus every running sequence's KV at `bandwidth × MBU`, or is bounded by
 * compute at `2 · activeParams · batch` FLOPs; prefill is compute-bound at `peak × MFU`. MoE models
 * use active parameters. TP adds bandwidth and compute with an efficiency factor.
 */
import { MFU, TP_EFFICIENCY } from "./constants";

/** One memory tier a decode step reads (GPU memory, or host RAM for llama.cpp layers on the CPU). */
export interface MemoryTier {
  /** Bytes read from this tier per decode step for weights (per device when sharded). */
  readonly weightBytes: number;
  /** KV bytes per token of context stored in this tier (per device when sharded). */
  readonly kvBytesPerToken: number;
  /** Peak bandwidth, GB/s. */
  readonly bandwidthGBps: number;
  /** Achieved / peak bandwidth. */
  readonly mbu: number;
  /** Dense peak TFLOPS of the processor attached to this tier, for the compute bound. */
  readonly tflops: number;
  /** Share of the model's FLOPs done on this tier (layers offloaded there), 0–1. */
  readonly flopShare: number;
}

/** Decode step inputs. */
export interface DecodeInput {
  /** Memory tiers read in sequence each step (one for vLLM; GPU then host for partial offload). */
  readonly tiers: readonly MemoryTier[];
  /** Sequences decoded together. */
  readonly batch: number;
  /** Average context each sequence holds, tokens. */
  readonly avgContext: number;
  /** Active parameters per token (all of them for dense models). */
  readonly activeParams: number;
  /** Devices each tier is sharded over in parallel (vLLM TP); 1 for llama.cpp's layer split. */
  readonly parallelDevices: number;
}

/** Decode estimate. */
export interface DecodeEstimate {
  /** Tokens per second summed over the batch. */
  readonly aggregate: number;
  /** Tokens per second one sequence sees. */
  readonly perSequence: number;
  /** Which bound set the step time. */
  readonly bound: "memory" | "compute";
}

/** Effective speed-up of `devices` GPUs working on one step (all-reduce overhead above 1). */
export function parallelSpeedup(devices: number): number {
  return devices > 1 ? devices * TP_EFFICIENCY : 1;
}

/** Upper-bound decode throughput for one replica. */
export function estimateDecode(input: DecodeInput): DecodeEstimate {
  const batch = Math.max(1, input.batch);
  const speedup = parallelSpeedup(input.parallelDevices);
  let memorySeconds = 0;
  let computeSeconds = 0;
  for (const tier of input.tiers) {
    const bytes = tier.weightBytes + batch * input.avgContext * tier.kvBytesPerToken;
    // Sharded tiers are read by every device at once, so per-device bytes over per-device bandwidth.
    memorySeconds += bytes / (tier.bandwidthGBps * 1e9 * tier.mbu) / (speedup / input.parallelDevices);
    if (tier.tflops > 0) {
      const flops = 2 * input.activeParams * batch * tier.flopShare;
      computeSeconds += flops / (tier.tflops * 1e12 * MFU * speedup);
    }
  }
  const step = Math.max(memorySeconds, computeSeconds);
  return {
    aggregate: batch / step,
    perSequence: 1 / step,
    bound: computeSeconds > memorySeconds ? "compute" : "memory",
  };
}

/**
 * Upper-bound prefill throughput, tokens/s: `peak × MFU × speedup / (2 · activeParams)`. Ignores the
 * quadratic attention term, so it is optimistic for long prompts.
 */
export function estimatePrefill(activeParams: number, tflops: number, parallelDevices: number): number {
  if (tflops <= 0) return 0;
  return (tflops * 1e12 * MFU * parallelSpeedup(parallelDevices)) / (2 * activeParams);
}
