import { describe, expect, it } from "vitest";
import {
  assertTensorParallel,
  chooseTensorParallel,
  headsDivisibilityMessage,
  isKvHeadFriendly,
  validTensorParallelSizes,
} from "../../src/planner";
import { model } from "./_helpers";

describe("tensor parallelism", () => {
  it.each([
    ["llama-3.1-8b", 8, [1, 2, 4, 8]],
    ["llama-3.1-8b", 4, [1, 2, 4]],
    ["qwen2.5-7b", 8, [1, 2, 4]], // 28 heads forbid TP 8
    ["phi-4", 8, [1, 2]], // 10 KV heads: TP 4 and 8 cannot shard them
    ["qwen2.5-0.5b", 8, [1, 2]], // 14 heads
  ] as const)("offers %s on %i GPUs TP %j", (id, gpus, sizes) => {
    expect(validTensorParallelSizes(model(id), gpus)).toEqual(sizes);
  });

  it("states vLLM's divisibility rule word for word", () => {
    expect(headsDivisibilityMessage(model("llama-3.1-8b"), 3)).toBe(
      "Total number of attention heads (32) must be divisible by tensor parallel size (3).",
    );
  });

  it("rejects TP 3 for a 32-head model with vLLM's message and the sizes that work", () => {
    expect(() => assertTensorParallel(model("llama-3.1-8b"), 3, 4)).toThrow(
      "tp: Total number of attention heads (32) must be divisible by tensor parallel size (3) " +
        '(got 3; llama-3.1-8b allows TP 1, 2, 4, 8). Pick one of those sizes, or "auto".',
    );
  });

  it("rejects a TP size that cannot shard the KV heads (phi-4 exits at TP 4 in vLLM 0.19)", () => {
    expect(() => assertTensorParallel(model("phi-4"), 4, 8)).toThrow(
      "tp: TP 4 cannot shard phi-4's 10 KV heads (vLLM's QKV layer needs n_kv % tp == 0 or tp % n_kv == 0) " +
        '(got 4; phi-4 allows TP 1, 2, 5). Pick one of those sizes, or "auto".',
    );
  });

  it("rejects more GPUs than the hardware has", () => {
    expect(() => assertTensorParallel(model("llama-3.1-8b"), 4, 2)).toThrow(
      "tp: 1 replica(s) × 4 GPU(s) need 4 GPUs but the hardware has 2 (got 4; at most 2 GPUs in total). " +
        "Lower tp or replicas, or choose hardware with more GPUs.",
    );
  });

  it("calls TP kv-head friendly when it splits or evenly replicates the KV heads", () => {
    expect(isKvHeadFriendly(model("phi-4"), 2)).toBe(true); // 10 KV heads
    expect(isKvHeadFriendly(model("phi-4"), 4)).toBe(false);
    expect(isKvHeadFriendly(model("qwen2.5-7b"), 8)).toBe(true); // 4 KV heads, replicated twice
  });

  it("picks the smallest fitting size, preferring kv-head-friendly ones, else the largest to explain the refusal", () => {
    const friendly = (tp: number) => tp !== 2;
    expect(chooseTensorParallel([1, 2, 4, 8], (tp) => tp >= 2, friendly)).toBe(4);
    expect(chooseTensorParallel([1, 2, 4, 8], (tp) => tp >= 2, () => true)).toBe(2);
    expect(chooseTensorParallel([1, 2, 4], () => false, () => true)).toBe(4);
    expect(chooseTensorParallel([], () => true, () => true)).toBeUndefined();
  });
});
