/**
 * @module GPU catalog: memory, bandwidth and tensor throughput of the GPUs the kit plans for, and
 * lookup that forgives case and punctuation ("h100", "RTX-3090", "rtx 3090", "A100-80GB").
 * Source: shared/reference/gpus.json (each row cites its datasheet / measurement).
 */
import { SKYPILOT_SNAPSHOT } from "./instances";

export { findInstance, INSTANCES, PRICE_SNAPSHOT, type InstanceSpec } from "./instances";

/** One GPU model. */
export interface GpuSpec {
  /** Catalog id, e.g. `H100`, `RTX-4090`. */
  readonly id: string;
  /** Marketing name. */
  readonly name: string;
  /** Other spellings `findGpu` accepts (compared without case or punctuation). */
  readonly aliases: readonly string[];
  /** Memory on the box, marketing GB (1e9). */
  readonly memoryGB: number;
  /**
   * Total memory CUDA reports (`torch.cuda.mem_get_info`), GiB: what vLLM multiplies by
   * gpu_memory_utilization. Measured where a log exists (H100 79.19, RTX 3090 23.58), else approximate.
   */
  readonly cudaVisibleGiB: number;
  /** Peak DRAM/HBM bandwidth, GB/s (1e9). */
  readonly bandwidthGBps: number;
  /** Dense BF16 tensor TFLOPS (no sparsity), or null when the GPU lacks BF16 / no figure exists. */
  readonly bf16Tflops: number | null;
  /** Dense FP16 tensor TFLOPS, or null. */
  readonly fp16Tflops: number | null;
  /** Dense FP8 tensor TFLOPS, or null without FP8 tensor cores. */
  readonly fp8Tflops: number | null;
  /** CUDA compute capability, e.g. "8.9". */
  readonly computeCapability: string;
  /** BF16 supported (vLLM refuses bf16 below CC 8.0; use fp16 there). */
  readonly supportsBf16: boolean;
  /** FP8 tensor cores (CC ≥ 8.9). Without them vLLM runs FP8 checkpoints weight-only (Marlin W8A16). */
  readonly supportsFp8: boolean;
  /** GeForce card (not sold by clouds). */
  readonly consumer: boolean;
  /** Where the numbers come from. */
  readonly source: string;
}

