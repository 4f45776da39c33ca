/**
 * @module Builds the frozen router config from its sources with precedence flags > env > file > defaults,
 * collects every problem into one {@link RouterConfigError} (R5) and resolves env-held secrets.
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { closest } from "fastest-levenshtein";
import type { z } from "zod";
import {
  BOOL_FALSE, BOOL_TRUE, ROUTER_SETTINGS, settingEnvName, settingFlag, type RouterSetting,
} from "./config";
import { QUICK_START_BACKEND, routerConfigSchema, type ParsedRouterConfig, type BackendConfig } from "./config-schema";

/** A backend with every default applied and its API key read from the environment. */
export interface ResolvedBackend extends BackendConfig {
  /** Effective concurrency limit. */
  maxInFlight: number;
  /** Effective queue bound. */
  maxQueue: number;
  /** Effective per-attempt timeout in ms. */
  timeoutMs: number;
  /** Key sent upstream as `Authorization: Bearer` (from `apiKeyEnv`). */
  apiKey?: string;
  /** True for `openai` / `anthropic` kinds (shown in metrics and /ready). */
  cloud: boolean;
}

/** A tenant with its keys as SHA-256 digests. */
export interface ResolvedTenant {
  /** Tenant id. */
  id: string;
  /** SHA-256 digests (32 bytes) of the accepted client keys. */
  keyHashes: Buffer[];
  /** Requests per minute per key (undefined = unlimited). */
  rpm?: number;
  /** Tokens per minute per key (undefined = unlimited). */
  tpm?: number;
}

/** The validated, deep-frozen router config that `createApp` takes. */
export interface RouterConfig extends Omit<ParsedRouterConfig, "backends" | "tenants" | "apiKey"> {
  /** Backends, quick-start upstream included. */
  backends: ResolvedBackend[];
  /** Tenants, quick-start `apiKey` included as tenant "default". */
  tenants: ResolvedTenant[];
}

