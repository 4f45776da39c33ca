/**
 * @module `buildRouterConfig`: the router's YAML config object (backends, models, tiers, tenants,
 * cache) from a {@link RouterConfigSpec}. Pure and shared by the Docker and Kubernetes paths; the
 * result is what `images/router` validates with `routerConfigSchema` at start.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { MAX_TTL_SECONDS, MIN_SEMANTIC_THRESHOLD, SEMANTIC_INDEXES } from "../../images/router/src/cache/config";
import type { RouterConfigInput } from "../../images/router/src/config-schema";
import { RouterConfigBuildError, type RouterConfigBuildIssue } from "./router-config-build-error";
import type { RouterConfigSpec, RouterModelServerSpec, RouterProviderSpec } from "./spec";

/** Backend and model names the router accepts (`config-schema.ts` NAME). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Shortest client key accepted, as the router's own `--api-key` minimum. */
export const MIN_CLIENT_KEY_LENGTH = 8;
const TIERS = ["1", "2", "3"] as const;

type Target = { backend: string; model: string };
type Add = (path: string, message: string) => void;
type Servers = ReadonlyMap<string, RouterModelServerSpec>;

/** `sha256:<hex>` of a client key, the form the router's config file accepts (`echo -n KEY | sha256sum`). */
export function hashClientKey(key: string): string {
  return `sha256:${createHash("sha256").update(key, "utf8").digest("hex")}`;
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

const isWhole = (v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** Drops undefined fields so the YAML and test expectations show only what was set. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function checkName(add: Add, path: string, name: string, what: string): void {
  if (!NAME.test(name)) {
    add(path, `${what} ${JSON.stringify(name)} is not a router name (allowed: 1-64 letters, digits or _.:-, starting with a letter or digit). Rename it`);
  }
}

function checkServers(add: Add, servers: readonly RouterModelServerSpec[]): void {
  servers.forEach((s, i) => {
    const at = `modelServers[${i}]`;
    checkName(add, `${at}.name`, s.name, "model server name");
    if (!isHttpUrl(s.endpoint)) add(`${at}.endpoint`, `not an http(s) URL (got ${JSON.stringify(s.endpoint)}; expected e.g. http://llm-qwen-7b:8000/v1). Pass the model server's endpoint output`);
    if (s.servedModelName.trim() === "") add(`${at}.servedModelName`, `empty (got ""); the router sends it upstream as "model". Pass the server's served model name`);
    if (s.tier !== undefined && !isWhole(s.tier, 1, 3)) add(`${at}.tier`, `not a tier (got ${String(s.tier)}; allowed: 1, 2 or 3)`);
    if (s.contextTokens !== undefined && !isWhole(s.contextTokens, 1)) add(`${at}.contextTokens`, `not a positive whole number of tokens (got ${String(s.contextTokens)}). Pass the server's context length`);
    if (s.maxInFlight !== undefined && !isWhole(s.maxInFlight, 1, 100_000)) add(`${at}.maxInFlight`, `out of range (got ${String(s.maxInFlight)}; allowed: 1 to 100000)`);
    if (s.apiKeyEnv !== undefined && !ENV_NAME.test(s.apiKeyEnv)) add(`${at}.apiKeyEnv`, `not an env var name (got ${JSON.stringify(s.apiKeyEnv)})`);
  });
}

function checkProviders(add: Add, providers: readonly RouterProviderSpec[]): void {
  providers.forEach((p, i) => {
    const at = `providers[${i}]`;
    checkName(add, `${at}.name`, p.name, "provider name");
    if (!isHttpUrl(p.baseUrl)) add(`${at}.baseUrl`, `not an http(s) URL (got ${JSON.stringify(p.baseUrl)}; expected e.g. https://api.openai.com/v1)`);
    if (p.kind !== "openai-compatible" && p.apiKeyEnv === undefined) {
      add(`${at}.apiKeyEnv`, `provider "${p.name}" of kind ${p.kind} needs an API key (got none). Give the provider its API key secret`);
    }
    if (p.apiKeyEnv !== undefined && !ENV_NAME.test(p.apiKeyEnv)) add(`${at}.apiKeyEnv`, `not an env var name (got ${JSON.stringify(p.apiKeyEnv)})`);
    if (p.models.length === 0) add(`${at}.models`, `provider "${p.name}" lists no models (got []). List the model ids routes may use, e.g. gpt-4o-mini`);
  });
}

/** Resolves one ranked route; `chatOnly` for tier routes, which serve chat completions. */
function resolveChain(
  add: Add,
  path: string,
  targets: readonly string[],
  servers: Servers,
  providers: readonly RouterProviderSpec[],
  chatOnly: boolean,
  cloudLast: boolean,
): Target[] {
  if (targets.length === 0) add(path, "empty route (got []). List at least one model server name or <provider>/<model>");
  const resolved: { target: Target; cloud: boolean }[] = [];
  const roles = new Set<string>();
  targets.forEach((target, k) => {
    const at = `${path}[${k}]`;
    const first = targets.indexOf(target);
    if (first !== k) return add(at, `"${target}" is listed twice in the same route (first at position ${first}). Remove the repeat`);
    const server = servers.get(target);
    if (server) {
      const role = server.role ?? "chat";
      if (chatOnly && role !== "chat") return add(at, `model server "${target}" has role ${role}; tier routes serve chat. Route tiers to chat servers only`);
      roles.add(role);
      resolved.push({ target: { backend: server.name, model: server.servedModelName }, cloud: false });
      return;
    }
    const slash = target.indexOf("/");
    const provider = slash > 0 ? providers.find((p) => p.name === target.slice(0, slash)) : undefined;
    const model = target.slice(slash + 1);
    if (provider && provider.models.includes(model)) {
      resolved.push({ target: { backend: provider.name, model }, cloud: true });
    } else if (provider) {
      add(at, `provider "${provider.name}" does not list model "${model}" (listed: ${provider.models.join(", ") || "none"}). Add it to the provider's models or pick a listed one`);
    } else {
      const known = [...servers.keys(), ...providers.map((p) => `${p.name}/<model>`)].join(", ") || "none";
      add(at, `unknown target "${target}" (known: ${known}). Use a model server name or <provider>/<model>`);
    }
  });
  if (roles.size > 1) add(path, "mixes chat and embeddings model servers in one route. Keep a route to one role");
  // Ranked fallback: with cloudOnlyOnFailure a provider is tried only after every local target failed.
  const ordered = cloudLast ? [...resolved.filter((r) => !r.cloud), ...resolved.filter((r) => r.cloud)] : resolved;
  return ordered.map((r) => r.target);
}

function buildCache(add: Add, spec: RouterConfigSpec, servers: Servers): RouterConfigInput["cache"] {
  const cache = spec.cache;
  if (cache === undefined) return undefined;
  // The URL carries the Redis password: never echo it.
  if (!/^rediss?:\/\/\S+$/.test(cache.redisUrl)) add("cache.redisUrl", "not a redis:// or rediss:// URL (value hidden: it holds the password). Pass the Redis component's url output");
  if (cache.ttlSeconds !== undefined && !isWhole(cache.ttlSeconds, 1, MAX_TTL_SECONDS)) {
    add("cache.ttlSeconds", `out of range (got ${String(cache.ttlSeconds)}; allowed: 1 to ${MAX_TTL_SECONDS} seconds)`);
  }
  const semantic = cache.semantic ?? {};
  const { threshold, embeddingModel, index } = semantic;
  if (threshold !== undefined && !(threshold >= MIN_SEMANTIC_THRESHOLD && threshold <= 1)) {
    add("cache.semantic.threshold", `out of range (got ${threshold}; allowed: ${MIN_SEMANTIC_THRESHOLD} to 1). Below ${MIN_SEMANTIC_THRESHOLD} unrelated prompts match; use 0.95 unless you measured your embedder`);
  }
  if (index !== undefined && !(SEMANTIC_INDEXES as readonly string[]).includes(index)) {
    add("cache.semantic.index", `unknown encoding ${JSON.stringify(index)} (allowed: ${SEMANTIC_INDEXES.join(", ")}). Leave it out for binary; use int8 only if your embedder's vectors share a large constant offset`);
  }
  const embedders = [...servers.values()].filter((s) => s.role === "embeddings").map((s) => s.name);
  const embedder = embeddingModel === undefined ? undefined : servers.get(embeddingModel);
  const allowed = `embeddings servers: ${embedders.join(", ") || "none"}`;
  if (semantic.enabled === true && embeddingModel === undefined) {
    add("cache.semantic.embeddingModel", `required while the semantic cache is enabled (got nothing; ${allowed}). Name an embeddings server or disable the semantic cache`);
  } else if (embeddingModel !== undefined && embedder?.role !== "embeddings") {
    const problem = embedder ? `model server "${embeddingModel}" has role chat` : `no model server named "${embeddingModel}"`;
    add("cache.semantic.embeddingModel", `${problem} (${allowed}). Name a server with role embeddings`);
  }
  return compact({
    redisUrl: cache.redisUrl,
    ttlSeconds: cache.ttlSeconds,
    exact: cache.exact?.enabled === undefined ? undefined : { enabled: cache.exact.enabled },
    semantic: compact({
      enabled: semantic.enabled,
      threshold,
      embeddingBackend: embedder?.name,
      embeddingModel: embedder?.servedModelName,
      index,
    }),
    bypass: cache.bypass === undefined ? undefined : compact({ ...cache.bypass }),
  });
}

function buildTenants(add: Add, spec: RouterConfigSpec): RouterConfigInput["tenants"] {
  const ids = new Set<string>();
  const keyAt = new Map<string, string>();
  return (spec.tenants ?? []).map((t, i) => {
    const at = `tenants[${i}]`;
    checkName(add, `${at}.id`, t.id, "tenant id");
    if (ids.has(t.id)) add(`${at}.id`, `duplicate tenant id "${t.id}". Give every tenant a unique id`);
    ids.add(t.id);
    if (t.keys.length === 0) add(`${at}.keys`, `tenant "${t.id}" has no keys (got []); it could never authenticate. Give it at least one key`);
    for (const [field, v] of [["rpm", t.rpm], ["tpm", t.tpm]] as const) {
      if (v !== undefined && !isWhole(v, 1)) add(`${at}.${field}`, `not a positive whole number (got ${String(v)}). Leave it unset for no limit`);
    }
    const keys = t.keys.map((key, j) => {
      const hash = hashClientKey(key);
      // Key values are secrets: problems name positions and lengths, never the key.
      if (key.length < MIN_CLIENT_KEY_LENGTH) add(`${at}.keys[${j}]`, `too short (got ${key.length} characters; minimum ${MIN_CLIENT_KEY_LENGTH}). Use a long random key, e.g. openssl rand -hex 24`);
      const first = keyAt.get(hash);
      if (first !== undefined) add(`${at}.keys[${j}]`, `the same key is also ${first}; a key must belong to one tenant. Remove one`);
      else keyAt.set(hash, `${at}.keys[${j}]`);
      return hash;
    });
    return compact({ id: t.id, keys, rpm: t.rpm, tpm: t.tpm });
  });
}

/**
 * Builds the router's config object. Every model server becomes a backend and a model of the same
 * name; providers become backends that routes reach as `<provider>/<model>`; aliases become extra
 * models; client keys become `sha256:` digests.
 * @throws {RouterConfigBuildError} listing every problem in the spec.
 * @example
 * buildRouterConfig({ modelServers: [{ name: "qwen-7b", endpoint: "http://llm-qwen-7b:8000/v1",
 *   servedModelName: "qwen-7b", tier: 1 }] }).tiers // { "1": [{ backend: "qwen-7b", model: "qwen-7b" }] }
 */
export function buildRouterConfig(spec: RouterConfigSpec): RouterConfigInput {
  const issues: RouterConfigBuildIssue[] = [];
  const add: Add = (path, message) => void issues.push({ path, message });
  const providers = spec.providers ?? [];
  const cloudLast = spec.cloudOnlyOnFailure ?? false;
  checkServers(add, spec.modelServers);
  checkProviders(add, providers);
  const taken = new Map<string, string>();
  const claim = (name: string, path: string): void => {
    const other = taken.get(name);
    if (other !== undefined) add(path, `name "${name}" is already used by ${other}; model servers, providers and aliases share one namespace. Rename one`);
    else taken.set(name, path);
  };
  spec.modelServers.forEach((s, i) => claim(s.name, `modelServers[${i}].name`));
  providers.forEach((p, i) => claim(p.name, `providers[${i}].name`));
  if (spec.modelServers.length + providers.length === 0) add("modelServers", "no model servers and no providers (got none); the router needs a backend. Add a model server");
  const servers: Servers = new Map(spec.modelServers.map((s) => [s.name, s]));

  const tiers: NonNullable<RouterConfigInput["tiers"]> = {};
  for (const tier of TIERS) {
    const explicit = spec.tiers?.[tier];
    const chain =
      explicit !== undefined
        ? resolveChain(add, `tiers.${tier}`, explicit, servers, providers, true, cloudLast)
        : spec.modelServers
            .filter((s) => s.tier === Number(tier) && (s.role ?? "chat") === "chat")
            .map((s) => ({ backend: s.name, model: s.servedModelName }));
    if (chain.length > 0) tiers[tier] = chain;
  }

  const aliases = Object.entries(spec.aliases ?? {}).map(([alias, targets]) => {
    const at = `aliases.${alias}`;
    checkName(add, at, alias, "alias");
    if (alias === "auto") add(at, `"auto" is reserved for tier routing (got alias "auto"). Use tiers instead, or rename the alias`);
    claim(alias, at);
    return { name: alias, targets: resolveChain(add, at, targets, servers, providers, false, cloudLast) };
  });

  const cache = buildCache(add, spec, servers);
  const tenants = buildTenants(add, spec);
  const { requestMs, connectMs } = spec.timeouts ?? {};
  if (requestMs !== undefined && !isWhole(requestMs, 1, 86_400_000)) add("timeouts.requestMs", `out of range (got ${String(requestMs)}; allowed: 1 to 86400000 ms)`);
  if (connectMs !== undefined && !isWhole(connectMs, 1, 600_000)) add("timeouts.connectMs", `out of range (got ${String(connectMs)}; allowed: 1 to 600000 ms)`);
  if (issues.length > 0) throw new RouterConfigBuildError(issues);

  return compact({
    requestTimeoutMs: requestMs,
    connectTimeoutMs: connectMs,
    backends: [
      ...spec.modelServers.map((s) =>
        compact({
          name: s.name,
          baseUrl: s.endpoint,
          kind: "openai-compatible" as const,
          apiKeyEnv: s.apiKeyEnv,
          maxInFlight: s.maxInFlight,
          contextTokens: s.contextTokens,
          usdPer1MInput: s.usdPer1MInput,
          usdPer1MOutput: s.usdPer1MOutput,
        }),
      ),
      ...providers.map((p) =>
        compact({
          name: p.name,
          baseUrl: p.baseUrl,
          kind: p.kind,
          apiKeyEnv: p.apiKeyEnv,
          usdPer1MInput: p.usdPer1MInput,
          usdPer1MOutput: p.usdPer1MOutput,
        }),
      ),
    ],
    models: [
      ...spec.modelServers.map((s) => ({ name: s.name, targets: [{ backend: s.name, model: s.servedModelName }] })),
      ...aliases,
    ],
    tiers,
    tenants,
    cache,
  });
}

/**
 * The router config as YAML text, for the `config-yaml` setting (`SHOESTRING_ROUTER_CONFIG_YAML`)
 * or a mounted `--config` file. Key order is fixed, so the same spec always gives the same text.
 * @throws {RouterConfigBuildError} listing every problem in the spec.
 */
export function renderRouterConfigYaml(spec: RouterConfigSpec): string {
  return `# Generated by llm-shoestring from the stack config; change the stack, not this file.\n${stringify(buildRouterConfig(spec), { lineWidth: 0 })}`;
}
