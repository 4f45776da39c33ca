/**
 * @module Router settings of the multi-language router components: the TypeScript API's router
 * config (backends, cloud providers, routes, cache, tenants) with enums and maps instead of unions
 * and tuples, and its conversion back. Endpoints, keys and the Redis URL may be outputs; routes and
 * names must be known at construction, when the router config is checked.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { RouterTier } from "../../src/router-config/spec";
import type { RouterCacheArgs, RouterModelServerArgs, RouterProviderArgs, RouterServiceArgs, RouterTenantArgs } from "../routing";
import type { ProviderKind, SemanticCacheIndex, ServerRole } from "./enums";
import { defined } from "./_wrap";

/** A model server the router sends requests to: pass a model server component's outputs. */
export interface RouterBackend {
  /** Name clients send as `model`, and the backend name in router metrics. */
  name: string;
  /** The server's `endpoint` output, e.g. `http://llm-qwen-7b:8000/v1`. */
  endpoint: pulumi.Input<string>;
  /** The server's `servedModelName` output (sent upstream as `model`). */
  servedModelName: pulumi.Input<string>;
  /** Tier (1 cheapest … 3 most capable) whose `auto` route this server joins. @default - none: reachable by name and explicit routes */
  tier?: number;
  /** What the server serves; embeddings servers never join tier routes. @default "chat" */
  role?: ServerRole;
  /** Longest request (prompt + output) in tokens; the router skips targets too small for a prompt. @default - unchecked */
  contextTokens?: number;
  /** Requests in flight to this server. @default 128 */
  maxInFlight?: number;
  /** The key the server requires (a secret). @default - none */
  apiKey?: pulumi.Input<string>;
}

/** A cloud (or remote OpenAI-compatible) endpoint routes may name as `<provider>/<model>`. */
export interface RouterCloudProvider {
  /** Provider name: the prefix in route targets. */
  name: string;
  /** API flavour. */
  kind: ProviderKind;
  /** API base URL with the version prefix, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Model ids routes may use, e.g. `gpt-4o-mini`. */
  models: string[];
  /** The provider's API key (a secret); required for kinds openai and anthropic. @default - none */
  apiKey?: pulumi.Input<string>;
  /** Price in USD per 1M input tokens, for the money-saved metric. @default - unknown */
  usdPer1MInput?: number;
  /** Price in USD per 1M output tokens, for the money-saved metric. @default - unknown */
  usdPer1MOutput?: number;
}

/** The router's response cache. */
export interface RouterCache {
  /** `redis://:<password>@<host>:6379`, a secret: a Redis component's `url`, or an existing Redis. */
  redisUrl: pulumi.Input<string>;
  /** Entry lifetime in seconds. @default 86400 */
  ttlSeconds?: number;
  /** Exact-match layer on. @default true */
  exactEnabled?: boolean;
  /** Semantic (embedding similarity) layer on; needs `semanticEmbeddingModel`. @default false */
  semanticEnabled?: boolean;
  /** Cosine similarity floor of the semantic layer, 0.8 to 1. @default 0.95 */
  semanticThreshold?: number;
  /** `name` of the backend (role embeddings) that embeds prompts for the semantic layer. @default - none */
  semanticEmbeddingModel?: string;
  /** Encoding of each router replica's semantic vector index. @default binary */
  semanticIndex?: SemanticCacheIndex;
  /** Also cache sampled requests (temperature > 0). @default false */
  allowTemperatureAboveZero?: boolean;
}

/** A set of client API keys with per-key limits. */
export interface RouterTenant {
  /** Tenant id: cache scope and metrics label. */
  id: string;
  /** Plaintext client keys (secrets, at least 8 characters each); the router stores only their SHA-256 digests. */
  keys: pulumi.Input<pulumi.Input<string>[]>;
  /** Requests per minute per key. @default - unlimited */
  rpm?: number;
  /** Tokens per minute per key. @default - unlimited */
  tpm?: number;
}

/** The router config every multi-language router component takes. */
export interface RouterSettings {
  /** The model servers; each is reachable by its `name`. */
  backends: RouterBackend[];
  /** Cloud providers routes may name. @default [] */
  providers?: RouterCloudProvider[];
  /** Ranked route per tier ("1", "2", "3") for model `auto`: backend names or `<provider>/<model>`. @default {} */
  tiers?: { [tier: string]: string[] };
  /** Extra model names clients may request, each mapped to a ranked route. @default {} */
  aliases?: { [alias: string]: string[] };
  /** Use provider targets only after every local target of a route failed. @default false */
  cloudOnlyOnFailure?: boolean;
  /** Whole-request upstream limit in ms, streaming included. @default 600000 */
  requestTimeoutMs?: number;
  /** Connect limit per backend in ms. @default 5000 */
  connectTimeoutMs?: number;
  /** Response cache. @default - no cache */
  cache?: RouterCache;
  /** Client tenants; none means no authentication. @default [] */
  tenants?: RouterTenant[];
}

/** Router config fields of the TypeScript API's RouterService/K8sRouter args. */
export type RouterConfigArgs = Pick<
  RouterServiceArgs,
  "modelServers" | "providers" | "tiers" | "aliases" | "cloudOnlyOnFailure" | "timeouts" | "cache" | "tenants"
>;


function cacheArgs(c: RouterCache): RouterCacheArgs {
  return defined({
    redisUrl: c.redisUrl,
    ttlSeconds: c.ttlSeconds,
    exact: c.exactEnabled === undefined ? undefined : { enabled: c.exactEnabled },
    semantic:
      c.semanticEnabled === undefined && c.semanticThreshold === undefined && c.semanticEmbeddingModel === undefined && c.semanticIndex === undefined
        ? undefined
        : defined({ enabled: c.semanticEnabled, threshold: c.semanticThreshold, embeddingModel: c.semanticEmbeddingModel, index: c.semanticIndex }),
    bypass: c.allowTemperatureAboveZero === undefined ? undefined : { allowTemperatureAboveZero: c.allowTemperatureAboveZero },
  });
}

/** The TypeScript API's router config from {@link RouterSettings}. */
export function toRouterConfigArgs(s: RouterSettings): RouterConfigArgs {
  const timeouts = defined({ requestMs: s.requestTimeoutMs, connectMs: s.connectTimeoutMs });
  return defined({
    modelServers: s.backends.map(
      (b): RouterModelServerArgs =>
        defined({
          name: b.name,
          endpoint: b.endpoint,
          servedModelName: b.servedModelName,
          tier: b.tier as RouterTier | undefined,
          role: b.role as RouterModelServerArgs["role"],
          contextTokens: b.contextTokens,
          maxInFlight: b.maxInFlight,
          apiKey: b.apiKey,
        }),
    ),
    providers: s.providers?.map(
      (p): RouterProviderArgs =>
        defined({
          name: p.name,
          kind: p.kind as RouterProviderArgs["kind"],
          baseUrl: p.baseUrl,
          models: p.models,
          apiKey: p.apiKey,
          usdPer1MInput: p.usdPer1MInput,
          usdPer1MOutput: p.usdPer1MOutput,
        }),
    ),
    tiers: s.tiers as RouterServiceArgs["tiers"],
    aliases: s.aliases,
    cloudOnlyOnFailure: s.cloudOnlyOnFailure,
    timeouts: Object.keys(timeouts).length > 0 ? timeouts : undefined,
    cache: s.cache === undefined ? undefined : cacheArgs(s.cache),
    tenants: s.tenants?.map((t): RouterTenantArgs => defined({ id: t.id, keys: t.keys, rpm: t.rpm, tpm: t.tpm })),
  });
}
