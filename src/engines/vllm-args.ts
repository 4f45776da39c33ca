/**
 * @module `vllmCommand`: the container args and env of one vLLM OpenAI-compatible server, for the
 * pinned image (`VERSIONS.vllm`, v0.22.0). Only flags present in that release are emitted; removed
 * ones (`--swap-space`, `--disable-log-requests`, `--task`, …) never are.
 * Flag reference: shared/reference/vllm-flags.json (`vllm serve --help=all` of v0.22.0).
 */
import { VLLM_QUANTIZATIONS } from "../planner/catalog/quantizations";
import { VERSIONS } from "../versions";
import { IssueList, checkCommonInput } from "./_checks";
import { DEFAULT_CONTAINER_HOST, HF_TOKEN_ENV, type ModelServerCommand, type ModelServerInputBase } from "./model-server-command";

/** vLLM's usual port (`--port` default). */
export const DEFAULT_VLLM_PORT = 8000;

/** Env var vLLM reads as `--api-key`; set it from a secret. */
export const VLLM_API_KEY_ENV = "VLLM_API_KEY";

/** Weight formats of vLLM checkpoints: the planner's ids. */
export type VllmQuantization = (typeof VLLM_QUANTIZATIONS)[number]["id"];

/**
 * `--kv-cache-dtype` choices of v0.22.0 (vllm-flags.json). `auto` (the model dtype) and `fp8` are
 * valid in every release; the others are newer or hardware-specific.
 */
export const VLLM_KV_CACHE_DTYPES = [
  "auto",
  "bfloat16",
  "float16",
  "fp8",
  "fp8_ds_mla",
  "fp8_e4m3",
  "fp8_e5m2",
  "fp8_inc",
  "fp8_per_token_head",
  "int8_per_token_head",
  "nvfp4",
  "turboquant_3bit_nc",
  "turboquant_4bit_nc",
  "turboquant_k3v4_nc",
  "turboquant_k8v4",
] as const;

/** A `--kv-cache-dtype` value. */
export type VllmKvCacheDtype = (typeof VLLM_KV_CACHE_DTYPES)[number];

/**
 * How each weight format reaches vLLM. Pre-quantized checkpoints (AWQ, GPTQ, FP8, W8A8, MXFP4)
 * carry `quantization_config` in config.json and are auto-detected; passing `--quantization` that
 * differs from it (e.g. `fp8` for a compressed-tensors FP8 repo) fails at start-up
 * (ModelConfig._verify_quantization; model-sources.md §4). 16-bit repos get an explicit `--dtype`.
 */
const FORMATS = {
  bf16: { dtype: "bfloat16" },
  fp16: { dtype: "half" },
  fp8: {},
  w8a8: {},
  awq: {},
  gptq: {},
  mxfp4: {},
} as const satisfies Record<VllmQuantization, { dtype?: string }>;

