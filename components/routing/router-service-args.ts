/**
 * @module `RouterServiceArgs` and their resolution: defaults in one place (STYLE R4), and the router
 * config checked at construction (R5) with stand-ins for values known only at deploy time, so
 * a bad route fails `pulumi preview` instead of the container's start.
 */
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { buildRouterConfig } from "../../src/router-config/build";
import { backendApiKeyEnv, providerApiKeyEnv } from "../../src/router-config/env-names";
import { RouterConfigBuildError } from "../../src/router-config/router-config-build-error";
import type { RouterCacheSpec, RouterConfigSpec, RouterModelServerSpec, RouterProviderSpec } from "../../src/router-config/spec";
import { DEFAULT_RESTART, type RestartPolicy } from "../_labels";
import { aliasIssue } from "../_naming";
import { routerImageSource, type RouterImageSource } from "./router-image";

/** A model server as the router sees it; pass a `ModelServerOutputs`' endpoint and served name. */
export interface RouterModelServerArgs extends Omit<RouterModelServerSpec, "endpoint" | "servedModelName" | "apiKeyEnv"> {
  /** The server's `endpoint` output, e.g. `http://llm-qwen-7b:8000/v1`. */
  endpoint: pulumi.Input<string>;
  /** The server's `servedModelName` output. */
  servedModelName: pulumi.Input<string>;
  /** The key the server requires, a secret; set as `backendApiKeyEnv(name)` in the router. @default - none */
  apiKey?: pulumi.Input<string>;
}

/** A cloud provider; its key is set as `providerApiKeyEnv(name)` in the router. */
export interface RouterProviderArgs extends Omit<RouterProviderSpec, "apiKeyEnv"> {
  /** The provider's API key, a secret. Required for kinds openai and anthropic. */
  apiKey?: pulumi.Input<string>;
}

/** The response cache; pass a `RedisCache`'s secret `url`. */
export interface RouterCacheArgs extends Omit<RouterCacheSpec, "redisUrl"> {
  /** `redis://:<password>@<host>:6379`, a secret. */
  redisUrl: pulumi.Input<string>;
}

/** A tenant; keys are secrets and reach the config only as SHA-256 digests. */
export interface RouterTenantArgs {
  /** Tenant id: cache scope and metrics label. */
  id: string;
  /** Plaintext client keys (secrets), e.g. a comma-separated stack secret split into a list. */
  keys: pulumi.Input<pulumi.Input<string>[]>;
  /** Requests per minute per key. @default - unlimited */
  rpm?: number;
  /** Tokens per minute per key. @default - unlimited */
  tpm?: number;
}

/** Router log levels (pino). */
export type RouterLogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Arguments for {@link RouterService}. */
export interface RouterServiceArgs extends Omit<RouterConfigSpec, "modelServers" | "providers" | "cache" | "tenants"> {
  /**
   * Docker provider of the host the container runs on: a `DockerHost`'s, or any existing
   * `docker.Provider` of your program.
   * @default - the Docker provider given in this component's resource options (`provider`/`providers`)
   * or inherited from its parent, else the default provider (`docker:host` config)
   */
  provider?: docker.Provider;
  /** Name of the stack's private Docker network (where the model servers and Redis are). */
  network: pulumi.Input<string>;
  /**
   * The model servers, each reachable by its `name`. Routes and plain values are checked at
   * construction; values that are Outputs are checked again once known, at deploy time.
   */
  modelServers: RouterModelServerArgs[];
  /** Cloud providers routes may name as `<provider>/<model>`. @default [] */
  providers?: RouterProviderArgs[];
  /** Response cache. @default - no cache */
  cache?: RouterCacheArgs;
  /** Client tenants; none means no authentication. @default [] */
  tenants?: RouterTenantArgs[];
  /**
   * Prebuilt router image to pull, e.g. `ghcr.io/acme/shoestring-router:0.1.0`.
   * @default - built on the Docker host from `images/router/Dockerfile`, tagged `shoestring-router:<package version>`
   */
  image?: pulumi.Input<string>;
  /** Build context (repository root) when no `image` is given. @default - this package's root */
  buildContext?: string;
  /** Port the router listens on inside the network. @default 8080 */
  port?: number;
  /** Publish the port on the host (without it, only a TLS proxy on the network reaches the router). @default true */
  publish?: boolean;
  /** Host address the port is published on. `0.0.0.0` exposes it to the network: keep tenants on. @default "127.0.0.1" */
  bindAddress?: pulumi.Input<string>;
  /** Host port. @default - the same as `port` */
  hostPort?: number;
  /** JSON log level. @default - the router's ("info") */
  logLevel?: RouterLogLevel;
  /** Name other containers use to reach the router (network alias, a DNS label). @default - the component name */
  hostname?: string;
  /** Resources the router starts after, e.g. the model servers and Redis. @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Docker restart policy. @default "unless-stopped" */
  restart?: RestartPolicy;
  /** Extra container labels. @default {} */
  labels?: Record<string, string>;
}

/** The router's port inside the network (the image's `SHOESTRING_ROUTER_PORT`). */
export const DEFAULT_ROUTER_PORT = 8080;
/** Published only on loopback unless asked. */
export const DEFAULT_BIND_ADDRESS = "127.0.0.1";
/** Seconds Docker waits on stop before killing: the router drains for up to 25 s on SIGTERM. */
export const ROUTER_STOP_GRACE_SECONDS = 30;

