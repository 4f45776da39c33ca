import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findModel, modelFromHfConfig, PlannerError } from "../../../src/planner";

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, "..", "fixtures", name), "utf8"));
}

const ARCHITECTURE_FIELDS = [
  "architecture", "layers", "attentionHeads", "kvHeads", "headDim", "hidden", "vocab", "tiedEmbeddings",
  "maxPositionEmbeddings", "paramsTotal", "paramsActive",
] as const;

describe("modelFromHfConfig", () => {
  it.each([
    ["mixtral-8x7b-instruct-v0.1.config.json", "mixtral-8x7b"],
    ["qwen2.5-1.5b-instruct.config.json", "qwen2.5-1.5b"],
  ])("reproduces the catalog row from the real %s", (file, id) => {
    const parsed = modelFromHfConfig(fixture(file), id);
    const row = findModel(id)!;
    for (const field of ARCHITECTURE_FIELDS) expect(parsed[field], field).toEqual(row[field]);
    expect(parsed.moe).toEqual(row.moe ? { ...row.moe, denseLayers: 0, sharedExperts: 0 } : undefined);
  });

  it("derives head_dim from hidden / heads when absent and defaults KV heads to the query heads", () => {
    const m = modelFromHfConfig(
      { architectures: ["LlamaForCausalLM"], model_type: "llama", hidden_size: 2048, num_hidden_layers: 2,
        num_attention_heads: 16, intermediate_size: 4096, vocab_size: 1000, max_position_embeddings: 4096 },
      "tiny",
    );
    expect(m.headDim).toBe(128);
    expect(m.kvHeads).toBe(16);
    expect(m.tiedEmbeddings).toBe(false);
    // 2·V·H + H + L·(4·H² + 3·H·I + 2·H)
    expect(m.paramsTotal).toBe(2 * 1000 * 2048 + 2048 + 2 * (4 * 2048 * 2048 + 3 * 2048 * 4096 + 2 * 2048));
  });

  it("reads GPT-2 style keys (n_embd, n_layer, n_head, n_inner, n_positions)", () => {
    const m = modelFromHfConfig(
      { architectures: ["NomicBertModel"], model_type: "nomic_bert", n_embd: 768, n_layer: 12, n_head: 12,
        n_inner: 3072, n_positions: 8192, vocab_size: 30528 },
      "nomic",
    );
    expect(m.role).toBe("embeddings");
    expect(Math.abs(m.paramsTotal - findModel("nomic-embed-text-v1.5")!.paramsTotal)).toBeLessThan(5000);
  });

  it("counts only routed-active experts as active parameters", () => {
    const m = modelFromHfConfig(fixture("mixtral-8x7b-instruct-v0.1.config.json"), "mixtral");
    expect(m.paramsActive).toBe(12_879_925_248);
  });

  it("names the missing field", () => {
    expect(() => modelFromHfConfig({ num_hidden_layers: 2 }, "broken")).toThrow(
      'modelConfig.hidden_size: config.json for "broken" has no "hidden_size" (also accepted: "n_embd", "d_model") ' +
        "(got \"missing\"; a positive integer). Pass the model's own config.json from its Hugging Face repo " +
        "(the file next to the weights), or pick a catalog model.",
    );
  });

  it("refuses a non-object with a PlannerError", () => {
    expect(() => modelFromHfConfig([1, 2], "x")).toThrow(PlannerError);
    expect(() => modelFromHfConfig("{}", "x")).toThrow('modelConfig: config.json for "x" is not a JSON object');
  });

  it("reads MLA fields and sizes the latent cache", () => {
    const m = modelFromHfConfig(
      { architectures: ["DeepseekV3ForCausalLM"], model_type: "deepseek_v3", hidden_size: 7168, num_hidden_layers: 61,
        num_attention_heads: 128, num_key_value_heads: 128, intermediate_size: 18432, moe_intermediate_size: 2048,
        n_routed_experts: 256, num_experts_per_tok: 8, n_shared_experts: 1, first_k_dense_replace: 3,
        kv_lora_rank: 512, q_lora_rank: 1536, qk_rope_head_dim: 64, qk_nope_head_dim: 128, v_head_dim: 128,
        vocab_size: 129280, max_position_embeddings: 163840, tie_word_embeddings: false },
      "deepseek-v3",
    );
    expect(m.mla).toEqual({ kvLoraRank: 512, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128, qLoraRank: 1536 });
    // DeepSeek-V3 is published as 671B total / 37B active.
    expect(m.paramsTotal / 1e9).toBeCloseTo(671, -1);
    expect(m.paramsActive / 1e9).toBeCloseTo(37, -1);
  });
});
