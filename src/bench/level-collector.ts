/** @module Aggregates the requests of one concurrency level into its report row. */
import type { RequestResult } from "./bench-request";
import { LatencyRecorder, type Summary } from "./latency-recorder";

/** Results of one concurrency level. Times in ms, rates per second. */
export interface BenchLevel {
  /** Requests kept in flight (closed-loop workers). */
  concurrency: number;
  /** Requests finished (succeeded + failed). */
  requests: number;
  /** Requests that completed with a full answer. */
  succeeded: number;
  /** Requests that failed; see `errorReasons`. */
  errors: number;
  /** errors / requests, 0 when no request finished. */
  errorRate: number;
  /** Failed requests by reason: `http_<status>`, `timeout`, `disconnected`, `incomplete_stream`, … */
  errorReasons: Record<string, number>;
  /** First message seen for each reason, to tell the user what went wrong. */
  errorSamples: Record<string, string>;
  /** From the level's start to its last finished request, seconds. */
  wallSeconds: number;
  /** Output tokens of succeeded requests. */
  outputTokens: number;
  /** Aggregate output tokens per second: outputTokens / wallSeconds. */
  throughputTokensPerSecond: number;
  /** Succeeded requests per second. */
  requestsPerSecond: number;
  /** Time to first content token (stream only). */
  ttftMs: Summary | null;
  /** Gaps between content chunks, over all requests (stream only). */
  itlMs: Summary | null;
  /** Per request: (e2e − TTFT) / (tokens − 1) (stream only). */
  tpotMs: Summary | null;
  /** End-to-end latency of succeeded requests. */
  e2eMs: Summary | null;
  /** Per request decode speed: (tokens − 1) / (e2e − TTFT) streamed, else tokens / e2e. */
  perRequestTokensPerSecond: Summary | null;
}

/** Collects request results of one level. @internal */
export class LevelCollector {
  private readonly ttft = new LatencyRecorder();
  private readonly itl = new LatencyRecorder();
  private readonly tpot = new LatencyRecorder();
  private readonly e2e = new LatencyRecorder();
  private readonly speed = new LatencyRecorder();
  private readonly reasons: Record<string, number> = {};
  private readonly samples: Record<string, string> = {};
  private succeeded = 0;
  private failed = 0;
  private tokens = 0;

  constructor(private readonly concurrency: number) {}

  /** Requests recorded so far. */
  get count(): number {
    return this.succeeded + this.failed;
  }

  add(result: RequestResult): void {
    if (!result.ok) {
      this.failed += 1;
      this.reasons[result.reason] = (this.reasons[result.reason] ?? 0) + 1;
      this.samples[result.reason] ??= result.detail;
      return;
    }
    this.succeeded += 1;
    this.tokens += result.outputTokens;
    this.e2e.record(result.e2eMs);
    for (const gap of result.gapsMs) this.itl.record(gap);
    if (result.ttftMs === null) {
      if (result.e2eMs > 0) this.speed.record((result.outputTokens / result.e2eMs) * 1000);
      return;
    }
    this.ttft.record(result.ttftMs);
    const decodeMs = result.e2eMs - result.ttftMs;
    // Like vLLM's benchmark: the first token belongs to TTFT, so decode covers tokens − 1 of them.
    if (result.outputTokens > 1 && decodeMs > 0) {
      this.tpot.record(decodeMs / (result.outputTokens - 1));
      this.speed.record(((result.outputTokens - 1) / decodeMs) * 1000);
    }
  }

  /** Builds the level's row; `wallMs` is the level's elapsed time. */
  finish(wallMs: number): BenchLevel {
    const requests = this.count;
    const wallSeconds = wallMs / 1000;
    const level: BenchLevel = {
      concurrency: this.concurrency,
      requests,
      succeeded: this.succeeded,
      errors: this.failed,
      errorRate: requests === 0 ? 0 : this.failed / requests,
      errorReasons: { ...this.reasons },
      errorSamples: { ...this.samples },
      wallSeconds: round(wallSeconds),
      outputTokens: this.tokens,
      throughputTokensPerSecond: wallSeconds > 0 ? round(this.tokens / wallSeconds) : 0,
      requestsPerSecond: wallSeconds > 0 ? round(this.succeeded / wallSeconds) : 0,
      ttftMs: this.ttft.summary(),
      itlMs: this.itl.summary(),
      tpotMs: this.tpot.summary(),
      e2eMs: this.e2e.summary(),
      perRequestTokensPerSecond: this.speed.summary(),
    };
    for (const recorder of [this.ttft, this.itl, this.tpot, this.e2e, this.speed]) recorder.destroy();
    return level;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
