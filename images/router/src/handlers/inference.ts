/**
 * @module `POST /v1/chat/completions`, `/v1/completions` and `/v1/embeddings`: auth → body → limits → route →
 * context guard → cache → fallback chain → accounting. The original body bytes are forwarded unless the model
 * name or the messages had to change.
 */
import type { IncomingMessage } from "node:http";
import { TIER_HEADER } from "../config";
import { applyContextGuard, estimatePromptTokens } from "../context-guard";
import { CACHE_HEADER } from "../cache-bridge";
import type { CacheLookupContext } from "../cache";
import type { RequestContext } from "../request-context";
import { checkBody, parseJsonObject, readBody, type BodyKind } from "../request-body";
import type { RouteTarget } from "../routing/route-resolver";
import type { RouterRuntime } from "../runtime";
import { runChain } from "../upstream/fallback";

const SUFFIX: Record<BodyKind, string> = { chat: "/chat/completions", completions: "/completions", embeddings: "/embeddings" };

/** Reads `usage` from the tail of a JSON completion without parsing the whole body. */
export function usageFromBody(body: Buffer): { prompt?: number; completion?: number } {
  const tail = body.subarray(Math.max(0, body.length - 1024)).toString("latin1");
  const at = tail.lastIndexOf('"usage"');
  if (at === -1) return {};
  const u = tail.slice(at);
  const p = /"prompt_tokens"\s*:\s*(\d+)/.exec(u);
  const c = /"completion_tokens"\s*:\s*(\d+)/.exec(u);
  return { prompt: p ? Number(p[1]) : undefined, completion: c ? Number(c[1]) : undefined };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Handles one inference request; resolves when the response has ended. Throws {@link RouterError}s. */
export async function handleInference(rt: RouterRuntime, req: IncomingMessage, ctx: RequestContext, kind: BodyKind): Promise<void> {
  const { config, metrics, log } = rt;
  const caller = rt.auth.authenticate(header(req, "authorization"));
  ctx.caller = caller;
  const raw = await readBody(req, config.maxBodyBytes);
  const body = parseJsonObject(raw);
  const { model, stream } = checkBody(kind, body);
  const cpt = config.context.charsPerToken;
  let promptTokens = kind === "embeddings" ? Math.ceil(JSON.stringify(body.input).length / cpt) : estimatePromptTokens(body, kind, cpt);
  rt.rateLimiter.admit(caller, promptTokens);

  const route = rt.resolver.resolve(model, header(req, TIER_HEADER), body, kind, promptTokens);
  ctx.model = metrics.label(route.model);
  if (route.tier !== undefined) {
    ctx.tier = String(route.tier);
    ctx.headers.push("x-shoestring-tier", ctx.tier);
    metrics.inc(metrics.routing, [ctx.tier, route.tierSource ?? "classifier"]);
  }

  let targets: readonly RouteTarget[] = route.targets;
  let sent: Record<string, unknown> = body;
  let rewritten = false;
  if (kind !== "embeddings") {
    let g;
    try {
      g = applyContextGuard({ body, kind, model: route.model, targets, contextOf: (t) => t.contextTokens }, config.context);
    } catch (err) {
      metrics.inc(metrics.contextGuard, [ctx.model, "reject"]);
      throw err;
    }
    if (g.warn) {
      metrics.inc(metrics.contextGuard, [ctx.model, "warn"]);
      log.warn({ reqId: ctx.id, model: route.model, promptTokens: g.promptTokens, context: g.targets[0]?.contextTokens }, "prompt is above the context warning ratio");
    }
    if (g.trimmedMessages) {
      metrics.inc(metrics.contextGuard, [ctx.model, "trim"]);
      sent = { ...body, messages: g.trimmedMessages };
      rewritten = true;
      ctx.headers.push("x-shoestring-context-trimmed", String(g.dropped ?? 0));
      log.info({ reqId: ctx.id, model: route.model, dropped: g.dropped }, "trimmed oldest turns to fit the context");
    }
    targets = g.targets;
    promptTokens = g.promptTokens;
  }
  ctx.promptTokens = promptTokens;

  let lc: CacheLookupContext | undefined;
  if (rt.cache && kind !== "embeddings") {
    const cacheControl = header(req, "cache-control");
    lc = { tenant: caller.tenant, model: route.model, kind, body: sent, ...(cacheControl !== undefined ? { cacheControl } : {}) };
    const d = await rt.cache.lookup(lc);
    if (d.kind === "hit") {
      ctx.cache = `hit-${d.layer}`;
      ctx.headers.push(CACHE_HEADER, ctx.cache);
      const usage = d.completion.usage as { prompt_tokens?: number; completion_tokens?: number } | undefined;
      ctx.completionTokens = usage?.completion_tokens ?? 0;
      const so = body.stream_options as { include_usage?: unknown } | undefined;
      rt.cache.replay(ctx, ctx.res, d, stream, so?.include_usage === true, route.targets[0]);
      return;
    }
    ctx.cache = d.kind;
    ctx.headers.push(CACHE_HEADER, d.kind);
    if (d.kind !== "miss") lc = undefined;
  }

  const serialized = new Map<string, string>();
  const bodyFor = (t: RouteTarget): Buffer | string => {
    if (!rewritten && t.model === model) return raw;
    let s = serialized.get(t.model);
    if (s === undefined) {
      s = JSON.stringify({ ...sent, model: t.model });
      serialized.set(t.model, s);
    }
    return s;
  };
  const tee = lc && stream && rt.cache ? rt.cache.tee(kind as "chat" | "completions") : undefined;
  const result = await runChain(ctx, route.model, targets, {
    suffix: SUFFIX[kind],
    stream,
    bodyFor,
    queueTimeoutMs: config.queueTimeoutMs,
    onRegion: tee ? (r) => tee.push(r) : undefined,
    onGap: stream ? (s) => metrics.observe(metrics.itl, [ctx.model, ctx.backend], s) : undefined,
  }, {
    onFallback: (from, to, reason, detail) => {
      metrics.inc(metrics.fallbacks, [from, to, reason]);
      log.warn({ reqId: ctx.id, model: route.model, from, to, reason, detail }, to === "none" ? "last target failed" : "falling back to the next target");
    },
  });
  if (result.kind === "client-gone") return;

  const o = result.outcome;
  if (o.kind === "cut") {
    metrics.inc(metrics.streamAborted, [ctx.backend, o.reason]);
    ctx.errorCode = "stream_interrupted";
    log.warn({ reqId: ctx.id, backend: ctx.backend, reason: o.reason }, "stream failed after the first byte; sent an SSE error event");
    if (tee) rt.cache?.skipped("incomplete");
  }
  const stats = o.stats;
  if (stats) {
    ctx.promptTokens = stats.usage?.prompt_tokens ?? ctx.promptTokens;
    ctx.completionTokens = stats.usage?.completion_tokens ?? stats.events;
  } else if (o.kind === "done" && o.body) {
    const u = usageFromBody(o.body);
    ctx.promptTokens = u.prompt ?? ctx.promptTokens;
    ctx.completionTokens = u.completion ?? (kind === "embeddings" ? 0 : Math.ceil(o.body.length / cpt));
  }
  if (!lc || !rt.cache || o.kind !== "done" || o.status !== 200) return;
  if (tee) {
    const completion = tee.result();
    if (completion) rt.cache.store(lc, completion);
    else rt.cache.skipped("incomplete");
  } else if (o.body) {
    try {
      rt.cache.store(lc, JSON.parse(o.body.toString("utf8")) as Record<string, unknown>);
    } catch {
      rt.cache.skipped("unparseable");
    }
  }
}
