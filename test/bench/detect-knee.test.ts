import { describe, expect, it } from "vitest";
import { detectKnee, type KneePoint } from "../../src/bench";

const curve = (rows: Array<[number, number, number]>): KneePoint[] =>
  rows.map(([concurrency, throughput, p99]) => ({ concurrency, throughput, p99 }));

describe("detectKnee", () => {
  it("finds no knee on a linear curve and recommends the highest level, asking to test higher", () => {
    const result = detectKnee(curve([[1, 50, 3], [2, 100, 3.1], [4, 200, 3.2], [8, 400, 3.4], [16, 800, 3.8]]));
    expect(result).toEqual({
      kneeConcurrency: null,
      recommendedMaxConcurrency: 16,
      reason: "No knee up to concurrency 16: throughput kept growing or p99 stayed flat; test higher concurrency to find the limit.",
    });
  });

  it("puts the knee where a saturating curve flattens while p99 climbs", () => {
    const result = detectKnee(curve([[4, 200, 3], [8, 380, 3.5], [16, 640, 4.4], [32, 690, 8.1], [64, 700, 16]]));
    expect(result).toEqual({
      kneeConcurrency: 32,
      recommendedMaxConcurrency: 16,
      reason: "From concurrency 16 to 32, throughput grew 8% (< 10%) while p99 latency grew 84% (> 50%).",
    });
  });

  it("ignores noise: small throughput dips with a flat p99 are not a knee", () => {
    const result = detectKnee(curve([[1, 100, 2.0], [2, 96, 2.1], [3, 104, 2.05], [4, 99, 2.2], [5, 101, 2.1]]));
    expect(result.kneeConcurrency).toBeNull();
    expect(result.recommendedMaxConcurrency).toBe(5);
  });

  it("does not call a knee while throughput still grows strongly, even if p99 doubles", () => {
    const result = detectKnee(curve([[8, 400, 2], [16, 700, 4], [32, 1100, 8]]));
    expect(result.kneeConcurrency).toBeNull();
  });

  it("treats a throughput drop with a p99 jump as a knee, whatever the input order", () => {
    const result = detectKnee(curve([[32, 600, 20], [8, 800, 5], [16, 900, 7]]));
    expect(result).toMatchObject({ kneeConcurrency: 32, recommendedMaxConcurrency: 16 });
  });

  it("stops at the first level failing more than 1% of requests", () => {
    const points: KneePoint[] = [
      { concurrency: 8, throughput: 400, p99: 2, errorRate: 0 },
      { concurrency: 16, throughput: 700, p99: 2.5, errorRate: 0.005 },
      { concurrency: 32, throughput: 900, p99: 3, errorRate: 0.04 },
    ];
    expect(detectKnee(points)).toEqual({
      kneeConcurrency: 32,
      recommendedMaxConcurrency: 16,
      reason: "At concurrency 32, 4% of requests failed (limit 1%).",
    });
  });

  it("recommends nothing when the lowest level already has no successful request", () => {
    expect(detectKnee([{ concurrency: 4, throughput: 0, p99: null, errorRate: 1 }])).toEqual({
      kneeConcurrency: 4,
      recommendedMaxConcurrency: null,
      reason: "At concurrency 4, no request succeeded; the lowest tested level already fails: test lower concurrency or fix the errors first.",
    });
  });

  it("says a single level cannot show a knee", () => {
    expect(detectKnee(curve([[8, 400, 2]]))).toEqual({
      kneeConcurrency: null,
      recommendedMaxConcurrency: 8,
      reason: "Only one level (concurrency 8) was measured; sweep several (e.g. --concurrency 4,8,16,32) to find a knee.",
    });
    expect(detectKnee([]).recommendedMaxConcurrency).toBeNull();
  });
});
