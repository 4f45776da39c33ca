/**
 * @module Weight memory by quantization (planner-notes.md §2.2). vLLM checkpoints (AWQ, GPTQ, FP8)
 * keep embeddings and lm_head in 16 bit and quantize the linear layers; MXFP4 quantizes only the
 * MoE experts; GGUF sizes are whole-file effective bits per weight. vLLM shards every weight,
 * embeddings included, across TP ranks.
 */
import type { ModelSpec } from "./catalog/model-spec";
import { countEmbeddingParams, countExpertParams } from "./catalog/param-count";
import { findQuantization, QUANTIZATION_IDS, type QuantizationSpec } from "./catalog/quantizations";
import { GIB } from "./constants";
import { PlannerError } from "./planner-error";
import { nearestNames } from "../util/nearest";

/** Weight memory of one model in one format. */
export interface WeightsEstimate {
  /** Canonical quantization id. */
  readonly quantization: string;
  /** Bytes of the whole model (all replicas' shards together). */
  readonly totalBytes: number;
  /** GiB of the whole model. */
  readonly totalGiB: number;
  /** Parameters stored at the quantized width (the rest stay 16 bit). */
  readonly quantizedParams: number;
  /** Parameters kept in 16 bit (embeddings, lm_head; everything but experts for MXFP4). */
  readonly sixteenBitParams: number;
}

/**
 * Looks a quantization up by id, case-insensitively.
 * @throws PlannerError with the nearest names when unknown.
 */
export function requireQuantization(id: string, field = "quantization"): QuantizationSpec {
  const spec = findQuantization(id);
  if (spec) return spec;
  throw new PlannerError({
    field,
    problem: `unknown quantization "${id}"`,
    value: id,
    allowed: `did you mean ${nearestNames(id, QUANTIZATION_IDS).join(", ")}?`,
    fix: `Use one of ${QUANTIZATION_IDS.join(", ")}.`,
  });
}

/** Weight bytes of the whole model stored in `quant`. */
export function estimateWeights(model: ModelSpec, quant: QuantizationSpec): WeightsEstimate {
  let sixteenBitParams = 0;
  if (quant.embeddingsStay16Bit && quant.bitsPerWeight < 16) {
    sixteenBitParams =
      quant.id === "mxfp4" && model.moe
        ? model.paramsTotal - countExpertParams(model)
        : countEmbeddingParams(model);
  }
  const quantizedParams = model.paramsTotal - sixteenBitParams;
  const totalBytes = sixteenBitParams * 2 + (quantizedParams * quant.bitsPerWeight) / 8;
  return {
    quantization: quant.id,
    totalBytes,
    totalGiB: totalBytes / GIB,
    quantizedParams,
    sixteenBitParams,
  };
}

/** Weight GiB one GPU holds when the model is sharded over `tp` GPUs (vLLM tensor parallel). */
export function weightsPerGpuGiB(model: ModelSpec, quant: QuantizationSpec, tp = 1): number {
  return estimateWeights(model, quant).totalGiB / tp;
}

/** Bytes of the weights one decoded token touches: active parameters only for MoE. */
export function activeWeightBytes(model: ModelSpec, estimate: WeightsEstimate): number {
  return estimate.totalBytes * (model.paramsActive / model.paramsTotal);
}
