/**
 * @module Validates a PlanModelRequest and applies the planner's defaults in one place (STYLE R4,
 * R5): impossible combinations throw a PlannerError; legal-but-notable ones become notes.
 */
import type { ModelSpec } from "./catalog/model-spec";
import {
  ENGINES,
  GGUF_QUANTIZATIONS,
  VLLM_QUANTIZATIONS,
  type Engine,
  type QuantizationSpec,
} from "./catalog/quantizations";
import {
  DEFAULT_GPU_MEMORY_UTILIZATION,
  DEFAULT_LLAMACPP_CONTEXT,
  DEFAULT_LLAMACPP_PARALLEL_SLOTS,
  DEFAULT_UTILIZATION,
} from "./constants";
import { assertUtilization } from "./cost";
import { resolveKvCacheDtype } from "./kv-cache";
import { assertGpuCount, assertTensorParallel } from "./parallelism";
import { PlannerError } from "./planner-error";
import type { Hardware, PlanModelRequest } from "./types";
import {
  DEFAULT_VLLM_PROFILE,
  VLLM_MEMORY_PROFILES,
  VLLM_PROFILE_IDS,
  type VllmMemoryProfile,
} from "./vllm-profiles";
import { requireQuantization } from "./weights";
import { nearestNames } from "../util/nearest";

/** A request with every default applied and every field checked (see PlanModelRequest). @internal */
export interface ResolvedRequest {
  readonly model: ModelSpec;
  readonly engine: Engine;
  readonly quant: QuantizationSpec;
  readonly hardware: Hardware;
  readonly tp: number | "auto";
  readonly maxModelLen: number;
  readonly gpuMemoryUtilization: number;
  readonly kv: { readonly name: string; readonly bytesPerElement: number };
  readonly enforceEager: boolean;
  readonly gpuLayers: number | "all";
  readonly parallelSlots: number;
  readonly replicas: number;
  readonly utilization: number;
  readonly cloudPriceUsdPer1MOutput: number | undefined;
  readonly profile: VllmMemoryProfile;
  readonly maxNumBatchedTokens: number | undefined;
  readonly notes: string[];
}

function positiveInteger(field: string, value: number, allowed: string, fix: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new PlannerError({ field, problem: "must be a positive integer", value, allowed, fix });
  }
}

function checkEngineAndFormat(req: PlanModelRequest, quant: QuantizationSpec): void {
  if (!ENGINES.includes(req.engine)) {
    throw new PlannerError({
      field: "engine",
      problem: `unknown engine "${req.engine}"`,
      value: req.engine,
      allowed: `one of ${ENGINES.join(", ")}`,
      fix: "Use vllm for Hugging Face checkpoints on GPUs, llamacpp for GGUF files (GPU or CPU).",
    });
  }
  if (quant.engines.includes(req.engine)) return;
  const gguf = GGUF_QUANTIZATIONS.map((q) => q.id).join(", ");
  const hf = VLLM_QUANTIZATIONS.map((q) => q.id).join(", ");
  throw new PlannerError({
    field: "quantization",
    problem:
      req.engine === "llamacpp"
        ? `"${quant.id}" is a Hugging Face checkpoint format that llama.cpp cannot load`
        : `"${quant.id}" is a GGUF type; vLLM here serves Hugging Face checkpoints`,
    value: req.quantization,
    allowed: req.engine === "llamacpp" ? `llama.cpp loads GGUF: ${gguf}` : `vLLM formats: ${hf}`,
    fix:
      req.engine === "llamacpp"
        ? "Pick a GGUF quantization such as Q4_K_M, or switch the engine to vllm."
        : "Pick a vLLM format such as awq or fp8, or switch the engine to llamacpp.",
  });
}

function checkHardware(req: PlanModelRequest): void {
  const hw = req.hardware;
  if (hw.kind === "cpu") {
    if (req.engine === "vllm") {
      throw new PlannerError({
        field: "engine",
        problem: "vLLM needs a GPU but the hardware is CPU-only",
        value: req.engine,
        allowed: "llamacpp on CPU-only hardware",
        fix: "Use engine llamacpp with a GGUF quantization (e.g. Q4_K_M), or plan on GPU hardware.",
      });
    }
    if (!(hw.hostRamGiB > 0) || !(hw.memoryBandwidthGBps > 0)) {
      throw new PlannerError({
        field: "hardware",
        problem: "CPU hardware needs hostRamGiB and memoryBandwidthGBps above 0",
        value: `${hw.hostRamGiB} GiB, ${hw.memoryBandwidthGBps} GB/s`,
        allowed: "positive numbers",
        fix: "Give the host's RAM in GiB and its memory bandwidth (≈50 GB/s for dual-channel DDR4/5).",
      });
    }
    return;
  }
  const fix = "Count the GPUs in the box or instance.";
  positiveInteger("hardware.gpusAvailable", hw.gpusAvailable, "1 or more GPUs", fix);
}

function resolveProfile(id: string | undefined): VllmMemoryProfile {
  const name = id ?? DEFAULT_VLLM_PROFILE;
  const profile = (VLLM_MEMORY_PROFILES as Record<string, VllmMemoryProfile>)[name];
  if (profile) return profile;
  throw new PlannerError({
    field: "vllmProfile",
    problem: `unknown vLLM memory profile "${name}"`,
    value: name,
    allowed: `did you mean ${nearestNames(name, VLLM_PROFILE_IDS).join(", ")}?`,
    fix: `Use one of ${VLLM_PROFILE_IDS.join(", ")} ("v1" for current vLLM).`,
  });
}

