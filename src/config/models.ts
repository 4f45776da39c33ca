/**
 * @module `shoestring:models`: the models to serve. Each entry is a vLLM or llama.cpp server,
 * chosen by `engine`; the checks that only involve one model (format vs engine) live here.
 */
import { z } from "zod";
import {
  GGUF_QUANTIZATIONS,
  KV_CACHE_DTYPES,
  KV_CACHE_DTYPE_IDS,
  QUANTIZATION_IDS,
  VLLM_QUANTIZATIONS,
  findQuantization,
  type Engine,
} from "../planner/catalog/quantizations";
import { nearestNames } from "../util/nearest";
import { dnsLabel, hfRepo, positiveInt, secretName } from "./_primitives";

/** Longest model name: it becomes part of container, Service and Deployment names. */
export const MODEL_NAME_MAX = 40;

const revision = () =>
  z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/, "a git commit sha, tag or branch")
    .optional()
    .describe("Repo revision (commit sha, tag or branch) to pin. Unset: the default branch at deploy time.");

/** A Hugging Face checkpoint repo, served by vLLM. */
export const HfSourceSchema = z
  .strictObject({
    kind: z.literal("hf").describe("A Hugging Face checkpoint repo (safetensors), served by vLLM."),
    repo: hfRepo().describe("Hugging Face repo id, e.g. Qwen/Qwen2.5-7B-Instruct-AWQ."),
    revision: revision(),
  })
  .describe("Hugging Face checkpoint.");

/** One GGUF file in a Hugging Face repo, served by llama.cpp. */
export const GgufSourceSchema = z
  .strictObject({
    kind: z.literal("gguf").describe("One GGUF file from a Hugging Face repo, served by llama.cpp."),
    repo: hfRepo().describe("Hugging Face repo id holding the GGUF files, e.g. Qwen/Qwen2.5-1.5B-Instruct-GGUF."),
    file: z
      .string()
      .regex(/^[^/\\].*\.gguf$/i, "a .gguf file name inside the repo (for split files, the -00001-of-0000N part)")
      .describe("GGUF file name in the repo, e.g. qwen2.5-1.5b-instruct-q4_k_m.gguf."),
    revision: revision(),
  })
  .describe("GGUF file.");

/** Where a model's weights come from, chosen by `kind`. */
export const ModelSourceSchema = z
  .discriminatedUnion("kind", [HfSourceSchema, GgufSourceSchema])
  .describe("Where the weights come from: `kind: hf` (vLLM) or `kind: gguf` (llama.cpp).");

/** Case-insensitive input, canonical output: "AWQ" → "awq", "q4_k_m" → "Q4_K_M". */
function canonicalQuantization(value: string): string {
  return findQuantization(value)?.id ?? value;
}

/** Fields every model has, whatever the engine. */
const commonModelFields = {
  name: dnsLabel(MODEL_NAME_MAX).describe(
    "Model name clients send as `model` and routes refer to; unique. Lowercase letters, digits and '-', at most 40 characters.",
  ),
  source: ModelSourceSchema,
  catalogId: z
    .string()
    .min(1)
    .optional()
    .describe("Planner catalog id whose architecture numbers apply (`shoestring models`). Unset: matched from the repo name."),
  modelConfig: z
    .string()
    .regex(/\.json$/, "a path to a Hugging Face config.json")
    .optional()
    .describe("Path to a Hugging Face config.json, for models outside the planner catalog."),
  quantization: z
    .string()
    .overwrite(canonicalQuantization)
    .meta({ examples: ["awq", "fp8", "bf16", "Q4_K_M", "Q8_0"] })
    .describe("Weight format of the checkpoint: awq, gptq, fp8, w8a8, mxfp4, bf16, fp16 (vLLM) or a GGUF type such as Q4_K_M (llama.cpp). Case-insensitive."),
  maxModelLen: z.int().min(128).max(2_097_152).default(8192).describe("Context length in tokens (prompt + output) the server accepts."),
  replicas: positiveInt().max(64).default(1).describe("Number of server replicas."),
  gpusPerReplica: z
    .union([positiveInt().max(16), z.literal("auto")])
    .default("auto")
    .describe(
      "GPUs per replica (vLLM: tensor parallel size; llama.cpp: GPUs the layers are split across). `auto`: the fewest that fit, decided by the planner.",
    ),
  tier: z.literal([1, 2, 3]).default(1).describe("Routing tier this model serves by default: 1 = cheapest/fastest, 3 = most capable."),
  role: z.enum(["chat", "embeddings"]).default("chat").describe("`chat` serves /v1/chat/completions; `embeddings` serves /v1/embeddings."),
  nodePool: dnsLabel(40)
    .optional()
    .describe("EKS only: the target.gpuNodePools entry to run on. Unset: the first pool; llama.cpp models with gpuLayers 0 run on the system nodes."),
  hfTokenSecret: secretName()
    .optional()
    .describe("Name of the stack secret holding a Hugging Face token, for gated repos (e.g. meta-llama/*)."),
};

/** A model served by vLLM. */
export const VllmModelSchema = z
  .strictObject({
    engine: z.literal("vllm").describe("Serve with vLLM (GPU, Hugging Face checkpoints)."),
    ...commonModelFields,
    kvCacheDtype: z
      .enum(KV_CACHE_DTYPE_IDS)
      .default("auto")
      .describe("KV-cache element type. vLLM: auto (model dtype), fp8, fp8_e4m3, fp8_e5m2. llama.cpp: f16, bf16, f32, q8_0, q5_0, q4_0."),
    gpuMemoryUtilization: z
      .number()
      .gt(0)
      .max(1)
      .default(0.9)
      .describe("vLLM only: share of each GPU's memory vLLM may use (weights + KV cache)."),
  })
  .describe("A vLLM server.");

