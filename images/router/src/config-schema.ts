/**
 * @module The router's config schema (zod): the one place where router defaults live (R4). Flags and env vars
 * (config.ts) and the YAML file all land here; cross-references are checked in one pass (R5).
 */
import { z } from "zod";
import { cacheConfigSchema } from "./cache";

/** Name of the backend created by `--upstream`. */
export const QUICK_START_BACKEND = "upstream";

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A client key given as its SHA-256 (`sha256:<64 hex>`) or read from an env var (`env:NAME`). */
export const KEY_SPEC = /^(sha256:[0-9a-f]{64}|env:[A-Za-z_][A-Za-z0-9_]*)$/;

const name = (what: string) =>
  z.string().regex(NAME, { error: (i) => `${what} must be 1–64 letters, digits or _.:- and start with a letter or digit (got ${JSON.stringify(i.input)})` });
const httpUrl = z.url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL such as http://127.0.0.1:8000/v1 (got ${JSON.stringify(i.input)})` });
const ms = (max: number) => z.int().min(1).max(max);

/** One place a logical model can be answered: a backend and the model name that backend knows. */
export const targetSchema = z.strictObject({
  backend: z.string().min(1).describe("Name of a backend in `backends`."),
  model: z.string().min(1).describe("Model name sent to that backend (replaces the client's `model`)."),
  contextTokens: z.int().positive().optional().describe("Context window of this model; overrides the backend's."),
});

/** An OpenAI-compatible server the router sends requests to. */
export const backendSchema = z.strictObject({
  name: name("backend name").describe("Unique name used by targets, metrics labels and the x-shoestring-backend header."),
  baseUrl: httpUrl.describe("OpenAI-compatible base URL including the version prefix, e.g. http://vllm:8000/v1."),
  kind: z.enum(["openai-compatible", "openai", "anthropic"]).default("openai-compatible")
    .describe("openai-compatible (vLLM, llama.cpp), openai, or anthropic (its OpenAI-compatible endpoint, https://api.anthropic.com/v1, Bearer key). openai and anthropic count as cloud."),
  apiKeyEnv: z.string().regex(ENV_NAME).optional().describe("Env var holding the key sent as `Authorization: Bearer`."),
  maxInFlight: z.int().min(1).max(100_000).optional().describe("Concurrent requests; default: top-level maxInFlight."),
  maxQueue: z.int().min(0).max(1_000_000).optional().describe("Waiting requests when full; default: top-level maxQueue."),
  timeoutMs: ms(3_600_000).optional().describe("Per-attempt timeout; default: top-level upstreamTimeoutMs."),
  contextTokens: z.int().positive().optional().describe("Context window (tokens) of the models served here."),
  usdPer1MInput: z.number().min(0).optional().describe("Price per 1M input tokens, for the money-saved metric."),
  usdPer1MOutput: z.number().min(0).optional().describe("Price per 1M output tokens, for the money-saved metric."),
});

/** A logical model name clients send, mapped to a ranked chain of targets (first = preferred). */
export const modelSchema = z.strictObject({
  name: name("model name").refine((n) => n !== "auto", { error: "\"auto\" is reserved for tier routing; use `tiers` instead" })
    .describe("Name clients put in `model`."),
  targets: z.array(targetSchema).min(1).describe("Ranked targets; the next one is tried on connect error, 5xx, 429 or timeout."),
  contextTokens: z.int().positive().optional().describe("Context window for the context guard; default: per target."),
});

const chain = z.array(targetSchema).min(1);

/** A tenant: a set of client API keys with per-key limits. */
export const tenantSchema = z.strictObject({
  id: name("tenant id").describe("Tenant id (cache scope, metrics label)."),
  keys: z.array(z.string().regex(KEY_SPEC, { error: "key must be \"sha256:<64 lowercase hex>\" (echo -n KEY | sha256sum) or \"env:VAR_NAME\"; plaintext keys are not accepted in files" }))
    .min(1).describe("Client keys: sha256:<hex of the key> or env:VAR (plaintext read from the environment at start)."),
  rpm: z.int().positive().optional().describe("Requests per minute per key; unset = unlimited."),
  tpm: z.int().positive().optional().describe("Tokens (prompt + completion) per minute per key; unset = unlimited."),
});

/** Default keyword lists of the tier classifier (routing/tier-classifier.ts documents the rule). */
export const DEFAULT_TIER_KEYWORDS = {
  "1": ["extract", "format", "convert", "classify", "categorize", "parse", "list the", "json", "yaml", "csv", "spell", "grammar", "yes or no", "true or false", "label"],
  "2": ["summarize", "summarise", "summary", "translate", "rewrite", "paraphrase", "tl;dr", "tldr", "shorten", "simplify", "outline"],
  "3": ["analyze", "analyse", "explain why", "reason", "prove", "derive", "debug", "refactor", "implement", "algorithm", "architecture", "design a", "step by step", "compare", "trade-off", "tradeoff", "optimize", "write a function", "write code", "code"],
} as const;

