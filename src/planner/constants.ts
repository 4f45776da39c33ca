/**
 * @module Every default and tuning constant of the planner, in one place (STYLE R4), each with
 * its source. vLLM's version-dependent memory constants live in `vllm-profiles.ts`.
 */

/** Bytes in a GiB (vLLM and llama.cpp both report GiB while printing "GB" in older logs). */
export const GIB = 1024 ** 3;

/**
 * Hours in a billing month, the Infracost convention.
 * @see https://github.com/infracost/infracost (internal/output/testdata: "730 hours")
 */
export const HOURS_PER_MONTH = 730;

/**
 * EBS gp3 storage, USD per GB-month, us-east-1 on-demand. Not in the price snapshot: AWS list
 * price recalled in shared/reference/planner-notes.md §5 (marked "memory"); re-check before quoting.
 * @see https://aws.amazon.com/ebs/pricing/
 */
export const GP3_USD_PER_GB_MONTH = 0.08;

/**
 * vLLM's default share of GPU memory it may use.
 * @see https://docs.vllm.ai/en/latest/configuration/engine_args.html (--gpu-memory-utilization)
 */
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/** vLLM's paged KV-cache block, in tokens (`--block-size` default on CUDA). */
export const KV_BLOCK_SIZE = 16;

/**
 * CUDA graphs are captured after the KV cache is allocated, outside the gpu_memory_utilization
 * budget (measured 0.5–1.8 GiB per GPU, llm-d-planner v0.19 results_raw.csv). The planner wants
 * `cudaVisible × (1 − gmu) ≥ reserve + margin` unless `enforceEager` (planner-notes.md §1, §2.3).
 */
export const CUDA_GRAPH_RESERVE_GIB = 1.5;
/** Extra headroom on top of the CUDA-graph reserve (driver/allocator fragmentation). */
export const CUDA_GRAPH_MARGIN_GIB = 0.3;

/**
 * vLLM's default `--max-num-seqs`; caps the decode batch the throughput estimate assumes.
 * @see https://docs.vllm.ai/en/latest/configuration/engine_args.html
 */
export const VLLM_MAX_NUM_SEQS = 256;

/** TP sizes the planner tries, smallest first (vLLM needs the TP size to divide the heads). */
export const TENSOR_PARALLEL_CANDIDATES = [1, 2, 4, 8] as const;

/**
 * Per-slot context llama-server used by default before `-c 0` (= n_ctx_train) became the default
 * (shared/reference/llamacpp-flags.json `--ctx-size`: "Older builds (mid-2025) defaulted to 4096").
 */
export const DEFAULT_LLAMACPP_CONTEXT = 4096;
/** llama-server `--parallel` slots the kit starts with (config default). */
export const DEFAULT_LLAMACPP_PARALLEL_SLOTS = 4;

/**
 * GPU memory llama.cpp needs beyond weights and KV: CUDA context plus compute buffers. Logs show
 * "CUDA0 compute buffer size = 105.00 MiB" at n_ctx 512 (mozilla-ai/llamafile#552) and a few
 * hundred MiB at 8k; the CUDA context adds ~0.3 GiB. Conservative single figure.
 */
export const LLAMACPP_GPU_OVERHEAD_GIB = 0.75;
/** Host RAM llama-server uses beyond weights and KV (CPU compute buffer, process, tokenizer). */
export const LLAMACPP_HOST_OVERHEAD_GIB = 0.5;

/**
 * Host RAM bandwidth assumed when the hardware does not say (dual-channel DDR4/DDR5 desktop,
 * ~50 GB/s; same default as the stack config's `hostMemoryBandwidthGBps`).
 */
export const DEFAULT_HOST_MEMORY_BANDWIDTH_GBPS = 50;

/**
 * CPU peak for prefill when the hardware gives none: 8 cores × 3.5 GHz × 32 FP32 FLOP/cycle
 * (two 256-bit FMA units) ≈ 0.9 TFLOPS. Derivation, not a measurement.
 */
export const DEFAULT_CPU_TFLOPS = 0.9;

/**
 * Memory-bandwidth utilisation (achieved / peak) for the decode roofline. Databricks' "LLM
 * Inference Performance Engineering" defines MBU; vLLM/TRT-LLM reach 0.6–0.85, llama.cpp less
 * (planner-notes.md §3).
 */
export const MBU = { vllm: 0.7, llamacpp: 0.6, cpu: 0.5 } as const;

/** Model FLOPs utilisation for the prefill bound (0.4–0.6 typical; planner-notes.md §3). */
export const MFU = 0.5;

/** Scaling efficiency of each extra tensor-parallel GPU (all-reduce cost; 80–90%, planner-notes §3). */
export const TP_EFFICIENCY = 0.85;

/** Share of the month a model is busy generating, for cost per 1M output tokens. */
export const DEFAULT_UTILIZATION = 0.5;

/**
 * Average share of `maxModelLen` a sequence holds while decoding, for the KV bytes each decode
 * step streams. Half-full is the mean of a sequence growing from empty to full.
 */
export const DECODE_CONTEXT_SHARE = 0.5;
