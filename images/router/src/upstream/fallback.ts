/**
 * @module The fallback loop: walk the ranked targets, skipping open breakers and full queues, until one attempt
 * commits a response. Connect errors, 5xx, 429 (its `Retry-After` parks the backend) and timeouts move on to the
 * next target; other 4xx are the client's answer. When every target fails the client gets one error naming
 * each attempt.
 */
import { RouterError } from "../errors";
import type { RequestContext } from "../request-context";
import type { RouteTarget } from "../routing/route-resolver";
import { runAttempt, type AttemptOptions, type AttemptOutcome } from "./attempt";

/** Longest time a 429 `Retry-After` parks a backend. */
export const MAX_PARK_MS = 300_000;

/** A skipped or failed target (for the error message and metrics). */
export interface TargetFailure {
  /** Backend name. */
  backend: string;
  /** Upstream model. */
  model: string;
  /** Reason label. */
  reason: string;
  /** Human detail. */
  detail: string;
  /** Upstream `Retry-After` or breaker wait in ms. */
  retryAfterMs?: number;
}

/** Hooks the loop reports to (metrics, logs). */
export interface ChainHooks {
  /** A target was skipped or failed; `to` is the next backend or "none". */
  onFallback(from: string, to: string, reason: string, detail: string): void;
}

/** Options of {@link runChain}. */
export interface ChainOptions extends AttemptOptions {
  /** Body bytes for a target (the original bytes when the model name is unchanged). */
  bodyFor(t: RouteTarget): Buffer | string;
  /** Longest wait in a backend queue. */
  queueTimeoutMs: number;
}

/** The committed result. */
export type ChainResult = { kind: "answered"; outcome: Extract<AttemptOutcome, { kind: "done" | "cut" }>; target: RouteTarget } | { kind: "client-gone" };

/** Tries targets in order; throws a {@link RouterError} when all fail. */
export async function runChain(ctx: RequestContext, model: string, targets: readonly RouteTarget[], opts: ChainOptions, hooks: ChainHooks): Promise<ChainResult> {
  const failures: TargetFailure[] = [];
  const next = (i: number): string => targets[i + 1]?.backend.name ?? "none";
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i] as RouteTarget;
    const b = t.backend;
    const fail = (f: Omit<TargetFailure, "backend" | "model">): void => {
      failures.push({ backend: b.name, model: t.model, ...f });
      if (i + 1 < targets.length) ctx.fallbacks++;
      hooks.onFallback(b.name, next(i), f.reason, f.detail);
    };
    if (ctx.clientGone) return { kind: "client-gone" };
    if (ctx.shuttingDown) throw new RouterError("shutting_down", "The router is shutting down; retry the request (another replica will answer).");
    if (ctx.remainingMs() <= 0) {
      fail({ reason: "timeout", detail: "request deadline passed before this target was tried" });
      continue;
    }
    if (!b.breaker.allow()) {
      fail({ reason: "breaker_open", detail: "circuit breaker open", retryAfterMs: b.breaker.retryInMs() });
      continue;
    }
    if (!b.limiter.tryAcquire()) {
      if (!b.limiter.canQueue()) {
        b.breaker.release();
        fail({ reason: "saturated", detail: "at max in-flight with a full queue", retryAfterMs: 1000 });
        continue;
      }
      const ac = new AbortController();
      ctx.abortUpstream = () => ac.abort();
      const r = await b.limiter.acquire(Math.max(1, Math.min(opts.queueTimeoutMs, ctx.remainingMs())), ac.signal);
      ctx.abortUpstream = undefined;
      if (r !== "acquired") {
        b.breaker.release();
        if (r === "aborted" && ctx.clientGone) return { kind: "client-gone" };
        if (r === "aborted") throw new RouterError("shutting_down", "The router is shutting down; retry the request (another replica will answer).");
        fail({ reason: r === "queue-full" ? "saturated" : "queue_timeout", detail: r === "queue-full" ? "queue full" : `waited ${opts.queueTimeoutMs} ms in the queue`, retryAfterMs: 1000 });
        continue;
      }
    }
    let o: AttemptOutcome;
    try {
      o = await runAttempt(ctx, t, opts.bodyFor(t), opts, b.config.timeoutMs);
    } finally {
      b.limiter.release();
    }
    if (o.kind === "client-gone") {
      b.breaker.release();
      return o;
    }
    if (o.kind === "done") {
      b.breaker.record(o.status < 500);
      return { kind: "answered", outcome: o, target: t };
    }
    if (o.kind === "cut") {
      b.breaker.record(false);
      return { kind: "answered", outcome: o, target: t };
    }
    if (o.reason === "status_429") {
      // A rate-limited backend is healthy; park it for as long as it asked instead of counting a failure.
      if (o.retryAfterMs !== undefined) b.breaker.park(Math.min(o.retryAfterMs, MAX_PARK_MS));
      b.breaker.release();
    } else {
      b.breaker.record(false);
    }
    fail({ reason: o.reason, detail: o.detail, retryAfterMs: o.retryAfterMs });
  }
  throw chainError(model, failures);
}

/** The one error for "every target failed". */
export function chainError(model: string, failures: readonly TargetFailure[]): RouterError {
  const list = failures.map((f) => `${f.backend} (${f.model}): ${f.detail}`).join("; ");
  const msg = failures.length === 1 ? `The only target for model "${model}" failed: ${list}.` : `All ${failures.length} targets for model "${model}" failed: ${list}.`;
  const reasons = new Set(failures.map((f) => f.reason));
  const waits = failures.map((f) => f.retryAfterMs).filter((w): w is number => w !== undefined && w > 0);
  const retryAfterSec = waits.length > 0 ? Math.min(...waits) / 1000 : 1;
  const only = (...rs: string[]): boolean => [...reasons].every((r) => rs.includes(r));
  if (only("breaker_open", "saturated", "queue_timeout")) {
    return new RouterError("upstream_unavailable", `${msg} Retry after ${Math.ceil(retryAfterSec)} s; GET /ready shows backend state.`, { retryAfterSec });
  }
  if (only("status_429")) return new RouterError("upstream_rate_limited", `${msg} Retry after ${Math.ceil(retryAfterSec)} s.`, { retryAfterSec });
  if (only("timeout", "breaker_open", "saturated", "queue_timeout")) {
    return new RouterError("upstream_timeout", `${msg} Raise --upstream-timeout / backends[].timeoutMs or --request-timeout if the model is just slow.`);
  }
  return new RouterError("upstream_error", `${msg} Check GET /ready and the backend logs.`);
}
