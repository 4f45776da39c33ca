/** @module Per-request state shared by the handler, the fallback loop and the access log. */
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { Caller } from "./auth";

/** The endpoint a request is for (metrics label). */
export type Endpoint = "chat" | "completions" | "embeddings" | "models" | "health" | "ready" | "metrics" | "other";

/** State of one request. */
export class RequestContext {
  /** performance.now() at arrival, in ms. */
  readonly start = performance.now();
  /** Deadline, performance.now() ms. */
  readonly deadlineAt: number;
  /** Response headers every answer carries (request id, plus routing headers as they are decided). */
  readonly headers: string[];
  /** Who is calling (set after auth). */
  caller?: Caller;
  /** Logical model label (metrics). */
  model = "none";
  /** Backend that answered. */
  backend = "none";
  /** Tier label ("" when not auto). */
  tier = "";
  /** Cache outcome header value, when the cache is on. */
  cache?: string;
  /** Failed attempts before the answer. */
  fallbacks = 0;
  /** HTTP status sent. */
  status = 0;
  /** Stable error code sent, if any. */
  errorCode?: string;
  /** Prompt tokens (usage or estimate). */
  promptTokens = 0;
  /** Completion tokens (usage or estimate). */
  completionTokens = 0;
  /** Streams: ms from arrival to the first event sent. */
  ttftMs?: number;
  /** Router-only time in ms (before dispatch + first-byte relay). */
  overheadMs?: number;
  /** The client closed the connection before the response ended. */
  clientGone = false;
  /** Set by the running attempt or queue wait: aborts it because the client left or the router shuts down. */
  abortUpstream?: (why: "client" | "shutdown") => void;
  /** The router gave up waiting for this request during shutdown. */
  shuttingDown = false;
  /** Extra fields for the access log line. */
  note?: Record<string, unknown>;

  constructor(
    /** Request id (from `x-request-id` when sane, else generated). */
    readonly id: string,
    /** Endpoint label. */
    readonly endpoint: Endpoint,
    /** The response. */
    readonly res: ServerResponse,
    timeoutMs: number,
  ) {
    this.deadlineAt = this.start + timeoutMs;
    this.headers = ["x-request-id", id];
  }

  /** Milliseconds left until the deadline. */
  remainingMs(): number {
    return this.deadlineAt - performance.now();
  }
}
