/**
 * @module Plans one llama.cpp model on a GPU box (full or partial `-ngl` offload) or on a CPU-only
 * host, where decode speed is bounded by host memory bandwidth.
 */
import {
  DECODE_CONTEXT_SHARE,
  DEFAULT_CPU_TFLOPS,
  DEFAULT_HOST_MEMORY_BANDWIDTH_GBPS,
  GIB,
  LLAMACPP_GPU_OVERHEAD_GIB,
  LLAMACPP_HOST_OVERHEAD_GIB,
  MBU,
} from "./constants";
import { kvBytesPerToken } from "./kv-cache";
import { llamaCppBudget, type LlamaCppBudget } from "./llamacpp-budget";
import type { ResolvedRequest } from "./resolve-request";
import { estimateDecode, estimatePrefill, type MemoryTier } from "./throughput";
import type { EnginePlan } from "./vllm-plan";
import { estimateWeights } from "./weights";

/** The memory tiers one decode step reads: offloaded layers on the GPU, the rest in host RAM. */
function decodeTiers(r: ResolvedRequest, budget: LlamaCppBudget, cpuTflops: number): MemoryTier[] {
  const hw = r.hardware;
  const layers = r.model.layers;
  const gpuShare = Math.min(budget.gpuLayers, layers) / layers;
  const activeShare = r.model.paramsActive / r.model.paramsTotal;
  const kvPerToken = kvBytesPerToken(r.model, { bytesPerElement: r.kv.bytesPerElement });
  const tiers: MemoryTier[] = [];
  if (hw.kind === "gpu" && budget.gpuLayers > 0) {
    tiers.push({
      weightBytes: budget.gpuWeightsGiB * GIB * activeShare,
      kvBytesPerToken: kvPerToken * gpuShare,
      bandwidthGBps: hw.gpu.bandwidthGBps,
      mbu: MBU.llamacpp,
      tflops: hw.gpu.fp16Tflops ?? hw.gpu.bf16Tflops ?? 0,
      flopShare: gpuShare,
    });
  }
  if (gpuShare < 1) {
    const hostBandwidth =
      hw.kind === "cpu" ? hw.memoryBandwidthGBps : (hw.hostMemoryBandwidthGBps ?? DEFAULT_HOST_MEMORY_BANDWIDTH_GBPS);
    tiers.push({
      // Only repeating layers left on the CPU are read per token; the token embedding is a lookup.
      weightBytes: (1 - gpuShare) * estimateWeights(r.model, r.quant).totalBytes * activeShare,
      kvBytesPerToken: kvPerToken * (1 - gpuShare),
      bandwidthGBps: hostBandwidth,
      mbu: MBU.cpu,
      tflops: cpuTflops,
      flopShare: 1 - gpuShare,
    });
  }
  return tiers;
}

/** Plans a llama-server replica. @internal (use planModel) */
export function planLlamaCpp(r: ResolvedRequest): EnginePlan {
  const hw = r.hardware;
  // gpuLayers 0 (-ngl 0) keeps the whole model on the CPU: it takes no GPU, even on a GPU host.
  const onGpu = hw.kind === "gpu" && r.gpuLayers !== 0;
  const gpuCount = onGpu ? (r.tp === "auto" ? 1 : r.tp) : 0;
  const gpuCapacityGiB = onGpu ? hw.gpu.cudaVisibleGiB * gpuCount : 0;
  // Replicas on one host share its RAM.
  const hostRamPerReplica = hw.hostRamGiB === undefined ? undefined : hw.hostRamGiB / r.replicas;
  const budget = llamaCppBudget({
    model: r.model,
    bitsPerWeight: r.quant.bitsPerWeight,
    gpuLayers: r.gpuLayers,
    contextPerSlot: r.maxModelLen,
    slots: r.parallelSlots,
    kvBytesPerElement: r.kv.bytesPerElement,
    gpuCapacityGiB,
    gpuCount,
    ...(hostRamPerReplica !== undefined ? { hostRamGiB: hostRamPerReplica } : {}),
  });
  const cpuTflops = hw.kind === "cpu" ? (hw.cpuTflops ?? DEFAULT_CPU_TFLOPS) : DEFAULT_CPU_TFLOPS;
  const decode = estimateDecode({
    tiers: decodeTiers(r, budget, cpuTflops),
    batch: r.parallelSlots,
    avgContext: r.maxModelLen * DECODE_CONTEXT_SHARE,
    activeParams: r.model.paramsActive,
    parallelDevices: 1,
  });
  const allOnGpu = onGpu && budget.gpuLayers > r.model.layers;
  const prefillTflops = allOnGpu ? (hw.gpu.fp16Tflops ?? hw.gpu.bf16Tflops ?? 0) : cpuTflops;
  const embeddings = r.model.role === "embeddings";
  const notes: string[] = [];
  if (onGpu && !allOnGpu) {
    notes.push(
      `${budget.gpuLayers}/${r.model.layers + 1} layers on the GPU; the rest run on the CPU at host memory speed.`,
    );
  }
  const suggestions: string[] = [];
  if (!budget.fits && onGpu && budget.maxGpuLayersThatFit < budget.gpuLayers) {
    suggestions.push(`gpuLayers ${budget.maxGpuLayersThatFit} fits on the GPU (partial offload, slower decode).`);
  }
  if (r.kv.name === "f16" && !embeddings) {
    suggestions.push("kvCacheDtype q8_0 halves the KV cache (-ctk q8_0 -ctv q8_0).");
  }
  const perGpu = Math.max(1, gpuCount);
  const hostHeadroom = hostRamPerReplica === undefined ? 0 : hostRamPerReplica - budget.hostRamNeededGiB;
  const generates = budget.fits && !embeddings;
  return {
    tp: gpuCount,
    gpusPerReplica: gpuCount,
    fits: budget.fits,
    reason: budget.reason,
    weightsGiB: onGpu ? budget.gpuWeightsGiB / perGpu : 0,
    weightsTotalGiB: budget.gpuWeightsGiB + budget.hostWeightsGiB,
    kvCacheGiB: onGpu ? budget.gpuKvGiB / perGpu : 0,
    kvTokens: embeddings ? 0 : budget.kvTokens,
    maxConcurrency: budget.fits ? r.parallelSlots : 0,
    maxModelLenPossible: r.maxModelLen,
    activationGiB: 0,
    overheadGiB: onGpu ? LLAMACPP_GPU_OVERHEAD_GIB : LLAMACPP_HOST_OVERHEAD_GIB,
    headroomGiB: onGpu ? (gpuCapacityGiB - budget.gpuNeededGiB) / perGpu : hostHeadroom,
    hostRamGiB: budget.hostRamNeededGiB,
    gpuLayers: onGpu ? budget.gpuLayers : 0,
    // Embedding models generate nothing: their throughput is the prefill bound.
    tokensPerSecondPerReplica: generates ? decode.aggregate : 0,
    tokensPerSecondPerSequence: generates ? decode.perSequence : 0,
    prefillPerReplica: budget.fits ? estimatePrefill(r.model.paramsActive, prefillTflops, 1) : 0,
    notes,
    suggestions,
  };
}
