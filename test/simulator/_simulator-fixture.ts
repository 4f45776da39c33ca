/** @module Shared fixture of the simulator tests: fast profiles and a listening simulator. */
import OpenAI from "openai";
import { createSimulator, type Simulator, type SimulatorOptions, type SimulatorProfile } from "../../src/simulator";

/** Fast engine: 2 ms per token at batch 1, prefill 100k tok/s, 8 sequences. */
export const FAST_PROFILE: SimulatorProfile = {
  prefillTokensPerSecond: 100_000,
  decodeMsPerToken: 2,
  batchSlowdownPerSeq: 0,
  maxNumSeqs: 8,
  maxModelLen: 2048,
  kvCacheTokens: 65_536,
};

export const MODEL = "Qwen/Qwen2.5-7B-Instruct";

/** A listening simulator with an SDK client pointed at it. */
export interface RunningSimulator {
  sim: Simulator;
  url: string;
  client: OpenAI;
}

/** Starts a simulator on 127.0.0.1:0; call `sim.close()` in afterEach/afterAll. */
export async function startSimulator(overrides: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const sim = createSimulator({ profile: FAST_PROFILE, modelName: MODEL, seed: 7, ...overrides });
  const { url } = await sim.listen();
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: overrides.apiKey ?? "unused", maxRetries: 0, timeout: 10_000 });
  return { sim, url, client };
}
