/**
 * @module Reads a request body under a byte limit and checks the fields the router relies on (hand-written
 * checks: zod per request would cost more than the rest of the hot path). Unknown fields pass through untouched
 * for the upstream to judge.
 */
import type { IncomingMessage } from "node:http";
import { RouterError } from "./errors";

/** The endpoints that take a JSON body. */
export type BodyKind = "chat" | "completions" | "embeddings";

/** Reads the whole body; rejects with 413 past `maxBytes` (checked on Content-Length first). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (got: string): RouterError =>
    new RouterError("body_too_large", `Request body is ${got} bytes; the limit is ${maxBytes} bytes. Send a smaller body or raise --max-body-bytes.`);
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge(declared));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > maxBytes) {
        failed = true;
        reject(tooLarge(`more than ${maxBytes}`));
        return;
      }
      chunks.push(c);
    });
    req.once("end", () => { if (!failed) { failed = true; resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)); } });
    req.once("error", (e) => { if (!failed) { failed = true; reject(e); } });
    // A client that disconnects mid-body may emit neither 'end' nor 'error'.
    req.once("close", () => { if (!failed) { failed = true; reject(new Error("client closed the connection while sending the body")); } });
  });
}

/** Parses JSON; 400 `invalid_json` on failure, 400 `invalid_request` when it is not an object. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw new RouterError("invalid_json", `We could not parse the JSON body of your request (${(err as Error).message}). Send a JSON object with Content-Type: application/json.`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new RouterError("invalid_request", `The request body must be a JSON object (got ${v === null ? "null" : Array.isArray(v) ? "an array" : typeof v}).`);
  }
  return v as Record<string, unknown>;
}

const typeName = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function bad(param: string, expected: string, got: unknown): never {
  throw new RouterError("invalid_request", `${param}: expected ${expected} (got ${typeName(got)}${typeof got === "number" || typeof got === "boolean" ? ` ${String(got)}` : ""}).`, { param });
}

const NUMBER_FIELDS = ["temperature", "top_p", "frequency_penalty", "presence_penalty"] as const;
const INT_FIELDS = ["max_tokens", "max_completion_tokens", "n", "seed", "logprobs", "top_logprobs"] as const;

function checkCommon(b: Record<string, unknown>): void {
  for (const f of NUMBER_FIELDS) if (b[f] !== undefined && b[f] !== null && (typeof b[f] !== "number" || !Number.isFinite(b[f]))) bad(f, "a number", b[f]);
  for (const f of INT_FIELDS) {
    const v = b[f];
    // `logprobs` is a boolean on chat and an integer on completions.
    if (f === "logprobs" && typeof v === "boolean") continue;
    if (v !== undefined && v !== null && !Number.isInteger(v)) bad(f, "an integer", v);
  }
  if (b.stream !== undefined && b.stream !== null && typeof b.stream !== "boolean") bad("stream", "a boolean", b.stream);
  if (b.stream_options !== undefined && b.stream_options !== null && (typeof b.stream_options !== "object" || Array.isArray(b.stream_options))) bad("stream_options", "an object", b.stream_options);
  if (b.stop !== undefined && b.stop !== null && typeof b.stop !== "string" && !(Array.isArray(b.stop) && b.stop.every((s) => typeof s === "string"))) bad("stop", "a string or an array of strings", b.stop);
  if (b.user !== undefined && typeof b.user !== "string") bad("user", "a string", b.user);
}

/** What the router needs from a validated body. */
export interface CheckedBody {
  /** Client model name. */
  model: string;
  /** Streaming requested. */
  stream: boolean;
}

/** Validates the fields the router and the upstreams rely on; throws 400 naming the field. */
export function checkBody(kind: BodyKind, b: Record<string, unknown>): CheckedBody {
  if (b.model === undefined) throw new RouterError("invalid_request", "model: required (got nothing). Set it to a model name from GET /v1/models, or \"auto\".", { param: "model" });
  if (typeof b.model !== "string" || b.model.length === 0) bad("model", "a non-empty string", b.model);
  if (kind === "chat") {
    const msgs = b.messages;
    if (msgs === undefined) throw new RouterError("invalid_request", "messages: required (got nothing). Send at least one {\"role\": \"user\", \"content\": \"...\"}.", { param: "messages" });
    if (!Array.isArray(msgs) || msgs.length === 0) bad("messages", "a non-empty array", msgs);
    msgs.forEach((m: unknown, i) => {
      if (typeof m !== "object" || m === null || Array.isArray(m)) bad(`messages[${i}]`, "an object", m);
      const msg = m as Record<string, unknown>;
      if (typeof msg.role !== "string") bad(`messages[${i}].role`, "a string (system, user, assistant, tool)", msg.role);
      const c = msg.content;
      if (c !== undefined && c !== null && typeof c !== "string" && !Array.isArray(c)) bad(`messages[${i}].content`, "a string, an array of content parts, or null", c);
      if (Array.isArray(c)) c.forEach((p: unknown, j) => { if (typeof p !== "object" || p === null || Array.isArray(p)) bad(`messages[${i}].content[${j}]`, "a content part object", p); });
    });
    if (b.tools !== undefined && b.tools !== null && !Array.isArray(b.tools)) bad("tools", "an array", b.tools);
  } else if (kind === "completions") {
    const p = b.prompt;
    if (p === undefined) throw new RouterError("invalid_request", "prompt: required (got nothing).", { param: "prompt" });
    if (typeof p !== "string" && !(Array.isArray(p) && p.every((x) => typeof x === "string" || typeof x === "number" || (Array.isArray(x) && x.every((y) => typeof y === "number"))))) {
      bad("prompt", "a string, an array of strings, or token ids", p);
    }
  } else {
    const input = b.input;
    if (input === undefined) throw new RouterError("invalid_request", "input: required (got nothing).", { param: "input" });
    if (typeof input !== "string" && !Array.isArray(input)) bad("input", "a string or an array", input);
  }
  if (kind !== "embeddings") checkCommon(b);
  return { model: b.model as string, stream: b.stream === true };
}
