/** @module `shoestring bench`: measures TTFT, ITL, tokens/s and the concurrency knee of a live server. */
import { writeFileSync } from "node:fs";
import { defineCommand } from "citty";
import {
  BenchOptionsError,
  BenchTargetError,
  formatBenchTable,
  loadDataset,
  parseDuration,
  renderChartSvg,
  runBench,
  type BenchOptions,
} from "../../bench";
import { resolveBenchOptions } from "../../bench/bench-options";
import { parseDurationFlag, parseIntListFlag, parseNumberFlag } from "../../bench/flag-parsing";
import { createProgressReporter } from "../../bench/progress-bar";
import { CliError } from "../errors";

const args = {
  url: { type: "string", description: "OpenAI base URL of the server or router, e.g. http://127.0.0.1:8000 (/v1 is added when missing)", required: true, valueHint: "url" },
  model: { type: "string", description: "Model to request (default: the first one GET /v1/models lists)", valueHint: "id" },
  "api-key": { type: "string", description: "Sent as Authorization: Bearer <key>", valueHint: "key" },
  concurrency: { type: "string", description: "Concurrency levels to sweep, comma-separated", default: "1,4,8,16,32", valueHint: "list" },
  duration: { type: "string", description: "Length of each level, e.g. 30s or 2m (default 30s unless --requests)", valueHint: "duration" },
  requests: { type: "string", description: "Requests per level, instead of --duration", valueHint: "N" },
  "prompt-tokens": { type: "string", description: "Approximate prompt length of synthetic prompts, tokens", default: "300", valueHint: "N" },
  "max-tokens": { type: "string", description: "max_tokens of each request", default: "150", valueHint: "N" },
  dataset: { type: "string", description: 'JSONL file of {"prompt": …} or {"messages": […]} lines to send instead', valueHint: "file.jsonl" },
  stream: { type: "boolean", description: "Do not stream (streaming is on by default; without it TTFT and ITL are not measured)", default: true },
  warmup: { type: "string", description: "Warm-up requests before measuring", default: "2", valueHint: "N" },
  timeout: { type: "string", description: "Per-request deadline; slower requests count as errors", default: "120s", valueHint: "duration" },
  json: { type: "boolean", description: "Print the full report as one JSON object on stdout", default: false },
  chart: { type: "string", description: "Write an SVG chart of throughput against p99 latency", valueHint: "out.svg" },
} as const;

/** Parsed flags of `bench` (citty hands every string flag over as a string). */
export interface BenchArgs {
  url: string;
  model?: string;
  "api-key"?: string;
  concurrency?: string;
  duration?: string;
  requests?: string;
  "prompt-tokens"?: string;
  "max-tokens"?: string;
  dataset?: string;
  stream?: boolean;
  warmup?: string;
  timeout?: string;
  json?: boolean;
  chart?: string;
}

/** Library option names → the flags a CLI user typed, for messages from resolveBenchOptions. */
const FLAG_NAMES: Record<string, string> = {
  url: "--url",
  model: "--model",
  concurrency: "--concurrency",
  duration: "--duration",
  requests: "--requests",
  promptTokens: "--prompt-tokens",
  maxTokens: "--max-tokens",
  warmupRequests: "--warmup",
  timeout: "--timeout",
};

function asFlagMessage(issue: string): string {
  return issue.replace(/^(\w+)( and (\w+))?/, (_, first: string, __, second?: string) =>
    [FLAG_NAMES[first] ?? first, second === undefined ? undefined : (FLAG_NAMES[second] ?? second)].filter(Boolean).join(" and "),
  );
}

/** Turns flags into bench options, collecting every problem into one CliError. */
export function benchOptionsFromArgs(a: BenchArgs): BenchOptions {
  const issues: string[] = [];
  const duration = (flag: "duration" | "timeout"): number | undefined => parseDurationFlag(a[flag], flag, issues);
  const options: BenchOptions = {
    url: a.url,
    ...(a.model === undefined ? {} : { model: a.model }),
    ...(a["api-key"] === undefined ? {} : { apiKey: a["api-key"] }),
    concurrency: parseIntListFlag(a.concurrency, "--concurrency", issues),
    durationMs: duration("duration"),
    requests: parseNumberFlag(a.requests, { flag: "--requests", min: 1, integer: true, example: "200" }, issues),
    promptTokens: parseNumberFlag(a["prompt-tokens"], { flag: "--prompt-tokens", min: 1, integer: true, example: "300" }, issues),
    maxTokens: parseNumberFlag(a["max-tokens"], { flag: "--max-tokens", min: 1, integer: true, example: "150" }, issues),
    warmupRequests: parseNumberFlag(a.warmup, { flag: "--warmup", min: 0, integer: true, example: "2" }, issues),
    timeoutMs: duration("timeout"),
    stream: a.stream ?? true,
  };
  if (a.dataset !== undefined) {
    try {
      options.dataset = loadDataset(a.dataset);
    } catch (error) {
      issues.push((error as Error).message);
    }
  }
  try {
    // The library checks what single flags cannot (URL shape, duration vs requests); report it all at once.
    resolveBenchOptions(options);
  } catch (error) {
    if (!(error instanceof BenchOptionsError)) throw error;
    issues.push(...error.issues.map(asFlagMessage));
  }
  if (issues.length > 0) throw new CliError(`shoestring bench: invalid flags:\n  - ${issues.join("\n  - ")}`);
  return options;
}

export default defineCommand({
  meta: {
    name: "bench",
    description: "Benchmark an OpenAI-compatible server: TTFT, inter-token latency, tokens/s, p50/p95/p99 and the concurrency knee.",
  },
  args,
  async run({ args: raw }) {
    const a = raw as unknown as BenchArgs;
    const options = benchOptionsFromArgs(a);
    const progress = createProgressReporter(process.stderr);
    const stop = new AbortController();
    // First Ctrl-C stops after reporting what was measured; a second one exits at once.
    const onSignal = (): void => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
    };
    process.on("SIGINT", onSignal);
    let report;
    try {
      report = await runBench({ ...options, onProgress: progress.onProgress, signal: stop.signal });
    } catch (error) {
      if (error instanceof BenchOptionsError || error instanceof BenchTargetError) {
        throw new CliError(`shoestring bench: ${error.message}`);
      }
      throw error;
    } finally {
      progress.stop();
      process.off("SIGINT", onSignal);
    }
    if (a.chart !== undefined) {
      try {
        writeFileSync(a.chart, renderChartSvg(report.levels, report.knee, `${report.model}: throughput vs p99 latency`));
      } catch (error) {
        throw new CliError(`shoestring bench: cannot write the chart to ${a.chart}: ${(error as Error).message}; pick a writable path.`);
      }
    }
    if (a.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(formatBenchTable(report));
    }
    if (a.chart !== undefined) (a.json ? process.stderr : process.stdout).write(`Chart written to ${a.chart}\n`);
  },
});
