/**
 * @module llama.cpp memory budget: `-ngl` offloads repeating layers (plus the output layer as
 * layer L+1) to the GPU, each layer's KV lives with it, the token embedding stays in host RAM, and
 * the KV cache holds `-c` = context × parallel slots tokens, f16 unless `-ctk/-ctv` say otherwise.
 * CPU-only hardware puts everything in host RAM.
 */
import type { ModelSpec } from "./catalog/model-spec";
import { GIB, LLAMACPP_GPU_OVERHEAD_GIB, LLAMACPP_HOST_OVERHEAD_GIB } from "./constants";
import { kvBytesPerToken } from "./kv-cache";

/** Inputs of one llama-server's budget. */
export interface LlamaCppBudgetInput {
  /** The model being served. */
  readonly model: ModelSpec;
  /** GGUF effective bits per weight (whole file). */
  readonly bitsPerWeight: number;
  /** Layers to offload: a count (`-ngl N`) or "all"; ignored without a GPU. */
  readonly gpuLayers: number | "all";
  /** Tokens of context per slot. */
  readonly contextPerSlot: number;
  /** `--parallel` slots; the KV cache holds `contextPerSlot × slots` tokens. */
  readonly slots: number;
  /** KV bytes per element (`-ctk/-ctv`: f16 2, q8_0 1.0625). */
  readonly kvBytesPerElement: number;
  /** GPU memory llama.cpp may use across its GPUs, GiB; 0 for CPU-only hardware. */
  readonly gpuCapacityGiB: number;
  /** GPUs the layers are split over (`--split-mode layer`). */
  readonly gpuCount: number;
  /** Host RAM available, GiB, when known. */
  readonly hostRamGiB?: number;
}

/** One llama-server's memory plan. */
export interface LlamaCppBudget {
  /** Layers offloaded to the GPU (0 … layers+1; layers+1 includes the output layer). */
  readonly gpuLayers: number;
  /** Weights on the GPU(s), GiB. */
  readonly gpuWeightsGiB: number;
  /** KV cache on the GPU(s), GiB. */
  readonly gpuKvGiB: number;
  /** GPU memory needed, overhead included, GiB. */
  readonly gpuNeededGiB: number;
  /** Weights read from host RAM, GiB. */
  readonly hostWeightsGiB: number;
  /** KV cache in host RAM, GiB. */
  readonly hostKvGiB: number;
  /** Host RAM needed, overhead included, GiB. */
  readonly hostRamNeededGiB: number;
  /** Tokens the KV cache holds (context × slots). */
  readonly kvTokens: number;
  /** Most layers (count for `-ngl`) whose weights and KV fit on the GPU(s). */
  readonly maxGpuLayersThatFit: number;
  /** Whether llama-server would load and allocate its context. */
  readonly fits: boolean;
  /** Empty when it fits; otherwise what does not fit and how to fix it. */
  readonly reason: string;
}

