import { describe, expect, it } from "vitest";
import { estimateDecode, estimatePrefill, type MemoryTier } from "../../src/planner";

const h100 = (weightBytes: number, kvBytesPerToken = 0): MemoryTier => ({
  weightBytes, kvBytesPerToken, bandwidthGBps: 3350, mbu: 0.7, tflops: 989, flopShare: 1,
});

describe("throughput", () => {
  it("bounds batch-1 decode by bandwidth × MBU (Llama-3.1-8B bf16 on H100: 146 tok/s, planner-notes §3)", () => {
    const d = estimateDecode({ tiers: [h100(16.06e9)], batch: 1, avgContext: 0, activeParams: 8.03e9, parallelDevices: 1 });
    expect(d.perSequence).toBeCloseTo(146.0, 0);
    expect(d.bound).toBe("memory");
  });

  it("adds every running sequence's KV to the bytes each step streams", () => {
    const small = estimateDecode({ tiers: [h100(16.06e9, 131_072)], batch: 32, avgContext: 1024, activeParams: 8.03e9, parallelDevices: 1 });
    const long = estimateDecode({ tiers: [h100(16.06e9, 131_072)], batch: 32, avgContext: 8192, activeParams: 8.03e9, parallelDevices: 1 });
    expect(long.aggregate).toBeLessThan(small.aggregate);
    expect(small.aggregate).toBeCloseTo(32 / ((16.06e9 + 32 * 1024 * 131_072) / (3350e9 * 0.7)), 6);
  });

  it("scales with TP at 85% efficiency per extra GPU", () => {
    const one = estimateDecode({ tiers: [h100(16e9)], batch: 1, avgContext: 0, activeParams: 8e9, parallelDevices: 1 });
    const two = estimateDecode({ tiers: [h100(8e9)], batch: 1, avgContext: 0, activeParams: 8e9, parallelDevices: 2 });
    expect(two.perSequence / one.perSequence).toBeCloseTo(1.7, 10);
  });

  it("turns compute-bound at large batch", () => {
    const d = estimateDecode({ tiers: [h100(16e9)], batch: 256, avgContext: 0, activeParams: 8e9, parallelDevices: 1 });
    expect(d.bound).toBe("compute");
    expect(d.aggregate).toBeCloseTo((989e12 * 0.5) / (2 * 8e9), 6);
  });

  it("bounds prefill by peak × MFU / 2·active params", () => {
    expect(estimatePrefill(8.03e9, 989, 1)).toBeCloseTo(30_791, 0);
    expect(estimatePrefill(8.03e9, 0, 1)).toBe(0);
  });
});
