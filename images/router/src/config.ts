/**
 * @module The ONE table of router settings that have a flag and an env var (R12). The README table, the
 * `--help` text and the Pulumi component's env vars are all generated from {@link ROUTER_SETTINGS}; defaults
 * live only in the zod schema (`config-schema.ts`) and are read from it, never restated here.
 */

/** How a flag/env string is turned into a config value. */
export type SettingType = "string" | "int" | "number" | "bool" | "url" | { enum: readonly string[] };

/** One router setting: flag, env var, config-file path and a one-line description. */
export interface RouterSetting {
  /** Kebab-case name; the flag is `--<name>`, the env var `SHOESTRING_ROUTER_<NAME>` (upper snake case). */
  readonly name: string;
  /** Where the value lands in the config object (file keys), e.g. `["cache", "redisUrl"]`. */
  readonly path: readonly string[];
  /** Value type used to parse flag and env strings. */
  readonly type: SettingType;
  /** Placeholder shown after the flag in help, e.g. `MS`. */
  readonly valueHint: string;
  /** One-line description (no trailing period); the default is appended from the schema. */
  readonly description: string;
  /** Secret values are never echoed in errors or logs. @default false */
  readonly secret?: boolean;
}

/** Prefix of every router env var. */
export const ROUTER_ENV_PREFIX = "SHOESTRING_ROUTER_";

/**
 * Every flag/env setting, grouped by concern. Structured settings (backends, models, tiers, tenants) exist only in
 * the YAML config file; `config` / `config-yaml` point at it.
 */