function hardwareNotes(req: PlanModelRequest, quant: QuantizationSpec, kvName: string): string[] {
  const notes: string[] = [];
  const hw = req.hardware;
  if (req.engine !== "vllm" || hw.kind !== "gpu") return notes;
  const gpu = `${hw.gpu.id} (CC ${hw.gpu.computeCapability})`;
  if ((quant.id === "fp8" || quant.id === "w8a8") && !hw.gpu.supportsFp8) {
    notes.push(
      `${gpu} has no FP8 tensor cores: vLLM runs ${quant.id} weights weight-only (Marlin W8A16), ` +
        "same memory, slower prefill.",
    );
  }
  if (quant.id === "bf16" && !hw.gpu.supportsBf16) {
    notes.push(`${hw.gpu.id} has no BF16: vLLM falls back to fp16 (--dtype half), same memory.`);
  }
  if (kvName.startsWith("fp8") && !hw.gpu.supportsFp8) {
    notes.push(`fp8 KV cache on ${gpu} depends on the attention backend; check your vLLM version.`);
  }
  if (req.model.nativeQuantization && req.model.nativeQuantization !== quant.id) {
    const native = req.model.nativeQuantization;
    notes.push(`${req.model.id} ships as ${native}; vLLM loads the checkpoint as published.`);
  }
  return notes;
}

function resolveMaxModelLen(req: PlanModelRequest, notes: string[]): number {
  const model = req.model;
  const limit = model.maxPositionEmbeddings;
  const maxModelLen =
    req.maxModelLen ?? (req.engine === "vllm" ? limit : Math.min(DEFAULT_LLAMACPP_CONTEXT, limit));
  positiveInteger("maxModelLen", maxModelLen, `1–${limit} tokens`, "Give the context per sequence in tokens.");
  if (maxModelLen <= limit) return maxModelLen;
  if (req.engine === "vllm") {
    throw new PlannerError({
      field: "maxModelLen",
      problem: `${model.id} was built for ${limit} tokens and vLLM refuses a longer max_model_len`,
      value: maxModelLen,
      allowed: `at most ${limit}`,
      fix: "Lower maxModelLen, or enable RoPE scaling (YaRN) in the model config first.",
    });
  }
  notes.push(
    `maxModelLen ${maxModelLen} exceeds the ${limit} tokens ${model.id} was trained for; ` +
      "quality degrades without RoPE scaling.",
  );
  return maxModelLen;
}

function resolveGpuMemoryUtilization(value: number | undefined): number {
  const gmu = value ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  if (gmu > 0 && gmu <= 1) return gmu;
  throw new PlannerError({
    field: "gpuMemoryUtilization",
    problem: "must be a share of GPU memory",
    value: gmu,
    allowed: "0 < gpuMemoryUtilization ≤ 1",
    fix: `Use ${DEFAULT_GPU_MEMORY_UTILIZATION} (vLLM's default) unless other processes share the GPU.`,
  });
}

function resolveGpuLayers(value: number | "all" | undefined, model: ModelSpec): number | "all" {
  const gpuLayers = value ?? "all";
  if (gpuLayers === "all" || (Number.isInteger(gpuLayers) && gpuLayers >= 0)) return gpuLayers;
  throw new PlannerError({
    field: "gpuLayers",
    problem: 'must be a layer count or "all"',
    value: gpuLayers,
    allowed: `0–${model.layers + 1} or "all"`,
    fix: 'Use "all" to offload every layer, or a count for partial offload.',
  });
}

function resolveTp(req: PlanModelRequest, replicas: number): number | "auto" {
  const tp = req.tp ?? (req.engine === "vllm" ? "auto" : 1);
  const hw = req.hardware;
  if (tp === "auto" || hw.kind !== "gpu") return tp;
  if (req.engine === "vllm") {
    assertTensorParallel(req.model, tp, hw.gpusAvailable, replicas);
  } else {
    positiveInteger("tp", tp, `1–${hw.gpusAvailable}`, "llama.cpp splits layers over this many GPUs.");
    assertGpuCount(tp, replicas, hw.gpusAvailable);
  }
  return tp;
}

/**
 * Checks a request and fills its defaults.
 * @throws PlannerError for impossible combinations.
 * @internal
 */
export function resolveRequest(req: PlanModelRequest): ResolvedRequest {
  const quant = requireQuantization(req.quantization);
  checkEngineAndFormat(req, quant);
  checkHardware(req);
  const notes: string[] = [];
  const maxModelLen = resolveMaxModelLen(req, notes);
  const replicas = req.replicas ?? 1;
  positiveInteger("replicas", replicas, "1 or more", "Use 1 unless you want copies for throughput.");
  const parallelSlots = req.parallelSlots ?? DEFAULT_LLAMACPP_PARALLEL_SLOTS;
  positiveInteger("parallelSlots", parallelSlots, "1 or more", "Use 1–8 llama-server slots.");
  const utilization = req.utilization ?? DEFAULT_UTILIZATION;
  assertUtilization(utilization);
  const kv = resolveKvCacheDtype(req.engine, req.kvCacheDtype);
  notes.push(...hardwareNotes(req, quant, kv.name));
  return {
    model: req.model,
    engine: req.engine,
    quant,
    hardware: req.hardware,
    tp: resolveTp(req, replicas),
    maxModelLen,
    gpuMemoryUtilization: resolveGpuMemoryUtilization(req.gpuMemoryUtilization),
    kv,
    enforceEager: req.enforceEager ?? false,
    gpuLayers: resolveGpuLayers(req.gpuLayers, req.model),
    parallelSlots,
    replicas,
    utilization,
    cloudPriceUsdPer1MOutput: req.cloudPriceUsdPer1MOutput,
    profile: resolveProfile(req.vllmProfile),
    maxNumBatchedTokens: req.maxNumBatchedTokens,
    notes,
  };
}
