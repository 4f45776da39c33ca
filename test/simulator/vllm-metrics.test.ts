import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { buckets125 } from "../../src/simulator/vllm-metrics";
import { FAST_PROFILE, MODEL, startSimulator, type RunningSimulator } from "./_simulator-fixture";

interface ReferenceMetric {
  name: string;
  type: string;
  exposed_series: string[];
  labels: string[];
}
// A copy of shared/reference/vllm-metrics.json (names read from vLLM's PrometheusStatLogger; see its "source").
const REFERENCE = JSON.parse(readFileSync(join(__dirname, "fixtures", "vllm-metrics.json"), "utf8")) as {
  metrics: ReferenceMetric[];
};
const SERIES = new Map(REFERENCE.metrics.flatMap((m) => m.exposed_series.map((s) => [s, m] as const)));

let running: RunningSimulator | undefined;
afterEach(async () => {
  await running?.sim.close();
  running = undefined;
});

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return res.text();
}

/** Value of one sample line, e.g. sample(text, 'vllm:generation_tokens_total{model_name="m",engine="0"}'). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no sample ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

const labels = `model_name="${MODEL}",engine="0"`;

describe("simulator /metrics uses vLLM's real metric names", () => {
  it("exports only series that vllm-metrics.json lists, with its types and labels", async () => {
    running = await startSimulator();
    await running.client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 3 });
    const text = await scrape(running.url);
    const samples = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(samples.length).toBeGreaterThan(50);
    for (const line of samples) {
      const name = /^[^{ ]+/.exec(line)?.[0] ?? "";
      const reference = SERIES.get(name);
      expect(reference, `${name} is not a vLLM series`).toBeDefined();
      const labelNames = [...line.matchAll(/([a-z_]+)="/g)].map((m) => m[1]);
      for (const label of labelNames) expect([...(reference?.labels ?? []), "le"]).toContain(label);
      expect(line).toContain(`model_name="${MODEL}"`);
      expect(line).toContain('engine="0"');
    }
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      const reference = REFERENCE.metrics.find((m) => m.name === name || m.exposed_series.includes(name ?? ""));
      expect(reference?.type, `type of ${name}`).toBe(type);
    }
    for (const required of [
      "vllm:num_requests_running",
      "vllm:num_requests_waiting",
      "vllm:kv_cache_usage_perc",
      "vllm:prompt_tokens_total",
      "vllm:generation_tokens_total",
      "vllm:time_to_first_token_seconds_bucket",
      "vllm:inter_token_latency_seconds_bucket",
      "vllm:e2e_request_latency_seconds_bucket",
      "vllm:request_success_total",
    ]) {
      expect(text).toContain(`\n${required}{`);
    }
  });

  it("passes promtool check metrics except the ':' lint that every vLLM metric name triggers", () => {
    const which = spawnSync("promtool", ["--version"]);
    expect(which.error, "promtool is required (Debian package `prometheus`)").toBeUndefined();
    return (async () => {
      running = await startSimulator();
      await running.client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2 });
      const text = await scrape(running.url);
      // promtool reports rc 3 for lint problems; vLLM's own names contain ':' (reserved for recording
      // rules), so that one lint is expected and must be the only one (toolbox.md §1).
      const raw = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
      const problems = `${raw.stdout}${raw.stderr}`.split("\n").filter((l) => l.trim() !== "");
      expect(raw.status).toBe(3);
      expect(problems.length).toBeGreaterThan(0);
      for (const problem of problems) expect(problem).toMatch(/^vllm:\S+ metric names should not contain ':'$/);
      const renamed = spawnSync("promtool", ["check", "metrics"], { input: text.replaceAll("vllm:", "vllm_"), encoding: "utf8" });
      expect(`${renamed.stdout}${renamed.stderr}`).toBe("");
      expect(renamed.status).toBe(0);
    })();
  });

  it("counts tokens and finished requests by finished_reason", async () => {
    running = await startSimulator();
    const messages = [{ role: "user" as const, content: "count these tokens" }];
    await running.client.chat.completions.create({ model: MODEL, messages, max_tokens: 7 });
    await running.client.chat.completions.create({ model: MODEL, messages, max_tokens: 5, stream: true }).then(async (s) => {
      for await (const _ of s) void _;
    });
    const text = await scrape(running.url);
    expect(sample(text, `vllm:generation_tokens_total{${labels}}`)).toBe(12);
    // "user: count these tokens" = 24 characters → 6 prompt tokens, twice
    expect(sample(text, `vllm:prompt_tokens_total{${labels}}`)).toBe(12);
    expect(sample(text, `vllm:request_success_total{${labels},finished_reason="length"}`)).toBe(2);
    expect(sample(text, `vllm:request_success_total{${labels},finished_reason="stop"}`)).toBe(0);
    expect(sample(text, `vllm:time_to_first_token_seconds_count{${labels}}`)).toBe(2);
    expect(sample(text, `vllm:inter_token_latency_seconds_count{${labels}}`)).toBe(10);
    expect(sample(text, `vllm:e2e_request_latency_seconds_count{${labels}}`)).toBe(2);
    expect(sample(text, `vllm:request_params_max_tokens_sum{${labels}}`)).toBe(12);
  });

  it("shows running, waiting and KV-cache use while requests are in flight, and zero after", async () => {
    running = await startSimulator({ profile: { ...FAST_PROFILE, maxNumSeqs: 2, decodeMsPerToken: 30 } });
    const messages = [{ role: "user" as const, content: "x".repeat(400) }];
    const inflight = Array.from({ length: 5 }, () => running?.client.chat.completions.create({ model: MODEL, messages, max_tokens: 10 }));
    // Wait until all five arrived and both running ones finished their prefill (102 tokens each).
    await vi.waitFor(() => expect(running?.sim.stats()).toMatchObject({ running: 2, waiting: 3 }), { timeout: 5000 });
    await vi.waitFor(() => expect(running?.sim.stats().kvCacheUsage).toBeGreaterThan((2 * 102) / 65_536), { timeout: 5000 });
    const busy = await scrape(running.url);
    expect(sample(busy, `vllm:num_requests_running{${labels}}`)).toBe(2);
    expect(sample(busy, `vllm:num_requests_waiting{${labels}}`)).toBe(3);
    const kv = sample(busy, `vllm:kv_cache_usage_perc{${labels}}`);
    // two sequences of 102 prompt tokens plus a few generated ones, over 65536
    expect(kv).toBeGreaterThan((2 * 102) / 65_536);
    expect(kv).toBeLessThan((2 * 112) / 65_536);
    await Promise.all(inflight);
    const idle = await scrape(running.url);
    expect(sample(idle, `vllm:num_requests_running{${labels}}`)).toBe(0);
    expect(sample(idle, `vllm:num_requests_waiting{${labels}}`)).toBe(0);
    expect(sample(idle, `vllm:kv_cache_usage_perc{${labels}}`)).toBe(0);
  });

  it("builds vLLM's 1-2-5 token buckets up to max_model_len", () => {
    expect(buckets125(2048)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]);
    expect(buckets125(1)).toEqual([1]);
  });
});
