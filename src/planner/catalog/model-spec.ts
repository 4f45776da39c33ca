/**
 * @module The shape of one model's architecture facts: what the planner needs from a Hugging Face
 * `config.json` to size weights and KV cache.
 */

/** Mixture-of-experts layout. All experts stay resident; only decode streams the active ones. */
export interface MoeSpec {
  /** Routed experts per MoE layer (`num_local_experts` / `num_experts` / `n_routed_experts`). */
  readonly experts: number;
  /** Experts each token is routed to (`num_experts_per_tok`). */
  readonly expertsPerToken: number;
  /** Hidden width of one expert's MLP (`moe_intermediate_size`, or `intermediate_size` for Mixtral). */
  readonly expertIntermediate: number;
  /** Leading layers with a dense MLP instead of experts (`first_k_dense_replace`). @default 0 */
  readonly denseLayers?: number;
  /** Always-on shared experts per MoE layer (`n_shared_experts`). @default 0 */
  readonly sharedExperts?: number;
  /** Router has a bias vector (gpt-oss). @default false */
  readonly routerBias?: boolean;
  /** Each expert's projections carry biases (gpt-oss). @default false */
  readonly expertBias?: boolean;
}

/** Multi-head latent attention (DeepSeek V2/V3): the KV cache holds one compressed latent per token. */
export interface MlaSpec {
  /** Rank of the compressed KV latent (`kv_lora_rank`, 512 on DeepSeek-V3). */
  readonly kvLoraRank: number;
  /** Rotary part of each head cached beside the latent (`qk_rope_head_dim`, 64). */
  readonly qkRopeHeadDim: number;
  /** Non-rotary query/key head width (`qk_nope_head_dim`). */
  readonly qkNopeHeadDim: number;
  /** Value head width (`v_head_dim`). */
  readonly vHeadDim: number;
  /** Rank of the query compression, or null when queries are not compressed (`q_lora_rank`). */
  readonly qLoraRank: number | null;
}

/** Architecture facts of one model, from its `config.json`. */
export interface ModelSpec {
  /** Catalog id, lower case, e.g. `llama-3.1-8b`. */
  readonly id: string;
  /** The original (unquantized) Hugging Face repo. */
  readonly hfRepo: string;
  /** Quantized repos (GGUF, AWQ, GPTQ, FP8) that share this architecture, from model-sources.md. */
  readonly repos: readonly string[];
  /** `architectures[0]` from config.json, e.g. `LlamaForCausalLM`. */
  readonly architecture: string;
  /** What the model serves: chat/completions, or embeddings (encoder, no KV cache). */
  readonly role: "chat" | "embeddings";
  /** Parameters, embeddings and lm_head included. */
  readonly paramsTotal: number;
  /** Parameters touched per token (equals paramsTotal for dense models). */
  readonly paramsActive: number;
  /** Transformer layers (`num_hidden_layers`). */
  readonly layers: number;
  /** Query heads (`num_attention_heads`). */
  readonly attentionHeads: number;
  /** Key/value heads (`num_key_value_heads`; equals attentionHeads without GQA). */
  readonly kvHeads: number;
  /** Width of one head (`head_dim`, else hidden / heads). */
  readonly headDim: number;
  /** Model width (`hidden_size`). */
  readonly hidden: number;
  /** Dense MLP width (`intermediate_size`); null when every layer is MoE. */
  readonly intermediate: number | null;
  /** Vocabulary size (`vocab_size`). */
  readonly vocab: number;
  /** lm_head shares the input embedding (`tie_word_embeddings`). */
  readonly tiedEmbeddings: boolean;
  /** Longest context the model was built for, tokens. */
  readonly maxPositionEmbeddings: number;
  /** Sliding-window size in tokens, or null. The planner sizes every layer at full context (what vLLM reports). */
  readonly slidingWindow: number | null;
  /** q/k/v projections carry biases (Qwen2). @default false */
  readonly qkvBias?: boolean;
  /** The attention output projection carries a bias (gpt-oss). @default false */
  readonly attentionOutputBias?: boolean;
  /** Per-head RMSNorm on q and k (Qwen3). @default false */
  readonly qkNorm?: boolean;
  /** Learned attention sinks, one per head (gpt-oss). @default false */
  readonly attentionSinks?: boolean;
  /** Norm weight vectors per layer: 2, or 4 with sandwich norms (Gemma 2/3). @default 2 */
  readonly normsPerLayer?: number;
  /** Mixture-of-experts layout, when the MLP is sparse. */
  readonly moe?: MoeSpec;
  /** Multi-head latent attention, when used. */
  readonly mla?: MlaSpec;
  /** Quantization the original checkpoint ships in, when not 16 bit (gpt-oss: `mxfp4`). */
  readonly nativeQuantization?: string;
  /** Where the numbers come from (config.json URL). */
  readonly source: string;
  /** Anything a planner user should know about this row. */
  readonly note?: string;
}
