import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EngineScheduler, type FinishedSequence, type SequenceRequest } from "../../src/simulator/engine-scheduler";
import type { SimulatorProfile } from "../../src/simulator";

const PROFILE: SimulatorProfile = {
  prefillTokensPerSecond: 100_000,
  decodeMsPerToken: 4,
  batchSlowdownPerSeq: 0.25,
  maxNumSeqs: 8,
  maxModelLen: 4096,
  kvCacheTokens: 65_536,
};

let scheduler: EngineScheduler | undefined;
// Fake timers and clock make the engine's timeline exact and independent of machine load.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "performance"] });
});
afterEach(() => {
  scheduler?.close();
  vi.useRealTimers();
});

/** Runs the fake clock until every timer has fired, then returns the awaited values. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return promise;
}

/** Runs sequences to completion; resolves with what the observer saw. */
function harness(profile: SimulatorProfile) {
  const finished: FinishedSequence[] = [];
  const gaps: number[] = [];
  let maxRunning = 0;
  const s = new EngineScheduler(profile, {
    onFinish: (f) => finished.push(f),
    onInterTokenLatency: (ms) => gaps.push(ms),
  });
  scheduler = s;
  const run = (spec: Partial<SequenceRequest> & { promptTokens: number; outputTokens: number }, tag = "") =>
    new Promise<{ tag: string; tokens: number; reason: string; at: number }>((resolve) => {
      let tokens = 0;
      s.submit({
        finishReason: "length",
        stallMs: 0,
        ...spec,
        onToken: () => {
          tokens += 1;
          maxRunning = Math.max(maxRunning, s.runningCount);
        },
        onFinish: (reason) => resolve({ tag, tokens, reason, at: performance.now() }),
      });
    });
  return { s, run, finished, gaps, maxRunning: () => maxRunning };
}

