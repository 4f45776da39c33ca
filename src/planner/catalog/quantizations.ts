/**
 * @module Quantization formats, serving engines and KV-cache dtypes: the shared vocabulary of the
 * stack config schema and the planner.
 *
 * Bits per weight are for the quantized linear layers. Embeddings and lm_head stay in 16 bit for
 * vLLM checkpoints (AWQ/GPTQ/FP8 leave them unquantized); GGUF figures are whole-file effective bpw.
 * Sources: shared/reference/planner-notes.md §2.2 and gguf-quant-types.json
 * (ggml-org/llama.cpp tools/quantize/README.md @311c2c9, effective bpw measured on Llama-3.1-8B).
 */

/** Serving engines the kit deploys. */
export const ENGINES = ["vllm", "llamacpp"] as const;
export type Engine = (typeof ENGINES)[number];

/** One weight format and what it costs per parameter. */
export interface QuantizationSpec {
  /** Name used in stack config and on the CLI (`--quant`). */
  readonly id: string;
  /** Engines that can load this format. */
  readonly engines: readonly Engine[];
  /** Bits per quantized weight, scales and zero points included. */
  readonly bitsPerWeight: number;
  /** Whether embeddings / lm_head keep 16-bit weights (true for vLLM checkpoints). */
  readonly embeddingsStay16Bit: boolean;
  /** Where the number comes from. */
  readonly source: string;
}

const PLANNER_NOTES = "shared/reference/planner-notes.md §2.2";
const GGUF_README = "ggml-org/llama.cpp tools/quantize/README.md @311c2c9 (effective bpw, Llama-3.1-8B)";

/** vLLM weight formats (Hugging Face checkpoints). */
export const VLLM_QUANTIZATIONS = [
  { id: "bf16", engines: ["vllm"], bitsPerWeight: 16, embeddingsStay16Bit: true, source: PLANNER_NOTES },
  { id: "fp16", engines: ["vllm"], bitsPerWeight: 16, embeddingsStay16Bit: true, source: PLANNER_NOTES },
  // FP8 E4M3 with per-tensor/per-channel scales: measured Llama-3.1-8B FP8 8.49 GiB vs 8.46 predicted.
  { id: "fp8", engines: ["vllm"], bitsPerWeight: 8, embeddingsStay16Bit: true, source: PLANNER_NOTES },
  { id: "w8a8", engines: ["vllm"], bitsPerWeight: 8, embeddingsStay16Bit: true, source: PLANNER_NOTES },
  // INT4 group 128: 4 + 16/128 (fp16 scale) + 4/128 (packed zero) = 4.156 bits.
  { id: "awq", engines: ["vllm"], bitsPerWeight: 4 + 16 / 128 + 4 / 128, embeddingsStay16Bit: true, source: PLANNER_NOTES },
  { id: "gptq", engines: ["vllm"], bitsPerWeight: 4 + 16 / 128 + 4 / 128, embeddingsStay16Bit: true, source: PLANNER_NOTES },
  // MXFP4: 32-element blocks with an 8-bit E8M0 scale (OpenAI gpt-oss model card via llm-d capacity_planner.py).
  { id: "mxfp4", engines: ["vllm"], bitsPerWeight: 4.25, embeddingsStay16Bit: true, source: PLANNER_NOTES },
] as const satisfies readonly QuantizationSpec[];

/** GGUF types llama.cpp loads, by whole-file effective bits per weight. */
export const GGUF_QUANTIZATIONS = [
  { id: "F16", bitsPerWeight: 16.0005 },
  { id: "BF16", bitsPerWeight: 16.0 },
  { id: "Q8_0", bitsPerWeight: 8.5008 },
  { id: "Q6_K", bitsPerWeight: 6.5633 },
  { id: "Q5_K_M", bitsPerWeight: 5.7036 },
  { id: "Q5_K_S", bitsPerWeight: 5.5704 },
  { id: "Q5_0", bitsPerWeight: 5.5 },
  { id: "Q4_K_M", bitsPerWeight: 4.8944 },
  { id: "Q4_K_S", bitsPerWeight: 4.6672 },
  { id: "Q4_0", bitsPerWeight: 4.5 },
  { id: "IQ4_NL", bitsPerWeight: 4.6818 },
  { id: "IQ4_XS", bitsPerWeight: 4.4597 },
  { id: "Q3_K_L", bitsPerWeight: 4.2979 },
  { id: "Q3_K_M", bitsPerWeight: 4.0 },
  { id: "Q3_K_S", bitsPerWeight: 3.6429 },
  { id: "IQ3_M", bitsPerWeight: 3.7628 },
  { id: "IQ3_XXS", bitsPerWeight: 3.2548 },
  { id: "Q2_K", bitsPerWeight: 3.1593 },
  { id: "IQ2_M", bitsPerWeight: 2.9294 },
  { id: "IQ2_XXS", bitsPerWeight: 2.3824 },
  { id: "MXFP4_MOE", bitsPerWeight: 4.25 },
].map(
  (q): QuantizationSpec => ({
    ...q,
    engines: ["llamacpp"],
    embeddingsStay16Bit: false,
    source: q.id === "Q4_0" || q.id === "Q5_0" || q.id === "MXFP4_MOE" ? `${PLANNER_NOTES} / nominal block bpw` : q.id === "Q3_K_M" ? PLANNER_NOTES : GGUF_README,
  }),
);

/** Every quantization, vLLM's first. */
export const QUANTIZATIONS: readonly QuantizationSpec[] = [...VLLM_QUANTIZATIONS, ...GGUF_QUANTIZATIONS];

/** Names accepted for `models[].quantization`. */
export const QUANTIZATION_IDS = QUANTIZATIONS.map((q) => q.id) as [string, ...string[]];

/**
 * KV-cache element types per engine, with bytes per element.
 * vLLM `--kv-cache-dtype` ("auto" = model dtype); llama.cpp `-ctk/-ctv` (default f16).
 * @see https://docs.vllm.ai/en/latest/configuration/engine_args.html
 */
export const KV_CACHE_DTYPES = {
  vllm: { auto: 2, fp8: 1, fp8_e4m3: 1, fp8_e5m2: 1 },
  llamacpp: { f16: 2, bf16: 2, f32: 4, q8_0: 8.5 / 8, q4_0: 4.5 / 8, q5_0: 5.5 / 8 },
} as const satisfies Record<Engine, Record<string, number>>;

export type KvCacheDtype = keyof (typeof KV_CACHE_DTYPES)["vllm"] | keyof (typeof KV_CACHE_DTYPES)["llamacpp"];

/** Every KV-cache dtype name accepted in config, across engines. */
export const KV_CACHE_DTYPE_IDS = [
  ...new Set([...Object.keys(KV_CACHE_DTYPES.vllm), ...Object.keys(KV_CACHE_DTYPES.llamacpp)]),
] as [KvCacheDtype, ...KvCacheDtype[]];

/** Looks a quantization up by id, case-insensitively (GGUF names are upper case, vLLM's lower). */
export function findQuantization(id: string): QuantizationSpec | undefined {
  const wanted = id.toLowerCase();
  return QUANTIZATIONS.find((q) => q.id.toLowerCase() === wanted);
}