export const ROUTER_SETTINGS: readonly RouterSetting[] = [
  // Sources
  { name: "config", path: ["$config"], type: "string", valueHint: "FILE", description: "YAML config file with backends, models, tiers, tenants and cache" },
  { name: "config-yaml", path: ["$configYaml"], type: "string", valueHint: "YAML", description: "the same YAML given inline (for containers); used when no --config file is given" },
  // Server
  { name: "host", path: ["host"], type: "string", valueHint: "ADDR", description: "address to listen on (the container image sets 0.0.0.0)" },
  { name: "port", path: ["port"], type: "int", valueHint: "N", description: "port to listen on" },
  { name: "log-level", path: ["logLevel"], type: { enum: ["fatal", "error", "warn", "info", "debug", "trace", "silent"] }, valueHint: "LEVEL", description: "JSON log level (pino)" },
  { name: "access-log", path: ["accessLog"], type: "bool", valueHint: "BOOL", description: "one info log line per request; turn off for benchmarks" },
  { name: "max-body-bytes", path: ["maxBodyBytes"], type: "int", valueHint: "BYTES", description: "largest accepted request body; larger bodies get 413" },
  { name: "request-timeout", path: ["requestTimeoutMs"], type: "int", valueHint: "MS", description: "deadline for a whole request, fallbacks and streaming included" },
  { name: "shutdown-timeout", path: ["shutdownTimeoutMs"], type: "int", valueHint: "MS", description: "on SIGTERM, how long in-flight requests and streams may take to finish" },
  // Quick start
  { name: "upstream", path: ["upstream"], type: "url", valueHint: "URL", description: "quick start: one OpenAI-compatible base URL (e.g. http://127.0.0.1:8000/v1) that serves every model name" },
  { name: "upstream-api-key-env", path: ["upstreamApiKeyEnv"], type: "string", valueHint: "NAME", description: "quick start: env var holding the API key sent to --upstream" },
  { name: "api-key", path: ["apiKey"], type: "string", valueHint: "KEY", description: "quick start: require this client API key (tenant \"default\"); prefer the env var over the flag", secret: true },
  // Upstreams
  { name: "upstream-timeout", path: ["upstreamTimeoutMs"], type: "int", valueHint: "MS", description: "per attempt: time allowed until the first response byte (stream) or the whole response (non-stream) before falling back; backends[].timeoutMs overrides" },
  { name: "connect-timeout", path: ["connectTimeoutMs"], type: "int", valueHint: "MS", description: "TCP/TLS connect timeout to a backend" },
  { name: "max-in-flight", path: ["maxInFlight"], type: "int", valueHint: "N", description: "concurrent requests per backend; backends[].maxInFlight overrides" },
  { name: "max-queue", path: ["maxQueue"], type: "int", valueHint: "N", description: "requests waiting per backend when it is at max-in-flight; beyond it the next target is tried, then 503; backends[].maxQueue overrides" },
  { name: "queue-timeout", path: ["queueTimeoutMs"], type: "int", valueHint: "MS", description: "longest wait in a backend queue before the next target is tried" },
  // Circuit breaker
  { name: "breaker-error-ratio", path: ["breaker", "errorRatio"], type: "number", valueHint: "RATIO", description: "open a backend's breaker when failures / requests in the window reach this ratio" },
  { name: "breaker-min-requests", path: ["breaker", "minRequests"], type: "int", valueHint: "N", description: "requests needed in the window before the breaker may open" },
  { name: "breaker-window", path: ["breaker", "windowMs"], type: "int", valueHint: "MS", description: "rolling window of the error ratio" },
  { name: "breaker-cooldown", path: ["breaker", "cooldownMs"], type: "int", valueHint: "MS", description: "how long an open breaker rejects before one half-open probe is let through" },
  // Routing and context
  { name: "default-tier", path: ["routing", "defaultTier"], type: "int", valueHint: "N", description: "tier (1, 2 or 3) for model \"auto\" when no classifier keyword matches" },
  { name: "context-overflow", path: ["context", "overflow"], type: { enum: ["reject", "trim-oldest"] }, valueHint: "MODE", description: "prompt above the model's context: reject with 400, or drop the oldest turns (system prompt kept)" },
  { name: "context-warn-ratio", path: ["context", "warnRatio"], type: "number", valueHint: "RATIO", description: "warn (metric + log) when the estimated prompt exceeds this share of the context" },
  { name: "chars-per-token", path: ["context", "charsPerToken"], type: "number", valueHint: "N", description: "characters per token used to estimate prompt size" },
  // Cache (schema and defaults owned by the cache module)
  { name: "redis", path: ["cache", "redisUrl"], type: "url", valueHint: "URL", description: "Redis URL for the response cache; setting it turns the cache on" },
  { name: "cache", path: ["cache", "enabled"], type: "bool", valueHint: "BOOL", description: "response cache on/off (default: on when --redis is set)" },
  { name: "cache-ttl", path: ["cache", "ttlSeconds"], type: "int", valueHint: "SECONDS", description: "cache entry lifetime" },
  { name: "semantic-cache", path: ["cache", "semantic", "enabled"], type: "bool", valueHint: "BOOL", description: "semantic (embedding) cache layer on/off; needs cache.semantic.embeddingBackend in the config file" },
  { name: "semantic-threshold", path: ["cache", "semantic", "threshold"], type: "number", valueHint: "COSINE", description: "minimum cosine similarity for a semantic hit" },
];

/** `port` → `SHOESTRING_ROUTER_PORT`. */
export function settingEnvName(setting: Pick<RouterSetting, "name">): string {
  return ROUTER_ENV_PREFIX + setting.name.toUpperCase().replace(/-/g, "_");
}

/** `port` → `--port`. */
export function settingFlag(setting: Pick<RouterSetting, "name">): string {
  return `--${setting.name}`;
}

/** Boolean spellings accepted in env vars and flags (case-insensitive). */
export const BOOL_TRUE = ["true", "1", "on", "yes"] as const;
/** @see BOOL_TRUE */
export const BOOL_FALSE = ["false", "0", "off", "no"] as const;

/** Request header that forces the tier for model "auto". */
export const TIER_HEADER = "x-shoestring-tier";
