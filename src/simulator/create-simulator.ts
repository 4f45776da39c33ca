/** @module `createSimulator`: an OpenAI-compatible HTTP server that behaves like a vLLM engine. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, badRequest } from "./api-error";
import { EngineScheduler, type FinishedSequence } from "./engine-scheduler";
import { runGeneration } from "./generation-handler";
import { embedText, toBase64 } from "./hashed-embedding";
import { embeddingList, modelList } from "./openai-bodies";
import { parseEmbeddingRequest, parseGenerationRequest, type ParseLimits } from "./request-parsing";
import { createRandom } from "./seeded-random";
import {
  resolveFailures,
  resolveSimulatorOptions,
  SimulatorOptionsError,
  type SimulatorFailures,
  type SimulatorOptions,
} from "./simulator-options";
import { createSimulatorMetrics } from "./vllm-metrics";

/** Counters for tests and the CLI. */
export interface SimulatorStats {
  /** API requests received (`/v1/*` POSTs), failed ones included. */
  requests: number;
  /** Sequences in the batch now (vllm:num_requests_running). */
  running: number;
  /** Sequences queued for a slot now (vllm:num_requests_waiting). */
  waiting: number;
  /** KV-cache use in [0, 1]. */
  kvCacheUsage: number;
  /** Failures injected so far, by kind. */
  injected: { errors: number; disconnects: number; stalls: number };
  /** Finished sequences by vLLM `finished_reason`. */
  finished: { stop: number; length: number; abort: number };
}

/** A running (or ready to run) simulator. */
export interface Simulator {
  /** The underlying server (not yet listening until {@link Simulator.listen}). */
  server: Server;
  /** Listens on `host:port` (default 127.0.0.1 and a free port); `url` is the origin, the OpenAI base URL is `${url}/v1`. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Aborts running sequences, drops connections and stops listening. */
  close(): Promise<void>;
  /** Merges `partial` into the current failures (a field set to undefined returns to its default). */
  setFailures(partial: SimulatorFailures): void;
  /** Current counters. */
  stats(): SimulatorStats;
}

/** Largest request body read, like a proxy's limit; a bigger one gets 413. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Creates an engine simulator: chat/text completions (stream and not), embeddings, models,
 * `/health` and vLLM-named `/metrics`, with continuous-batching timing from `options.profile`
 * and seeded failure injection. Throws {@link SimulatorOptionsError} listing every invalid option.
 *
 * @example
 * const sim = createSimulator({ modelName: "Qwen/Qwen2.5-7B-Instruct", profile: { prefillTokensPerSecond: 8000,
 *   decodeMsPerToken: 20, batchSlowdownPerSeq: 0.02, maxNumSeqs: 64, maxModelLen: 8192, kvCacheTokens: 65536 } });
 * const { url } = await sim.listen();
 * const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
 */
