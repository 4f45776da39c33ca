/**
 * @module The router's routing arguments from a stack config — model servers, providers, routes,
 * cache and tenants — shared by the Docker and Kubernetes compositions so both routers get the same
 * config.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../src/config";
import type { RouterCacheArgs, RouterModelServerArgs, RouterProviderArgs, RouterServiceArgs, RouterTenantArgs } from "./routing/router-service-args";

/** What the routing arguments need from the rest of the stack. */
export interface RoutingWiring {
  /** Model servers in `config.models` order. */
  servers: ReadonlyArray<{ endpoint: pulumi.Input<string>; servedModelName: pulumi.Input<string> }>;
  /** Key the router presents to the model servers. */
  internalApiKey: pulumi.Input<string>;
  /** Redis URL (secret) when the cache is on. */
  redisUrl?: pulumi.Input<string>;
}

/** The routing part of the router's arguments. */
export type RoutingArgs = Pick<RouterServiceArgs, "modelServers" | "providers" | "tiers" | "aliases" | "cloudOnlyOnFailure" | "timeouts" | "cache" | "tenants">;

/** Routing arguments for a validated stack config; `tenants` is undefined when auth is off. */
export function routingArgs(config: StackConfig, secrets: Readonly<Record<string, pulumi.Input<string>>>, w: RoutingWiring): RoutingArgs {
  const { router, cache } = config;
  const keysSecret = router.auth.enabled ? router.auth.apiKeysSecret : undefined;
  const keys = keysSecret === undefined ? undefined : secrets[keysSecret];
  const modelServers: RouterModelServerArgs[] = config.models.map((m, i) => ({
    name: m.name,
    endpoint: w.servers[i]!.endpoint,
    servedModelName: w.servers[i]!.servedModelName,
    tier: m.tier,
    role: m.role,
    contextTokens: m.maxModelLen,
    apiKey: w.internalApiKey,
  }));
  const providers: RouterProviderArgs[] = router.providers.map(({ apiKeySecret, ...p }) => ({
    ...p,
    ...(apiKeySecret !== undefined ? { apiKey: secrets[apiKeySecret] } : {}),
  }));
  const cacheArgs: RouterCacheArgs | undefined =
    cache.enabled && w.redisUrl !== undefined
      ? {
          redisUrl: w.redisUrl,
          ttlSeconds: cache.ttlSeconds,
          exact: { enabled: cache.exact.enabled },
          semantic: {
            enabled: cache.semantic.enabled,
            threshold: cache.semantic.threshold,
            index: cache.semantic.index,
            ...(cache.semantic.embeddingModel !== undefined ? { embeddingModel: cache.semantic.embeddingModel } : {}),
          },
          bypass: { allowTemperatureAboveZero: cache.bypass.allowTemperatureAboveZero, freshnessCues: cache.bypass.freshnessCues },
        }
      : undefined;
  // The secret holds comma-separated keys; the router stores only their hashes.
  const tenants: RouterTenantArgs[] | undefined =
    keys === undefined ? undefined : [{ id: "default", keys: pulumi.output(keys).apply((k) => k.split(",").map((s) => s.trim()).filter(Boolean)) }];
  return {
    modelServers,
    providers,
    tiers: router.tiers,
    aliases: router.aliases,
    cloudOnlyOnFailure: router.fallback.cloudOnlyOnFailure,
    timeouts: router.timeouts,
    ...(cacheArgs !== undefined ? { cache: cacheArgs } : {}),
    ...(tenants !== undefined ? { tenants } : {}),
  };
}
