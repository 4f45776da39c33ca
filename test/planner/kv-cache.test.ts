import { describe, expect, it } from "vitest";
import {
  kvBytesPerSequence,
  kvBytesPerToken,
  kvHeadsPerGpu,
  kvTokensFor,
  modelFromHfConfig,
  resolveKvCacheDtype,
  roundUpToBlock,
} from "../../src/planner";
import { model } from "./_helpers";

describe("KV cache", () => {
  // shared/reference/models.json kv_bytes_per_token_bf16 for every reference model.
  it.each([
    ["llama-3.1-8b", 131_072], ["llama-3.1-70b", 327_680], ["llama-3.1-405b", 516_096], ["llama-3.2-1b", 32_768],
    ["llama-3.2-3b", 114_688], ["qwen2.5-7b", 57_344], ["qwen2.5-14b", 196_608], ["qwen2.5-32b", 262_144],
    ["qwen2.5-72b", 327_680], ["qwen3-8b", 147_456], ["qwen3-32b", 262_144], ["qwen3-30b-a3b", 98_304],
    ["mistral-7b-v0.3", 131_072], ["mixtral-8x7b", 131_072], ["gemma-2-9b", 344_064], ["gemma-2-27b", 376_832],
    ["gpt-oss-20b", 49_152], ["gpt-oss-120b", 73_728], ["deepseek-r1-distill-qwen-7b", 57_344],
    ["phi-3-mini-4k", 393_216], ["phi-4", 204_800], ["qwen2.5-0.5b", 12_288], ["qwen2.5-1.5b", 28_672],
  ])("stores %s at %i bytes per token in bf16", (id, bytes) => {
    expect(kvBytesPerToken(model(id))).toBe(bytes);
    expect(kvBytesPerToken(model(id), { bytesPerElement: 1 })).toBe(bytes / 2);
  });

  it.each([
    // [model, tp, KV heads per GPU]: vLLM's max(1, n_kv // tp) — replicated beyond n_kv.
    ["qwen2.5-7b", 1, 4], ["qwen2.5-7b", 2, 2], ["qwen2.5-7b", 4, 1], ["qwen2.5-7b", 8, 1],
    ["llama-3.1-70b", 8, 1], ["llama-3.1-70b", 16, 1], ["phi-4", 4, 2],
  ])("gives %s at TP %i %i KV head(s) per GPU", (id, tp, heads) => {
    expect(kvHeadsPerGpu(model(id), tp)).toBe(heads);
  });

  it("does not split the MLA latent across TP ranks", () => {
    const v3 = modelFromHfConfig(
      { architectures: ["DeepseekV3ForCausalLM"], hidden_size: 7168, num_hidden_layers: 61, num_attention_heads: 128,
        intermediate_size: 18432, kv_lora_rank: 512, qk_rope_head_dim: 64, qk_nope_head_dim: 128, v_head_dim: 128,
        vocab_size: 129280, max_position_embeddings: 163840 },
      "v3",
    );
    expect(kvBytesPerToken(v3, { tp: 1 })).toBe(70_272);
    expect(kvBytesPerToken(v3, { tp: 8 })).toBe(70_272);
  });

  it("keeps no KV cache for encoder-only embedding models", () => {
    expect(kvBytesPerToken(model("nomic-embed-text-v1.5"))).toBe(0);
  });

  it("rounds sequences up to 16-token blocks", () => {
    expect(roundUpToBlock(1)).toBe(16);
    expect(roundUpToBlock(16)).toBe(16);
    expect(roundUpToBlock(221_000)).toBe(221_008);
    expect(kvBytesPerSequence(model("llama-3.1-8b"), 17)).toBe(32 * 131_072);
  });

  it("counts whole blocks of KV tokens like vLLM's 'GPU KV cache size'", () => {
    expect(kvTokensFor(58.11 * 1024 ** 3, 131_072)).toBe(476_032);
    expect(kvTokensFor(-1, 131_072)).toBe(0);
  });

  it.each([
    ["vllm", undefined, "auto", 2], ["vllm", "fp8", "fp8", 1], ["vllm", "FP8_E5M2", "fp8_e5m2", 1],
    ["llamacpp", undefined, "f16", 2], ["llamacpp", "auto", "f16", 2], ["llamacpp", "q8_0", "q8_0", 8.5 / 8],
  ] as const)("resolves %s KV dtype %s to %s (%f bytes)", (engine, dtype, name, bytes) => {
    expect(resolveKvCacheDtype(engine, dtype)).toEqual({ name, bytesPerElement: bytes });
  });

  it("rejects a KV dtype the engine lacks, naming the flag and the choices", () => {
    expect(() => resolveKvCacheDtype("vllm", "q8_0")).toThrow(
      'kvCacheDtype: vllm has no KV-cache dtype "q8_0" (--kv-cache-dtype) (got "q8_0"; one of auto, fp8, fp8_e4m3, fp8_e5m2). ' +
        'Use "auto" (model dtype) or "fp8" to halve the cache.',
    );
  });
});
