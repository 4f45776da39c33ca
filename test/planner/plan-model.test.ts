import { describe, expect, it } from "vitest";
import { planModel, PlannerError, type PlanModelRequest } from "../../src/planner";
import { cpuHost, gpuBox, model } from "./_helpers";

function vllm(overrides: Partial<PlanModelRequest> = {}): PlanModelRequest {
  return { model: model("llama-3.1-8b"), engine: "vllm", quantization: "bf16", hardware: gpuBox("H100"), ...overrides };
}

describe("planModel", () => {
  it("plans Llama-3.1-8B on one H100 with the numbers vLLM logs", () => {
    const p = planModel(vllm({ maxModelLen: 8192, gpuMemoryUtilization: 0.95, hardware: gpuBox("H100", 1, { instanceType: "p5.4xlarge" }) }));
    expect(p).toMatchObject({
      fits: true, reason: "fits", tp: 1, gpusPerReplica: 1, gpusUsed: 1, weightsGiB: 14.96, kvCacheGiB: 58.13,
      kvTokens: 476_224, maxConcurrency: 58, activationGiB: 1.89, overheadGiB: 0.25, vllmProfile: "v1",
      monthlyUsd: 5022.4, gpuLayers: null, hostRamGiB: 0,
    });
    expect(p.tokensPerSecond).toBeGreaterThan(p.tokensPerSecondPerSequence);
    expect(p.costPer1MOutputUsd).toBeCloseTo((6.88 / (p.tokensPerSecond * 3600 * 0.5)) * 1e6, 3);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it("defaults max_model_len to the model's maximum, as vLLM does, and refuses when one sequence cannot fit", () => {
    const p = planModel(vllm({ hardware: gpuBox("L4") }));
    expect(p.maxModelLen).toBe(131_072);
    expect(p.fits).toBe(false);
    expect(p.reason).toBe(
      "To serve at least one request with the model's max seq len (131072), 16.00 GiB KV cache is needed, which is " +
        "larger than the available KV cache memory (2.70 GiB). Based on the available memory, the estimated maximum " +
        "model length is 22128. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
    );
    expect(p.suggestions.slice(0, 2)).toEqual([
      "Largest maxModelLen that fits: 22,128 tokens.",
      "With kvCacheDtype fp8: 44,272 tokens of KV (2× capacity).",
    ]);
  });

  it("refuses a model whose weights exceed the GPU and suggests more GPUs or quantized weights (planner-notes §2.5)", () => {
    const p = planModel(vllm({ model: model("qwen3-32b"), hardware: gpuBox("L40S"), maxModelLen: 32_768 }));
    expect(p.fits).toBe(false);
    expect(p.reason).toMatch(/^No available memory for the cache blocks\. /);
    expect(p.suggestions).toEqual([
      "More GPUs: 64 attention heads allow TP 2, 4, 8.",
      "fp8 weights: 32.0 GiB weights/GPU, KV 5.5 GiB/GPU = 22,672 tokens (0.7× at 32768 ctx) — still does not fit",
      "awq weights: 18.0 GiB weights/GPU, KV 19.5 GiB/GPU = 79,872 tokens (2.4× at 32768 ctx)",
    ]);
  });

  it("picks the smallest TP that fits with tp auto", () => {
    const box = gpuBox("H100", 8);
    expect(planModel(vllm({ model: model("llama-3.1-70b"), hardware: box, maxModelLen: 8192 })).tp).toBe(2);
    expect(planModel(vllm({ model: model("llama-3.1-70b"), hardware: box })).tp).toBe(4);
    expect(planModel(vllm({ model: model("llama-3.1-8b"), hardware: box })).tp).toBe(1);
  });

  it("notes that FP8 weights run weight-only on a GPU without FP8 tensor cores, and still plans them", () => {
    const p = planModel(vllm({ quantization: "fp8", hardware: gpuBox("A10G"), maxModelLen: 8192 }));
    expect(p.fits).toBe(true);
    expect(p.notes).toEqual([
      "A10G (CC 8.6) has no FP8 tensor cores: vLLM runs fp8 weights weight-only (Marlin W8A16), same memory, slower prefill.",
    ]);
  });

  it.each([
    [
      "AWQ on llama.cpp",
      { engine: "llamacpp", quantization: "awq" },
      'quantization: "awq" is a Hugging Face checkpoint format that llama.cpp cannot load (got "awq"; llama.cpp loads GGUF: F16, BF16, Q8_0,',
    ],
    [
      "a GGUF type on vLLM",
      { quantization: "Q4_K_M" },
      'quantization: "Q4_K_M" is a GGUF type; vLLM here serves Hugging Face checkpoints (got "Q4_K_M"; vLLM formats: bf16, fp16, fp8, w8a8, awq, gptq, mxfp4). Pick a vLLM format such as awq or fp8, or switch the engine to llamacpp.',
    ],
    [
      "an unknown quantization",
      { quantization: "q4km" },
      'quantization: unknown quantization "q4km" (got "q4km"; did you mean Q4_0, Q4_K_M, IQ2_M?).',
    ],
    [
      "TP not dividing the heads",
      { tp: 3, hardware: gpuBox("H100", 4) },
      "tp: Total number of attention heads (32) must be divisible by tensor parallel size (3) (got 3; llama-3.1-8b allows TP 1, 2, 4, 8).",
    ],
    [
      "more GPUs than the hardware has",
      { tp: 2, replicas: 2, hardware: gpuBox("L4", 2) },
      "replicas: 2 replica(s) × 2 GPU(s) need 4 GPUs but the hardware has 2 (got 2; at most 2 GPUs in total). Lower tp or replicas, or choose hardware with more GPUs.",
    ],
    [
      "vLLM on CPU-only hardware",
      { hardware: cpuHost() },
      'engine: vLLM needs a GPU but the hardware is CPU-only (got "vllm"; llamacpp on CPU-only hardware). Use engine llamacpp with a GGUF quantization (e.g. Q4_K_M), or plan on GPU hardware.',
    ],
    [
      "a context longer than the model's",
      { model: model("qwen2.5-7b"), maxModelLen: 65_536 },
      "maxModelLen: qwen2.5-7b was built for 32768 tokens and vLLM refuses a longer max_model_len (got 65536; at most 32768). Lower maxModelLen, or enable RoPE scaling (YaRN) in the model config first.",
    ],
    [
      "a utilization above 1",
      { utilization: 1.5 },
      "utilization: utilization must be a share of the month above 0 and at most 1 (got 1.5; 0 < utilization ≤ 1). Use e.g. 0.5 for a model busy half the time.",
    ],
    [
      "an unknown vLLM profile",
      { vllmProfile: "v2" as never },
      'vllmProfile: unknown vLLM memory profile "v2" (got "v2"; did you mean v0, v1, v1-early?). Use one of v1, v1-early, v0 ("v1" for current vLLM).',
    ],
  ])("throws a PlannerError for %s", (_what, overrides, message) => {
    const run = () => planModel(vllm(overrides as Partial<PlanModelRequest>));
    expect(run).toThrow(PlannerError);
    expect(run).toThrow(message);
  });

  it("exposes field, value, allowed and fix on PlannerError", () => {
    try {
      planModel(vllm({ tp: 3, hardware: gpuBox("H100", 4) }));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        name: "PlannerError", field: "tp", value: 3, allowed: "llama-3.1-8b allows TP 1, 2, 4, 8",
        fix: 'Pick one of those sizes, or "auto".',
      });
    }
  });

  it("plans the laptop stack's chat model on CPU, bounded by host memory bandwidth", () => {
    const p = planModel({ model: model("qwen2.5-1.5b"), engine: "llamacpp", quantization: "Q4_K_M", hardware: cpuHost(16, 50) });
    expect(p).toMatchObject({
      fits: true, tp: 0, gpusUsed: 0, gpuLayers: 0, maxModelLen: 4096, kvTokens: 16_384, maxConcurrency: 4,
      kvCacheDtype: "f16", weightsTotalGiB: 0.88, hostRamGiB: 1.82, monthlyUsd: null, costPer1MOutputUsd: null,
    });
    const faster = planModel({ model: model("qwen2.5-1.5b"), engine: "llamacpp", quantization: "Q4_K_M", hardware: cpuHost(16, 100) });
    expect(faster.tokensPerSecond).toBeGreaterThan(p.tokensPerSecond * 1.5);
  });

  it("offloads a GGUF fully to a consumer GPU and reports the slots as concurrency", () => {
    const p = planModel({ model: model("qwen2.5-7b"), engine: "llamacpp", quantization: "Q4_K_M", hardware: gpuBox("RTX-3090"), maxModelLen: 8192 });
    expect(p).toMatchObject({ fits: true, gpuLayers: 29, tp: 1, maxConcurrency: 4, kvTokens: 32_768 });
    expect(p.weightsGiB).toBeCloseTo(4.03, 2); // 28 layers + output; the token embedding stays on the host
  });

  it("compares with a cloud API price and reports the break-even utilization", () => {
    const p = planModel(vllm({ maxModelLen: 8192, hardware: gpuBox("L4", 1, { usdPerHour: 0.8048 }), quantization: "awq", cloudPriceUsdPer1MOutput: 0.6 }));
    expect(p.cloudPer1MOutputUsd).toBe(0.6);
    expect(p.breakEvenUtilization).toBeCloseTo((0.8048 * 1e6) / (p.tokensPerSecond * 3600 * 0.6), 3);
  });

  it("reports an embedding model's prefill bound and no decode throughput", () => {
    const p = planModel({ model: model("nomic-embed-text-v1.5"), engine: "llamacpp", quantization: "Q8_0", hardware: cpuHost(), maxModelLen: 2048 });
    expect(p.fits).toBe(true);
    expect(p.tokensPerSecond).toBe(0);
    expect(p.kvTokens).toBe(0);
    expect(p.prefillTokensPerSecond).toBeGreaterThan(0);
  });
});
