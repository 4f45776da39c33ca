/**
 * @module Stable router error codes and the one OpenAI-style envelope `{ error: { message, type, param, code } }`
 * every error response uses (R7). The README table is generated from {@link ERROR_CODES}.
 */
import type { ServerResponse } from "node:http";

/** One error code: HTTP status, OpenAI `error.type`, and when it happens. */
export interface ErrorCodeInfo {
  /** HTTP status. */
  readonly status: number;
  /** OpenAI-style `error.type`. */
  readonly type: string;
  /** When the router returns it (README). */
  readonly description: string;
}

/** Every error code the router emits. Codes are API: never rename one. */
export const ERROR_CODES = {
  invalid_json: { status: 400, type: "invalid_request_error", description: "The body is not valid JSON." },
  invalid_request: { status: 400, type: "invalid_request_error", description: "A field is missing or has the wrong type; `param` names it." },
  context_length_exceeded: { status: 400, type: "invalid_request_error", description: "The estimated prompt does not fit any target's context window (and trimming is off or not enough)." },
  missing_api_key: { status: 401, type: "invalid_request_error", description: "Auth is on and no `Authorization: Bearer` key was sent." },
  invalid_api_key: { status: 401, type: "invalid_request_error", description: "The key is not one of the configured tenant keys." },
  model_not_found: { status: 404, type: "invalid_request_error", description: "`model` is not a configured model, not `auto`, and there is no passthrough backend." },
  not_found: { status: 404, type: "invalid_request_error", description: "Unknown path." },
  method_not_allowed: { status: 405, type: "invalid_request_error", description: "Wrong HTTP method for the path." },
  body_too_large: { status: 413, type: "invalid_request_error", description: "The body is larger than `--max-body-bytes`." },
  rate_limit_exceeded: { status: 429, type: "requests", description: "The key's requests/min (`type: requests`) or tokens/min (`type: tokens`) limit is reached; see `Retry-After`." },
  upstream_rate_limited: { status: 429, type: "server_error", description: "Every target answered 429; `Retry-After` is the shortest wait they asked for." },
  internal_error: { status: 500, type: "server_error", description: "A router bug; the log line with the request id has the details." },
  upstream_error: { status: 502, type: "server_error", description: "Every target failed (connect error or 5xx); the message lists each attempt." },
  upstream_unavailable: { status: 503, type: "server_error", description: "Every target's circuit breaker is open or its queue is full; see `Retry-After`." },
  shutting_down: { status: 503, type: "server_error", description: "The router is draining after SIGTERM." },
  upstream_timeout: { status: 504, type: "server_error", description: "The per-attempt timeout or the request deadline passed on every target." },
  stream_interrupted: { status: 200, type: "server_error", description: "SSE `data: {\"error\":…}` event when a stream fails after its first byte; no `[DONE]` follows." },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error that becomes an OpenAI-style response. */
export class RouterError extends Error {
  /** HTTP status (from the code unless overridden). */
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly opts: { param?: string | null; type?: string; retryAfterSec?: number; headers?: readonly string[] } = {},
  ) {
    super(message);
    this.name = "RouterError";
    this.status = ERROR_CODES[code].status;
  }
}

/** The JSON envelope for an error. */
export function errorEnvelope(err: RouterError): { error: { message: string; type: string; param: string | null; code: string } } {
  return { error: { message: err.message, type: err.opts.type ?? ERROR_CODES[err.code].type, param: err.opts.param ?? null, code: err.code } };
}

/** Writes an error response; no-op when headers were already sent (the caller handles streams). */
export function sendError(res: ServerResponse, err: RouterError, baseHeaders: readonly string[] = []): void {
  if (res.headersSent) return;
  const body = JSON.stringify(errorEnvelope(err));
  const headers = ["content-type", "application/json", "content-length", String(Buffer.byteLength(body)), ...baseHeaders, ...(err.opts.headers ?? [])];
  if (err.opts.retryAfterSec !== undefined) headers.push("retry-after", String(Math.max(1, Math.ceil(err.opts.retryAfterSec))));
  res.writeHead(err.status, headers);
  res.end(body);
}

/** The SSE event sent when a stream fails after its first byte (no `[DONE]` follows). */
export function sseErrorEvent(message: string): string {
  return `data: ${JSON.stringify(errorEnvelope(new RouterError("stream_interrupted", message)))}\n\n`;
}
