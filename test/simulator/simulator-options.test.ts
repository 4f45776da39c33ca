import { describe, expect, it } from "vitest";
import { createSimulator, DEFAULT_PROFILE, SimulatorOptionsError, type SimulatorOptions } from "../../src/simulator";
import { resolveSimulatorOptions } from "../../src/simulator/simulator-options";

function errorOf(options: SimulatorOptions): SimulatorOptionsError {
  try {
    createSimulator(options);
  } catch (error) {
    if (error instanceof SimulatorOptionsError) return error;
    throw error;
  }
  throw new Error("createSimulator accepted invalid options");
}

describe("simulator options", () => {
  it("lists every invalid option at once, naming value, limit and fix", () => {
    const error = errorOf({
      modelName: " ",
      profile: { ...DEFAULT_PROFILE, decodeMsPerToken: 0, maxNumSeqs: 2.5, maxModelLen: 4096, kvCacheTokens: 1024 },
      embeddingDimensions: 0,
      failures: { errorRate: -0.1 },
    });
    expect(error.issues).toEqual([
      "profile.decodeMsPerToken must be a number > 0 (got 0); e.g. 20 (= 50 tok/s at batch 1)",
      "profile.maxNumSeqs must be an integer ≥ 1 (got 2.5); e.g. 64",
      "profile.kvCacheTokens (1024) is smaller than profile.maxModelLen (4096); vLLM refuses to start in that case: lower maxModelLen or raise kvCacheTokens",
      'modelName must be a non-empty string (got " "); e.g. "Qwen/Qwen2.5-7B-Instruct"',
      "embeddingDimensions must be an integer from 1 to 8192 (got 0); 384 matches small sentence-embedding models",
      "failures.errorRate must be a probability between 0 and 1 (got -0.1); 0.1 fails one request in ten",
    ]);
    expect(error.message.startsWith("Invalid simulator options:\n  - profile.decodeMsPerToken")).toBe(true);
  });

  it("applies defaults in one place: seed 0, no loading, 384 dimensions, no failures", () => {
    const resolved = resolveSimulatorOptions({ modelName: "m", profile: DEFAULT_PROFILE });
    expect(resolved).toMatchObject({ seed: 0, loadingMs: 0, embeddingDimensions: 384, apiKey: undefined });
    expect(resolved.failures).toEqual({
      errorRate: 0,
      disconnectAfterTokens: 1,
      disconnectRate: 0,
      stallMs: 1000,
      stallRate: 0,
      slowStartMs: 0,
    });
  });

  it("turns a failure on when its amount is set without a rate", () => {
    const resolved = resolveSimulatorOptions({ modelName: "m", profile: DEFAULT_PROFILE, failures: { disconnectAfterTokens: 4, stallMs: 50 } });
    expect(resolved.failures).toMatchObject({ disconnectAfterTokens: 4, disconnectRate: 1, stallMs: 50, stallRate: 1 });
  });
});
