/**
 * @module `planModel`: does one model fit the hardware, how much KV and throughput does it get,
 * and what does it cost. Validation throws a PlannerError; a valid config that does not fit comes
 * back with `fits: false` and the refusal vLLM (or llama.cpp) would give.
 */
import { round, roundOrNull } from "./_round";
import { breakEvenUtilization, costPer1MOutputUsd, hourlyRate, monthlyCostUsd } from "./cost";
import { planLlamaCpp } from "./llamacpp-plan";
import { resolveRequest } from "./resolve-request";
import type { ModelPlan, PlanModelRequest } from "./types";
import { planVllm } from "./vllm-plan";

/**
 * Plans one model on one box: picks the tensor-parallel size (`tp: "auto"`), sizes weights and KV
 * per GPU the way vLLM / llama.cpp allocate them, and estimates throughput and cost.
 * @throws PlannerError for impossible requests (format/engine mismatch, TP not dividing heads, more
 *   GPUs than the hardware has, unknown names).
 * @example
 * planModel({
 *   model: findModel("qwen2.5-7b")!, engine: "vllm", quantization: "awq", maxModelLen: 8192,
 *   hardware: { kind: "gpu", gpu: findGpu("L4")!, gpusAvailable: 1, instanceType: "g6.xlarge" },
 * });
 */
export function planModel(request: PlanModelRequest): ModelPlan {
  const r = resolveRequest(request);
  const engine = r.engine === "vllm" ? planVllm(r) : planLlamaCpp(r);
  const usdPerHour = hourlyRate(r.hardware);
  const tokensPerSecond = engine.tokensPerSecondPerReplica * r.replicas;
  const cloud = r.cloudPriceUsdPer1MOutput;
  return {
    model: r.model.id,
    engine: r.engine,
    quantization: r.quant.id,
    fits: engine.fits,
    reason: engine.fits ? "fits" : engine.reason,
    tp: engine.tp,
    gpusPerReplica: engine.gpusPerReplica,
    replicas: r.replicas,
    gpusUsed: engine.gpusPerReplica * r.replicas,
    maxModelLen: r.maxModelLen,
    kvCacheDtype: r.kv.name,
    weightsGiB: round(engine.weightsGiB),
    weightsTotalGiB: round(engine.weightsTotalGiB),
    kvCacheGiB: round(engine.kvCacheGiB),
    kvTokens: engine.kvTokens,
    maxConcurrency: engine.maxConcurrency,
    maxModelLenPossible: engine.maxModelLenPossible,
    activationGiB: round(engine.activationGiB),
    overheadGiB: round(engine.overheadGiB),
    headroomGiB: round(engine.headroomGiB),
    hostRamGiB: round(engine.hostRamGiB * r.replicas),
    gpuLayers: engine.gpuLayers,
    tokensPerSecond: round(tokensPerSecond, 1),
    tokensPerSecondPerSequence: round(engine.tokensPerSecondPerSequence, 1),
    prefillTokensPerSecond: round(engine.prefillPerReplica * r.replicas, 0),
    monthlyUsd: roundOrNull(monthlyCostUsd({ usdPerHour })),
    costPer1MOutputUsd: roundOrNull(costPer1MOutputUsd(usdPerHour, tokensPerSecond, r.utilization), 4),
    utilization: r.utilization,
    cloudPer1MOutputUsd: cloud ?? null,
    breakEvenUtilization: roundOrNull(breakEvenUtilization(usdPerHour, tokensPerSecond, cloud), 4),
    vllmProfile: r.engine === "vllm" ? r.profile.id : null,
    notes: [...r.notes, ...engine.notes],
    suggestions: engine.suggestions,
  };
}
