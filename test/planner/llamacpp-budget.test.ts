import { describe, expect, it } from "vitest";
import { llamaCppBudget, type LlamaCppBudgetInput } from "../../src/planner";
import { model } from "./_helpers";

function input(overrides: Partial<LlamaCppBudgetInput>): LlamaCppBudgetInput {
  return {
    model: model("qwen2.5-7b"),
    bitsPerWeight: 4.8944, // Q4_K_M
    gpuLayers: "all",
    contextPerSlot: 4096,
    slots: 4,
    kvBytesPerElement: 2,
    gpuCapacityGiB: 23.58,
    gpuCount: 1,
    ...overrides,
  };
}

describe("llama.cpp budget", () => {
  it("offloads every layer plus the output layer with gpuLayers all, keeping the token embedding on the host", () => {
    const b = llamaCppBudget(input({}));
    const m = model("qwen2.5-7b");
    expect(b.gpuLayers).toBe(29);
    expect(b.kvTokens).toBe(16_384);
    expect(b.gpuKvGiB).toBeCloseTo((16_384 * 57_344) / 1024 ** 3, 10);
    expect(b.hostKvGiB).toBe(0);
    expect(b.hostWeightsGiB).toBeCloseTo(((m.vocab * m.hidden + m.hidden) * 4.8944) / 8 / 1024 ** 3, 10);
    expect(b.gpuWeightsGiB + b.hostWeightsGiB).toBeCloseTo((m.paramsTotal * 4.8944) / 8 / 1024 ** 3, 10);
    expect(b.fits).toBe(true);
  });

  it("moves the KV of layers left on the CPU to host RAM with partial offload", () => {
    const b = llamaCppBudget(input({ gpuLayers: 14 }));
    expect(b.gpuLayers).toBe(14);
    expect(b.gpuKvGiB).toBeCloseTo(b.hostKvGiB, 10); // 14 of 28 layers each side
  });

  it("halves the KV cache with q8_0 (8.5 bits)", () => {
    const f16 = llamaCppBudget(input({}));
    const q8 = llamaCppBudget(input({ kvBytesPerElement: 8.5 / 8 }));
    expect(q8.gpuKvGiB / f16.gpuKvGiB).toBeCloseTo(0.53125, 10);
  });

  it("refuses a model larger than the GPU and names the gpuLayers count that fits", () => {
    const b = llamaCppBudget(input({ model: model("llama-3.1-70b"), gpuCapacityGiB: 23.6, contextPerSlot: 8192, slots: 1 }));
    expect(b.fits).toBe(false);
    expect(b.maxGpuLayersThatFit).toBe(44);
    expect(b.reason).toBe(
      "llama.cpp needs 42.85 GiB of GPU memory for 81 offloaded layers (weights 39.60 + KV 2.50 for 8192 tokens + compute 0.75) " +
        "but has 23.60 GiB. Set gpuLayers to 44 or fewer (the rest runs on the CPU, slower), pick a smaller quantization, " +
        "or lower maxModelLen / parallelSlots.",
    );
    expect(llamaCppBudget(input({ model: model("llama-3.1-70b"), gpuCapacityGiB: 23.6, contextPerSlot: 8192, slots: 1, gpuLayers: 44 })).fits).toBe(true);
  });

  it("puts everything in host RAM on CPU-only hardware and checks it against the host", () => {
    const cpu = input({ model: model("qwen2.5-1.5b"), gpuCapacityGiB: 0, gpuCount: 0, hostRamGiB: 16 });
    const b = llamaCppBudget(cpu);
    expect(b.gpuLayers).toBe(0);
    expect(b.gpuNeededGiB).toBe(0);
    expect(b.hostRamNeededGiB).toBeCloseTo(1.82, 2);
    expect(b.fits).toBe(true);
    const small = llamaCppBudget({ ...cpu, hostRamGiB: 1.5 });
    expect(small.fits).toBe(false);
    expect(small.reason).toBe(
      "llama.cpp needs 1.82 GiB of host RAM (weights 0.88 + KV 0.44 for 16384 tokens + 0.50 runtime) but the host has " +
        "1.50 GiB. Pick a smaller quantization or model, lower maxModelLen / parallelSlots, or add RAM.",
    );
  });
});