/** Computes where llama.cpp puts weights and KV, and whether that fits. */
export function llamaCppBudget(input: LlamaCppBudgetInput): LlamaCppBudget {
  const m = input.model;
  const bytesPerParam = input.bitsPerWeight / 8;
  const embedParams = m.vocab * m.hidden;
  const layerParams = (m.paramsTotal - embedParams * (m.tiedEmbeddings ? 1 : 2) - m.hidden) / m.layers;
  const hasGpu = input.gpuCapacityGiB > 0;
  const requested = input.gpuLayers === "all" ? m.layers + 1 : input.gpuLayers;
  const offloaded = hasGpu ? Math.min(Math.max(0, Math.floor(requested)), m.layers + 1) : 0;
  const repeatingOnGpu = Math.min(offloaded, m.layers);
  const outputOnGpu = offloaded > m.layers;

  const kvTokens = input.contextPerSlot * input.slots;
  const kvPerToken = kvBytesPerToken(m, { bytesPerElement: input.kvBytesPerElement });
  const kvPerLayer = (kvPerToken / m.layers) * kvTokens;
  const gpuWeights = (repeatingOnGpu * layerParams + (outputOnGpu ? embedParams : 0)) * bytesPerParam;
  // The input embedding always stays on the host; an untied output matrix stays there until offloaded.
  const hostOutput = !outputOnGpu && !m.tiedEmbeddings ? embedParams : 0;
  const hostParams = embedParams + (m.layers - repeatingOnGpu) * layerParams + hostOutput + m.hidden;
  const hostWeights = hostParams * bytesPerParam;
  const gpuKv = repeatingOnGpu * kvPerLayer;
  const hostKv = (m.layers - repeatingOnGpu) * kvPerLayer;
  const gpuOverhead = hasGpu ? LLAMACPP_GPU_OVERHEAD_GIB * input.gpuCount : 0;
  const gpuNeededGiB = (gpuWeights + gpuKv) / GIB + (offloaded > 0 ? gpuOverhead : 0);
  const hostRamNeededGiB = (hostWeights + hostKv) / GIB + LLAMACPP_HOST_OVERHEAD_GIB;

  const perLayerGiB = (layerParams * bytesPerParam + kvPerLayer) / GIB;
  const spareGiB = input.gpuCapacityGiB - gpuOverhead;
  const outputGiB = (embedParams * bytesPerParam) / GIB;
  const maxGpuLayersThatFit =
    !hasGpu || spareGiB <= 0 ? 0 : fittingLayers(m, spareGiB, perLayerGiB, outputGiB);

  const budget = {
    gpuLayers: offloaded,
    gpuWeightsGiB: gpuWeights / GIB,
    gpuKvGiB: gpuKv / GIB,
    gpuNeededGiB,
    hostWeightsGiB: hostWeights / GIB,
    hostKvGiB: hostKv / GIB,
    hostRamNeededGiB,
    kvTokens,
    maxGpuLayersThatFit,
  };
  const problems: string[] = [];
  if (hasGpu && gpuNeededGiB > input.gpuCapacityGiB) {
    problems.push(
      `llama.cpp needs ${fmt(gpuNeededGiB)} GiB of GPU memory for ${offloaded} offloaded layers ` +
        `(weights ${fmt(gpuWeights / GIB)} + KV ${fmt(gpuKv / GIB)} for ${kvTokens} tokens + ` +
        `compute ${fmt(gpuOverhead)}) but has ${fmt(input.gpuCapacityGiB)} GiB. ` +
        `Set gpuLayers to ${maxGpuLayersThatFit} or fewer (the rest runs on the CPU, slower), ` +
        "pick a smaller quantization, or lower maxModelLen / parallelSlots.",
    );
  }
  if (input.hostRamGiB !== undefined && hostRamNeededGiB > input.hostRamGiB) {
    problems.push(
      `llama.cpp needs ${fmt(hostRamNeededGiB)} GiB of host RAM ` +
        `(weights ${fmt(hostWeights / GIB)} + KV ${fmt(hostKv / GIB)} for ${kvTokens} tokens + ` +
        `${fmt(LLAMACPP_HOST_OVERHEAD_GIB)} runtime) but the host has ${fmt(input.hostRamGiB)} GiB. ` +
        "Pick a smaller quantization or model, lower maxModelLen / parallelSlots" +
        (hasGpu ? ", or offload more layers to the GPU." : ", or add RAM."),
    );
  }
  return { ...budget, fits: problems.length === 0, reason: problems.join(" ") };
}

/** Largest `-ngl` whose repeating layers (and output layer, when all fit) stay within `spareGiB`. */
function fittingLayers(m: ModelSpec, spareGiB: number, perLayerGiB: number, outputGiB: number): number {
  const repeating = Math.min(m.layers, Math.floor(spareGiB / perLayerGiB));
  if (repeating === m.layers && m.layers * perLayerGiB + outputGiB <= spareGiB) return m.layers + 1;
  return repeating;
}

function fmt(gib: number): string {
  return gib.toFixed(2);
}