/** {@link RouterServiceArgs} with defaults applied. */
export interface ResolvedRouterServiceArgs {
  /** Network alias (DNS name on the stack network). */
  alias: string;
  /** Port inside the network. */
  port: number;
  /** Whether the port is published on the host. */
  publish: boolean;
  /** Host port. */
  hostPort: number;
  /** Host address of the published port. */
  bindAddress: pulumi.Input<string>;
  /** Docker restart policy. */
  restart: RestartPolicy;
  /** Build inputs of the image; undefined when a prebuilt `image` is given. */
  build?: RouterImageSource;
}

/** The deploy-time values of a router spec: each server's endpoint and served name, the Redis URL, each tenant's keys. */
export interface RouterSpecValues {
  /** Per model server, in order: its endpoint and served model name. */
  servers: readonly (readonly [endpoint: string, servedModelName: string])[];
  /** The Redis URL ("" without a cache). */
  redisUrl: string;
  /** Per tenant, in order: its plaintext keys. */
  keys: readonly (readonly string[])[];
}

/** The builder's spec from the component's arguments and the resolved deploy-time values. */
export function routerSpec(args: RouterServiceArgs, values: RouterSpecValues): RouterConfigSpec {
  return {
    modelServers: args.modelServers.map(({ apiKey, ...s }, i) => ({
      ...s,
      endpoint: values.servers[i]![0],
      servedModelName: values.servers[i]![1],
      apiKeyEnv: apiKey === undefined ? undefined : backendApiKeyEnv(s.name),
    })),
    providers: args.providers?.map(({ apiKey, ...p }) => ({ ...p, apiKeyEnv: apiKey === undefined ? undefined : providerApiKeyEnv(p.name) })),
    tiers: args.tiers,
    aliases: args.aliases,
    cloudOnlyOnFailure: args.cloudOnlyOnFailure,
    timeouts: args.timeouts,
    cache: args.cache === undefined ? undefined : { ...args.cache, redisUrl: values.redisUrl },
    tenants: args.tenants?.map((t, i) => ({ ...t, keys: [...values.keys[i]!] })),
  };
}

/** What {@link preflightValues} reads: the parts of the router args that may be Outputs. */
export interface PreflightArgs {
  modelServers: ReadonlyArray<{ endpoint: pulumi.Input<string>; servedModelName: pulumi.Input<string> }>;
  cache?: { redisUrl: pulumi.Input<string> };
  tenants?: ReadonlyArray<{ keys: pulumi.Input<pulumi.Input<string>[]> }>;
}

/**
 * The router spec's deploy-time values as far as they are known at construction; Outputs get
 * syntactically valid stand-ins (`*.invalid` hosts, RFC 2606), so routes and settings are checked at
 * `pulumi preview` and the real values are checked again once known. Shared with the Kubernetes router.
 */
export function preflightValues(args: PreflightArgs): RouterSpecValues {
  const known = <T>(v: pulumi.Input<T>, standIn: T): T => (pulumi.Output.isInstance(v) || v instanceof Promise ? standIn : (v as T));
  return {
    servers: args.modelServers.map((s) => [known(s.endpoint, "http://model-server.invalid/v1"), known(s.servedModelName, "model")] as const),
    redisUrl: args.cache === undefined ? "" : known(args.cache.redisUrl, "redis://redis.invalid:6379"),
    keys: (args.tenants ?? []).map((t, i) => known<pulumi.Input<string>[]>(t.keys, [`preflight-key-${i}`]).map((k, j) => known(k, `preflight-key-${i}-${j}`))),
  };
}

/**
 * Applies the defaults and checks the arguments of a {@link RouterService} named `name`, the router
 * config included.
 * @throws {pulumi.InputPropertiesError} listing every problem, before anything is registered.
 */
export function resolveRouterServiceArgs(name: string, args: RouterServiceArgs): ResolvedRouterServiceArgs {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const alias = args.hostname ?? name;
  const port = args.port ?? DEFAULT_ROUTER_PORT;
  const hostPort = args.hostPort ?? port;
  const bad = aliasIssue("hostname", alias);
  if (bad) errors.push(bad);
  for (const [field, value] of [["port", port], ["hostPort", hostPort]] as const) {
    if (!(Number.isInteger(value) && value >= 1 && value <= 65535)) errors.push({ propertyPath: field, reason: `not a TCP port (got ${String(value)}; allowed: 1 to 65535)` });
  }
  const keyEnvs = new Map<string, string>();
  const claimEnv = (env: string, path: string): void => {
    const other = keyEnvs.get(env);
    if (other !== undefined) errors.push({ propertyPath: path, reason: `its API key would share env var ${env} with ${other}. Rename one of them` });
    else keyEnvs.set(env, path);
  };
  args.modelServers.forEach((s, i) => s.apiKey !== undefined && claimEnv(backendApiKeyEnv(s.name), `modelServers[${i}].name`));
  (args.providers ?? []).forEach((p, i) => p.apiKey !== undefined && claimEnv(providerApiKeyEnv(p.name), `providers[${i}].name`));
  const build = args.image === undefined ? routerImageSource(args.buildContext) : undefined;
  if (typeof build === "string") errors.push({ propertyPath: "buildContext", reason: build });
  try {
    buildRouterConfig(routerSpec(args, preflightValues(args)));
  } catch (err) {
    if (!(err instanceof RouterConfigBuildError)) throw err;
    errors.push(...err.issues.map((i) => ({ propertyPath: i.path, reason: i.message })));
  }
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for RouterService "${name}"`, errors });
  return {
    alias,
    port,
    publish: args.publish ?? true,
    hostPort,
    bindAddress: args.bindAddress ?? DEFAULT_BIND_ADDRESS,
    restart: args.restart ?? DEFAULT_RESTART,
    build: typeof build === "object" ? build : undefined,
  };
}