/** Thrown with every config problem, one per line, each naming the field and where it was set. */
export class RouterConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid router config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`);
    this.name = "RouterConfigError";
  }
}

/** What `shoestring-router` was started with. */
export interface ConfigSources {
  /** Command-line arguments without `node` and the script. @default [] */
  argv?: readonly string[];
  /** Environment. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Reads the `--config` file (tests). @default fs.readFileSync utf8 */
  readFile?: (path: string) => string;
}

type Tree = Record<string, unknown>;

function setPath(obj: Tree, path: readonly string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1] as string] = value;
}

/** Converts one flag/env string to the setting's type, or returns an error text. */
function coerce(s: RouterSetting, raw: string, from: string): { value?: unknown; error?: string } {
  const shown = s.secret ? "<hidden>" : JSON.stringify(raw);
  const t = s.type;
  if (t === "int") return /^-?\d+$/.test(raw.trim()) ? { value: Number(raw) } : { error: `${from}: expected a whole number (got ${shown})` };
  if (t === "number") return raw.trim() !== "" && Number.isFinite(Number(raw)) ? { value: Number(raw) } : { error: `${from}: expected a number (got ${shown})` };
  if (t === "bool") {
    const v = raw.trim().toLowerCase();
    if ((BOOL_TRUE as readonly string[]).includes(v)) return { value: true };
    if ((BOOL_FALSE as readonly string[]).includes(v)) return { value: false };
    return { error: `${from}: expected a boolean (got ${shown}; use one of ${[...BOOL_TRUE, ...BOOL_FALSE].join(", ")})` };
  }
  return { value: raw };
}

/** Parsed command line: setting values by name, plus --help/--version. */
export interface ParsedArgv {
  /** Raw values by setting name (`true` for a bare boolean flag, `false` for `--no-<flag>`). */
  values: Map<string, string | boolean>;
  /** `--help` or `-h` was given. */
  help: boolean;
  /** `--version` was given. */
  version: boolean;
  /** Unknown flags or missing values. */
  errors: string[];
}

/** Parses `--name value`, `--name=value`, bare booleans and `--no-<bool>`. */
export function parseArgv(argv: readonly string[]): ParsedArgv {
  const byName = new Map(ROUTER_SETTINGS.map((s) => [s.name, s]));
  const out: ParsedArgv = { values: new Map(), help: false, version: false, errors: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") { out.help = true; continue; }
    if (arg === "--version" || arg === "-v") { out.version = true; continue; }
    if (!arg.startsWith("--")) { out.errors.push(`unexpected argument ${JSON.stringify(arg)}: settings are given as --name value (see --help)`); continue; }
    const eq = arg.indexOf("=");
    let name = arg.slice(2, eq === -1 ? undefined : eq);
    let negated = false;
    if (!byName.has(name) && name.startsWith("no-") && byName.get(name.slice(3))?.type === "bool") { name = name.slice(3); negated = true; }
    const setting = byName.get(name);
    if (!setting) {
      const hint = closest(name, [...byName.keys()]);
      out.errors.push(`unknown flag --${name}; did you mean --${hint}? (see --help)`);
      if (eq === -1 && argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith("--")) i++;
      continue;
    }
    if (negated) { out.values.set(name, false); continue; }
    if (eq !== -1) { out.values.set(name, arg.slice(eq + 1)); continue; }
    const next = argv[i + 1];
    if (setting.type === "bool" && (next === undefined || next.startsWith("--"))) { out.values.set(name, true); continue; }
    if (next === undefined) { out.errors.push(`${settingFlag(setting)} needs a value (${setting.valueHint})`); continue; }
    out.values.set(name, next);
    i++;
  }
  return out;
}

const hashKey = (key: string): Buffer => createHash("sha256").update(key, "utf8").digest();

/** Applies quick-start expansion, backend defaults and env secrets; collects problems. */
function resolve(c: ParsedRouterConfig, env: NodeJS.ProcessEnv, problems: string[]): RouterConfig {
  const raw: BackendConfig[] = [...c.backends];
  if (c.upstream !== undefined) {
    raw.push({ name: QUICK_START_BACKEND, baseUrl: c.upstream, kind: "openai-compatible", apiKeyEnv: c.upstreamApiKeyEnv });
  }
  const backends = raw.map((b, i): ResolvedBackend => {
    let apiKey: string | undefined;
    if (b.apiKeyEnv !== undefined) {
      apiKey = env[b.apiKeyEnv];
      if (apiKey === undefined || apiKey === "") {
        const where = b.name === QUICK_START_BACKEND && c.upstream !== undefined ? "upstreamApiKeyEnv" : `backends[${i}].apiKeyEnv`;
        problems.push(`${where}: env var ${b.apiKeyEnv} is not set (backend "${b.name}" needs its API key). Export ${b.apiKeyEnv} or remove apiKeyEnv`);
      }
    }
    return {
      ...b,
      maxInFlight: b.maxInFlight ?? c.maxInFlight,
      maxQueue: b.maxQueue ?? c.maxQueue,
      timeoutMs: b.timeoutMs ?? c.upstreamTimeoutMs,
      apiKey,
      cloud: b.kind !== "openai-compatible",
    };
  });
  const routing = c.upstream !== undefined && c.routing.passthroughBackend === undefined
    ? { ...c.routing, passthroughBackend: QUICK_START_BACKEND } : c.routing;
  const tenants: ResolvedTenant[] = c.tenants.map((t, i) => ({
    id: t.id,
    rpm: t.rpm,
    tpm: t.tpm,
    keyHashes: t.keys.flatMap((spec, j): Buffer[] => {
      if (spec.startsWith("sha256:")) return [Buffer.from(spec.slice(7), "hex")];
      const name = spec.slice(4);
      const v = env[name];
      if (v === undefined || v === "") {
        problems.push(`tenants[${i}].keys[${j}]: env var ${name} is not set (tenant "${t.id}"). Export it or list the key as sha256:<hex>`);
        return [];
      }
      return [hashKey(v)];
    }),
  }));
  if (c.apiKey !== undefined) {
    if (tenants.some((t) => t.id === "default")) problems.push(`apiKey: tenant "default" already exists in tenants; add the key there instead`);
    else tenants.push({ id: "default", keyHashes: [hashKey(c.apiKey)] });
  }
  const { apiKey: _secret, ...rest } = c;
  return { ...rest, routing, backends, tenants };
}

function deepFreeze<T>(o: T): T {
  if (typeof o === "object" && o !== null && !Object.isFrozen(o) && !Buffer.isBuffer(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

function formatIssue(issue: z.core.$ZodIssue, sources: Map<string, string>, input: unknown): string {
  const dotted = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  let value: unknown = input;
  for (const p of issue.path) value = typeof value === "object" && value !== null ? (value as Tree)[p as string] : undefined;
  const skip = value === undefined || issue.code === "unrecognized_keys" || dotted.startsWith("apiKey") || issue.message.includes("(got ");
  const got = skip ? "" : ` (got ${JSON.stringify(value)})`;
  const msg = dotted && issue.message.startsWith(`${dotted}:`) ? issue.message : `${dotted || "config"}: ${issue.message}${got}`;
  const src = sources.get(dotted);
  return src ? `${msg} [set by ${src}]` : msg;
}

/**
 * Validates an already-merged config object (file shape), resolves secrets, deep-freezes it.
 * @example resolveRouterConfig({ upstream: "http://127.0.0.1:8000/v1" })
 */
export function resolveRouterConfig(input: unknown, env: NodeJS.ProcessEnv = process.env, sources = new Map<string, string>()): RouterConfig {
  const parsed = routerConfigSchema.safeParse(input);
  if (!parsed.success) throw new RouterConfigError(parsed.error.issues.map((i) => formatIssue(i, sources, input)));
  const problems: string[] = [];
  const config = resolve(parsed.data, env, problems);
  if (problems.length > 0) throw new RouterConfigError(problems);
  return deepFreeze(config);
}

/** Merges file < env < flags, then validates. Throws {@link RouterConfigError} listing every problem. */
export function loadRouterConfig(src: ConfigSources = {}): RouterConfig {
  const env = src.env ?? process.env;
  const args = parseArgv(src.argv ?? []);
  const problems = [...args.errors];
  const layer: Tree = {};
  const sources = new Map<string, string>();
  for (const s of ROUTER_SETTINGS) {
    const envName = settingEnvName(s);
    const fromFlag = args.values.get(s.name);
    const fromEnv = env[envName];
    const [raw, label] = fromFlag !== undefined ? [fromFlag, settingFlag(s)] : fromEnv !== undefined && fromEnv !== "" ? [fromEnv, envName] : [undefined, ""];
    if (raw === undefined) continue;
    const { value, error } = typeof raw === "boolean" ? { value: raw, error: undefined } : coerce(s, raw, label);
    if (error) { problems.push(error); continue; }
    setPath(layer, s.path, value);
    sources.set(s.path.join("."), label);
  }
  let file: Tree = {};
  const cfgPath = layer.$config as string | undefined;
  const cfgYaml = layer.$configYaml as string | undefined;
  delete layer.$config;
  delete layer.$configYaml;
  if (cfgPath !== undefined || cfgYaml !== undefined) {
    const what = cfgPath !== undefined ? `config file ${cfgPath}` : "inline config (--config-yaml)";
    try {
      const text = cfgPath !== undefined ? (src.readFile ?? ((p) => readFileSync(p, "utf8")))(cfgPath) : (cfgYaml as string);
      const doc: unknown = parseYaml(text) ?? {};
      if (typeof doc !== "object" || Array.isArray(doc)) problems.push(`${what}: expected a YAML mapping at the top level (got ${Array.isArray(doc) ? "a list" : typeof doc})`);
      else file = doc as Tree;
    } catch (err) {
      problems.push(`${what}: cannot be read: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  if (problems.length > 0) throw new RouterConfigError(problems);
  const merged = mergeDeep(file, layer);
  return resolveRouterConfig(merged, env, sources);
}

function mergeDeep(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = typeof v === "object" && v !== null && !Array.isArray(v) && typeof b === "object" && b !== null && !Array.isArray(b)
      ? mergeDeep(b as Tree, v as Tree) : v;
  }
  return out;
}
