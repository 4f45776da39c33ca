import { describe, expect, it } from "vitest";
import { findGpu, findInstance, GPUS, INSTANCES, PRICE_SNAPSHOT } from "../../../src/planner";

describe("GPU catalog", () => {
  it("holds the 14 reference GPUs, each with a source", () => {
    expect(GPUS).toHaveLength(14);
    for (const g of GPUS) expect(g.source.length, g.id).toBeGreaterThan(20);
  });

  it.each([
    ["h100", "H100"],
    ["H100", "H100"],
    ["NVIDIA H100", "H100"],
    ["h100-sxm", "H100"],
    ["RTX-3090", "RTX-3090"],
    ["rtx 3090", "RTX-3090"],
    ["rtx3090", "RTX-3090"],
    ["GeForce RTX 4090", "RTX-4090"],
    ["A100-80GB", "A100-80GB"],
    ["a100 80gb", "A100-80GB"],
    ["a100-40g", "A100-40GB"],
    ["l40s", "L40S"],
    ["Tesla T4", "T4"],
    ["rtx-pro-6000", "RTX-PRO-6000-Server"],
  ])("finds %s as %s", (name, id) => {
    expect(findGpu(name)?.id).toBe(id);
  });

  it("does not guess between the two A100 sizes", () => {
    expect(findGpu("a100")).toBeUndefined();
  });

  it("uses the measured CUDA totals where a vLLM log exists", () => {
    expect(findGpu("H100")?.cudaVisibleGiB).toBe(79.19);
    expect(findGpu("RTX-3090")?.cudaVisibleGiB).toBe(23.58);
  });

  it("marks FP8 support from compute capability 8.9 up", () => {
    for (const g of GPUS) expect(g.supportsFp8, g.id).toBe(Number(g.computeCapability) >= 8.9);
  });
});

describe("instance catalog", () => {
  it("holds 46 AWS sizes whose GPU is in the GPU catalog", () => {
    expect(INSTANCES).toHaveLength(46);
    for (const i of INSTANCES) expect(findGpu(i.gpu)?.id, i.instanceType).toBe(i.gpu);
  });

  it("dates and sources every price", () => {
    expect(PRICE_SNAPSHOT).toMatchObject({ region: "us-east-1", date: "2025-06" });
    for (const i of INSTANCES) {
      expect(i.priceDate).toBe(PRICE_SNAPSHOT.date);
      expect(i.priceSource).toContain("skypilot-catalog");
    }
  });

  it("keeps p5e.48xlarge without an on-demand price rather than $0", () => {
    const p5e = findInstance("p5e.48xlarge");
    expect(p5e?.usdPerHour).toBeUndefined();
    expect(INSTANCES.filter((i) => i.usdPerHour === undefined).map((i) => i.instanceType)).toEqual(["p5e.48xlarge"]);
    expect(INSTANCES.some((i) => i.usdPerHour === 0)).toBe(false);
  });

  it.each([
    ["g4dn.xlarge", "T4", 1, 0.526],
    ["g6.xlarge", "L4", 1, 0.8048],
    ["g6e.12xlarge", "L40S", 4, 10.49264],
    ["p5.48xlarge", "H100", 8, 55.04],
    ["P4D.24XLARGE", "A100-40GB", 8, 21.957642],
  ])("prices %s (%s ×%i) at %f USD/h", (type, gpu, count, price) => {
    expect(findInstance(type)).toMatchObject({ gpu, gpuCount: count, usdPerHour: price });
  });
});
