import { describe, expect, it } from "vitest";
import { formatBenchTable, type BenchReport } from "../../src/bench";

const s = (p50: number, p99: number) => ({ count: 4, mean: p50, p50, p95: p99, p99, max: p99 });
const REPORT: BenchReport = {
  endpoint: "http://127.0.0.1:8000/v1/chat/completions",
  model: "Qwen/Qwen2.5-7B-Instruct",
  stream: true,
  promptTokens: 300,
  maxTokens: 150,
  mode: { requests: 4 },
  startedAt: "2026-01-01T00:00:00.000Z",
  interrupted: false,
  warmup: { requests: 2, errors: 0 },
  levels: [
    {
      concurrency: 8, requests: 4, succeeded: 3, errors: 1, errorRate: 0.25,
      errorReasons: { http_500: 1 }, errorSamples: { http_500: "Simulated engine failure" },
      wallSeconds: 2, outputTokens: 450, throughputTokensPerSecond: 225.5, requestsPerSecond: 1.5,
      ttftMs: s(40, 90), itlMs: s(21, 35), tpotMs: s(21, 22), e2eMs: s(3200, 3900), perRequestTokensPerSecond: s(47.6, 50),
    },
  ],
  knee: { kneeConcurrency: 8, recommendedMaxConcurrency: null, reason: "At concurrency 8, 25% of requests failed (limit 1%)." },
};

describe("formatBenchTable", () => {
  it("prints one aligned row per level, the error reasons and the verdict", () => {
    const text = formatBenchTable(REPORT);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Bench http://127.0.0.1:8000/v1/chat/completions — model Qwen/Qwen2.5-7B-Instruct");
    expect(lines[1]).toBe("4 requests/level, ~300 prompt tokens, max_tokens 150, streaming");
    expect(lines[3]).toBe("conc  reqs  err%  out tok/s  req/s  TTFT p50/p99 ms  ITL p50/p99 ms   E2E p50/p95/p99 s  tok/s/req p50");
    expect(lines[4]).toBe("   8     4  25.0      225.5   1.50          40 / 90         21 / 35  3.20 / 3.90 / 3.90           47.6");
    expect(text).toContain("  c=8: 1 × http_500 — Simulated engine failure");
    expect(text).toContain("Knee at concurrency 8: At concurrency 8, 25% of requests failed (limit 1%).");
    expect(text).toContain("Recommended max concurrency: none (every level failed)");
  });
});
