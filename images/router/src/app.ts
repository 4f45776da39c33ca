/**
 * @module `createApp(config, deps?)`: builds the router (backends, routing, auth, limits, cache, metrics) and a
 * node:http server that is NOT listening (R8). One top-level handler maps every thrown error to the OpenAI
 * envelope (R7); `close()` drains gracefully.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { ResponseCache } from "./cache";
import { CacheBridge } from "./cache-bridge";
import type { RouterConfig } from "./config-load";
import { Authenticator } from "./auth";
import { RouterError, sendError } from "./errors";
import { handleInference } from "./handlers/inference";
import { handleHealth, handleMetrics, handleModels, handleReady } from "./handlers/info";
import { createLogger, type RouterLogger } from "./logger";
import { BREAKER_STATE_VALUE, RouterMetrics } from "./metrics";
import { RateLimiter } from "./rate-limit";
import { RequestContext, type Endpoint } from "./request-context";
import { RouteResolver } from "./routing/route-resolver";
import type { RouterRuntime } from "./runtime";
import { Backend } from "./upstream/backend";

/** Collaborators that tests (or embedders) may replace. */
export interface RouterDeps {
  /** Logger. @default pino at config.logLevel on stdout */
  logger?: RouterLogger;
  /** Metrics registry holder. @default a new RouterMetrics */
  metrics?: RouterMetrics;
  /** A response cache to use instead of creating one from `config.cache`. */
  cache?: ResponseCache;
  /** Clock for breakers and rate limits, in ms. @default Date.now */
  now?: () => number;
}

/** A built router. */
export interface RouterApp {
  /** The request listener (usable with any node:http server). */
  readonly handler: RequestListener;
  /** A server using {@link handler}; not listening until {@link listen}. */
  readonly server: Server;
  /** Shared state (tests and embedders). */
  readonly runtime: RouterRuntime;
  /** Starts listening; resolves with the bound address. @default config.port / config.host */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Graceful shutdown: stop accepting, let in-flight requests finish within shutdownTimeoutMs, close Redis and pools. */
  close(): Promise<void>;
}

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
const ROUTES: Record<string, { method: string; endpoint: Endpoint }> = {
  "/v1/chat/completions": { method: "POST", endpoint: "chat" },
  "/v1/completions": { method: "POST", endpoint: "completions" },
  "/v1/embeddings": { method: "POST", endpoint: "embeddings" },
  "/v1/models": { method: "GET", endpoint: "models" },
  "/health": { method: "GET", endpoint: "health" },
  "/ready": { method: "GET", endpoint: "ready" },
  "/metrics": { method: "GET", endpoint: "metrics" },
};
const QUIET: ReadonlySet<Endpoint> = new Set(["health", "ready", "metrics"]);

/**
 * Builds the router without listening.
 * @example
 * const app = createApp(loadRouterConfig({ argv: ["--upstream", "http://127.0.0.1:8000/v1"] }));
 * await app.listen(8080, "127.0.0.1");
 */