/** A model served by llama.cpp's llama-server. */
export const LlamaCppModelSchema = z
  .strictObject({
    engine: z.literal("llamacpp").describe("Serve with llama.cpp's llama-server (CPU or GPU, GGUF files)."),
    ...commonModelFields,
    kvCacheDtype: z
      .enum(KV_CACHE_DTYPE_IDS)
      .default("f16")
      .describe("KV-cache element type. vLLM: auto (model dtype), fp8, fp8_e4m3, fp8_e5m2. llama.cpp: f16, bf16, f32, q8_0, q5_0, q4_0."),
    gpuLayers: z
      .union([z.int().min(0).max(1000), z.literal("all")])
      .default("all")
      .describe("llama.cpp only: layers offloaded to the GPU (-ngl). 0 runs on the CPU; `all` offloads every layer."),
    parallelSlots: positiveInt().max(256).default(4).describe("llama.cpp only: concurrent request slots (--parallel); they share the context."),
  })
  .describe("A llama.cpp server.");

const VLLM_IDS = VLLM_QUANTIZATIONS.map((q) => q.id).join(", ");

/** Adds the checks that involve only one model's own fields. */
function checkModel(model: z.output<typeof VllmModelSchema> | z.output<typeof LlamaCppModelSchema>, ctx: z.RefinementCtx): void {
  const { engine, source, quantization, kvCacheDtype } = model;
  const other: Engine = engine === "vllm" ? "llamacpp" : "vllm";
  const wantedSource = engine === "vllm" ? "hf" : "gguf";
  if (source.kind !== wantedSource) {
    ctx.addIssue({
      code: "custom",
      path: ["engine"],
      input: engine,
      message: `engine ${engine} cannot serve a source of kind ${source.kind}`,
      params: {
        allowed: "engine vllm with source kind hf, engine llamacpp with source kind gguf",
        fix: `pulumi config set --path '{path}' ${other}, or give a ${wantedSource} source`,
      },
    });
  }

  const spec = findQuantization(quantization);
  if (!spec) {
    ctx.addIssue({
      code: "custom",
      path: ["quantization"],
      input: quantization,
      message: "unknown quantization",
      params: { allowed: nearestNames(quantization, QUANTIZATION_IDS).join(", "), suggest: nearestNames(quantization, QUANTIZATION_IDS, 1)[0] },
    });
  } else if (!spec.engines.includes(engine)) {
    ctx.addIssue({
      code: "custom",
      path: ["quantization"],
      input: quantization,
      message: engine === "llamacpp" ? `${quantization} is a vLLM format; llama.cpp loads GGUF types` : `${quantization} is a GGUF type; vLLM loads Hugging Face checkpoints`,
      params:
        engine === "llamacpp"
          ? {
              allowed: "GGUF types such as Q4_K_M, Q5_K_M, Q8_0",
              fix: "use a GGUF type such as Q4_K_M with a gguf source (pulumi config set --path '{path}' Q4_K_M), or switch engine to vllm (pulumi config set --path '{parent}.engine' vllm)",
            }
          : {
              allowed: VLLM_IDS,
              fix: "use the checkpoint's format, e.g. awq, fp8 or bf16 (pulumi config set --path '{path}' awq), or switch engine to llamacpp with a gguf source",
            },
    });
  } else {
    const named = formatNamedBy(source.kind === "gguf" ? source.file : source.repo, engine);
    if (named && named !== spec.id) {
      ctx.addIssue({
        code: "custom",
        path: ["quantization"],
        input: quantization,
        message: `${source.kind === "gguf" ? "source.file" : "source.repo"} names format ${named} but quantization says ${spec.id}`,
        params: { allowed: named, fix: "set quantization to the checkpoint's real format", suggest: named },
      });
    }
  }

  const dtypes = Object.keys(KV_CACHE_DTYPES[engine]);
  if (!dtypes.includes(kvCacheDtype)) {
    ctx.addIssue({
      code: "custom",
      path: ["kvCacheDtype"],
      input: kvCacheDtype,
      message: `KV-cache dtype ${kvCacheDtype} is for engine ${other}, not ${engine}`,
      params: { allowed: dtypes.join(", "), suggest: dtypes[0] },
    });
  }
}

/**
 * The format a repo or GGUF file name announces (`…-AWQ`, `…q4_k_m.gguf`), if exactly one known id
 * appears in it as a whole token. Used to catch a quantization that contradicts the checkpoint.
 */
function formatNamedBy(name: string, engine: Engine): string | undefined {
  const ids = engine === "vllm" ? VLLM_QUANTIZATIONS.map((q) => q.id) : GGUF_QUANTIZATIONS.map((q) => q.id);
  const lower = name.toLowerCase();
  const found = ids.filter((id) => new RegExp(`(^|[./_-])${id.toLowerCase()}([./-]|$)`).test(lower));
  return found.length === 1 ? found[0] : undefined;
}

/** One model, chosen by `engine`. */
export const ModelSchema = z
  .discriminatedUnion("engine", [VllmModelSchema, LlamaCppModelSchema])
  .superRefine(checkModel)
  .describe("A model server; `engine` selects vllm or llamacpp.");

/** `shoestring:models`: at least one model. */
export const ModelsSchema = z.array(ModelSchema).min(1).describe("Models to serve, each as its own server (vLLM or llama.cpp).");

/** Parsed model entry. */
export type ModelConfig = z.output<typeof ModelSchema>;
/** Parsed vLLM model entry. */
export type VllmModelConfig = z.output<typeof VllmModelSchema>;
/** Parsed llama.cpp model entry. */
export type LlamaCppModelConfig = z.output<typeof LlamaCppModelSchema>;
