/**
 * @module The closed sets of the multi-language components as TypeScript enums: Pulumi's component
 * schema has no string-literal unions, but turns an `enum` into a schema enum that Python, Go and
 * C# get as constants. Each mirrors a union of the TypeScript API, checked equal by
 * test/library/multi-language-enums.test.ts.
 */

/** What a model server serves (the engines' `ServerRole`). */
export enum ServerRole {
  /** `/v1/chat/completions` and `/v1/completions`. */
  Chat = "chat",
  /** `/v1/embeddings`; such servers never join tier routes. */
  Embeddings = "embeddings",
}

/**
 * Weight format of a vLLM checkpoint, one of the planner's vLLM ids. A pre-quantized repo gets no
 * `--quantization`; `bf16`/`fp16` set `--dtype`.
 * @see https://docs.vllm.ai/en/v0.22.0/features/quantization/
 */
export enum VllmQuantization {
  /** 16-bit bfloat weights (`--dtype bfloat16`). */
  Bf16 = "bf16",
  /** 16-bit float weights (`--dtype half`). */
  Fp16 = "fp16",
  /** FP8 checkpoint, or 16-bit weights quantized while loading with `quantizeOnLoad`. */
  Fp8 = "fp8",
  /** INT8 weights and activations (compressed-tensors). */
  W8a8 = "w8a8",
  /** AWQ 4-bit. */
  Awq = "awq",
  /** GPTQ 4-bit. */
  Gptq = "gptq",
  /** MXFP4 (e.g. gpt-oss). */
  Mxfp4 = "mxfp4",
}

/**
 * vLLM KV-cache element type (`--kv-cache-dtype`).
 * @see https://docs.vllm.ai/en/v0.22.0/features/quantization/quantized_kvcache/
 */
export enum VllmKvCacheDtype {
  Auto = "auto",
  Bfloat16 = "bfloat16",
  Float16 = "float16",
  Fp8 = "fp8",
  Fp8DsMla = "fp8_ds_mla",
  Fp8E4m3 = "fp8_e4m3",
  Fp8E5m2 = "fp8_e5m2",
  Fp8Inc = "fp8_inc",
  Fp8PerTokenHead = "fp8_per_token_head",
  Int8PerTokenHead = "int8_per_token_head",
  Nvfp4 = "nvfp4",
  Turboquant3bitNc = "turboquant_3bit_nc",
  Turboquant4bitNc = "turboquant_4bit_nc",
  TurboquantK3v4Nc = "turboquant_k3v4_nc",
  TurboquantK8v4 = "turboquant_k8v4",
}

/**
 * llama.cpp KV-cache element type for K and V (`--cache-type-k`, `--cache-type-v`).
 * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
 */
export enum LlamaCppKvCacheDtype {
  F32 = "f32",
  F16 = "f16",
  Bf16 = "bf16",
  Q8_0 = "q8_0",
  Q4_0 = "q4_0",
  Q4_1 = "q4_1",
  Iq4Nl = "iq4_nl",
  Q5_0 = "q5_0",
  Q5_1 = "q5_1",
}

/** llama.cpp embeddings pooling (`--pooling`). @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md */
export enum LlamaCppPooling {
  Mean = "mean",
  Cls = "cls",
  Last = "last",
}

/** llama.cpp flash attention (`--flash-attn`). @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md */
export enum LlamaCppFlashAttn {
  On = "on",
  Off = "off",
  Auto = "auto",
}

/** The router's JSON log level (pino). */
export enum RouterLogLevel {
  Fatal = "fatal",
  Error = "error",
  Warn = "warn",
  Info = "info",
  Debug = "debug",
  Trace = "trace",
  Silent = "silent",
}

/** API flavour of a cloud provider the router may fall back to. */
export enum ProviderKind {
  /** OpenAI's API; needs an API key. */
  OpenAi = "openai",
  /** Anthropic's Messages API; needs an API key. */
  Anthropic = "anthropic",
  /** Any OpenAI-compatible endpoint; the key is optional. */
  OpenAiCompatible = "openai-compatible",
}

/** Access mode of a Kubernetes model cache claim. */
export enum ModelCacheAccessMode {
  /** Attaches to one node: one pod per claim. */
  ReadWriteOnce = "ReadWriteOnce",
  /** Shared by pods on many nodes (EFS, Filestore, NFS classes). */
  ReadWriteMany = "ReadWriteMany",
}

/** Encoding of each router replica's semantic-cache vector index. */
export enum SemanticCacheIndex {
  /** Sign bits, candidates re-scored by cosine: the fastest. */
  Binary = "binary",
  /** Cosine on 8-bit codes: for an embedding model whose vectors share a large constant offset. */
  Int8 = "int8",
}