const routingSchema = z.strictObject({
  defaultTier: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(2).describe("Tier for model \"auto\" when no keyword matches."),
  passthroughBackend: z.string().min(1).optional().describe("Backend that serves model names not listed in `models` (quick start sets it)."),
  classifier: z.strictObject({
    keywords: z.strictObject({
      "1": z.array(z.string().min(1)).default([...DEFAULT_TIER_KEYWORDS["1"]]),
      "2": z.array(z.string().min(1)).default([...DEFAULT_TIER_KEYWORDS["2"]]),
      "3": z.array(z.string().min(1)).default([...DEFAULT_TIER_KEYWORDS["3"]]),
    }).prefault({}).describe("Lower-case phrases per tier, matched in the last user message."),
    longPromptTokens: z.int().positive().default(4000).describe("Estimated prompt tokens at which a tier-1 pick is raised to tier 2."),
    codeTier: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3).describe("Tier for prompts containing a ``` code block."),
  }).prefault({}),
});

/** The whole router config (file + env + flags, before key resolution). */
export const routerConfigSchema = z.strictObject({
  host: z.string().min(1).default("127.0.0.1"),
  port: z.int().min(0).max(65_535).default(8080),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  accessLog: z.boolean().default(true),
  maxBodyBytes: z.int().min(1024).max(1_073_741_824).default(8 * 1024 * 1024),
  requestTimeoutMs: ms(24 * 3_600_000).default(600_000),
  shutdownTimeoutMs: z.int().min(0).max(3_600_000).default(25_000),
  upstream: httpUrl.optional(),
  upstreamApiKeyEnv: z.string().regex(ENV_NAME).optional(),
  apiKey: z.string().min(8, { error: "too short (minimum 8 characters); use a long random key, e.g. openssl rand -hex 24" }).optional(),
  upstreamTimeoutMs: ms(3_600_000).default(120_000),
  connectTimeoutMs: ms(600_000).default(5_000),
  maxInFlight: z.int().min(1).max(100_000).default(128),
  maxQueue: z.int().min(0).max(1_000_000).default(256),
  queueTimeoutMs: ms(3_600_000).default(10_000),
  breaker: z.strictObject({
    errorRatio: z.number().gt(0).max(1).default(0.5),
    minRequests: z.int().min(1).default(10),
    windowMs: ms(3_600_000).default(30_000),
    cooldownMs: ms(3_600_000).default(15_000),
  }).prefault({}),
  routing: routingSchema.prefault({}),
  context: z.strictObject({
    overflow: z.enum(["reject", "trim-oldest"]).default("reject"),
    warnRatio: z.number().gt(0).max(1).default(0.8),
    charsPerToken: z.number().min(1).max(16).default(4),
  }).prefault({}),
  backends: z.array(backendSchema).default([]),
  models: z.array(modelSchema).default([]),
  tiers: z.strictObject({ "1": chain.optional(), "2": chain.optional(), "3": chain.optional() }).default({})
    .describe("Ranked chains for model \"auto\" per tier (1 extraction/formatting, 2 summarize/translate, 3 analysis/code)."),
  tenants: z.array(tenantSchema).default([]),
  cache: cacheConfigSchema.prefault({}),
}).superRefine((c, ctx) => {
  const backends = new Set<string>();
  c.backends.forEach((b, i) => {
    if (backends.has(b.name)) ctx.addIssue({ code: "custom", path: ["backends", i, "name"], message: `duplicate backend name "${b.name}"; names must be unique` });
    backends.add(b.name);
  });
  if (c.upstream !== undefined) backends.add(QUICK_START_BACKEND);
  const known = [...backends].join(", ") || "none";
  const checkTarget = (t: { backend: string }, path: (string | number)[]): void => {
    if (!backends.has(t.backend)) ctx.addIssue({ code: "custom", path: [...path, "backend"], message: `unknown backend "${t.backend}" (known: ${known}); add it to backends or fix the name` });
  };
  const models = new Set<string>();
  c.models.forEach((m, i) => {
    if (models.has(m.name)) ctx.addIssue({ code: "custom", path: ["models", i, "name"], message: `duplicate model name "${m.name}"` });
    models.add(m.name);
    m.targets.forEach((t, j) => checkTarget(t, ["models", i, "targets", j]));
  });
  for (const tier of ["1", "2", "3"] as const) c.tiers[tier]?.forEach((t, j) => checkTarget(t, ["tiers", tier, j]));
  const pt = c.routing.passthroughBackend;
  if (pt !== undefined && !backends.has(pt)) ctx.addIssue({ code: "custom", path: ["routing", "passthroughBackend"], message: `unknown backend "${pt}" (known: ${known})` });
  const eb = c.cache.semantic.embeddingBackend;
  if (c.cache.semantic.enabled && eb !== undefined && !backends.has(eb)) ctx.addIssue({ code: "custom", path: ["cache", "semantic", "embeddingBackend"], message: `unknown backend "${eb}" (known: ${known})` });
  if (backends.size === 0) ctx.addIssue({ code: "custom", path: ["backends"], message: "no backends configured. Pass --upstream http://host:8000/v1 for the quick start, or list backends in the --config file" });
  const tenants = new Set<string>();
  c.tenants.forEach((t, i) => {
    if (tenants.has(t.id)) ctx.addIssue({ code: "custom", path: ["tenants", i, "id"], message: `duplicate tenant id "${t.id}"` });
    tenants.add(t.id);
  });
});

/** Parsed (defaulted) config, before env keys are resolved. */
export type RouterConfigInput = z.input<typeof routerConfigSchema>;
/** @see routerConfigSchema */
export type ParsedRouterConfig = z.output<typeof routerConfigSchema>;
/** @see backendSchema */
export type BackendConfig = z.output<typeof backendSchema>;
/** @see targetSchema */
export type TargetConfig = z.output<typeof targetSchema>;
