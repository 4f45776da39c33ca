/**
 * @module The planner's public surface (STYLE R14: named exports only). Pure functions over plain
 * data: catalogs, memory budgets, throughput and cost. No I/O.
 */
export { findGpu, GPU_IDS, GPUS, type GpuSpec } from "./catalog/gpus";
export {
  findInstance,
  INSTANCE_TYPES,
  INSTANCES,
  PRICE_SNAPSHOT,
  type InstanceSpec,
} from "./catalog/instances";
export { findModel, MODEL_IDS, MODELS, modelFromHfConfig, modelNames } from "./catalog/models";
export type { MlaSpec, ModelSpec, MoeSpec } from "./catalog/model-spec";
export { countActiveParams, countParams } from "./catalog/param-count";
export {
  ENGINES,
  findQuantization,
  KV_CACHE_DTYPES,
  QUANTIZATION_IDS,
  QUANTIZATIONS,
  type Engine,
  type QuantizationSpec,
} from "./catalog/quantizations";
export {
  CUDA_GRAPH_MARGIN_GIB,
  CUDA_GRAPH_RESERVE_GIB,
  DEFAULT_GPU_MEMORY_UTILIZATION,
  DEFAULT_LLAMACPP_CONTEXT,
  DEFAULT_LLAMACPP_PARALLEL_SLOTS,
  DEFAULT_UTILIZATION,
  GIB,
  GP3_USD_PER_GB_MONTH,
  HOURS_PER_MONTH,
  KV_BLOCK_SIZE,
  MBU,
  MFU,
  TP_EFFICIENCY,
} from "./constants";
export {
  breakEvenUtilization,
  costPer1MOutputUsd,
  hourlyRate,
  monthlyCostUsd,
  type MonthlyCostInput,
} from "./cost";
export {
  DEFAULT_KV_CACHE_DTYPE,
  kvBytesPerSequence,
  kvBytesPerToken,
  kvHeadsPerGpu,
  kvTokensFor,
  resolveKvCacheDtype,
  roundUpToBlock,
} from "./kv-cache";
export { llamaCppBudget, type LlamaCppBudget, type LlamaCppBudgetInput } from "./llamacpp-budget";
export {
  assertTensorParallel,
  chooseTensorParallel,
  headsDivisibilityMessage,
  isKvHeadFriendly,
  isValidTensorParallel,
  validTensorParallelSizes,
} from "./parallelism";
export { planModel } from "./plan-model";
export {
  planStack,
  type PlanStackInput,
  type StackModelPlan,
  type StackModelRequest,
  type StackPlan,
} from "./plan-stack";
export { PlannerError } from "./planner-error";
export {
  estimateDecode,
  estimatePrefill,
  type DecodeEstimate,
  type DecodeInput,
  type MemoryTier,
} from "./throughput";
export type { Hardware, ModelPlan, PlanModelRequest } from "./types";
export { vllmBudget, type VllmBudget, type VllmBudgetInput } from "./vllm-budget";
export {
  activationFamily,
  activationPeakGiB,
  DEFAULT_VLLM_PROFILE,
  VLLM_MEMORY_PROFILES,
  VLLM_PROFILE_IDS,
  type ActivationFamily,
  type VllmMemoryProfile,
  type VllmProfileId,
} from "./vllm-profiles";
export {
  activeWeightBytes,
  estimateWeights,
  requireQuantization,
  weightsPerGpuGiB,
  type WeightsEstimate,
} from "./weights";
