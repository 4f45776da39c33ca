/**
 * @module `llamaCppCommand`: the container args and env of one llama.cpp `llama-server`, for the
 * pinned build (`VERSIONS.llamaCpp`). Long flag names, only forms valid in that build (`-fa` takes
 * a value, `-ngl 999` for "all"), nothing from the deprecated list (`--no-mmap`, `--mlock`, …).
 * Flag reference: shared/reference/llamacpp-flags.json (tools/server/README.md @00dc8057).
 */
import { VERSIONS } from "../versions";
import { IssueList, checkCommonInput } from "./_checks";
import { DEFAULT_CONTAINER_HOST, HF_TOKEN_ENV, type ModelServerCommand, type ModelServerInputBase } from "./model-server-command";

/** llama-server's port through Sep 2026 builds; newer ones move to 9931, so it is always passed. */
export const DEFAULT_LLAMACPP_PORT = 8080;

/** Env var llama-server reads as `--api-key` (no `_ARG_` in it); set it from a secret. */
export const LLAMA_API_KEY_ENV = "LLAMA_API_KEY";

/** `-ngl` value that offloads every layer in every build (`all` exists only in 2026 builds). */
export const ALL_GPU_LAYERS = 999;

/** `--cache-type-k/-v` choices (llamacpp-flags.json). `f16` is the default. */
export const LLAMACPP_KV_CACHE_DTYPES = ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1"] as const;

/** A `--cache-type-k/-v` value. */
export type LlamaCppKvCacheDtype = (typeof LLAMACPP_KV_CACHE_DTYPES)[number];

/** Quantized cache types: a quantized V cache needs flash attention. */
const QUANTIZED_KV = new Set<string>(["q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1"]);

/** `--pooling` values usable with `/v1/embeddings` (`none` is rejected there, `rank` is for rerankers). */
export const LLAMACPP_POOLING = ["mean", "cls", "last"] as const;

/** `--flash-attn` values (a bare `-fa` is the pre-Sep-2025 form and would swallow the next arg). */
export const LLAMACPP_FLASH_ATTN = ["on", "off", "auto"] as const;

/** Input of {@link llamaCppCommand}. Every knob maps to a flag in the server README of the pinned build. */
export interface LlamaCppServerInput extends ModelServerInputBase {
  /**
   * GGUF file in the repo (`--hf-file`, matched case-insensitively). For split files, the
   * `-00001-of-0000N` part; the other parts are downloaded too.
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  file: string;
  /**
   * Total context in tokens across all slots (`--ctx-size`): per-slot context × `parallelSlots`.
   * With an explicit `--parallel` the KV cache is not unified, so each slot gets an equal share.
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  contextSize: number;
  /**
   * Requests served at once (`--parallel`); always passed, because the default is "auto" in 2026
   * builds and 1 before.
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  parallelSlots: number;
  /**
   * Layers offloaded to the GPU (`--n-gpu-layers`); `"all"` → 999. Ignored by the CPU image, so it
   * is only passed when `gpu` is true.
   * @default "all"
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  gpuLayers?: number | "all";
  /**
   * Run the CUDA image (`server-cuda-b<build>`) instead of the CPU one (`server-b<build>`).
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/docs/docker.md
   */
  gpu: boolean;
  /**
   * KV-cache element type for both K and V (`--cache-type-k`, `--cache-type-v`); passed only when
   * not `f16`. Quantized types need flash attention, which is then turned on.
   * @default "f16"
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  kvCacheDtype?: LlamaCppKvCacheDtype;
  /**
   * Pooling for embeddings (`--pooling`), from the model's card. Unset: the GGUF's own metadata.
   * Only with `role: "embeddings"`.
   * @default - the model's
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  pooling?: (typeof LLAMACPP_POOLING)[number];
  /**
   * Expose Prometheus metrics at `/metrics` (`--metrics`; behind the API key when one is set).
   * @default true
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  metrics?: boolean;
  /**
   * Flash attention (`--flash-attn on|off|auto`).
   * @default - "on" with a quantized KV cache, else the build's default ("auto")
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  flashAttn?: (typeof LLAMACPP_FLASH_ATTN)[number];
  /**
   * CPU threads for generation (`--threads`). Set it to the container's CPU limit: the default is
   * the host's core count, which oversubscribes a limited container.
   * @default - the host's hardware concurrency
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/tools/server/README.md
   */
  threads?: number;
}

/**
 * Builds the container args and env of a llama.cpp server. The image's ENTRYPOINT is
 * `/app/llama-server`, so args are server flags directly.
 * @throws {EngineInputError} listing every invalid field.
 * @example
 * llamaCppCommand({ servedModelName: "qwen-1-5b", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
 *   file: "qwen2.5-1.5b-instruct-q4_k_m.gguf", contextSize: 16384, parallelSlots: 4, gpu: false }).args
 * // ["--hf-repo", "Qwen/Qwen2.5-1.5B-Instruct-GGUF", "--hf-file", "qwen2.5-1.5b-instruct-q4_k_m.gguf", …]
 */
