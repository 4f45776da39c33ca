/**
 * @module Builds a ModelSpec from a Hugging Face `config.json`, so any model can be planned, not
 * only catalog ones. Handles GQA, absent head_dim, tied embeddings, MoE (Mixtral / Qwen-MoE /
 * gpt-oss / DeepSeek key names), MLA and GPT-2-style key names (n_embd, n_layer, …).
 */
import { PlannerError } from "../planner-error";
import type { MlaSpec, ModelSpec, MoeSpec } from "./model-spec";
import { countActiveParams, countParams, type ArchitectureFields } from "./param-count";

type Json = Record<string, unknown>;

/** model_type values whose config class ties embeddings by default (PretrainedConfig default). */
const TIED_BY_DEFAULT = new Set(["gemma", "gemma2", "gemma3_text", "nomic_bert", "bert"]);

class ConfigReader {
  constructor(
    private readonly json: Json,
    private readonly id: string,
  ) {}

  /** First present numeric key, else an error naming the (first) key. */
  required(keys: string[]): number {
    const value = this.optional(keys);
    if (value === undefined) {
      const others = keys.slice(1).map((k) => `"${k}"`);
      const also = others.length > 0 ? ` (also accepted: ${others.join(", ")})` : "";
      throw new PlannerError({
        field: `modelConfig.${keys[0]}`,
        problem: `config.json for "${this.id}" has no "${keys[0]}"${also}`,
        value: "missing",
        allowed: "a positive integer",
        fix:
          "Pass the model's own config.json from its Hugging Face repo (the file next to the weights), " +
          "or pick a catalog model.",
      });
    }
    return value;
  }

  optional(keys: string[]): number | undefined {
    for (const key of keys) {
      const value = this.json[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new PlannerError({
          field: `modelConfig.${key}`,
          problem: `config.json for "${this.id}" has a non-numeric "${key}"`,
          value: JSON.stringify(value),
          allowed: "a non-negative number",
          fix: "Check that the file is a Hugging Face config.json and was not edited by hand.",
        });
      }
      return value;
    }
    return undefined;
  }

  flag(key: string): boolean | undefined {
    const value = this.json[key];
    return typeof value === "boolean" ? value : undefined;
  }

  string(key: string): string | undefined {
    const value = this.json[key];
    return typeof value === "string" ? value : undefined;
  }
}

/** Some multimodal configs nest the language model under `text_config`. */
function languageModelConfig(json: Json): Json {
  const text = json.text_config;
  const nested = text && typeof text === "object" && !Array.isArray(text) && "hidden_size" in text;
  return nested ? (text as Json) : json;
}

function readMoe(r: ConfigReader, intermediate: number | undefined): MoeSpec | undefined {
  const experts = r.optional(["num_local_experts", "num_experts", "n_routed_experts"]);
  if (experts === undefined || experts <= 1) return undefined;
  const expertIntermediate = r.optional(["moe_intermediate_size"]) ?? intermediate;
  if (expertIntermediate === undefined) r.required(["moe_intermediate_size", "intermediate_size"]);
  return {
    experts,
    expertsPerToken: r.required(["num_experts_per_tok", "experts_per_token", "num_experts_per_token"]),
    expertIntermediate: expertIntermediate ?? 0,
    denseLayers: r.optional(["first_k_dense_replace"]) ?? 0,
    sharedExperts: r.optional(["n_shared_experts"]) ?? 0,
  };
}

function readMla(r: ConfigReader): MlaSpec | undefined {
  const kvLoraRank = r.optional(["kv_lora_rank"]);
  if (kvLoraRank === undefined) return undefined;
  return {
    kvLoraRank,
    qkRopeHeadDim: r.required(["qk_rope_head_dim"]),
    qkNopeHeadDim: r.required(["qk_nope_head_dim"]),
    vHeadDim: r.required(["v_head_dim"]),
    qLoraRank: r.optional(["q_lora_rank"]) ?? null,
  };
}

