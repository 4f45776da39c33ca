/** @module Options of `runBench`: types, defaults (the one place they live) and validation. */
import type { BenchPrompt } from "./prompt-source";

/** Progress of a run, for a progress bar. */
export interface BenchProgress {
  phase: "warmup" | "level";
  /** Concurrency of the level running (0 during warm-up). */
  concurrency: number;
  /** 0-based index of the level, and how many there are. */
  levelIndex: number;
  levels: number;
  /** Requests finished in this phase. */
  completed: number;
  /** Requests planned in this phase (requests mode), else undefined. */
  total: number | undefined;
  /** Milliseconds since the phase started, and its planned length (duration mode). */
  elapsedMs: number;
  durationMs: number | undefined;
}

/** Options of {@link runBench}. */
export interface BenchOptions {
  /** OpenAI base URL, e.g. `http://127.0.0.1:8000` or `…/v1` (`/v1` is appended when missing). */
  url: string;
  /** Model to ask for. @default the first id `GET /v1/models` lists */
  model?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Concurrency levels to sweep, each a closed loop of that many workers. @default [1, 4, 8, 16, 32] */
  concurrency?: number[];
  /** Length of each level in ms (workers stop starting requests after it). @default 30000 unless `requests` is set */
  durationMs?: number;
  /** Requests per level, instead of a duration. */
  requests?: number;
  /** Approximate prompt length of synthetic prompts, tokens (~4 characters each). @default 300 */
  promptTokens?: number;
  /** `max_tokens` of each request. @default 150 */
  maxTokens?: number;
  /** Prompts to cycle through instead of synthetic ones. */
  dataset?: BenchPrompt[];
  /** Stream responses (needed to measure TTFT and inter-token latency). @default true */
  stream?: boolean;
  /** Requests sent one by one before measuring, to warm connections and the engine. @default 2 */
  warmupRequests?: number;
  /** Per-request deadline in ms; a request over it counts as a `timeout` error. @default 120000 */
  timeoutMs?: number;
  /** Called as requests finish (at most every 100 ms) and at each phase change. */
  onProgress?: (progress: BenchProgress) => void;
  /** Stops the run early; levels finished so far are reported. */
  signal?: AbortSignal;
}

/** Options with defaults applied. @internal */
export type ResolvedBenchOptions = Required<Omit<BenchOptions, "model" | "apiKey" | "dataset" | "durationMs" | "requests" | "onProgress" | "signal">> &
  Pick<BenchOptions, "model" | "apiKey" | "dataset" | "onProgress" | "signal"> & {
    /** Origin (`http://host:port`) and path prefix ending in `/v1`. */
    origin: string;
    basePath: string;
    durationMs: number | undefined;
    requests: number | undefined;
  };

export const DEFAULT_CONCURRENCY = [1, 4, 8, 16, 32] as const;
export const DEFAULT_DURATION_MS = 30_000;
export const DEFAULT_PROMPT_TOKENS = 300;
export const DEFAULT_MAX_TOKENS = 150;
export const DEFAULT_WARMUP_REQUESTS = 2;
export const DEFAULT_TIMEOUT_MS = 120_000;
/** Concurrency above this is refused: one process cannot drive it faithfully. */
export const MAX_CONCURRENCY = 1024;

/** Thrown when bench options are invalid; `issues` lists every problem, one per entry. */
export class BenchOptionsError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid bench options:\n  - ${issues.join("\n  - ")}`);
    this.name = "BenchOptionsError";
  }
}

const isPositiveInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1;

/** Applies defaults and checks every option, throwing one {@link BenchOptionsError}. @internal */
export function resolveBenchOptions(options: BenchOptions): ResolvedBenchOptions {
  const issues: string[] = [];
  let origin = "";
  let basePath = "/v1";
  try {
    const url = new URL(options.url);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    origin = url.origin;
    const path = url.pathname.replace(/\/+$/, "");
    basePath = path.endsWith("/v1") ? path : `${path}/v1`;
  } catch {
    issues.push(`url must be an http(s) URL (got ${JSON.stringify(options.url)}); e.g. http://127.0.0.1:8000 or http://router:8080/v1`);
  }
  const concurrency = options.concurrency ?? [...DEFAULT_CONCURRENCY];
  if (concurrency.length === 0 || !concurrency.every((c) => isPositiveInt(c) && c <= MAX_CONCURRENCY)) {
    issues.push(`concurrency must be integers from 1 to ${MAX_CONCURRENCY} (got ${JSON.stringify(concurrency)}); e.g. 8,16,32`);
  } else if (new Set(concurrency).size !== concurrency.length) {
    issues.push(`concurrency lists a level twice (got ${concurrency.join(",")}); list each level once`);
  }
  if (options.durationMs !== undefined && options.requests !== undefined) {
    issues.push("duration and requests are exclusive (got both); pick one way to size each level");
  }
  if (options.durationMs !== undefined && !(options.durationMs > 0 && Number.isFinite(options.durationMs))) {
    issues.push(`duration must be > 0 ms (got ${String(options.durationMs)}); e.g. 30s`);
  }
  if (options.requests !== undefined && !isPositiveInt(options.requests)) {
    issues.push(`requests must be an integer ≥ 1 (got ${String(options.requests)}); e.g. 200`);
  }
  const promptTokens = options.promptTokens ?? DEFAULT_PROMPT_TOKENS;
  if (!isPositiveInt(promptTokens)) issues.push(`promptTokens must be an integer ≥ 1 (got ${String(promptTokens)}); e.g. 300`);
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!isPositiveInt(maxTokens)) issues.push(`maxTokens must be an integer ≥ 1 (got ${String(maxTokens)}); e.g. 150`);
  const warmupRequests = options.warmupRequests ?? DEFAULT_WARMUP_REQUESTS;
  if (!(Number.isInteger(warmupRequests) && warmupRequests >= 0)) {
    issues.push(`warmupRequests must be an integer ≥ 0 (got ${String(warmupRequests)}); 0 skips the warm-up`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0 && Number.isFinite(timeoutMs))) issues.push(`timeout must be > 0 ms (got ${String(timeoutMs)}); e.g. 120s`);
  if (options.dataset !== undefined && options.dataset.length === 0) issues.push("dataset is empty; give at least one prompt");
  if (options.model !== undefined && options.model.trim() === "") issues.push('model must not be empty (got ""); omit it to use the first served model');
  if (issues.length > 0) throw new BenchOptionsError(issues);
  return {
    url: options.url,
    origin,
    basePath,
    model: options.model,
    apiKey: options.apiKey,
    concurrency: [...concurrency].sort((a, b) => a - b),
    durationMs: options.requests === undefined ? (options.durationMs ?? DEFAULT_DURATION_MS) : undefined,
    requests: options.requests,
    promptTokens,
    maxTokens,
    dataset: options.dataset,
    stream: options.stream ?? true,
    warmupRequests,
    timeoutMs,
    onProgress: options.onProgress,
    signal: options.signal,
  };
}
