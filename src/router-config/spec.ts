/**
 * @module What {@link buildRouterConfig} takes: the router as the deployment sees it (model servers,
 * cloud providers, routes, cache, tenants), in plain values. Field names follow the stack config
 * (`src/config/router.ts`, `cache.ts`) so the composition root maps them one to one; the Docker and
 * Kubernetes components fill in the endpoints and secrets.
 */
import type { ServerRole } from "../engines/model-server-command";

/** A routing tier: 1 = cheapest/fastest, 3 = most capable. */
export type RouterTier = 1 | 2 | 3;

/** One model server the router sends requests to. It becomes a router backend and a model name. */
export interface RouterModelServerSpec {
  /**
   * The stack's `models[].name`: the name clients send as `model`, and the backend name in router
   * metrics and the `x-shoestring-backend` header.
   */
  name: string;
  /** OpenAI-compatible base URL on the private network, with `/v1`, e.g. `http://llm-qwen-7b:8000/v1`. */
  endpoint: string;
  /** The name the server itself answers to (`--served-model-name` / `--alias`); sent upstream as `model`. */
  servedModelName: string;
  /**
   * Tier whose `auto` route this server joins when `tiers` leaves that tier out.
   * @default - none: the server is reachable by name and by explicit routes only
   */
  tier?: RouterTier;
  /** What the server serves; embeddings servers never join tier routes. @default "chat" */
  role?: ServerRole;
  /**
   * Longest request (prompt + output) in tokens one request may use: vLLM's `--max-model-len`, or
   * llama.cpp's context per slot. The router skips targets too small for a prompt.
   * @default - unchecked
   */
  contextTokens?: number;
  /** Env var of the router container holding the key the server requires (`Authorization: Bearer`). */
  apiKeyEnv?: string;
  /** Requests in flight to this server. @default - the router's `--max-in-flight` (128) */
  maxInFlight?: number;
  /** Amortized cost in USD per 1M input tokens, for the money-saved metric. */
  usdPer1MInput?: number;
  /** Amortized cost in USD per 1M output tokens, for the money-saved metric. */
  usdPer1MOutput?: number;
}

/** A cloud (or remote OpenAI-compatible) endpoint that routes may name as `<provider>/<model>`. */
export interface RouterProviderSpec {
  /** Provider name, the prefix in route targets; also its backend name. */
  name: string;
  /** API flavour. `openai` and `anthropic` need an API key. */
  kind: "openai" | "anthropic" | "openai-compatible";
  /** API base URL with the version prefix, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Env var of the router container holding the provider's API key. */
  apiKeyEnv?: string;
  /** Model ids routes may use, e.g. `gpt-4o-mini`. */
  models: string[];
  /** Price in USD per 1M input tokens. */
  usdPer1MInput?: number;
  /** Price in USD per 1M output tokens. */
  usdPer1MOutput?: number;
}

/** The router's response cache. Leave it out to run without a cache. */
export interface RouterCacheSpec {
  /** Redis URL with the password, e.g. `redis://:<password>@llm-redis:6379`. */
  redisUrl: string;
  /** Entry lifetime in seconds. @default - the router's (86400) */
  ttlSeconds?: number;
  /** Exact-match layer. */
  exact?: {
    /** @default - the router's (true) */
    enabled?: boolean;
  };
  /** Semantic (embedding similarity) layer. */
  semantic?: {
    /** @default - the router's (false) */
    enabled?: boolean;
    /** Cosine similarity floor, 0.8 to 1. @default - the router's (0.95) */
    threshold?: number;
    /** `name` of the model server (role embeddings) that embeds prompts; required when enabled. */
    embeddingModel?: string;
    /**
     * Encoding of each router replica's vector index: `binary` (sign bits re-scored by cosine, fastest) or
     * `int8` (cosine on 8-bit codes, for an embedding model whose vectors share a large constant offset).
     * @default - the router's ("binary")
     */
    index?: "binary" | "int8";
  };
  /** When requests skip the cache. */
  bypass?: {
    /** Also cache sampled requests (temperature > 0). @default - the router's (false) */
    allowTemperatureAboveZero?: boolean;
    /** Words that make a prompt time-sensitive. @default - the router's list */
    freshnessCues?: string[];
  };
}

/** A set of client API keys with per-key limits. */
export interface RouterTenantSpec {
  /** Tenant id: cache scope and metrics label. */
  id: string;
  /** Plaintext client keys; only their SHA-256 digests reach the config. At least 8 characters each. */
  keys: string[];
  /** Requests per minute per key. @default - unlimited */
  rpm?: number;
  /** Tokens per minute per key. @default - unlimited */
  tpm?: number;
}

/** Everything the router's YAML config is built from. */
export interface RouterConfigSpec {
  /** The model servers; each is reachable by its `name`. */
  modelServers: RouterModelServerSpec[];
  /** Cloud providers routes may name. @default [] */
  providers?: RouterProviderSpec[];
  /**
   * Ranked route per tier for model `auto`: model server names, or `<provider>/<model>`. A tier
   * left out routes to the chat servers whose `tier` matches, in list order.
   * @default {}
   */
  tiers?: Partial<Record<"1" | "2" | "3", string[]>>;
  /** Extra model names clients may request, each mapped to a ranked route. @default {} */
  aliases?: Record<string, string[]>;
  /**
   * Use provider targets only after every local target of a route failed: each route lists its
   * model servers first, then its provider targets, each group in the order given.
   * @default false
   */
  cloudOnlyOnFailure?: boolean;
  /** Upstream timeouts. */
  timeouts?: {
    /** Whole-request limit in ms, streaming included. @default - the router's (600000) */
    requestMs?: number;
    /** Connect limit per backend in ms. @default - the router's (5000) */
    connectMs?: number;
  };
  /** Response cache. @default - no cache */
  cache?: RouterCacheSpec;
  /** Client tenants; none means no authentication. @default [] */
  tenants?: RouterTenantSpec[];
}
