/** @module `runBench`: sweeps concurrency levels against an OpenAI-compatible server and reports. */
import { randomBytes } from "node:crypto";
import { Pool } from "undici";
import { sendBenchRequest, type RequestResult } from "./bench-request";
import { resolveBenchOptions, type BenchOptions, type BenchProgress, type ResolvedBenchOptions } from "./bench-options";
import { detectKnee, type KneeResult } from "./detect-knee";
import { LevelCollector, type BenchLevel } from "./level-collector";
import { syntheticPrompt, type BenchPrompt } from "./prompt-source";

/** Everything a run measured; `shoestring bench --json` prints exactly this. */
export interface BenchReport {
  /** Chat completions URL that was measured. */
  endpoint: string;
  /** Model requested (given, or the first one the server listed). */
  model: string;
  /** Whether responses were streamed (TTFT/ITL/TPOT are null otherwise). */
  stream: boolean;
  /** Synthetic prompt length, tokens; null when a dataset was used. */
  promptTokens: number | null;
  /** `max_tokens` of each request (dataset rows may override it). */
  maxTokens: number;
  /** How each level was sized. */
  mode: { durationMs: number } | { requests: number };
  /** ISO time the measured levels began. */
  startedAt: string;
  /** True when the run was stopped early (signal); `levels` holds what finished. */
  interrupted: boolean;
  /** Warm-up requests sent and how many failed (not part of any level). */
  warmup: { requests: number; errors: number };
  /** One entry per measured concurrency level, in increasing concurrency. */
  levels: BenchLevel[];
  /** Knee of throughput against p99 end-to-end latency. */
  knee: KneeResult;
}

/** Thrown when the target cannot be benchmarked at all (unreachable, wrong model, auth). */
export class BenchTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BenchTargetError";
  }
}

