/**
 * @module Gemma, gpt-oss, Phi and embedding rows of the model catalog. Numbers copied from each
 * model's config.json (the `source` URL); parameter counts follow the §2.2 formula, which matches
 * the published totals to <0.1% (shared/reference/models.json).
 */
import type { ModelSpec } from "./model-spec";

/** Gemma, gpt-oss, Phi and embedding rows. */
export const OTHER_MODELS: readonly ModelSpec[] = [
  {
    id: "gemma-2-9b",
    hfRepo: "google/gemma-2-9b-it",
    repos: [],
    architecture: "Gemma2ForCausalLM",
    role: "chat",
    paramsTotal: 9_241_705_984,
    paramsActive: 9_241_705_984,
    layers: 42, attentionHeads: 16, kvHeads: 8, headDim: 256,
    hidden: 3584, intermediate: 14_336, vocab: 256_000,
    tiedEmbeddings: true, maxPositionEmbeddings: 8192, slidingWindow: 4096,
    normsPerLayer: 4,
    source: "https://huggingface.co/google/gemma-2-9b-it/blob/main/config.json",
    note:
      "Sliding window 4096 on alternating layers; vLLM's reported KV capacity counts " +
      "all layers at full context.",
  },
  {
    id: "gemma-2-27b",
    hfRepo: "google/gemma-2-27b-it",
    repos: [],
    architecture: "Gemma2ForCausalLM",
    role: "chat",
    paramsTotal: 27_227_128_320,
    paramsActive: 27_227_128_320,
    layers: 46, attentionHeads: 32, kvHeads: 16, headDim: 128,
    hidden: 4608, intermediate: 36_864, vocab: 256_000,
    tiedEmbeddings: true, maxPositionEmbeddings: 8192, slidingWindow: 4096,
    normsPerLayer: 4,
    source: "https://huggingface.co/google/gemma-2-27b-it/blob/main/config.json",
    note:
      "Sliding window 4096 on alternating layers; vLLM's reported KV capacity counts " +
      "all layers at full context.",
  },
  {
    id: "gpt-oss-20b",
    hfRepo: "openai/gpt-oss-20b",
    repos: ["ggml-org/gpt-oss-20b-GGUF"],
    architecture: "GptOssForCausalLM",
    role: "chat",
    paramsTotal: 20_914_757_184,
    paramsActive: 4_187_440_704,
    layers: 24, attentionHeads: 64, kvHeads: 8, headDim: 64,
    hidden: 2880, intermediate: null, vocab: 201_088,
    tiedEmbeddings: false, maxPositionEmbeddings: 131_072, slidingWindow: 128,
    qkvBias: true, attentionOutputBias: true, attentionSinks: true, nativeQuantization: "mxfp4",
    moe: {
      experts: 32, expertsPerToken: 4, expertIntermediate: 2880, routerBias: true, expertBias: true,
    },
    source: "https://huggingface.co/openai/gpt-oss-20b/blob/main/config.json",
    note:
      "Experts ship in MXFP4 (4.25 bits incl. E8M0 scales), everything else bf16. vLLM " +
      "measured 13.47 GiB.",
  },
  {
    id: "gpt-oss-120b",
    hfRepo: "openai/gpt-oss-120b",
    repos: [],
    architecture: "GptOssForCausalLM",
    role: "chat",
    paramsTotal: 116_829_156_672,
    paramsActive: 5_711_982_912,
    layers: 36, attentionHeads: 64, kvHeads: 8, headDim: 64,
    hidden: 2880, intermediate: null, vocab: 201_088,
    tiedEmbeddings: false, maxPositionEmbeddings: 131_072, slidingWindow: 128,
    qkvBias: true, attentionOutputBias: true, attentionSinks: true, nativeQuantization: "mxfp4",
    moe: {
      experts: 128, expertsPerToken: 4, expertIntermediate: 2880, routerBias: true, expertBias: true,
    },
    source: "https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json",
    note: "Experts ship in MXFP4, everything else bf16. vLLM measured 64.38 GiB.",
  },
  {
    id: "phi-3-mini-4k",
    hfRepo: "microsoft/Phi-3-mini-4k-instruct",
    repos: [],
    architecture: "Phi3ForCausalLM",
    role: "chat",
    paramsTotal: 3_821_079_552,
    paramsActive: 3_821_079_552,
    layers: 32, attentionHeads: 32, kvHeads: 32, headDim: 96,
    hidden: 3072, intermediate: 8192, vocab: 32_064,
    tiedEmbeddings: false, maxPositionEmbeddings: 4096, slidingWindow: 2047,
    source: "https://huggingface.co/microsoft/Phi-3-mini-4k-instruct/blob/main/config.json",
    note: "Full multi-head attention (32 KV heads): 384 KiB of KV per token in bf16.",
  },
  {
    id: "phi-4",
    hfRepo: "microsoft/phi-4",
    repos: [],
    architecture: "Phi3ForCausalLM",
    role: "chat",
    paramsTotal: 14_659_507_200,
    paramsActive: 14_659_507_200,
    layers: 40, attentionHeads: 40, kvHeads: 10, headDim: 128,
    hidden: 5120, intermediate: 17_920, vocab: 100_352,
    tiedEmbeddings: false, maxPositionEmbeddings: 16_384, slidingWindow: null,
    source: "https://huggingface.co/microsoft/phi-4/blob/main/config.json",
  },
  {
    id: "nomic-embed-text-v1.5",
    hfRepo: "nomic-ai/nomic-embed-text-v1.5",
    repos: ["nomic-ai/nomic-embed-text-v1.5-GGUF"],
    architecture: "NomicBertModel",
    role: "embeddings",
    // BERT-style encoder: fused QKV without bias, SwiGLU MLP, LayerNorm weight+bias (4 vectors).
    paramsTotal: 136_731_648,
    paramsActive: 136_731_648,
    layers: 12, attentionHeads: 12, kvHeads: 12, headDim: 64,
    hidden: 768, intermediate: 3072, vocab: 30_528,
    tiedEmbeddings: true, maxPositionEmbeddings: 8192, slidingWindow: null,
    normsPerLayer: 4,
    source:
      "https://huggingface.co/nomic-ai/nomic-embed-text-v1.5/blame/6ce67c10157b71b9c7604d8311d91595b4d4c4fc/config.json",
    note:
      "Encoder-only embedding model: no KV cache. Trained at 2048 positions (max_trained_positions); " +
      "llama.cpp needs --rope-scaling yarn --rope-freq-scale .75 for 8192 (model-sources.md §2).",
  },
];