/** Input of {@link vllmCommand}. */
export interface VllmServerInput extends ModelServerInputBase {
  /**
   * Weight format, one of the planner's vLLM ids. For a pre-quantized repo this is the checkpoint's
   * own format and no `--quantization` is passed. `bf16` → `--dtype bfloat16`, `fp16` → `--dtype half`.
   * @see https://docs.vllm.ai/en/v0.22.0/features/quantization/
   */
  quantization: VllmQuantization;
  /**
   * The repo holds 16-bit weights that vLLM quantizes to FP8 while loading (`--quantization fp8`,
   * dynamic per-tensor scales). Only with `quantization: "fp8"`; FP8 compute needs compute
   * capability ≥ 8.9 (Ada, Hopper), older GPUs fall back to weight-only FP8.
   * @default false
   * @see https://docs.vllm.ai/en/v0.22.0/features/quantization/fp8/
   */
  quantizeOnLoad?: boolean;
  /**
   * KV-cache element type (`--kv-cache-dtype`, passed only when not `auto`).
   * @default "auto"
   * @see https://docs.vllm.ai/en/v0.22.0/features/quantization/quantized_kvcache/
   */
  kvCacheDtype?: VllmKvCacheDtype;
  /**
   * Longest request, prompt plus output, in tokens (`--max-model-len`).
   * @see https://docs.vllm.ai/en/v0.22.0/cli/serve/
   */
  maxModelLen: number;
  /**
   * GPUs one replica shards the model across (`--tensor-parallel-size`).
   * @see https://docs.vllm.ai/en/v0.22.0/serving/parallelism_scaling/
   */
  tensorParallelSize: number;
  /**
   * Share of each GPU's memory vLLM may take for weights, activations and KV cache, in (0, 1]
   * (`--gpu-memory-utilization`; always passed, because the default moved from 0.9 to 0.92).
   * @see https://docs.vllm.ai/en/v0.22.0/configuration/engine_args/
   */
  gpuMemoryUtilization: number;
  /**
   * Most sequences in one batch (`--max-num-seqs`).
   * @default - vLLM's: 1024 on GPUs with ≥ 70 GiB (not A100), else 256
   * @see https://docs.vllm.ai/en/v0.22.0/configuration/optimization/
   */
  maxNumSeqs?: number;
  /**
   * Skip CUDA graph capture (`--enforce-eager`): faster start, slower decode.
   * @default false
   * @see https://docs.vllm.ai/en/v0.22.0/configuration/engine_args/
   */
  enforceEager?: boolean;
  /**
   * Automatic prefix caching: `true` → `--enable-prefix-caching`, `false` →
   * `--no-enable-prefix-caching`.
   * @default - vLLM's (on for generative models)
   * @see https://docs.vllm.ai/en/v0.22.0/features/automatic_prefix_caching/
   */
  enablePrefixCaching?: boolean;
  /**
   * Repo revision (commit sha, tag or branch) for the weights and the tokenizer (`--revision`,
   * `--tokenizer-revision`).
   * @default - the repo's default branch at start-up
   */
  revision?: string;
}

const REVISION = /^[A-Za-z0-9._/-]+$/;
const MAX = Number.MAX_SAFE_INTEGER;

/**
 * Builds the container args and env of a vLLM server. The image's ENTRYPOINT is `vllm serve`, so the
 * first arg is the model (positional), not `serve`.
 * @throws {EngineInputError} listing every invalid field.
 * @example
 * vllmCommand({ servedModelName: "qwen-7b", repo: "Qwen/Qwen2.5-7B-Instruct-AWQ", quantization: "awq",
 *   maxModelLen: 8192, tensorParallelSize: 1, gpuMemoryUtilization: 0.9 }).args
 * // ["Qwen/Qwen2.5-7B-Instruct-AWQ", "--served-model-name", "qwen-7b", "--host", "0.0.0.0", …]
 */
