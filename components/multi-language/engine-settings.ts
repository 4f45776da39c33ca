/**
 * @module Engine settings of the multi-language model servers: the TypeScript API's vLLM and
 * llama.cpp inputs with enums for closed sets and plain numbers for `"all"`-or-number knobs, and
 * their conversion back. Values must be known at construction: the command line is built and
 * checked before anything is registered.
 */
import type { DockerLlamaCppInput, DockerVllmInput } from "../serving";
import type {
  LlamaCppFlashAttn,
  LlamaCppKvCacheDtype,
  LlamaCppPooling,
  ServerRole,
  VllmKvCacheDtype,
  VllmQuantization,
} from "./enums";
import { defined } from "./_wrap";

/** Settings both engines share. */
export interface EngineCommonSettings {
  /** Name clients send as `model` (`--served-model-name` / `--alias`). Letters, digits and `. _ - / :`. */
  servedModelName: string;
  /** Hugging Face repo id, `owner/name`: a checkpoint for vLLM, a GGUF repo for llama.cpp. */
  repo: string;
  /** Port the server listens on inside the container (`--port`). @default - 8000 for vLLM, 8080 for llama.cpp */
  port?: number;
  /** What the server serves. @default "chat" */
  role?: ServerRole;
}

/** vLLM settings (image `VERSIONS.vllm`). Every knob maps to a `vllm serve` flag of the pinned release. */
export interface VllmSettings extends EngineCommonSettings {
  /** Weight format; a pre-quantized repo's own format. @see https://docs.vllm.ai/en/v0.22.0/features/quantization/ */
  quantization: VllmQuantization;
  /** Quantize 16-bit weights to FP8 while loading (`--quantization fp8`); only with quantization fp8. @default false */
  quantizeOnLoad?: boolean;
  /** KV-cache element type (`--kv-cache-dtype`). @default "auto" */
  kvCacheDtype?: VllmKvCacheDtype;
  /** Longest request, prompt plus output, in tokens (`--max-model-len`). @see https://docs.vllm.ai/en/v0.22.0/cli/serve/ */
  maxModelLen: number;
  /** GPUs one replica shards the model across (`--tensor-parallel-size`). @see https://docs.vllm.ai/en/v0.22.0/serving/parallelism_scaling/ */
  tensorParallelSize: number;
  /** Share of each GPU's memory vLLM may take, in (0, 1] (`--gpu-memory-utilization`). @see https://docs.vllm.ai/en/v0.22.0/configuration/engine_args/ */
  gpuMemoryUtilization: number;
  /** Most sequences in one batch (`--max-num-seqs`). @default - vLLM's: 1024 on GPUs with ≥ 70 GiB (not A100), else 256 */
  maxNumSeqs?: number;
  /** Skip CUDA graph capture (`--enforce-eager`): faster start, slower decode. @default false */
  enforceEager?: boolean;
  /** Automatic prefix caching on (`--enable-prefix-caching`) or off (`--no-enable-prefix-caching`). @default - vLLM's (on for generative models) */
  enablePrefixCaching?: boolean;
  /** Repo revision (commit, tag or branch) of the weights and tokenizer (`--revision`). @default - the default branch at start-up */
  revision?: string;
}

/** llama.cpp `llama-server` settings (image `VERSIONS.llamaCpp`). @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md */
export interface LlamaCppSettings extends EngineCommonSettings {
  /** GGUF file in the repo (`--hf-file`); for split files the `-00001-of-0000N` part. */
  file: string;
  /** Total context in tokens across all slots (`--ctx-size`): per-slot context × `parallelSlots`. */
  contextSize: number;
  /** Requests served at once (`--parallel`). */
  parallelSlots: number;
  /** Layers offloaded to the GPU (`--n-gpu-layers`), with GPUs only. @default - all layers */
  gpuLayers?: number;
  /** KV-cache element type for K and V (`--cache-type-k/-v`); quantized types turn flash attention on. @default "f16" */
  kvCacheDtype?: LlamaCppKvCacheDtype;
  /** Embeddings pooling (`--pooling`), with role embeddings only. @default - the model's */
  pooling?: LlamaCppPooling;
  /** Expose Prometheus metrics at `/metrics` (`--metrics`). @default true */
  metrics?: boolean;
  /** Flash attention (`--flash-attn`). @default - "on" with a quantized KV cache, else "auto" */
  flashAttn?: LlamaCppFlashAttn;
  /** CPU threads for generation (`--threads`); set it to the container's CPU limit. @default - the host's core count */
  threads?: number;
}


/** The TypeScript API's vLLM input; enum values are the union's strings (checked in the tests). */
export function toVllmInput(s: VllmSettings): DockerVllmInput {
  return defined({
    servedModelName: s.servedModelName,
    repo: s.repo,
    port: s.port,
    role: s.role as DockerVllmInput["role"],
    quantization: s.quantization as DockerVllmInput["quantization"],
    quantizeOnLoad: s.quantizeOnLoad,
    kvCacheDtype: s.kvCacheDtype as DockerVllmInput["kvCacheDtype"],
    maxModelLen: s.maxModelLen,
    tensorParallelSize: s.tensorParallelSize,
    gpuMemoryUtilization: s.gpuMemoryUtilization,
    maxNumSeqs: s.maxNumSeqs,
    enforceEager: s.enforceEager,
    enablePrefixCaching: s.enablePrefixCaching,
    revision: s.revision,
  });
}

/** The TypeScript API's llama.cpp input. */
export function toLlamaCppInput(s: LlamaCppSettings): DockerLlamaCppInput {
  return defined({
    servedModelName: s.servedModelName,
    repo: s.repo,
    port: s.port,
    role: s.role as DockerLlamaCppInput["role"],
    file: s.file,
    contextSize: s.contextSize,
    parallelSlots: s.parallelSlots,
    gpuLayers: s.gpuLayers,
    kvCacheDtype: s.kvCacheDtype as DockerLlamaCppInput["kvCacheDtype"],
    pooling: s.pooling as DockerLlamaCppInput["pooling"],
    metrics: s.metrics,
    flashAttn: s.flashAttn as DockerLlamaCppInput["flashAttn"],
    threads: s.threads,
  });
}