/** Every GPU in the catalog. */
export const GPUS: readonly GpuSpec[] = [
  {
    id: "T4",
    name: "NVIDIA T4",
    aliases: ["tesla-t4"],
    memoryGB: 16,
    cudaVisibleGiB: 14.6,
    bandwidthGBps: 320,
    bf16Tflops: null, fp16Tflops: 65, fp8Tflops: null,
    computeCapability: "7.5",
    supportsBf16: false, supportsFp8: false,
    consumer: false,
    source:
      "NVIDIA T4 datasheet values as tabulated in github.com/winston-zhang-orz/gpu-specs " +
      "specs.md (FP16 65, INT8 130); bandwidth 320 GB/s from NVIDIA T4 datasheet; " +
      "aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "A10G",
    name: "NVIDIA A10G (AWS g5)",
    aliases: [],
    memoryGB: 24,
    cudaVisibleGiB: 22.0,
    bandwidthGBps: 600,
    bf16Tflops: 70, fp16Tflops: 70, fp8Tflops: null,
    computeCapability: "8.6",
    supportsBf16: true, supportsFp8: false,
    consumer: false,
    source:
      "A10 datasheet (600 GB/s, 125 TFLOPS BF16) per github.com/astroC86/gpu-datasheet README; " +
      "A10G memory 22888 MiB from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "L4",
    name: "NVIDIA L4",
    aliases: [],
    memoryGB: 24,
    cudaVisibleGiB: 22.0,
    bandwidthGBps: 300,
    bf16Tflops: 121, fp16Tflops: 121, fp8Tflops: 242,
    computeCapability: "8.9",
    supportsBf16: true, supportsFp8: true,
    consumer: false,
    source:
      "NVIDIA L4 datasheet values tabulated in github.com/winston-zhang-orz/gpu-specs specs.md " +
      "(BF16 121/242 sparse, FP8 242/485 sparse); bandwidth 300 GB/s (same table / NVIDIA " +
      "datasheet); aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "L40S",
    name: "NVIDIA L40S",
    aliases: [],
    memoryGB: 48,
    cudaVisibleGiB: 44.4,
    bandwidthGBps: 864,
    bf16Tflops: 362, fp16Tflops: 362, fp8Tflops: 733,
    computeCapability: "8.9",
    supportsBf16: true, supportsFp8: true,
    consumer: false,
    source:
      "github.com/winston-zhang-orz/gpu-specs specs.md (from NVIDIA L40S datasheet); 864 GB/s " +
      "also in github.com/lijun99/GPU-Resources NVIDIA_GPU_SM.md; aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "A100-40GB",
    name: "NVIDIA A100 40GB SXM4 (AWS p4d)",
    aliases: ["a100-40g", "a100-sxm4-40gb"],
    memoryGB: 40,
    cudaVisibleGiB: 39.4,
    bandwidthGBps: 1555,
    bf16Tflops: 312, fp16Tflops: 312, fp8Tflops: null,
    computeCapability: "8.0",
    supportsBf16: true, supportsFp8: false,
    consumer: false,
    source:
      "NVIDIA A100 datasheet via github.com/astroC86/gpu-datasheet (40 GB, 1.55 TB/s, 312 " +
      "TFLOPS FP16/BF16) and github.com/winston-zhang-orz/gpu-specs; aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "A100-80GB",
    name: "NVIDIA A100 80GB SXM4 (AWS p4de)",
    aliases: ["a100-80g", "a100-sxm4-80gb"],
    memoryGB: 80,
    cudaVisibleGiB: 79.2,
    bandwidthGBps: 2039,
    bf16Tflops: 312, fp16Tflops: 312, fp8Tflops: null,
    computeCapability: "8.0",
    supportsBf16: true, supportsFp8: false,
    consumer: false,
    source:
      "NVIDIA A100 datasheet (2,039 GB/s SXM) as quoted in several GitHub spec tables (e.g. " +
      "citsjtu2020/LLM-Prof hardware_spec.md NVIDIA_A100_SXM4_80GB); aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "H100",
    name: "NVIDIA H100 80GB SXM5 (AWS p5)",
    aliases: ["h100-80gb", "h100-sxm", "h100-sxm5", "h100-80gb-hbm3"],
    memoryGB: 80,
    cudaVisibleGiB: 79.19,
    bandwidthGBps: 3350,
    bf16Tflops: 989, fp16Tflops: 989, fp8Tflops: 1979,
    computeCapability: "9.0",
    supportsBf16: true, supportsFp8: true,
    consumer: false,
    source:
      "NVIDIA H100 datasheet (3.35 TB/s; 1979 BF16 sparse) via github.com/astroC86/gpu-" +
      "datasheet; dense values per citsjtu2020/LLM-Prof hardware_spec.md (FP16 989e12); CUDA " +
      "total 79.19 GiB from jgchn/llm-d-planner accuracy/results/v0.19.0/results_raw.csv; " +
      "aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "H200",
    name: "NVIDIA H200 141GB SXM (AWS p5e/p5en)",
    aliases: ["h200-141gb", "h200-sxm"],
    memoryGB: 141,
    cudaVisibleGiB: 139.8,
    bandwidthGBps: 4800,
    bf16Tflops: 989, fp16Tflops: 989, fp8Tflops: 1979,
    computeCapability: "9.0",
    supportsBf16: true, supportsFp8: true,
    consumer: false,
    source:
      "NVIDIA H200 datasheet (141 GB, 4.8 TB/s) via github.com/astroC86/gpu-datasheet; dense " +
      "FP16 989e12 per citsjtu2020/LLM-Prof hardware_spec.md; aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "B200",
    name: "NVIDIA B200 (HGX, AWS p6-b200)",
    aliases: [],
    memoryGB: 180,
    cudaVisibleGiB: 178.4,
    bandwidthGBps: 8000,
    bf16Tflops: 2250, fp16Tflops: 2250, fp8Tflops: 4500,
    computeCapability: "10.0",
    supportsBf16: true, supportsFp8: true,
    consumer: false,
    source:
      "citsjtu2020/LLM-Prof hardware_spec.md NVIDIA_B200 (8000 GB/s, FP16 2250e12, INT8 " +
      "4500e12); 'HGX B200 2.25 PFLOPS BF16 dense' GPU & Network Constants table found via code" +
      " search; aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "RTX-PRO-6000-Server",
    name: "NVIDIA RTX PRO 6000 Blackwell Server (AWS g7e)",
    aliases: ["rtx-pro-6000", "rtx-pro-6000-blackwell"],
    memoryGB: 96,
    cudaVisibleGiB: 94.5,
    bandwidthGBps: 1792,
    bf16Tflops: null, fp16Tflops: null, fp8Tflops: null,
    computeCapability: "12.0",
    supportsBf16: true, supportsFp8: true,
    consumer: false,
    source:
      "bandwidth 1,792 GB/s and 96 GB from github.com/lijun99/GPU-Resources NVIDIA_GPU_SM.md; " +
      "aws_reported_mib from" +
      SKYPILOT_SNAPSHOT,
  },
  {
    id: "RTX-3090",
    name: "NVIDIA GeForce RTX 3090",
    aliases: ["3090"],
    memoryGB: 24,
    cudaVisibleGiB: 23.58,
    bandwidthGBps: 936,
    bf16Tflops: 71, fp16Tflops: 71, fp8Tflops: null,
    computeCapability: "8.6",
    supportsBf16: true, supportsFp8: false,
    consumer: true,
    source:
      "bandwidth 936 GB/s: RahulSChand/gpu_poor src/gpu_config.json; tensor TFLOPS: NVIDIA " +
      "GA102 (Ampere) whitepaper figures (not re-read); usable memory: vllm-project/vllm issue " +
      "#10517 log 'total_gpu_memory=23.58GiB'",
  },
  {
    id: "RTX-4060",
    name: "NVIDIA GeForce RTX 4060 (8 GB)",
    aliases: ["4060"],
    memoryGB: 8,
    cudaVisibleGiB: 7.6,
    bandwidthGBps: 272,
    bf16Tflops: 30, fp16Tflops: 30, fp8Tflops: 60,
    computeCapability: "8.9",
    supportsBf16: true, supportsFp8: true,
    consumer: true,
    source:
      "272 GB/s: NVIDIA RTX 4060 spec page (not re-read); 4060 Ti 288 GB/s: " +
      "RahulSChand/gpu_poor src/gpu_config.json; vLLM on an 8 GB 4060 reports total_gpu_memory " +
      "8.00GiB (vllm-project/vllm#13882)",
  },
  {
    id: "RTX-4090",
    name: "NVIDIA GeForce RTX 4090",
    aliases: ["4090"],
    memoryGB: 24,
    cudaVisibleGiB: 23.6,
    bandwidthGBps: 1008,
    bf16Tflops: 165.2, fp16Tflops: 165.2, fp8Tflops: 330.3,
    computeCapability: "8.9",
    supportsBf16: true, supportsFp8: true,
    consumer: true,
    source:
      "bandwidth ~1000 GB/s and FP32 82.58 TFLOPS: RahulSChand/gpu_poor src/gpu_config.json; " +
      "tensor figures: NVIDIA Ada Lovelace architecture whitepaper (not re-read)",
  },
  {
    id: "RTX-5090",
    name: "NVIDIA GeForce RTX 5090",
    aliases: ["5090"],
    memoryGB: 32,
    cudaVisibleGiB: 31.4,
    bandwidthGBps: 1792,
    bf16Tflops: 209.5, fp16Tflops: 209.5, fp8Tflops: 419,
    computeCapability: "12.0",
    supportsBf16: true, supportsFp8: true,
    consumer: true,
    source:
      "NVIDIA RTX Blackwell GPU architecture whitepaper / 5090 spec page (from memory, not re-" +
      "read); vLLM runs on 5090 documented in vllm-project/vllm#14452",
  },
];

/** Lower case, without vendor words or punctuation: "NVIDIA GeForce RTX-3090" → "rtx3090". */
function key(name: string): string {
  return name.toLowerCase().replace(/nvidia|geforce|tesla/g, "").replace(/[^a-z0-9]/g, "");
}

const BY_KEY = new Map<string, GpuSpec>();
for (const gpu of GPUS) for (const name of [gpu.id, ...gpu.aliases]) BY_KEY.set(key(name), gpu);

/**
 * Finds a GPU by id or alias, ignoring case, spaces, dashes and vendor words.
 * @example findGpu("rtx 3090")?.id // "RTX-3090"
 */
export function findGpu(name: string): GpuSpec | undefined {
  return BY_KEY.get(key(name));
}

/** GPU ids, for "did you mean" suggestions. */
export const GPU_IDS: readonly string[] = GPUS.map((g) => g.id);
