/**
 * @module The cache's only door to Redis: one ioredis client that fails fast (no offline queue, no
 * retries, a per-command timeout), reconnects by itself with backoff, and sits behind a circuit
 * breaker. Every call resolves to an outcome; nothing here throws to the request path.
 * @see /work/shared/reference/toolbox.md §3 (ioredis options, measured fail-fast and recovery)
 */
import { Redis } from "ioredis";
import { CircuitBreaker } from "./circuit-breaker";
import { CIRCUIT_COOLDOWN_MS, CIRCUIT_FAILURE_THRESHOLD } from "./config";
import type { CacheEvent, CacheLogger } from "./types";

/** Result of one guarded Redis call. */
export type RedisOutcome<T> = { ok: true; value: T } | { ok: false; reason: "redis-unavailable" | "timeout" };

/** Settings for {@link createRedisGateway}. */
export interface RedisGatewayOptions {
  /** Redis URL. */
  url: string;
  /** Per-command timeout (ioredis `commandTimeout`). */
  timeoutMs: number;
  /** Clock in ms. */
  now: () => number;
  /** Receives redis_error / timeout / recovered. */
  onEvent: (e: CacheEvent) => void;
  /** Logger for connection noise (debug) and first failures (warn). */
  logger?: CacheLogger;
}

/** A guarded Redis client. */
export interface RedisGateway {
  /** Runs `fn` unless the circuit is open; failures and timeouts become `{ ok: false }` and are reported once each. */
  run<T>(op: string, fn: (redis: Redis) => Promise<T>): Promise<RedisOutcome<T>>;
  /** True when connected and a PING answers within the timeout. */
  ping(): Promise<boolean>;
  /** Disconnects; later calls resolve to `redis-unavailable`. */
  close(): Promise<void>;
}

// Backoff of toolbox.md §3: 50 ms steps up to 500 ms, so a restarted Redis is used again within ~0.5 s.
const retryStrategy = (attempt: number): number => Math.min(attempt * 50, 500);

function isTimeout(err: unknown): boolean {
  return err instanceof Error && /timed out/i.test(err.message);
}

/** Connects lazily in the background and returns the guarded client. */
export function createRedisGateway(opts: RedisGatewayOptions): RedisGateway {
  const connectTimeout = Math.max(500, opts.timeoutMs * 4);
  const client = new Redis(opts.url, {
    lazyConnect: true,
    commandTimeout: opts.timeoutMs,
    connectTimeout,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy,
  });
  let closed = false;
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
  client.on("error", (error: unknown) => opts.logger?.debug?.({ err: error }, "cache: redis connection error"));
  client.connect().catch((error: unknown) =>
    opts.logger?.warn({ err: error, url: redactUrl(opts.url) }, "cache: redis not reachable yet; serving uncached until it is"),
  );

  const breaker = new CircuitBreaker({ failureThreshold: CIRCUIT_FAILURE_THRESHOLD, cooldownMs: CIRCUIT_COOLDOWN_MS, now: opts.now });

  // Only the very first connect is awaited (bounded); a reconnecting client fails fast instead.
  const firstConnect = new Promise<void>((resolve) => {
    const done = (): void => { client.off("ready", done); client.off("end", done); client.off("reconnecting", done); resolve(); };
    client.on("ready", done);
    client.on("end", done);
    client.on("reconnecting", done);
  });
  async function settleFirstConnect(maxWaitMs: number): Promise<void> {
    if (client.status !== "wait" && client.status !== "connecting" && client.status !== "connect") return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([firstConnect, new Promise<void>((resolve) => { timer = setTimeout(resolve, maxWaitMs); })]);
    clearTimeout(timer);
  }

  async function run<T>(op: string, fn: (redis: Redis) => Promise<T>): Promise<RedisOutcome<T>> {
    if (closed || !breaker.tryAcquire()) return { ok: false, reason: "redis-unavailable" };
    await settleFirstConnect(opts.timeoutMs);
    if (client.status !== "ready") {
      breaker.onFailure();
      opts.onEvent({ type: "redis_error", op, error: new Error(`redis connection is ${client.status}`) });
      return { ok: false, reason: "redis-unavailable" };
    }
    try {
      const value = await fn(client);
      if (breaker.onSuccess()) opts.onEvent({ type: "recovered", op });
      return { ok: true, value };
    } catch (error) {
      const timeout = isTimeout(error);
      if (breaker.onFailure()) opts.logger?.warn({ op, err: error }, "cache: redis failing; skipping it for a short cooldown");
      opts.onEvent({ type: timeout ? "timeout" : "redis_error", op, error });
      return { ok: false, reason: timeout ? "timeout" : "redis-unavailable" };
    }
  }

  return {
    run,
    async ping() {
      // At startup the first connect may still be in flight; give it the connect timeout, not a false "down".
      await settleFirstConnect(connectTimeout);
      if (client.status !== "ready") return false;
      const r = await run("ping", (redis) => redis.ping());
      return r.ok && r.value === "PONG";
    },
    async close() {
      closed = true;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

/** Hides a password in a Redis URL for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, "//***@");
}
