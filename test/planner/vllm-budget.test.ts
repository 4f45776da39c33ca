import { describe, expect, it } from "vitest";
import { activationPeakGiB, VLLM_MEMORY_PROFILES, vllmBudget, type VllmBudgetInput } from "../../src/planner";
import { model } from "./_helpers";

const V1 = VLLM_MEMORY_PROFILES.v1;

function input(overrides: Partial<VllmBudgetInput>): VllmBudgetInput {
  return {
    model: model("llama-3.1-8b"),
    cudaVisibleGiB: 79.19,
    gpuMemoryUtilization: 0.95,
    tp: 1,
    weightsGiB: 14.96,
    maxModelLen: 8192,
    kvBytesPerTokenPerGpu: 131_072,
    enforceEager: false,
    profile: V1,
    ...overrides,
  };
}

describe("vLLM budget", () => {
  it("subtracts weights, activation and non-torch memory from cudaVisible × gmu (Llama-3.1-8B on H100: 58.13 GiB)", () => {
    const b = vllmBudget(input({}));
    expect(b.budgetGiB).toBeCloseTo(75.2305, 4);
    expect(b.activationGiB).toBe(1.89);
    expect(b.nonTorchGiB).toBe(0.25);
    expect(b.kvCacheGiB).toBeCloseTo(58.1305, 4);
    expect(b.fits).toBe(true);
    expect(b.reason).toBe("");
  });

  it("charges ~2 GiB of NCCL / all-reduce memory per GPU once TP > 1", () => {
    expect(vllmBudget(input({ tp: 2, weightsGiB: 7.48, kvBytesPerTokenPerGpu: 65_536 })).nonTorchGiB).toBe(2.1);
  });

  it("scales the activation peak with max_num_batched_tokens above the 8192 reference", () => {
    const m = model("llama-3.1-8b");
    expect(activationPeakGiB(V1, m, 8192)).toBe(1.89);
    expect(activationPeakGiB(V1, m, 8192, 4096)).toBe(1.89);
    expect(activationPeakGiB(V1, m, 8192, 16_384)).toBeCloseTo(3.78, 10);
  });

  it("sizes the V0 activation by the dummy batch: max_model_len up to 32k, 512 tokens with chunked prefill above", () => {
    const m = model("llama-3.1-8b");
    const perToken = 2 * (3 * 14_336 + 3 * 4096);
    expect(activationPeakGiB(VLLM_MEMORY_PROFILES.v0, m, 20_000)).toBeCloseTo((20_000 * perToken) / 1024 ** 3, 10);
    expect(activationPeakGiB(VLLM_MEMORY_PROFILES.v0, m, 1000)).toBeCloseTo((2048 * perToken) / 1024 ** 3, 10);
    expect(activationPeakGiB(VLLM_MEMORY_PROFILES.v0, m, 35_000)).toBeCloseTo((512 * perToken) / 1024 ** 3, 10);
  });

  it("refuses like vLLM when nothing is left for the cache blocks", () => {
    const b = vllmBudget(input({ cudaVisibleGiB: 22, gpuMemoryUtilization: 0.7 }));
    expect(b.fits).toBe(false);
    expect(b.reason).toBe(
      "No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine. " +
        "(budget 15.40 GiB = 22.00 GiB × 0.7; weights 14.96 + activation 1.89 + non-torch 0.25 GiB leave -1.70 GiB for the KV cache.)",
    );
  });

  it("refuses with vLLM V1's need / have / estimated-length message when one max-length sequence does not fit", () => {
    // Mirrors vllm-project/vllm#25350: Qwen3-30B-A3B with fp8 KV (48 KiB/token), max_model_len 221000.
    const b = vllmBudget(
      input({ model: model("qwen3-30b-a3b"), maxModelLen: 221_000, kvBytesPerTokenPerGpu: 49_152, cudaVisibleGiB: 44.4, weightsGiB: 29.09, gpuMemoryUtilization: 0.9 }),
    );
    expect(b.fits).toBe(false);
    expect(b.kvNeededGiB).toBeCloseTo(10.117, 3);
    expect(b.reason).toBe(
      "To serve at least one request with the model's max seq len (221000), 10.12 GiB KV cache is needed, which is " +
        "larger than the available KV cache memory (7.94 GiB). Based on the available memory, the estimated maximum " +
        "model length is 173440. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
    );
  });

  it("uses vLLM V0's wording under the v0 profile", () => {
    const b = vllmBudget(input({ cudaVisibleGiB: 23.58, gpuMemoryUtilization: 0.9, maxModelLen: 29_000, profile: VLLM_MEMORY_PROFILES.v0 }));
    expect(b.reason).toBe(
      "The model's max seq len (29000) is larger than the maximum number of tokens that can be stored in KV cache (23952). " +
        "Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
    );
  });

  it("wants 1.8 GiB outside the budget for CUDA graphs unless enforceEager", () => {
    const t4 = input({ model: model("llama-3.2-1b"), cudaVisibleGiB: 14.6, gpuMemoryUtilization: 0.9, weightsGiB: 2.3, kvBytesPerTokenPerGpu: 32_768 });
    const b = vllmBudget(t4);
    expect(b.graphHeadroomGiB).toBeCloseTo(1.46, 10);
    expect(b.reason).toBe(
      "CUDA graphs are captured after the KV cache, outside gpu_memory_utilization: 14.60 GiB × (1 − 0.9) leaves 1.46 GiB " +
        "but 1.80 GiB is needed. Set gpuMemoryUtilization to 0.87 or less, or enforceEager: true (slower decode).",
    );
    expect(vllmBudget({ ...t4, enforceEager: true }).fits).toBe(true);
    expect(vllmBudget({ ...t4, gpuMemoryUtilization: 0.87 }).fits).toBe(true);
  });
});
