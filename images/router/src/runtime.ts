/** @module What request handlers share: config, logger, metrics, backends, routing, auth, limits, cache. */
import type { RouterConfig } from "./config-load";
import type { RouterLogger } from "./logger";
import type { RouterMetrics } from "./metrics";
import type { Backend } from "./upstream/backend";
import type { RouteResolver } from "./routing/route-resolver";
import type { Authenticator } from "./auth";
import type { RateLimiter } from "./rate-limit";
import type { CacheBridge } from "./cache-bridge";

/** Everything a handler needs, built once by `createApp`. */
export interface RouterRuntime {
  /** Frozen config. */
  readonly config: RouterConfig;
  /** JSON logger. */
  readonly log: RouterLogger;
  /** Metrics. */
  readonly metrics: RouterMetrics;
  /** Backends by name. */
  readonly backends: ReadonlyMap<string, Backend>;
  /** Model → chain. */
  readonly resolver: RouteResolver;
  /** Keys → tenants. */
  readonly auth: Authenticator;
  /** Per-key limits. */
  readonly rateLimiter: RateLimiter;
  /** The response cache, when on. */
  readonly cache: CacheBridge | undefined;
  /** Set on shutdown: new requests get 503 `shutting_down`. */
  draining: boolean;
}