export function createApp(config: RouterConfig, deps: RouterDeps = {}): RouterApp {
  const log = deps.logger ?? createLogger(config.logLevel);
  const metrics = deps.metrics ?? new RouterMetrics();
  const backends = new Map<string, Backend>();
  for (const b of config.backends) {
    backends.set(b.name, new Backend(b, {
      breaker: config.breaker,
      connectTimeoutMs: config.connectTimeoutMs,
      now: deps.now,
      hooks: {
        onBreaker: (name, state) => {
          metrics.breakerState.labels(name).set(BREAKER_STATE_VALUE[state]);
          log.warn({ backend: name, state }, `circuit breaker ${state}`);
        },
      },
    }));
    metrics.breakerState.labels(b.name).set(0);
  }
  metrics.readLoadFrom(function* () {
    for (const b of backends.values()) yield { backend: b.name, inFlight: b.limiter.inFlight, queued: b.limiter.queued };
  });
  const rt: RouterRuntime = {
    config,
    log,
    metrics,
    backends,
    resolver: new RouteResolver(config, backends),
    auth: new Authenticator(config.tenants),
    rateLimiter: new RateLimiter(deps.now),
    cache: CacheBridge.create(config, backends, metrics, log, deps.cache),
    draining: false,
  };
  const active = new Set<RequestContext>();

  const finish = (ctx: RequestContext, req: IncomingMessage): void => {
    active.delete(ctx);
    if (QUIET.has(ctx.endpoint)) return;
    const status = ctx.clientGone && ctx.status === 0 ? 499 : ctx.status;
    const labels = [ctx.endpoint, ctx.model, ctx.backend, ctx.tier];
    metrics.inc(metrics.requests, [...labels, String(status)]);
    metrics.observe(metrics.duration, labels, (performance.now() - ctx.start) / 1000);
    if (ctx.overheadMs !== undefined) metrics.observe(metrics.overhead, [ctx.endpoint], ctx.overheadMs / 1000);
    if (ctx.ttftMs !== undefined) metrics.observe(metrics.ttft, [ctx.model, ctx.backend, ctx.tier], ctx.ttftMs / 1000);
    if (status === 200 && ctx.backend !== "none") {
      if (ctx.promptTokens > 0) metrics.inc(metrics.tokens, [ctx.model, ctx.backend, ctx.tier, "input"], ctx.promptTokens);
      if (ctx.completionTokens > 0) metrics.inc(metrics.tokens, [ctx.model, ctx.backend, ctx.tier, "output"], ctx.completionTokens);
      if (ctx.caller) rt.rateLimiter.charge(ctx.caller, ctx.promptTokens + ctx.completionTokens);
    }
    if (ctx.errorCode !== undefined) metrics.inc(metrics.errors, [ctx.errorCode]);
    if (ctx.clientGone) metrics.inc(metrics.clientAborted, [ctx.endpoint]);
    if (config.accessLog) {
      log.info({
        reqId: ctx.id, method: req.method, path: req.url, status, model: ctx.model, backend: ctx.backend, tier: ctx.tier || undefined,
        cache: ctx.cache, fallbacks: ctx.fallbacks || undefined, tenant: ctx.caller?.tenant, error: ctx.errorCode,
        ms: Math.round((performance.now() - ctx.start) * 10) / 10, promptTokens: ctx.promptTokens || undefined, completionTokens: ctx.completionTokens || undefined,
      }, "request");
    }
  };

  const fail = (ctx: RequestContext, err: unknown): void => {
    if (!(err instanceof RouterError) && (ctx.clientGone || ctx.res.destroyed)) {
      log.debug({ reqId: ctx.id, err }, "client went away");
      return;
    }
    const e = err instanceof RouterError ? err : new RouterError("internal_error", `Internal router error (request id ${ctx.id}); the router log has the details.`);
    if (!(err instanceof RouterError)) log.error({ reqId: ctx.id, err }, "unhandled error");
    if (e.code === "missing_api_key" || e.code === "invalid_api_key") metrics.inc(metrics.authFailures, [e.code]);
    if (e.code === "rate_limit_exceeded") metrics.inc(metrics.rateLimited, [ctx.caller?.tenant ?? "?", e.opts.type ?? "requests"]);
    ctx.errorCode = e.code;
    if (ctx.res.headersSent) {
      // Only reachable through a bug after the commit point; never leave the client hanging.
      ctx.res.destroy();
      return;
    }
    ctx.status = e.status;
    sendError(ctx.res, e, ctx.headers);
  };

  const handler: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const modelId = path.startsWith("/v1/models/") ? decodeURIComponent(path.slice(11)) : undefined;
    const route = modelId !== undefined ? ROUTES["/v1/models"] : ROUTES[path];
    const rid = req.headers["x-request-id"];
    const id = typeof rid === "string" && REQUEST_ID.test(rid) ? rid : randomUUID();
    const ctx = new RequestContext(id, route?.endpoint ?? "other", res, config.requestTimeoutMs);
    active.add(ctx);
    if (rt.draining) ctx.headers.push("connection", "close");
    // Accounting waits for both the response to close and the handler to return (tokens are known then).
    let pending = 2;
    const done = (): void => { if (--pending === 0) finish(ctx, req); };
    res.once("close", () => {
      if (!res.writableFinished) {
        ctx.clientGone = true;
        ctx.abortUpstream?.("client");
      }
      done();
    });
    let work: Promise<void> | void = undefined;
    try {
      if (!route) throw new RouterError("not_found", `Unknown path ${JSON.stringify(path)}. Endpoints: POST /v1/chat/completions, /v1/completions, /v1/embeddings; GET /v1/models, /health, /ready, /metrics.`);
      if (req.method !== route.method) throw new RouterError("method_not_allowed", `${req.method ?? "?"} is not allowed on ${path}; use ${route.method}.`, { headers: ["allow", route.method] });
      if (rt.draining && !QUIET.has(route.endpoint)) throw new RouterError("shutting_down", "The router is shutting down; retry the request (another replica will answer).", { retryAfterSec: 1 });
      switch (route.endpoint) {
        case "chat": case "completions": case "embeddings": work = handleInference(rt, req, ctx, route.endpoint); break;
        case "models": work = handleModels(rt, ctx, modelId); break;
        case "health": handleHealth(rt, ctx); break;
        case "ready": work = handleReady(rt, ctx); break;
        default: work = handleMetrics(rt, ctx);
      }
    } catch (err) {
      req.resume();
      fail(ctx, err);
      done();
      return;
    }
    if (work) work.catch((err: unknown) => { req.resume(); fail(ctx, err); }).finally(done);
    else done();
  };

  // Longer than the 60 s idle timeout of common load balancers (AWS ALB), so they close first; headers timeout above it.
  const server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 66_000 }, handler);
  let closing: Promise<void> | undefined;

  const close = async (): Promise<void> => {
    rt.draining = true;
    server.close();
    server.closeIdleConnections();
    const until = Date.now() + config.shutdownTimeoutMs;
    while (active.size > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 25));
      server.closeIdleConnections();
    }
    if (active.size > 0) {
      log.warn({ inFlight: active.size, shutdownTimeoutMs: config.shutdownTimeoutMs }, "shutdown timeout: interrupting the remaining requests");
      for (const ctx of active) { ctx.shuttingDown = true; ctx.abortUpstream?.("shutdown"); }
      const grace = Date.now() + 500;
      while (active.size > 0 && Date.now() < grace) await new Promise((r) => setTimeout(r, 10));
    }
    server.closeAllConnections();
    await rt.cache?.close();
    await Promise.all([...backends.values()].map((b) => b.destroy().catch(() => undefined)));
  };

  return {
    handler,
    server,
    runtime: rt,
    listen: (port = config.port, host = config.host) => new Promise<AddressInfo>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve(server.address() as AddressInfo);
      });
    }),
    close: () => (closing ??= close()),
  };
}
