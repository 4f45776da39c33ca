/**
 * @module One upstream backend at run time: a keep-alive undici Pool (toolbox §10: node:http + undici Pool is the
 * fastest proxy core measured here), precomputed request headers, its circuit breaker and concurrency limiter.
 * Requests go through `pool.dispatch` with a callback handler: no per-request stream objects on the hot path.
 */
import { Pool, type Dispatcher } from "undici";
import type { IncomingHttpHeaders } from "node:http";
import type { ResolvedBackend } from "../config-load";
import { CircuitBreaker, type BreakerOptions, type BreakerState } from "./circuit-breaker";
import { ConcurrencyLimiter } from "./concurrency-limiter";

/** Callbacks of one upstream exchange. Exactly one of `onEnd` / `onError` is called, once. */
export interface ExchangeHandler {
  /** Status and headers arrived. */
  onStart(status: number, headers: IncomingHttpHeaders): void;
  /** A body chunk arrived. */
  onData(chunk: Buffer): void;
  /** The body ended. */
  onEnd(): void;
  /** Connect error, socket error, or {@link Exchange.abort}. */
  onError(err: Error): void;
}

/** A running upstream exchange. */
export interface Exchange {
  /** Aborts it; `onError(reason)` follows unless it already ended. */
  abort(reason: Error): void;
  /** Stops reading the body (backpressure). */
  pause(): void;
  /** Resumes reading the body. */
  resume(): void;
}

/** Hooks for metrics. */
export interface BackendHooks {
  /** Breaker state changed. */
  onBreaker?(backend: string, state: BreakerState): void;
}

/** A backend with its pool, breaker and limiter. */
export class Backend {
  /** Backend name. */
  readonly name: string;
  /** Path prefix of the base URL, e.g. `/v1`. */
  readonly basePath: string;
  /** Circuit breaker. */
  readonly breaker: CircuitBreaker;
  /** In-flight limiter with queue. */
  readonly limiter: ConcurrencyLimiter;
  private readonly pool: Pool;
  private readonly jsonHeaders: string[];

  constructor(
    readonly config: ResolvedBackend,
    opts: { breaker: BreakerOptions; connectTimeoutMs: number; now?: () => number; hooks?: BackendHooks },
  ) {
    const url = new URL(config.baseUrl);
    this.name = config.name;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.pool = new Pool(url.origin, {
      connections: config.maxInFlight,
      pipelining: 1,
      // keepAliveTimeout stays at undici's 4 s: uvicorn (vLLM) closes idle sockets after 5 s, and reusing a socket
      // the server is closing fails a POST that undici may not retry.
      connect: { timeout: opts.connectTimeoutMs },
      // Attempt and request deadlines are enforced by the router; the body timeout only guards idle streams.
      headersTimeout: 0,
      bodyTimeout: config.timeoutMs,
    });
    this.jsonHeaders = ["content-type", "application/json", "accept", "application/json, text/event-stream"];
    if (config.apiKey !== undefined) this.jsonHeaders.push("authorization", `Bearer ${config.apiKey}`);
    const hooks = opts.hooks ?? {};
    this.breaker = new CircuitBreaker(opts.breaker, opts.now, (s) => hooks.onBreaker?.(this.name, s));
    this.limiter = new ConcurrencyLimiter(config.maxInFlight, config.maxQueue);
  }

  /** Context window of this backend's models, if configured. */
  get contextTokens(): number | undefined {
    return this.config.contextTokens;
  }

  /** Starts a POST of a JSON body to `<basePath><suffix>`. */
  post(suffix: string, body: Buffer | string, requestId: string, handler: ExchangeHandler): Exchange {
    return this.dispatch({ path: this.basePath + suffix, method: "POST", body, headers: [...this.jsonHeaders, "x-request-id", requestId] }, handler);
  }

  /** A small GET (models list, readiness probe), buffered, bounded by `timeoutMs`. */
  get(suffix: string, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
    return this.postOrGet({ path: this.basePath + suffix, method: "GET", headers: this.jsonHeaders.slice(2) }, timeoutMs);
  }

  /** A buffered JSON POST (embeddings for the semantic cache), bounded by `timeoutMs`. */
  postJson(suffix: string, body: unknown, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
    return this.postOrGet({ path: this.basePath + suffix, method: "POST", body: JSON.stringify(body), headers: this.jsonHeaders }, timeoutMs);
  }

  /** Closes idle connections and waits for in-flight ones. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Destroys all connections now. */
  async destroy(): Promise<void> {
    await this.pool.destroy();
  }

  private postOrGet(opts: Dispatcher.DispatchOptions, timeoutMs: number): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      let status = 0;
      const chunks: Buffer[] = [];
      const ex = this.dispatch(opts, {
        onStart: (s) => { status = s; },
        onData: (c) => { chunks.push(c); },
        onEnd: () => { clearTimeout(timer); resolve({ status, body: Buffer.concat(chunks) }); },
        onError: (e) => { clearTimeout(timer); reject(e); },
      });
      const timer = setTimeout(() => ex.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
  }

  private dispatch(opts: Dispatcher.DispatchOptions, h: ExchangeHandler): Exchange {
    let controller: Dispatcher.DispatchController | undefined;
    let pendingAbort: Error | undefined;
    let finished = false;
    const fail = (err: Error): void => {
      if (finished) return;
      finished = true;
      h.onError(err);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (ctl) => {
        controller = ctl;
        if (pendingAbort) ctl.abort(pendingAbort);
      },
      onResponseStart: (ctl, status, headers) => { controller = ctl; if (!finished) h.onStart(status, headers); },
      onResponseData: (_ctl, chunk) => { if (!finished) h.onData(chunk); },
      onResponseEnd: () => {
        if (finished) return;
        finished = true;
        h.onEnd();
      },
      onResponseError: (_ctl, err) => fail(err),
    };
    this.pool.dispatch(opts, handler);
    return {
      abort: (reason) => {
        if (finished) return;
        if (controller) controller.abort(reason);
        else pendingAbort = reason;
        // Abort must be prompt even while the pool is still connecting.
        fail(reason);
      },
      pause: () => controller?.pause(),
      resume: () => controller?.resume(),
    };
  }
}
