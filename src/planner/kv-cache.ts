/**
 * @module KV-cache sizing the way the engines allocate it (planner-notes.md §2.1): vLLM splits KV
 * heads across TP ranks (`max(1, n_kv // tp)`, replicated beyond that), keeps one latent per token
 * for MLA whatever the TP, and rounds each sequence up to 16-token blocks.
 */
import type { ModelSpec } from "./catalog/model-spec";
import { KV_CACHE_DTYPES, type Engine } from "./catalog/quantizations";
import { KV_BLOCK_SIZE } from "./constants";
import { PlannerError } from "./planner-error";

/** The KV dtype each engine uses when none is given: vLLM "auto" (= model dtype), llama.cpp f16. */
export const DEFAULT_KV_CACHE_DTYPE: Readonly<Record<Engine, string>> = {
  vllm: "auto",
  llamacpp: "f16",
};

/**
 * Resolves a KV-cache dtype name for an engine ("auto" → the engine default) and returns its
 * canonical name and bytes per element. vLLM "auto" is 2 bytes: the planner assumes 16-bit models.
 * @throws PlannerError when the engine has no such cache type.
 */
export function resolveKvCacheDtype(
  engine: Engine,
  dtype: string | undefined,
  field = "kvCacheDtype",
): { name: string; bytesPerElement: number } {
  const table: Record<string, number> = KV_CACHE_DTYPES[engine];
  const wanted = (dtype ?? "auto").trim().toLowerCase();
  const name = wanted === "auto" ? DEFAULT_KV_CACHE_DTYPE[engine] : wanted;
  const bytes = table[name];
  if (bytes === undefined) {
    const flag = engine === "vllm" ? "--kv-cache-dtype" : "-ctk/-ctv";
    throw new PlannerError({
      field,
      problem: `${engine} has no KV-cache dtype "${dtype}" (${flag})`,
      value: dtype,
      allowed: `one of ${[...new Set(["auto", ...Object.keys(table)])].join(", ")}`,
      fix:
        engine === "vllm"
          ? 'Use "auto" (model dtype) or "fp8" to halve the cache.'
          : 'Use "f16" (default) or "q8_0" to halve the cache.',
    });
  }
  return { name, bytesPerElement: bytes };
}

/** KV heads one GPU stores: vLLM's `max(1, n_kv // tp)`; MLA keeps one latent "head". */
export function kvHeadsPerGpu(model: ModelSpec, tp: number): number {
  if (model.mla) return 1;
  return Math.max(1, Math.floor(model.kvHeads / tp));
}

/**
 * KV bytes one token occupies on one GPU (whole model when tp = 1).
 * Dense: `2 · layers · kvHeadsPerGpu · headDim · bytes`. MLA: `layers · (kvLoraRank +
 * qkRopeHeadDim) · bytes`, not divided by TP. Encoder-only embedding models keep no KV cache (0).
 */
export function kvBytesPerToken(
  model: ModelSpec,
  opts: { tp?: number; bytesPerElement?: number } = {},
): number {
  const tp = opts.tp ?? 1;
  const bytes = opts.bytesPerElement ?? 2;
  if (model.role === "embeddings") return 0;
  if (model.mla) return model.layers * (model.mla.kvLoraRank + model.mla.qkRopeHeadDim) * bytes;
  return 2 * model.layers * kvHeadsPerGpu(model, tp) * model.headDim * bytes;
}

/** Rounds a token count up to whole vLLM blocks. */
export function roundUpToBlock(tokens: number, blockSize = KV_BLOCK_SIZE): number {
  return Math.ceil(tokens / blockSize) * blockSize;
}

/** KV bytes one sequence of `tokens` occupies on one GPU, rounded up to whole blocks. */
export function kvBytesPerSequence(
  model: ModelSpec,
  tokens: number,
  opts: { tp?: number; bytesPerElement?: number; blockSize?: number } = {},
): number {
  return kvBytesPerToken(model, opts) * roundUpToBlock(tokens, opts.blockSize);
}

/**
 * Tokens a KV pool holds, as vLLM prints "GPU KV cache size: N tokens": whole blocks only.
 * Returns 0 for a non-positive pool and for a model without KV cache (callers treat embeddings apart).
 */
export function kvTokensFor(
  kvBytes: number,
  bytesPerTokenPerGpu: number,
  blockSize = KV_BLOCK_SIZE,
): number {
  if (bytesPerTokenPerGpu === 0 || kvBytes <= 0) return 0;
  return Math.floor(kvBytes / (bytesPerTokenPerGpu * blockSize)) * blockSize;
}
