/**
 * @module `GET /v1/models`, `/health` (liveness: the process answers), `/ready` (backends reachable; Redis state
 * reported) and `/metrics`. Readiness probes are cached briefly so a busy load balancer cannot hammer backends.
 */
import type { ServerResponse } from "node:http";
import type { RouterRuntime } from "../runtime";
import type { RequestContext } from "../request-context";
import { RouterError } from "../errors";

/** How long a readiness result is reused. */
export const READY_CACHE_MS = 1_000;
/** Timeout of one backend probe (`GET <baseUrl>/models`). */
export const PROBE_TIMEOUT_MS = 2_000;

function sendJson(ctx: RequestContext, res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, [...ctx.headers, "content-type", "application/json", "content-length", String(Buffer.byteLength(body)), "cache-control", "no-store"]);
  res.end(body);
  ctx.status = status;
}

/** Model entry in the OpenAI list shape. */
const entry = (id: string, owner: string): Record<string, unknown> => ({ id, object: "model", created: 0, owned_by: owner });

/** `GET /v1/models` and `GET /v1/models/{id}`: configured models, "auto", and the passthrough backend's models. */
export async function handleModels(rt: RouterRuntime, ctx: RequestContext, id?: string): Promise<void> {
  const data = rt.resolver.modelNames().map((n) => entry(n, "shoestring"));
  const pt = rt.resolver.passthroughBackend;
  if (pt) {
    try {
      const r = await pt.get("/models", PROBE_TIMEOUT_MS);
      const list = (JSON.parse(r.body.toString("utf8")) as { data?: { id?: unknown }[] }).data ?? [];
      for (const m of list) if (typeof m.id === "string" && !data.some((d) => d.id === m.id)) data.push(entry(m.id, pt.name));
    } catch (err) {
      rt.log.warn({ reqId: ctx.id, backend: pt.name, err: (err as Error).message }, "could not list passthrough models");
    }
  }
  if (id === undefined) return sendJson(ctx, ctx.res, 200, { object: "list", data });
  const found = data.find((d) => d.id === id);
  if (!found) throw new RouterError("model_not_found", `The model "${id}" does not exist on this router. GET /v1/models lists the available ones.`, { param: "model" });
  sendJson(ctx, ctx.res, 200, found);
}

/** `GET /health`: 200 while the process serves HTTP (also while draining, so it is not killed early). */
export function handleHealth(rt: RouterRuntime, ctx: RequestContext): void {
  sendJson(ctx, ctx.res, 200, { status: rt.draining ? "draining" : "ok" });
}

interface ReadyBody { status: "ready" | "not_ready"; draining: boolean; backends: Record<string, unknown>; cache: string }
const lastReady = new WeakMap<RouterRuntime, { at: number; body: ReadyBody }>();

/** `GET /ready`: 200 when at least one backend answers and the router is not draining; Redis is reported, not required. */
export async function handleReady(rt: RouterRuntime, ctx: RequestContext): Promise<void> {
  const now = Date.now();
  const cached = lastReady.get(rt);
  let body = cached && now - cached.at < READY_CACHE_MS ? cached.body : undefined;
  if (!body) {
    const backends: Record<string, unknown> = {};
    await Promise.all([...rt.backends.values()].map(async (b) => {
      let reachable = false;
      let detail: string | undefined;
      try {
        const r = await b.get("/models", PROBE_TIMEOUT_MS);
        reachable = r.status < 500;
        if (!reachable) detail = `HTTP ${r.status}`;
      } catch (err) {
        detail = (err as Error).message;
      }
      backends[b.name] = { reachable, ...(detail ? { detail } : {}), breaker: b.breaker.state, inFlight: b.limiter.inFlight, queued: b.limiter.queued, cloud: b.config.cloud };
    }));
    // The router serves uncached when Redis is down, so Redis never makes it unready.
    const cache = rt.cache ? ((await rt.cache.ready()) ? "ok" : "unavailable (serving uncached)") : "disabled";
    const anyUp = Object.values(backends).some((v) => (v as { reachable: boolean }).reachable);
    body = { status: anyUp && !rt.draining ? "ready" : "not_ready", draining: rt.draining, backends, cache };
    lastReady.set(rt, { at: now, body });
  }
  sendJson(ctx, ctx.res, body.status === "ready" && !rt.draining ? 200 : 503, { ...body, draining: rt.draining });
}

/** `GET /metrics`: Prometheus text format. */
export async function handleMetrics(rt: RouterRuntime, ctx: RequestContext): Promise<void> {
  const text = await rt.metrics.registry.metrics();
  ctx.res.writeHead(200, [...ctx.headers, "content-type", rt.metrics.registry.contentType, "content-length", String(Buffer.byteLength(text))]);
  ctx.res.end(text);
  ctx.status = 200;
}