describe("EngineScheduler (continuous batching)", () => {
  it("prefills the admitted prompts in one step, then steps at decodeMs × (1 + slowdown × (n − 1))", async () => {
    const h = harness(PROFILE);
    const results = await settle(Promise.all([0, 1, 2, 3].map(() => h.run({ promptTokens: 500, outputTokens: 10 }))));
    expect(results.map((r) => r.tokens)).toEqual([10, 10, 10, 10]);
    // 4 × 500 prompt tokens at 100k tok/s = 20 ms, one step; then 9 decode steps of 4 × 1.75 = 7 ms.
    for (const f of h.finished) {
      expect(f.prefillMs).toBeCloseTo(20, 6);
      expect(f.decodeMs).toBeCloseTo(63, 6);
      expect(f.reason).toBe("length");
    }
    expect(h.gaps).toHaveLength(36);
    for (const gap of h.gaps) expect(gap).toBeCloseTo(7, 6);
  });

  it("spreads a long prompt over steps with chunked prefill, so running streams keep their pace", async () => {
    const h = harness({ ...PROFILE, prefillTokensPerSecond: 10_000, batchSlowdownPerSeq: 0, maxNumBatchedTokens: 101 });
    const long = new Promise<FinishedSequence | undefined>((resolve) => {
      void h.run({ promptTokens: 10, outputTokens: 12 }).then(() => undefined);
      setTimeout(() => {
        void h.run({ promptTokens: 500, outputTokens: 1 }).then(() => resolve(h.finished.find((f) => f.promptTokens === 500)));
      }, 10);
    });
    const finished = await settle(long);
    // 500 prompt tokens at 100 per step (1 decode token + 100): 5 steps of 4 ms + 10 ms of prefill each
    expect(finished?.prefillMs).toBeCloseTo(5 * 14, 6);
    // no step of the running stream grew by more than one chunk's prefill (100 tokens = 10 ms)
    expect(Math.max(...h.gaps)).toBeCloseTo(14, 6);
  });

  it("runs at most maxNumSeqs sequences and admits the waiting ones first-come first-served", async () => {
    const h = harness({ ...PROFILE, maxNumSeqs: 2, batchSlowdownPerSeq: 0 });
    const order: string[] = [];
    const runs = ["a", "b", "c", "d"].map((tag, i) =>
      h.run({ promptTokens: 10, outputTokens: i === 0 ? 3 : 6 }, tag).then((r) => order.push(r.tag)),
    );
    expect(h.s.waitingCount).toBe(4);
    await settle(Promise.all(runs));
    expect(h.maxRunning()).toBe(2);
    expect(order).toEqual(["a", "b", "c", "d"]);
    const queued = h.finished.map((f) => f.queueMs);
    // c waits for a's 2 decode steps after the shared prefill, d for b's 5 (4 ms each)
    expect(queued[2]).toBeGreaterThanOrEqual(8);
    expect(queued[3]).toBeGreaterThanOrEqual(20);
    expect(queued[0]).toBeLessThan(5);
  });

  it("holds a sequence back while its prompt + output would overflow the KV cache", async () => {
    const h = harness({ ...PROFILE, maxModelLen: 1000, kvCacheTokens: 1000 });
    const first = h.run({ promptTokens: 600, outputTokens: 5 }, "first");
    const second = h.run({ promptTokens: 600, outputTokens: 5 }, "second");
    await vi.advanceTimersByTimeAsync(5);
    expect(h.s.runningCount).toBe(1);
    expect(h.s.waitingCount).toBe(1);
    const [a, b] = await settle(Promise.all([first, second]));
    expect(b.at).toBeGreaterThanOrEqual(a.at);
    // The second is admitted in the step that starts when the first ends.
    expect(h.finished[1]?.queueMs).toBe(h.finished[0]?.e2eMs);
  });

  it("frees the slot of an aborted sequence and reports it as abort", async () => {
    const h = harness({ ...PROFILE, maxNumSeqs: 1 });
    let id = 0;
    const aborted = new Promise<string>((resolve) => {
      id = h.s.submit({
        promptTokens: 10,
        outputTokens: 1000,
        finishReason: "length",
        stallMs: 0,
        onToken: (index) => {
          if (index === 2) h.s.abort(id);
        },
        onFinish: resolve,
      });
    });
    const next = h.run({ promptTokens: 10, outputTokens: 2 });
    expect(await settle(aborted)).toBe("abort");
    expect((await settle(next)).reason).toBe("length");
    expect(h.finished[0]).toMatchObject({ reason: "abort", generatedTokens: 3 });
  });

  it("pauses a stalled sequence after its first token while the others keep decoding", async () => {
    const h = harness({ ...PROFILE, batchSlowdownPerSeq: 0 });
    const [stalled, normal] = await settle(Promise.all([
      h.run({ promptTokens: 10, outputTokens: 4, stallMs: 60 }, "stalled"),
      h.run({ promptTokens: 10, outputTokens: 4 }, "normal"),
    ]));
    expect(normal.at).toBeLessThan(stalled.at);
    const stalledDecode = h.finished.find((f) => f.decodeMs > 60);
    expect(stalledDecode?.decodeMs).toBeGreaterThanOrEqual(60 + 2 * 4);
  });

  it("drives 128 concurrent sequences of 50 tokens with one timer, in exactly 1 prefill + 49 decode steps", async () => {
    const h = harness({ ...PROFILE, maxNumSeqs: 256, decodeMsPerToken: 2, batchSlowdownPerSeq: 0 });
    const started = performance.now();
    const all = Promise.all(Array.from({ length: 128 }, () => h.run({ promptTokens: 10, outputTokens: 50 })));
    let mostTimers = 0;
    for (let t = 0; t < 200; t += 1) {
      mostTimers = Math.max(mostTimers, vi.getTimerCount());
      await vi.advanceTimersByTimeAsync(1);
    }
    const results = await all;
    expect(mostTimers).toBe(1);
    expect(results.every((r) => r.tokens === 50)).toBe(true);
    // 128 × 10 prompt tokens at 100k tok/s = 12.8 ms, then 49 steps of 2 ms; timers wake on whole ms
    const last = Math.max(...results.map((r) => r.at)) - started;
    expect(last).toBeGreaterThanOrEqual(12.8 + 49 * 2);
    expect(last).toBeLessThanOrEqual(12.8 + 49 * 2 + 1);
    expect(h.gaps.every((g) => Math.abs(g - 2) < 1e-9)).toBe(true);
  });
});