export function vllmCommand(input: VllmServerInput): ModelServerCommand {
  const port = input.port ?? DEFAULT_VLLM_PORT;
  const host = input.host ?? DEFAULT_CONTAINER_HOST;
  const role = input.role ?? "chat";
  const kvCacheDtype = input.kvCacheDtype ?? "auto";
  const quantizeOnLoad = input.quantizeOnLoad ?? false;
  checkVllmInput(input, port, host, kvCacheDtype, quantizeOnLoad);
  const format: { dtype?: string } = FORMATS[input.quantization];

  const args = [
    input.repo,
    "--served-model-name",
    input.servedModelName,
    "--host",
    host,
    "--port",
    String(port),
    "--tensor-parallel-size",
    String(input.tensorParallelSize),
    "--max-model-len",
    String(input.maxModelLen),
    "--gpu-memory-utilization",
    String(input.gpuMemoryUtilization),
  ];
  if (input.revision !== undefined) args.push("--revision", input.revision, "--tokenizer-revision", input.revision);
  if (format.dtype !== undefined) args.push("--dtype", format.dtype);
  if (quantizeOnLoad) args.push("--quantization", "fp8");
  if (kvCacheDtype !== "auto") args.push("--kv-cache-dtype", kvCacheDtype);
  // `--task embed` is gone; the pooling runner with `--convert auto` also turns a *ForCausalLM
  // embedding model (Qwen3-Embedding) into an embedder, which `--runner auto` would not.
  if (role === "embeddings") args.push("--runner", "pooling");
  if (input.maxNumSeqs !== undefined) args.push("--max-num-seqs", String(input.maxNumSeqs));
  if (input.enforceEager === true) args.push("--enforce-eager");
  if (input.enablePrefixCaching !== undefined) {
    args.push(input.enablePrefixCaching ? "--enable-prefix-caching" : "--no-enable-prefix-caching");
  }

  const secretEnv: string[] = [];
  if (input.hfToken === true) secretEnv.push(HF_TOKEN_ENV);
  if (input.apiKey === true) secretEnv.push(VLLM_API_KEY_ENV);
  return {
    image: VERSIONS.vllm.image,
    args,
    // vLLM reports anonymous usage stats to its maintainers unless opted out; a self-hosted
    // production server should not phone home (docs.vllm.ai/en/v0.22.0/usage/usage_stats/).
    env: { VLLM_NO_USAGE_STATS: "1" },
    secretEnv,
    port,
    healthPath: "/health",
    metricsPath: "/metrics",
    // With --api-key only /v1/* routes are protected; /health and /metrics stay public (engines.md §2).
    metricsNeedApiKey: false,
  };
}

function checkVllmInput(
  input: VllmServerInput,
  port: number,
  host: string,
  kvCacheDtype: unknown,
  quantizeOnLoad: boolean,
): void {
  const list = new IssueList();
  checkCommonInput(list, input, port, host, DEFAULT_VLLM_PORT);
  const formats = Object.keys(FORMATS) as VllmQuantization[];
  const fix = "use the checkpoint's format, e.g. awq for an -AWQ repo, bf16 for an original repo";
  const known = list.oneOf("quantization", input.quantization, formats, fix);
  if (known && quantizeOnLoad && input.quantization !== "fp8") {
    list.add({
      field: "quantizeOnLoad",
      value: quantizeOnLoad,
      problem: `vLLM can only quantize to fp8 while loading, not to ${input.quantization}`,
      allowed: "true only with quantization fp8",
      fix: `use a pre-quantized ${input.quantization} repo with quantizeOnLoad unset, or set quantization to fp8`,
    });
  }
  list.oneOf("kvCacheDtype", kvCacheDtype, VLLM_KV_CACHE_DTYPES, "use auto (the model dtype) or fp8");
  list.wholeNumber("maxModelLen", input.maxModelLen, 1, MAX, "must be a whole number of tokens", "set the context length the planner chose, e.g. 8192");
  list.wholeNumber("tensorParallelSize", input.tensorParallelSize, 1, MAX, "must be a whole number of GPUs", "set the GPUs per replica, e.g. 1, 2, 4 or 8");
  const gmu = input.gpuMemoryUtilization;
  if (typeof gmu !== "number" || !(gmu > 0 && gmu <= 1)) {
    list.add({
      field: "gpuMemoryUtilization",
      value: gmu,
      problem: "must be a share of GPU memory",
      allowed: "more than 0, at most 1",
      fix: "use a fraction such as 0.9",
    });
  }
  if (input.maxNumSeqs !== undefined) {
    list.wholeNumber("maxNumSeqs", input.maxNumSeqs, 1, MAX, "must be a whole number of sequences", "leave it unset for vLLM's default");
  }
  if (input.revision !== undefined && (typeof input.revision !== "string" || !REVISION.test(input.revision))) {
    list.add({
      field: "revision",
      value: input.revision,
      problem: "is not a git revision",
      allowed: "a commit sha, tag or branch (letters, digits, . _ / -)",
      fix: "copy the commit sha from the repo's huggingface.co history page",
    });
  }
  list.throwIfAny("vLLM", input.servedModelName);
}
