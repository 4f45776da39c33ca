/**
 * @module One attempt against one target, with the commit point of routers.md §7.2: before the first byte goes
 * to the client any failure is reported back so the next target can be tried; after it, a failure becomes an
 * SSE error event without `[DONE]`. Non-stream bodies are collected and sent in one write (with
 * Content-Length); streams are relayed event by event as they arrive.
 */
import { performance } from "node:perf_hooks";
import type { IncomingHttpHeaders } from "node:http";
import { sseErrorEvent } from "../errors";
import type { RequestContext } from "../request-context";
import type { RouteTarget } from "../routing/route-resolver";
import { SSE_HEADERS, SseRelay, type SseStats } from "../streaming";

/** Why an attempt did not produce an answer (metrics label `reason`). */
export type FailReason = "connect" | "socket" | "timeout" | "status_5xx" | "status_429" | "stream_error" | "empty_response";

/** How an attempt ended. */
export type AttemptOutcome =
  | { kind: "done"; status: number; body?: Buffer; stats?: SseStats; streamed: boolean }
  | { kind: "cut"; reason: string; stats: SseStats }
  | { kind: "failed"; reason: FailReason; status?: number; retryAfterMs?: number; detail: string }
  | { kind: "client-gone" };

/** Options of {@link runAttempt}. */
export interface AttemptOptions {
  /** Path after the base URL, e.g. `/chat/completions`. */
  suffix: string;
  /** The client asked for a stream. */
  stream: boolean;
  /** Sees every relayed SSE region (cache assembler). */
  onRegion?: (region: Buffer) => void;
  /** Seconds between consecutive relayed regions (inter-token latency). */
  onGap?: (seconds: number) => void;
}

class AbortReason extends Error {
  constructor(readonly kind: "timeout" | "deadline" | "client" | "shutdown" | "stream_error", message: string) {
    super(message);
  }
}