/** Progress events are throttled to this interval. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Benchmarks a server: warm-up, then for each concurrency level a closed loop of that many workers
 * (each sends its next request when the previous one ends) for `durationMs` or `requests`, then
 * TTFT / ITL / TPOT / e2e percentiles, throughput, errors by reason, and the knee.
 * Throws {@link BenchOptionsError} on bad options and {@link BenchTargetError} when the target
 * cannot serve a single warm-up request.
 *
 * @example
 * const report = await runBench({ url: "http://127.0.0.1:8000", concurrency: [4, 8, 16], requests: 100 });
 * console.log(report.knee.recommendedMaxConcurrency);
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const opts = resolveBenchOptions(options);
  const maxConcurrency = Math.max(...opts.concurrency, 1);
  const pool = new Pool(opts.origin, { connections: maxConcurrency, keepAliveTimeout: 30_000 });
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (opts.apiKey !== undefined) headers.authorization = `Bearer ${opts.apiKey}`;
  try {
    const model = opts.model ?? (await firstModel(pool, opts, headers));
    const runTag = randomBytes(4).toString("hex");
    let sent = 0;
    const send = (): Promise<RequestResult> => {
      const index = sent++;
      const prompt: BenchPrompt = opts.dataset?.[index % opts.dataset.length] ?? syntheticPrompt(`${runTag}-${index}`, opts.promptTokens);
      const body = {
        model,
        messages: prompt.messages,
        max_tokens: prompt.maxTokens ?? opts.maxTokens,
        stream: opts.stream,
        ...(opts.stream ? { stream_options: { include_usage: true } } : {}),
      };
      const deadline = AbortSignal.timeout(opts.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
      return sendBenchRequest(pool, { path: `${opts.basePath}/chat/completions`, headers, body: JSON.stringify(body), stream: opts.stream, signal });
    };

    const warmup = { requests: 0, errors: 0 };
    let firstFailure: RequestResult | undefined;
    for (let i = 0; i < opts.warmupRequests && !opts.signal?.aborted; i++) {
      report(opts, { phase: "warmup", concurrency: 0, levelIndex: 0, levels: opts.concurrency.length, completed: i, total: opts.warmupRequests, elapsedMs: 0, durationMs: undefined });
      const result = await send();
      warmup.requests += 1;
      if (!result.ok) {
        warmup.errors += 1;
        firstFailure ??= result;
      }
    }
    if (warmup.requests > 0 && warmup.errors === warmup.requests && firstFailure && !firstFailure.ok) {
      throw new BenchTargetError(
        `Every warm-up request to ${opts.origin}${opts.basePath}/chat/completions failed; first: ${firstFailure.reason}: ` +
          `${firstFailure.detail.replace(/\.$/, "")}. Check --url, --model and --api-key.`,
      );
    }

    const startedAt = new Date().toISOString();
    const levels: BenchLevel[] = [];
    for (const [levelIndex, concurrency] of opts.concurrency.entries()) {
      if (opts.signal?.aborted) break;
      levels.push(await runLevel(opts, concurrency, levelIndex, send));
    }
    const knee = detectKnee(
      levels.map((l) => ({ concurrency: l.concurrency, throughput: l.throughputTokensPerSecond, p99: l.e2eMs?.p99 ?? null, errorRate: l.errorRate })),
    );
    return {
      endpoint: `${opts.origin}${opts.basePath}/chat/completions`,
      model,
      stream: opts.stream,
      promptTokens: opts.dataset === undefined ? opts.promptTokens : null,
      maxTokens: opts.maxTokens,
      mode: opts.requests !== undefined ? { requests: opts.requests } : { durationMs: opts.durationMs ?? 0 },
      startedAt,
      interrupted: opts.signal?.aborted ?? false,
      warmup,
      levels,
      knee,
    };
  } finally {
    await pool.close().catch(() => undefined);
  }
}

async function runLevel(
  opts: ResolvedBenchOptions,
  concurrency: number,
  levelIndex: number,
  send: () => Promise<RequestResult>,
): Promise<BenchLevel> {
  const collector = new LevelCollector(concurrency);
  const startedAt = performance.now();
  const deadline = opts.durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + opts.durationMs;
  let issued = 0;
  let lastProgress = 0;
  let lastFinish = startedAt;
  const progress = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
    lastProgress = now;
    report(opts, {
      phase: "level",
      concurrency,
      levelIndex,
      levels: opts.concurrency.length,
      completed: collector.count,
      total: opts.requests,
      elapsedMs: now - startedAt,
      durationMs: opts.durationMs,
    });
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      if (opts.signal?.aborted || performance.now() >= deadline) return;
      if (opts.requests !== undefined && issued >= opts.requests) return;
      issued += 1;
      const result = await send();
      // A request cut by the user's stop is not a server error.
      if (!result.ok && result.reason === "aborted" && opts.signal?.aborted) return;
      collector.add(result);
      lastFinish = performance.now();
      progress(false);
    }
  };
  progress(true);
  await Promise.all(Array.from({ length: concurrency }, worker));
  progress(true);
  return collector.finish(lastFinish - startedAt);
}

async function firstModel(pool: Pool, opts: ResolvedBenchOptions, headers: Record<string, string>): Promise<string> {
  const where = `${opts.origin}${opts.basePath}/models`;
  try {
    const response = await pool.request({ path: `${opts.basePath}/models`, method: "GET", headers, signal: AbortSignal.timeout(opts.timeoutMs) });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
    const id = (JSON.parse(text) as { data?: Array<{ id?: unknown }> }).data?.[0]?.id;
    if (typeof id !== "string") throw new Error(`no model id in ${text.slice(0, 200)}`);
    return id;
  } catch (error) {
    throw new BenchTargetError(`Cannot list models at ${where} (${(error as Error).message}); check --url and --api-key, or pass --model.`);
  }
}

function report(opts: ResolvedBenchOptions, progress: BenchProgress): void {
  opts.onProgress?.(progress);
}
