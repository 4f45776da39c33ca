/**
 * @module Parameter counts from architecture fields (planner-notes.md §2.2). Reproduces the
 * published totals of all catalog models to <0.1% and is how `modelFromHfConfig` sizes a model
 * that is not in the catalog.
 */
import type { ModelSpec } from "./model-spec";

/** The architecture fields a parameter count needs (a ModelSpec without its counts). */
export type ArchitectureFields = Omit<ModelSpec, "paramsTotal" | "paramsActive">;

/** Parameters of one attention block (projections, biases, norms, sinks). */
function attentionParams(m: ArchitectureFields): number {
  const h = m.hidden;
  if (m.mla) {
    const qk = m.mla.qkNopeHeadDim + m.mla.qkRopeHeadDim;
    const q = m.mla.qLoraRank === null
      ? h * m.attentionHeads * qk
      : h * m.mla.qLoraRank + m.mla.qLoraRank + m.mla.qLoraRank * m.attentionHeads * qk;
    const kvA = h * (m.mla.kvLoraRank + m.mla.qkRopeHeadDim) + m.mla.kvLoraRank;
    const kvB = m.mla.kvLoraRank * m.attentionHeads * (m.mla.qkNopeHeadDim + m.mla.vHeadDim);
    return q + kvA + kvB + m.attentionHeads * m.mla.vHeadDim * h;
  }
  const qDim = m.attentionHeads * m.headDim;
  const kvDim = m.kvHeads * m.headDim;
  let params = h * qDim + 2 * h * kvDim + qDim * h;
  if (m.qkvBias) params += qDim + 2 * kvDim;
  if (m.attentionOutputBias) params += h;
  if (m.qkNorm) params += 2 * m.headDim;
  if (m.attentionSinks) params += m.attentionHeads;
  return params;
}

/** Parameters of one expert (gated MLP: gate, up, down), biases included when present. */
function expertParams(m: ArchitectureFields): number {
  const moe = m.moe;
  if (!moe) return 0;
  const bias = moe.expertBias ? 2 * moe.expertIntermediate + m.hidden : 0;
  return 3 * m.hidden * moe.expertIntermediate + bias;
}

function mlpParams(m: ArchitectureFields, layer: number, activeOnly: boolean): number {
  const moe = m.moe;
  const dense = 3 * m.hidden * (m.intermediate ?? 0);
  if (!moe || layer < (moe.denseLayers ?? 0)) return dense;
  const routed = activeOnly ? moe.expertsPerToken : moe.experts;
  const router = m.hidden * moe.experts + (moe.routerBias ? moe.experts : 0);
  return routed * expertParams(m) + (moe.sharedExperts ?? 0) * expertParams(m) + router;
}

function countWith(m: ArchitectureFields, activeOnly: boolean): number {
  const embeddings = m.vocab * m.hidden * (m.tiedEmbeddings ? 1 : 2);
  const norms = (m.normsPerLayer ?? 2) * m.hidden;
  let layers = 0;
  for (let layer = 0; layer < m.layers; layer++) {
    layers += attentionParams(m) + mlpParams(m, layer, activeOnly) + norms;
  }
  return embeddings + m.hidden + layers;
}

/** Total parameters: embeddings (+ lm_head unless tied), final norm, every layer. */
export function countParams(m: ArchitectureFields): number {
  return countWith(m, false);
}

/** Parameters touched per token: only `expertsPerToken` routed experts per MoE layer. */
export function countActiveParams(m: ArchitectureFields): number {
  return countWith(m, true);
}

/** Parameters of the routed experts alone (what MXFP4 checkpoints quantize). */
export function countExpertParams(m: ArchitectureFields): number {
  const moe = m.moe;
  if (!moe) return 0;
  return (m.layers - (moe.denseLayers ?? 0)) * moe.experts * expertParams(m);
}

/** Embedding (+ untied lm_head) parameters, which vLLM checkpoints keep in 16 bit. */
export function countEmbeddingParams(
  m: Pick<ModelSpec, "vocab" | "hidden" | "tiedEmbeddings">,
): number {
  return m.vocab * m.hidden * (m.tiedEmbeddings ? 1 : 2);
}