export function llamaCppCommand(input: LlamaCppServerInput): ModelServerCommand {
  const port = input.port ?? DEFAULT_LLAMACPP_PORT;
  const host = input.host ?? DEFAULT_CONTAINER_HOST;
  const role = input.role ?? "chat";
  const gpuLayers = input.gpuLayers ?? "all";
  const kvCacheDtype = input.kvCacheDtype ?? "f16";
  const metrics = input.metrics ?? true;
  const quantizedKv = QUANTIZED_KV.has(kvCacheDtype);
  const flashAttn = input.flashAttn ?? (quantizedKv ? "on" : undefined);
  checkLlamaCppInput(input, port, host, gpuLayers, kvCacheDtype, quantizedKv);

  const args = [
    "--hf-repo",
    input.repo,
    "--hf-file",
    input.file,
    "--alias",
    input.servedModelName,
    "--host",
    host,
    "--port",
    String(port),
    "--ctx-size",
    String(input.contextSize),
    "--parallel",
    String(input.parallelSlots),
  ];
  if (input.gpu) args.push("--n-gpu-layers", String(gpuLayers === "all" ? ALL_GPU_LAYERS : gpuLayers));
  if (flashAttn !== undefined) args.push("--flash-attn", flashAttn);
  if (kvCacheDtype !== "f16") args.push("--cache-type-k", kvCacheDtype, "--cache-type-v", kvCacheDtype);
  if (role === "embeddings") {
    args.push("--embeddings");
    if (input.pooling !== undefined) args.push("--pooling", input.pooling);
    // Encoder (non-causal) models must fit a whole input in one micro-batch, else llama-server
    // answers "input is too large to process, increase the physical batch size"; the default
    // ubatch is 512, so size both batches to one slot's context.
    const perSlot = String(Math.floor(input.contextSize / input.parallelSlots));
    args.push("--batch-size", perSlot, "--ubatch-size", perSlot);
  }
  if (input.threads !== undefined) args.push("--threads", String(input.threads));
  if (metrics) args.push("--metrics");

  const secretEnv: string[] = [];
  if (input.hfToken === true) secretEnv.push(HF_TOKEN_ENV);
  if (input.apiKey === true) secretEnv.push(LLAMA_API_KEY_ENV);
  return {
    image: input.gpu ? VERSIONS.llamaCpp.cudaImage : VERSIONS.llamaCpp.cpuImage,
    args,
    env: {},
    secretEnv,
    port,
    // Public even with an API key; 503 while the model loads, 200 when ready (engines.md §2).
    healthPath: "/health",
    metricsPath: "/metrics",
    metricsNeedApiKey: input.apiKey === true && metrics,
  };
}

const MAX = Number.MAX_SAFE_INTEGER;

function checkLlamaCppInput(
  input: LlamaCppServerInput,
  port: number,
  host: string,
  gpuLayers: unknown,
  kvCacheDtype: unknown,
  quantizedKv: boolean,
): void {
  const list = new IssueList();
  checkCommonInput(list, input, port, host, DEFAULT_LLAMACPP_PORT);
  if (typeof input.file !== "string" || !/^[^/\\].*\.gguf$/i.test(input.file) || input.file.includes("..")) {
    list.add({
      field: "file",
      value: input.file,
      problem: "is not a GGUF file name inside the repo",
      allowed: "a relative path ending in .gguf (for split files, the -00001-of-0000N part)",
      fix: "copy the file name from the repo's 'Files' tab, e.g. qwen2.5-1.5b-instruct-q4_k_m.gguf",
    });
  }
  const slotsOk = list.wholeNumber("parallelSlots", input.parallelSlots, 1, MAX, "must be a whole number of slots", "set how many requests run at once, e.g. 4");
  list.wholeNumber(
    "contextSize",
    input.contextSize,
    slotsOk ? input.parallelSlots : 1,
    MAX,
    "must be a whole number of tokens, at least one per slot",
    "set per-slot context × parallelSlots, e.g. 4096 × 4 = 16384",
  );
  if (typeof input.gpu !== "boolean") {
    list.add({
      field: "gpu",
      value: input.gpu,
      problem: "must say whether a GPU is used",
      allowed: "true or false",
      fix: "set true for the CUDA image, false for the CPU image",
    });
  }
  const layersOk =
    gpuLayers === "all" ||
    list.wholeNumber("gpuLayers", gpuLayers, 0, ALL_GPU_LAYERS, "must be a whole number of layers", 'use "all" to offload every layer, or 0 for none');
  if (layersOk && input.gpu === false && gpuLayers !== "all" && gpuLayers !== 0) {
    list.add({
      field: "gpuLayers",
      value: gpuLayers,
      problem: "offloads layers but gpu is false (the CPU image has no GPU backend)",
      allowed: '0 or "all" when gpu is false',
      fix: "set gpu to true, or gpuLayers to 0",
    });
  }
  list.oneOf("kvCacheDtype", kvCacheDtype, LLAMACPP_KV_CACHE_DTYPES, "use f16 (default) or q8_0 to halve the KV cache");
  const flashAttnOk = input.flashAttn === undefined || list.oneOf("flashAttn", input.flashAttn, LLAMACPP_FLASH_ATTN, "use on, off or auto");
  if (flashAttnOk && input.flashAttn === "off" && quantizedKv) {
    list.add({
      field: "flashAttn",
      value: input.flashAttn,
      problem: `a quantized KV cache (${String(kvCacheDtype)}) needs flash attention`,
      allowed: "on or auto with a quantized KV cache",
      fix: "leave flashAttn unset, or use kvCacheDtype f16",
    });
  }
  const poolingOk = input.pooling === undefined || list.oneOf("pooling", input.pooling, LLAMACPP_POOLING, "use the model card's pooling, or leave it unset");
  if (poolingOk && input.pooling !== undefined && (input.role ?? "chat") !== "embeddings") {
    list.add({
      field: "pooling",
      value: input.pooling,
      problem: "only applies to an embeddings server",
      allowed: 'unset unless role is "embeddings"',
      fix: 'set role to "embeddings", or remove pooling',
    });
  }
  if (input.threads !== undefined) {
    list.wholeNumber("threads", input.threads, 1, MAX, "must be a whole number of CPU threads", "set the container's CPU limit, e.g. 4");
  }
  list.throwIfAny("llama.cpp", input.servedModelName);
}
