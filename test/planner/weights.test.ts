import { describe, expect, it } from "vitest";
import { estimateWeights, GIB, requireQuantization, weightsPerGpuGiB } from "../../src/planner";
import { model } from "./_helpers";

describe("weights", () => {
  it.each([
    // [model, quantization, whole-model GiB] — §2.2: embeddings/lm_head stay 16-bit for vLLM formats.
    ["llama-3.1-8b", "bf16", 14.958],
    ["llama-3.1-8b", "fp8", 8.457],
    ["llama-3.1-8b", "awq", 5.333],
    ["llama-3.1-8b", "Q4_K_M", 4.575],
    ["llama-3.1-8b", "Q8_0", 7.947],
    ["qwen2.5-7b", "awq", 5.189],
    ["llama-3.1-70b", "fp8", 67.666],
    ["mixtral-8x7b", "bf16", 86.993],
    ["gpt-oss-20b", "mxfp4", 12.807],
  ])("sizes %s in %s at %f GiB", (id, quant, gib) => {
    expect(estimateWeights(model(id), requireQuantization(quant)).totalGiB).toBeCloseTo(gib, 2);
  });

  it("keeps embeddings and lm_head in 16 bit for AWQ", () => {
    const w = estimateWeights(model("llama-3.1-8b"), requireQuantization("awq"));
    expect(w.sixteenBitParams).toBe(2 * 128_256 * 4096);
    expect(w.totalBytes).toBe(w.sixteenBitParams * 2 + (w.quantizedParams * (4 + 16 / 128 + 4 / 128)) / 8);
  });

  it("quantizes only the experts for MXFP4 and everything at the file rate for GGUF", () => {
    const mx = estimateWeights(model("gpt-oss-20b"), requireQuantization("mxfp4"));
    expect(mx.quantizedParams).toBe(19_116_933_120);
    const gguf = estimateWeights(model("qwen2.5-7b"), requireQuantization("q4_k_m"));
    expect(gguf.sixteenBitParams).toBe(0);
    expect(gguf.totalBytes).toBeCloseTo((7_615_616_512 * 4.8944) / 8, 0);
  });

  it("shards every weight across TP ranks", () => {
    const m = model("qwen2.5-72b");
    const q = requireQuantization("bf16");
    expect(weightsPerGpuGiB(m, q, 2)).toBeCloseTo(weightsPerGpuGiB(m, q, 1) / 2, 10);
    expect(weightsPerGpuGiB(m, q, 1)).toBeCloseTo((72_706_203_648 * 2) / GIB, 10);
  });

  it("rejects an unknown quantization with the nearest names", () => {
    expect(() => requireQuantization("q4km")).toThrow(
      'quantization: unknown quantization "q4km" (got "q4km"; did you mean Q4_0, Q4_K_M, IQ2_M?). Use one of',
    );
  });
});
