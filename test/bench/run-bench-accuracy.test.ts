import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBench, type BenchLevel, type BenchReport } from "../../src/bench";
import { createSimulator, type Simulator, type SimulatorProfile } from "../../src/simulator";

// Decode dominates and prefill is short, so the configured numbers are what a client should see:
// ITL at batch n = 8 ms × (1 + 0.1 × (n − 1)); a ~100-token prompt prefills in ~1 ms.
const PROFILE: SimulatorProfile = {
  prefillTokensPerSecond: 100_000,
  decodeMsPerToken: 8,
  batchSlowdownPerSeq: 0.1,
  maxNumSeqs: 16,
  maxModelLen: 4096,
  kvCacheTokens: 65_536,
};
const OUTPUT_TOKENS = 16;

let sim: Simulator;
let report: BenchReport;
let simulatorMetrics: string;

const level = (c: number): BenchLevel => {
  const found = report.levels.find((l) => l.concurrency === c);
  if (!found) throw new Error(`no level ${c}`);
  return found;
};
const within = (actual: number | undefined, expected: number, tolerance: number): void => {
  expect(actual).toBeGreaterThanOrEqual(expected * (1 - tolerance));
  expect(actual).toBeLessThanOrEqual(expected * (1 + tolerance));
};
const metric = (name: string): number => {
  const line = simulatorMetrics.split("\n").find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(" ").pop());
};

beforeAll(async () => {
  sim = createSimulator({ profile: PROFILE, modelName: "sim-model", seed: 3 });
  const { url } = await sim.listen();
  report = await runBench({ url, concurrency: [1, 4], requests: 12, promptTokens: 100, maxTokens: OUTPUT_TOKENS, warmupRequests: 1 });
  simulatorMetrics = await (await fetch(`${url}/metrics`)).text();
}, 20_000);
afterAll(() => sim.close());

describe("runBench against the simulator reproduces its configured timing", () => {
  it("counts every request and token at both levels with no errors", () => {
    expect(report.model).toBe("sim-model");
    for (const c of [1, 4]) {
      expect(level(c)).toMatchObject({ requests: 12, succeeded: 12, errors: 0, errorRate: 0, outputTokens: 12 * OUTPUT_TOKENS });
    }
    // warm-up + 24 measured requests, as the simulator counted them
    expect(metric("vllm:generation_tokens_total")).toBe(25 * OUTPUT_TOKENS);
  });

  it("measures batch-1 inter-token latency and per-request speed within ±10% of 8 ms and 125 tok/s", () => {
    within(level(1).tpotMs?.mean, 8, 0.1);
    within(level(1).itlMs?.p50, 8, 0.1);
    within(level(1).perRequestTokensPerSecond?.p50, 125, 0.1);
  });

  it("measures batch-1 TTFT as the ~1 ms prefill plus under 6 ms of HTTP and timer overhead", () => {
    expect(level(1).ttftMs?.p50).toBeGreaterThanOrEqual(1);
    expect(level(1).ttftMs?.p50).toBeLessThan(7);
  });

  it("measures batch-1 aggregate throughput within ±15% of 16 tokens per (1 ms + 15 × 8 ms)", () => {
    within(level(1).throughputTokensPerSecond, (OUTPUT_TOKENS / 121) * 1000, 0.15);
  });

  it("measures the batch-4 step of 8 ms × 1.3 = 10.4 ms within ±10%", () => {
    within(level(4).tpotMs?.mean, 10.4, 0.1);
    within(level(4).perRequestTokensPerSecond?.p50, 1000 / 10.4, 0.1);
  });

  it("measures batch-4 aggregate throughput within ±15% of 4 sequences × 1000 / 10.4 tok/s", () => {
    // Each request also spends ~1 step waiting to be admitted, hence 16 tokens per 17 steps.
    within(level(4).throughputTokensPerSecond, ((4 * 1000) / 10.4) * (16 / 17), 0.15);
  });

  it("agrees with the simulator's own TTFT histogram within HTTP and timer overhead (< 10 ms)", () => {
    const simulatorTtftMs = (metric("vllm:time_to_first_token_seconds_sum") / metric("vllm:time_to_first_token_seconds_count")) * 1000;
    const benchTtftMs = (12 * (level(1).ttftMs?.mean ?? 0) + 12 * (level(4).ttftMs?.mean ?? 0)) / 24;
    expect(benchTtftMs).toBeGreaterThanOrEqual(simulatorTtftMs * 0.9);
    expect(benchTtftMs - simulatorTtftMs).toBeLessThan(10);
  });
});

describe("runBench in duration mode", () => {
  it("keeps each worker sending until the duration ends, then reports that level's wall time", async () => {
    const url = `http://127.0.0.1:${(sim.server.address() as { port: number }).port}`;
    const timed = await runBench({ url, model: "sim-model", concurrency: [2], durationMs: 400, maxTokens: 4, warmupRequests: 0 });
    const only = timed.levels[0];
    expect(timed.mode).toEqual({ durationMs: 400 });
    // each request takes ~4 steps of 8.8 ms: two workers finish about 20 in 400 ms
    expect(only?.requests).toBeGreaterThan(10);
    expect(only?.wallSeconds).toBeGreaterThanOrEqual(0.4);
    expect(only?.wallSeconds).toBeLessThan(0.6);
  });
});
