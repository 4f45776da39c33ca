import { describe, expect, it } from "vitest";
import { planStack, PlannerError, type StackModelRequest } from "../../src/planner";
import { cpuHost, gpuBox, model } from "./_helpers";

const chat: StackModelRequest = {
  name: "chat", model: model("qwen2.5-7b"), engine: "vllm", quantization: "awq", maxModelLen: 8192, tp: 1, replicas: 2,
};
const big: StackModelRequest = {
  name: "big", model: model("llama-3.1-70b"), engine: "vllm", quantization: "fp8", maxModelLen: 8192, tp: 4,
};

describe("planStack", () => {
  it("bills the instance once and shares it between models by GPUs", () => {
    const s = planStack({ hardware: gpuBox("L40S", 4, { instanceType: "g6e.12xlarge" }), volumeGiB: 200, models: [chat] });
    expect(s.fits).toBe(true);
    expect(s.gpusUsed).toBe(2);
    expect(s.gpusAvailable).toBe(4);
    expect(s.monthlyUsd).toBeCloseTo(10.49264 * 730 + 200 * 0.08, 2);
    expect(s.models[0]).toMatchObject({ name: "chat", replicas: 2, gpusUsed: 2 });
    expect(s.models[0]?.monthlyUsd).toBeCloseTo((s.monthlyUsd ?? 0) / 2, 1);
    expect(s.priceSnapshot).toEqual({
      region: "us-east-1", date: "2025-06", source: "https://github.com/skypilot-org/skypilot-catalog/blob/master/catalogs/v8/aws/vms.csv",
    });
  });

  it("refuses replicas that do not fit the GPUs, naming the models and counts", () => {
    const s = planStack({ hardware: gpuBox("L40S", 4, { instanceType: "g6e.12xlarge" }), models: [chat, big] });
    expect(s.fits).toBe(false);
    expect(s.gpusUsed).toBe(6);
    expect(s.reason).toBe(
      "GPUs: the models need 6 GPUs (chat 2×1, big 1×4; replicas × GPUs each) but 1 instance(s) × 4 GPU(s) cannot hold " +
        "them. Add instances, lower replicas or tp, or use bigger instances.",
    );
  });

  it("spreads replicas over several instances, one replica never split across two", () => {
    const two = planStack({ hardware: gpuBox("L40S", 4, { instanceType: "g6e.12xlarge" }), instances: 2, models: [chat, big] });
    expect(two.fits).toBe(true);
    expect(two.gpusAvailable).toBe(8);
    expect(two.monthlyUsd).toBeCloseTo(2 * 10.49264 * 730, 2);
    // 12 GPUs in all, but a 4-GPU replica cannot straddle two 6-GPU boxes: only two of three fit.
    const odd = planStack({ hardware: gpuBox("L40S", 6), instances: 2, models: [{ ...chat, replicas: 3, tp: 4 }] });
    expect(odd.gpusUsed).toBe(odd.gpusAvailable);
    expect(odd.fits).toBe(false);
    expect(odd.reason).toMatch(/^GPUs: the models need 12 GPUs \(chat 3×4;/);
  });

  it("sums host RAM of llama.cpp models on the laptop stack and refuses when the host is too small", () => {
    const models: StackModelRequest[] = [
      { name: "chat", model: model("qwen2.5-1.5b"), engine: "llamacpp", quantization: "Q4_K_M" },
      { name: "embed", model: model("nomic-embed-text-v1.5"), engine: "llamacpp", quantization: "Q8_0", maxModelLen: 2048 },
    ];
    const ok = planStack({ hardware: cpuHost(16), models });
    expect(ok.fits).toBe(true);
    expect(ok.hostRamGiB).toBeCloseTo(2.46, 2);
    expect(ok.monthlyUsd).toBeNull();
    const tight = planStack({ hardware: cpuHost(2), models });
    expect(tight.fits).toBe(false);
    expect(tight.reason).toBe(
      "Host RAM: llama.cpp models need 2.46 GiB together but the hardware has 2.00 GiB. Use smaller quantizations, " +
        "fewer slots or a bigger host.",
    );
  });

  it("lists every model refusal, one per line, under its name", () => {
    const s = planStack({ hardware: gpuBox("L4"), models: [{ name: "huge", model: model("qwen3-32b"), engine: "vllm", quantization: "bf16", maxModelLen: 8192 }] });
    expect(s.fits).toBe(false);
    expect(s.reason.split("\n")[0]).toMatch(/^huge: No available memory for the cache blocks\./);
  });

  it("prefixes a model's PlannerError with its index", () => {
    const run = () => planStack({ hardware: gpuBox("L4"), models: [chat, { ...chat, name: "gguf", engine: "llamacpp" }] });
    expect(run).toThrow(PlannerError);
    expect(run).toThrow(/^models\[1\]\.quantization: "awq" is a Hugging Face checkpoint format/);
  });

  it("rejects duplicate model names", () => {
    expect(() => planStack({ hardware: gpuBox("L4", 2), models: [chat, chat] })).toThrow(
      'models[1].name: duplicate model name (got "chat"; unique names). Rename one of the models.',
    );
  });

  it("returns null cost, never $0, for an instance without an on-demand price", () => {
    const s = planStack({ hardware: gpuBox("H200", 8, { instanceType: "p5e.48xlarge" }), models: [big] });
    expect(s.monthlyUsd).toBeNull();
    expect(s.models[0]?.costPer1MOutputUsd).toBeNull();
  });
});
