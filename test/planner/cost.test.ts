import { describe, expect, it } from "vitest";
import { breakEvenUtilization, costPer1MOutputUsd, hourlyRate, monthlyCostUsd } from "../../src/planner";
import { gpuBox } from "./_helpers";

describe("cost", () => {
  it.each([
    [{ usdPerHour: 0.8048 }, 587.504],
    [{ usdPerHour: 0.8048, volumeGiB: 200 }, 603.504],
    [{ usdPerHour: 10.49264, instances: 2, volumeGiB: 100 }, 2 * (10.49264 * 730 + 8)],
  ])("bills %j at %f USD/month (730 h, gp3 $0.08/GB-month)", (inputs, usd) => {
    expect(monthlyCostUsd(inputs)).toBeCloseTo(usd, 6);
  });

  it("returns null, never $0, when the hourly rate is unknown", () => {
    expect(monthlyCostUsd({ usdPerHour: undefined, volumeGiB: 500 })).toBeNull();
    expect(costPer1MOutputUsd(undefined, 100)).toBeNull();
  });

  it("takes the instance's on-demand price when no rate is given, and none for p5e.48xlarge", () => {
    expect(hourlyRate(gpuBox("H100", 8, { instanceType: "p5.48xlarge" }))).toBe(55.04);
    expect(hourlyRate(gpuBox("H100", 8, { instanceType: "p5.48xlarge", usdPerHour: 40 }))).toBe(40);
    expect(hourlyRate(gpuBox("H200", 8, { instanceType: "p5e.48xlarge" }))).toBeUndefined();
  });

  it("prices 1M output tokens at a stated utilization", () => {
    expect(costPer1MOutputUsd(1, 100, 0.5)).toBeCloseTo(5.5556, 4);
    expect(costPer1MOutputUsd(1, 100, 1)).toBeCloseTo(2.7778, 4);
    expect(costPer1MOutputUsd(1, 0)).toBeNull();
  });

  it("finds the utilization where self-hosting matches a cloud price", () => {
    expect(breakEvenUtilization(1, 100, 10)).toBeCloseTo(0.2778, 4);
    expect(breakEvenUtilization(1, 100, undefined)).toBeNull();
  });
});
