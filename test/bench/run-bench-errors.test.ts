import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BenchOptionsError, BenchTargetError, runBench } from "../../src/bench";
import { startSimulator, type RunningSimulator } from "../simulator/_simulator-fixture";

let running: RunningSimulator | undefined;
let stub: Server | undefined;
afterEach(async () => {
  await running?.sim.close();
  running = undefined;
  await new Promise((r) => (stub ? stub.close(r) : r(undefined)));
  stub = undefined;
});

/** A server that answers every chat request with the given raw SSE body. */
async function sseStub(body: string): Promise<string> {
  stub = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(body);
    });
  });
  await new Promise<void>((r) => stub?.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
}

const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const quick = { model: "m", concurrency: [2], requests: 4, maxTokens: 4, warmupRequests: 0 };

describe("runBench counts failures as errors, by reason", () => {
  it("observes an injected error rate of 0.5 as about half of the requests failing with http_500", async () => {
    running = await startSimulator({ seed: 5, failures: { errorRate: 0.5 } });
    const report = await runBench({ url: running.url, concurrency: [4], requests: 40, maxTokens: 3, warmupRequests: 0 });
    const level = report.levels[0];
    const injected = running.sim.stats().injected.errors;
    expect(level?.errors).toBe(injected);
    expect(level?.errorRate).toBeGreaterThanOrEqual(0.3);
    expect(level?.errorRate).toBeLessThanOrEqual(0.7);
    expect(level?.errorReasons).toEqual({ http_500: injected });
    expect(level?.errorSamples.http_500).toBe("Simulated engine failure (failures.errorRate=0.5).");
    expect(level?.succeeded).toBe(40 - injected);
    expect(report.knee.reason).toMatch(/^At concurrency 4, \d+% of requests failed \(limit 1%\); the lowest tested level already fails/);
  });

  it("counts streams the server cuts mid-way as disconnected", async () => {
    running = await startSimulator({ failures: { disconnectAfterTokens: 2 } });
    const report = await runBench({ ...quick, model: undefined, url: running.url });
    expect(report.levels[0]).toMatchObject({ requests: 4, errors: 4, errorReasons: { disconnected: 4 } });
  });

  it("counts a stream that ends without data: [DONE] as incomplete_stream", async () => {
    const url = await sseStub(chunk("a") + chunk("b"));
    const report = await runBench({ ...quick, url });
    expect(report.levels[0]?.errorReasons).toEqual({ incomplete_stream: 4 });
    expect(report.levels[0]?.errorSamples.incomplete_stream).toBe("the stream ended without data: [DONE] after 2 content chunks");
  });

  it("counts an SSE error event as stream_error with the server's message", async () => {
    const url = await sseStub(chunk("a") + `data: ${JSON.stringify({ error: { message: "engine died" } })}\n\n`);
    const report = await runBench({ ...quick, url });
    expect(report.levels[0]?.errorReasons).toEqual({ stream_error: 4 });
    expect(report.levels[0]?.errorSamples.stream_error).toBe("engine died");
  });

  it("counts requests past the per-request deadline as timeout", async () => {
    running = await startSimulator({ failures: { stallMs: 1000 } });
    const report = await runBench({ ...quick, url: running.url, model: undefined, requests: 2, timeoutMs: 150 });
    expect(report.levels[0]?.errorReasons).toEqual({ timeout: 2 });
  });

  it("stops with a clear error when every warm-up request fails (wrong API key)", async () => {
    running = await startSimulator({ apiKey: "sk-right" });
    const error = await runBench({ url: running.url, model: "Qwen/Qwen2.5-7B-Instruct", apiKey: "sk-wrong", requests: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchTargetError);
    expect((error as Error).message).toBe(
      `Every warm-up request to ${running.url}/v1/chat/completions failed; first: http_401: ` +
        "Invalid or missing API key: send `Authorization: Bearer <key>`. Check --url, --model and --api-key.",
    );
  });

  it("stops with a clear error when the models list cannot be read", async () => {
    const error = await runBench({ url: "http://127.0.0.1:1", requests: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchTargetError);
    expect((error as Error).message).toBe(
      "Cannot list models at http://127.0.0.1:1/v1/models (connect ECONNREFUSED 127.0.0.1:1); check --url and --api-key, or pass --model.",
    );
  });

  it("refuses invalid options with every problem listed", async () => {
    const error = await runBench({ url: "ftp://x", concurrency: [0, 4, 4], durationMs: 1000, requests: 5, maxTokens: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BenchOptionsError);
    expect((error as BenchOptionsError).issues).toEqual([
      'url must be an http(s) URL (got "ftp://x"); e.g. http://127.0.0.1:8000 or http://router:8080/v1',
      "concurrency must be integers from 1 to 1024 (got [0,4,4]); e.g. 8,16,32",
      "duration and requests are exclusive (got both); pick one way to size each level",
      "maxTokens must be an integer ≥ 1 (got 0); e.g. 150",
    ]);
  });
});

describe("runBench modes", () => {
  it("measures non-stream requests without TTFT or ITL, taking tokens from usage", async () => {
    running = await startSimulator();
    const report = await runBench({ ...quick, model: undefined, url: `${running.url}/v1/`, stream: false });
    expect(report.stream).toBe(false);
    expect(report.endpoint).toBe(`${running.url}/v1/chat/completions`);
    expect(report.levels[0]).toMatchObject({ succeeded: 4, outputTokens: 16, ttftMs: null, itlMs: null, tpotMs: null });
    expect(report.levels[0]?.e2eMs?.count).toBe(4);
  });

  it("sends dataset prompts with their own max_tokens", async () => {
    running = await startSimulator();
    const dataset = [
      { messages: [{ role: "user", content: "first" }], maxTokens: 2 },
      { messages: [{ role: "user", content: "second" }] },
    ];
    const report = await runBench({ ...quick, model: undefined, url: running.url, dataset, requests: 4 });
    // two prompts cycled twice: 2 + 4 tokens each round
    expect(report.levels[0]?.outputTokens).toBe(12);
    expect(report.promptTokens).toBeNull();
  });

  it("stops between levels when its signal aborts, marking the report interrupted", async () => {
    running = await startSimulator();
    const stop = new AbortController();
    const report = await runBench({
      ...quick,
      model: undefined,
      url: running.url,
      concurrency: [1, 2, 4],
      onProgress: (p) => {
        if (p.phase === "level" && p.concurrency === 2) stop.abort();
      },
      signal: stop.signal,
    });
    expect(report.interrupted).toBe(true);
    expect(report.levels.map((l) => l.concurrency)).toEqual([1, 2]);
    expect(report.levels[1]?.errors).toBe(0);
  });
});