/**
 * Plans any model from its Hugging Face `config.json` (parsed JSON). Parameters are computed with
 * the planner-notes §2.2 formula; per-family details (Qwen2 qkv bias, Qwen3 q/k norm, Gemma
 * sandwich norms, gpt-oss biases and sinks) follow `model_type`.
 * @throws PlannerError naming the missing or malformed field.
 * @example modelFromHfConfig(JSON.parse(readFileSync("config.json", "utf8")), "my-model")
 */
export function modelFromHfConfig(json: unknown, id: string): ModelSpec {
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw new PlannerError({
      field: "modelConfig",
      problem: `config.json for "${id}" is not a JSON object`,
      value: Array.isArray(json) ? "an array" : typeof json,
      allowed: "the parsed contents of a Hugging Face config.json",
      fix: "Pass the parsed config.json object (JSON.parse of the file).",
    });
  }
  const root = json as Json;
  const r = new ConfigReader(languageModelConfig(root), id);
  const rootType = new ConfigReader(root, id).string("model_type");
  const modelType = (r.string("model_type") ?? rootType ?? "").toLowerCase();
  const archList = root.architectures;
  const architecture =
    Array.isArray(archList) && typeof archList[0] === "string" ? archList[0] : modelType || "unknown";

  const hidden = r.required(["hidden_size", "n_embd", "d_model"]);
  const layers = r.required(["num_hidden_layers", "n_layer", "num_layers"]);
  const attentionHeads = r.required(["num_attention_heads", "n_head"]);
  const kvHeads = r.optional(["num_key_value_heads", "num_kv_heads"]) ?? attentionHeads;
  const headDim = r.optional(["head_dim"]) ?? hidden / attentionHeads;
  const intermediate = r.optional(["intermediate_size", "n_inner", "ffn_dim"]);
  const moe = readMoe(r, intermediate);
  const mla = readMla(r);
  if (!moe && intermediate === undefined) r.required(["intermediate_size", "n_inner", "ffn_dim"]);

  const isGptOss = modelType === "gpt_oss";
  const isMoeOnly = moe !== undefined && (moe.denseLayers ?? 0) === 0;
  // Qwen2 configs carry a sliding_window value that is off unless use_sliding_window is true.
  const slidingWindow =
    r.flag("use_sliding_window") === false ? undefined : r.optional(["sliding_window"]);
  const fields: ArchitectureFields = {
    id,
    hfRepo: id,
    repos: [],
    architecture,
    role: /bert|embed/i.test(`${modelType} ${architecture}`) ? "embeddings" : "chat",
    layers,
    attentionHeads,
    kvHeads,
    headDim,
    hidden,
    intermediate: isMoeOnly ? null : (intermediate ?? null),
    vocab: r.required(["vocab_size", "padded_vocab_size"]),
    tiedEmbeddings: r.flag("tie_word_embeddings") ?? TIED_BY_DEFAULT.has(modelType),
    maxPositionEmbeddings: r.required([
      "max_position_embeddings",
      "n_positions",
      "max_sequence_length",
      "seq_length",
    ]),
    slidingWindow: slidingWindow ?? null,
    qkvBias:
      r.flag("attention_bias") ?? r.flag("qkv_bias") ?? (modelType.startsWith("qwen2") || isGptOss),
    attentionOutputBias: isGptOss,
    qkNorm: modelType.startsWith("qwen3"),
    attentionSinks: isGptOss,
    normsPerLayer: /^gemma[23]|nomic_bert|^bert/.test(modelType) ? 4 : 2,
    ...(moe ? { moe: isGptOss ? { ...moe, routerBias: true, expertBias: true } : moe } : {}),
    ...(mla ? { mla } : {}),
    ...(isGptOss ? { nativeQuantization: "mxfp4" } : {}),
    source: `config.json supplied for "${id}"`,
  };
  return { ...fields, paramsTotal: countParams(fields), paramsActive: countActiveParams(fields) };
}
