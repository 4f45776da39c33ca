import { describe, expect, it } from "vitest";
import { profileFromPlan, SimulatorOptionsError } from "../../src/simulator";

describe("profileFromPlan", () => {
  it("reads tokensPerSecond as batch-1 speed when no per-sequence speed is given", () => {
    const profile = profileFromPlan({ tokensPerSecond: 50, prefillTokensPerSecond: 8000, maxConcurrency: 4, kvTokens: 65_536 });
    expect(profile).toEqual({
      prefillTokensPerSecond: 8000,
      decodeMsPerToken: 20,
      batchSlowdownPerSeq: 0.02,
      maxNumSeqs: 256,
      maxModelLen: 8192,
      kvCacheTokens: 65_536,
    });
  });

  it("reproduces the plan's aggregate decode speed at the plan's own batch", () => {
    // planModel style: 1000 tok/s aggregate at 25 tok/s per sequence → a batch of 40
    const plan = { tokensPerSecond: 1000, tokensPerSecondPerSequence: 25, prefillTokensPerSecond: 9000, maxConcurrency: 12, kvTokens: 200_000, maxModelLen: 16_384 };
    const profile = profileFromPlan(plan, { batchSlowdownPerSeq: 0.05 });
    const stepAt40 = profile.decodeMsPerToken * (1 + profile.batchSlowdownPerSeq * 39);
    expect(stepAt40).toBeCloseTo(40, 9);
    expect((40 / stepAt40) * 1000).toBeCloseTo(1000, 6);
    expect(profile.maxModelLen).toBe(16_384);
  });

  it("emulates one replica when the plan covers several", () => {
    const profile = profileFromPlan({ tokensPerSecond: 100, prefillTokensPerSecond: 16_000, maxConcurrency: 4, kvTokens: 32_768, replicas: 2 });
    expect(profile.decodeMsPerToken).toBeCloseTo(20, 9);
    expect(profile.prefillTokensPerSecond).toBe(8000);
  });

  it("lets explicit overrides win over planned numbers", () => {
    const profile = profileFromPlan(
      { tokensPerSecond: 50, prefillTokensPerSecond: 8000, maxConcurrency: 4, kvTokens: 65_536 },
      { maxNumSeqs: 32, overrides: { decodeMsPerToken: 5, maxModelLen: 4096 } },
    );
    expect(profile).toMatchObject({ decodeMsPerToken: 5, maxNumSeqs: 32, maxModelLen: 4096 });
  });

  it("refuses a plan without decode speed, saying why", () => {
    expect(() => profileFromPlan({ tokensPerSecond: 0, prefillTokensPerSecond: 8000, maxConcurrency: 0, kvTokens: 0 })).toThrow(
      new SimulatorOptionsError([
        "plan.tokensPerSecond must be > 0 (got 0); the plan has no decode speed (does the model fit?)",
      ]),
    );
  });
});