/** Parses `Retry-After` (seconds or HTTP date) to ms. */
export function parseRetryAfter(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH"]);

function failDetail(err: Error): { reason: FailReason; detail: string } {
  const code = (err as { code?: string }).code ?? "";
  if (CONNECT_CODES.has(code)) {
    return { reason: "connect", detail: `connect ${code || err.message}` };
  }
  return { reason: "socket", detail: `${code ? `${code} ` : ""}${err.message}` };
}

/**
 * Runs one attempt with a timeout in ms (capped by the request deadline); resolves (never rejects) when the
 * response is fully relayed or the attempt failed.
 */
export function runAttempt(ctx: RequestContext, target: RouteTarget, body: Buffer | string, opts: AttemptOptions, timeoutMs: number): Promise<AttemptOutcome> {
  return new Promise<AttemptOutcome>((resolve) => {
    const { res } = ctx;
    const backend = target.backend;
    let mode: "wait" | "collect" | "fail" | "relay-pending" | "relay" = "wait";
    let status = 0;
    let ctype = "application/json";
    let retryAfterMs: number | undefined;
    let encoding: string | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let relay: SseRelay | undefined;
    let settled = false;
    let lastWrite = 0;
    const dispatchAt = performance.now();
    let timer: NodeJS.Timeout | undefined;

    const finish = (o: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.abortUpstream = undefined;
      resolve(o);
    };
    /** The request's own headers, the routing decision, then `extra` (one array: this runs once per request). */
    const responseHeaders = (...extra: string[]): string[] => {
      const h = ctx.headers.concat("x-shoestring-backend", backend.name, "x-shoestring-upstream-model", target.model);
      if (ctx.fallbacks > 0) h.push("x-shoestring-fallbacks", String(ctx.fallbacks));
      for (const e of extra) h.push(e);
      return h;
    };
    const overhead = (firstByteAt: number): void => {
      ctx.overheadMs = dispatchAt - ctx.start + (performance.now() - firstByteAt);
    };
    const write = (region: Buffer): void => {
      const t = performance.now();
      if (lastWrite !== 0) opts.onGap?.((t - lastWrite) / 1000);
      lastWrite = t;
      opts.onRegion?.(region);
      if (!res.write(region)) {
        ex.pause();
        res.once("drain", () => ex.resume());
      }
    };
    const commitStream = (region: Buffer): void => {
      const firstByteAt = performance.now();
      mode = "relay";
      ctx.backend = backend.name;
      ctx.ttftMs = firstByteAt - ctx.start;
      res.writeHead(200, responseHeaders(...SSE_HEADERS));
      write(region);
      overhead(firstByteAt);
      ctx.status = 200;
      // After the commit point only the request deadline applies.
      clearTimeout(timer);
      timer = setTimeout(() => ex.abort(new AbortReason("deadline", `request deadline exceeded after ${Math.round(performance.now() - ctx.start)} ms`)), Math.max(1, ctx.remainingMs()));
    };
    const endStream = (stats: SseStats): void => {
      if (stats.done || stats.finished) {
        res.end();
        finish({ kind: "done", status: 200, stats, streamed: true });
      } else if (stats.errored) {
        res.end();
        finish({ kind: "cut", reason: "upstream_error_event", stats });
      } else {
        res.end(sseErrorEvent(`The upstream "${backend.name}" ended the stream before it finished (no finish_reason and no [DONE]); the answer is incomplete. Retry the request.`));
        finish({ kind: "cut", reason: "truncated", stats });
      }
    };

    const ex = backend.post(opts.suffix, body, ctx.id, {
      onStart(s: number, headers: IncomingHttpHeaders) {
        status = s;
        const ct = headers["content-type"];
        if (typeof ct === "string") ctype = ct;
        // The router sends no Accept-Encoding, but a server may compress anyway: keep the body decodable.
        const ce = headers["content-encoding"];
        if (typeof ce === "string" && ce !== "identity") encoding = ce;
        if (s >= 200 && s < 300) {
          if (opts.stream && ctype.includes("text/event-stream")) {
            mode = "relay-pending";
            relay = new SseRelay();
          } else mode = "collect";
        } else if (s === 429 || s === 408 || s >= 500) {
          mode = "fail";
          retryAfterMs = parseRetryAfter(headers["retry-after"]);
        } else {
          // Other 4xx: the request is wrong, not the backend; the client gets the upstream's answer as is.
          mode = "collect";
        }
      },
      onData(chunk: Buffer) {
        if (mode === "relay") {
          const region = (relay as SseRelay).push(chunk);
          if (region.length > 0) write(region);
        } else if (mode === "relay-pending") {
          const region = (relay as SseRelay).push(chunk);
          if (region.length === 0) return;
          if (SseRelay.startsWithError(region)) {
            chunks.push(region);
            ex.abort(new AbortReason("stream_error", "stream started with an error event"));
            return;
          }
          commitStream(region);
        } else if (mode === "fail") {
          if (size < 2048) chunks.push(chunk);
          size += chunk.length;
        } else {
          chunks.push(chunk);
          size += chunk.length;
        }
      },
      onEnd() {
        if (mode === "relay" || mode === "relay-pending") {
          const r = relay as SseRelay;
          const tail = r.flush();
          if (mode === "relay-pending") {
            if (tail.length === 0) return finish({ kind: "failed", reason: "empty_response", status, detail: "HTTP 200 with an empty event stream" });
            if (SseRelay.startsWithError(tail)) return finish({ kind: "failed", reason: "stream_error", status, detail: snippet(tail) });
            commitStream(tail);
          } else if (tail.length > 0) write(tail);
          return endStream(r.stats);
        }
        if (mode === "fail") {
          return finish({ kind: "failed", reason: status === 429 ? "status_429" : status === 408 ? "timeout" : "status_5xx", status, retryAfterMs, detail: `HTTP ${status}${chunks.length ? ` ${snippet(Buffer.concat(chunks))}` : ""}` });
        }
        const firstByteAt = performance.now();
        ctx.backend = backend.name;
        const out = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
        const h = responseHeaders("content-type", ctype, "content-length", String(out.length));
        if (encoding !== undefined) h.push("content-encoding", encoding);
        res.writeHead(status, h);
        res.end(out);
        overhead(firstByteAt);
        ctx.status = status;
        finish({ kind: "done", status, body: out, streamed: false });
      },
      onError(err: Error) {
        if (ctx.clientGone) return finish({ kind: "client-gone" });
        if (mode === "relay") {
          const why = err instanceof AbortReason ? err.message : `connection to "${backend.name}" failed mid-stream (${err.message})`;
          res.end(sseErrorEvent(`The stream was interrupted: ${why}. The answer is incomplete; retry the request.`));
          return finish({ kind: "cut", reason: err instanceof AbortReason ? err.kind : "upstream_disconnect", stats: (relay as SseRelay).stats });
        }
        if (err instanceof AbortReason) {
          if (err.kind === "stream_error") return finish({ kind: "failed", reason: "stream_error", status, detail: snippet(Buffer.concat(chunks)) });
          if (err.kind === "shutdown") return finish({ kind: "failed", reason: "socket", detail: err.message });
          return finish({ kind: "failed", reason: "timeout", detail: err.message });
        }
        finish({ kind: "failed", ...failDetail(err) });
      },
    });
    timer = setTimeout(() => {
      const limit = Math.min(timeoutMs, Math.max(0, ctx.deadlineAt - dispatchAt));
      ex.abort(new AbortReason("timeout", `no ${opts.stream ? "first event" : "response"} within ${Math.round(limit)} ms`));
    }, Math.max(1, Math.min(timeoutMs, ctx.remainingMs())));
    if (settled) clearTimeout(timer);
    else {
      ctx.abortUpstream = (why) => ex.abort(why === "client"
        ? new AbortReason("client", "client closed the connection")
        : new AbortReason("shutdown", "the router is shutting down"));
    }
  });
}

function snippet(b: Buffer): string {
  const s = b.toString("utf8").replace(/\s+/g, " ").trim();
  return JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s);
}