export function createSimulator(options: SimulatorOptions): Simulator {
  const resolved = resolveSimulatorOptions(options);
  const { profile, modelName, seed } = resolved;
  let rawFailures: SimulatorFailures = { ...(options.failures ?? {}) };
  let failures = resolved.failures;
  const random = createRandom(seed);
  const counters: Omit<SimulatorStats, "running" | "waiting" | "kvCacheUsage"> = {
    requests: 0,
    injected: { errors: 0, disconnects: 0, stalls: 0 },
    finished: { stop: 0, length: 0, abort: 0 },
  };
  let readyAt = Number.POSITIVE_INFINITY;
  let nextId = 0;
  const createdAt = Math.floor(Date.now() / 1000);

  const gauges = {
    get runningCount() {
      return scheduler.runningCount;
    },
    get waitingCount() {
      return scheduler.waitingCount;
    },
    get kvCacheUsage() {
      return scheduler.kvCacheUsage;
    },
  };
  const metrics = createSimulatorMetrics(modelName, profile.maxModelLen, gauges);
  const scheduler: EngineScheduler = new EngineScheduler(profile, {
    ...metrics.observer,
    onFinish(sequence: FinishedSequence) {
      counters.finished[sequence.reason] += 1;
      metrics.observer.onFinish?.(sequence);
    },
  });
  const limits: ParseLimits = { modelName, maxModelLen: profile.maxModelLen, embeddingDimensions: resolved.embeddingDimensions };

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const sendError = (res: ServerResponse, error: ApiError): void => sendJson(res, error.status, error.toBody());
  const makeId = (prefix: string): string => `${prefix}-${seed.toString(16)}${(nextId++).toString(16).padStart(8, "0")}`;
  const loading = (): boolean => performance.now() < readyAt;
  const loadingError = () => new ApiError(503, "The model is still loading; retry when /health answers 200.", "ServiceUnavailableError");

  /** Draws the failure decisions of one API request: always three draws, so the sequence stays seeded. */
  const drawFaults = () => {
    const [errorDraw, disconnectDraw, stallDraw] = [random(), random(), random()];
    const fail = errorDraw < failures.errorRate;
    const disconnect = disconnectDraw < failures.disconnectRate;
    const stall = stallDraw < failures.stallRate && failures.stallMs > 0;
    return { fail, disconnect, stall };
  };

  async function handleApi(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    counters.requests += 1;
    const body = await readJson(req);
    const kind = path === "/v1/chat/completions" ? "chat" : path === "/v1/completions" ? "completion" : "embeddings";
    const generation = kind === "embeddings" ? undefined : parseGenerationRequest(kind, body, limits);
    const embedding = kind === "embeddings" ? parseEmbeddingRequest(body, limits) : undefined;
    const faults = drawFaults();
    if (faults.fail) {
      counters.injected.errors += 1;
      throw new ApiError(500, `Simulated engine failure (failures.errorRate=${failures.errorRate}).`, "InternalServerError");
    }
    if (failures.slowStartMs > 0) await delay(failures.slowStartMs);
    if (res.destroyed) return;
    if (embedding !== undefined) {
      const tokens = embedding.tokenCounts.reduce((a, b) => a + b, 0);
      await delay((tokens / profile.prefillTokensPerSecond) * 1000);
      const vectors = embedding.inputs.map((text) => embedText(text, embedding.dimensions));
      const data = vectors.map((v) => (embedding.encoding === "base64" ? toBase64(v) : Array.from(v)));
      return sendJson(res, 200, embeddingList(modelName, data, tokens));
    }
    if (generation === undefined) return;
    metrics.recordRequestParams(generation.maxTokens ?? profile.maxModelLen - generation.promptTokens, 1);
    if (faults.stall) counters.injected.stalls += 1;
    runGeneration(
      generation,
      res,
      {
        disconnectAfterTokens: faults.disconnect ? failures.disconnectAfterTokens : undefined,
        stallMs: faults.stall ? failures.stallMs : 0,
      },
      {
        scheduler,
        seed,
        maxModelLen: profile.maxModelLen,
        head: { id: makeId(kind === "chat" ? "chatcmpl" : "cmpl"), created: Math.floor(Date.now() / 1000), model: modelName },
        onDisconnect: () => (counters.injected.disconnects += 1),
      },
    );
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    const expect = (wanted: string): void => {
      if (method !== wanted) throw new ApiError(405, `Method ${method} is not allowed on ${path}; use ${wanted}.`, "MethodNotAllowed");
    };
    if (path === "/health") {
      expect("GET");
      if (loading()) return sendError(res, loadingError());
      res.writeHead(200);
      return void res.end();
    }
    if (path === "/metrics") {
      expect("GET");
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      return void res.end(await metrics.registry.metrics());
    }
    if (path.startsWith("/v1/") && resolved.apiKey !== undefined && req.headers.authorization !== `Bearer ${resolved.apiKey}`) {
      throw new ApiError(401, "Invalid or missing API key: send `Authorization: Bearer <key>`.", "AuthenticationError", null, "invalid_api_key");
    }
    if (path === "/v1/models") {
      expect("GET");
      if (loading()) throw loadingError();
      return sendJson(res, 200, modelList(modelName, createdAt, profile.maxModelLen));
    }
    if (path === "/v1/chat/completions" || path === "/v1/completions" || path === "/v1/embeddings") {
      expect("POST");
      if (loading()) throw loadingError();
      return handleApi(path, req, res);
    }
    throw new ApiError(404, `No route for ${method} ${path}.`, "NotFoundError");
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof ApiError) return sendError(res, error);
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, new ApiError(500, `Simulator error: ${message}`, "InternalServerError"));
    });
  });

  return {
    server,
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          readyAt = performance.now() + resolved.loadingMs;
          const address = server.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shownHost}:${address.port}`, port: address.port });
        });
      });
    },
    close() {
      scheduler.close();
      return new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    setFailures(partial) {
      const merged = { ...rawFailures, ...partial };
      const issues: string[] = [];
      const next = resolveFailures(merged, issues);
      if (issues.length > 0) throw new SimulatorOptionsError(issues);
      rawFailures = merged;
      failures = next;
    },
    stats() {
      return {
        ...counters,
        injected: { ...counters.injected },
        finished: { ...counters.finished },
        running: scheduler.runningCount,
        waiting: scheduler.waitingCount,
        kvCacheUsage: scheduler.kvCacheUsage,
      };
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(413, `Request body is over ${MAX_BODY_BYTES} bytes; send a shorter prompt.`, "RequestTooLarge");
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}
