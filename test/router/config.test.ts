import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTER_SETTINGS, settingEnvName } from "../../images/router/src/config";
import { loadRouterConfig, parseArgv, resolveRouterConfig, RouterConfigError } from "../../images/router/src/config-load";
import { ROUTER_ERRORS_MARKERS, ROUTER_FLAGS_MARKERS, renderRouterErrorsTable, renderRouterFlagsTable } from "../../images/router/src/flags-table";

const UP = "http://127.0.0.1:8000/v1";
const problems = (f: () => unknown): string[] => {
  try { f(); } catch (e) { if (e instanceof RouterConfigError) return e.problems; throw e; }
  throw new Error("expected a RouterConfigError");
};

describe("router config", () => {
  it("applies defaults from the schema for a quick start", () => {
    const c = loadRouterConfig({ argv: ["--upstream", UP], env: {} });
    expect(c).toMatchObject({ host: "127.0.0.1", port: 8080, maxInFlight: 128, requestTimeoutMs: 600_000, breaker: { errorRatio: 0.5, minRequests: 10 }, routing: { passthroughBackend: "upstream", defaultTier: 2 } });
    expect(c.backends).toEqual([expect.objectContaining({ name: "upstream", baseUrl: UP, kind: "openai-compatible", maxInFlight: 128, maxQueue: 256, timeoutMs: 120_000, cloud: false })]);
    expect(c.tenants).toEqual([]);
    expect(c.cache).toMatchObject({ ttlSeconds: 86_400, semantic: { threshold: 0.95 } });
  });

  it("takes flags over env over file over defaults", () => {
    const file = "port: 1111\nhost: 0.0.0.0\nlogLevel: debug\nupstream: http://file:1/v1\n";
    const c = loadRouterConfig({
      argv: ["--config", "router.yaml", "--port=3333"],
      env: { SHOESTRING_ROUTER_PORT: "2222", SHOESTRING_ROUTER_LOG_LEVEL: "warn" },
      readFile: () => file,
    });
    expect([c.port, c.logLevel, c.host]).toEqual([3333, "warn", "0.0.0.0"]);
    expect(c.backends[0]?.baseUrl).toBe("http://file:1/v1");
  });

  it("merges nested flag settings into the file's objects", () => {
    const c = loadRouterConfig({ argv: ["--config", "f", "--breaker-cooldown", "99"], env: {}, readFile: () => `upstream: ${UP}\nbreaker: { minRequests: 3 }\n` });
    expect(c.breaker).toEqual({ errorRatio: 0.5, minRequests: 3, windowMs: 30_000, cooldownMs: 99 });
  });

  it("reads booleans in every documented spelling and --no-<flag>", () => {
    for (const v of ["true", "1", "ON", "yes"]) expect(loadRouterConfig({ argv: ["--upstream", UP], env: { SHOESTRING_ROUTER_ACCESS_LOG: v } }).accessLog).toBe(true);
    for (const v of ["false", "0", "off", "No"]) expect(loadRouterConfig({ argv: ["--upstream", UP], env: { SHOESTRING_ROUTER_ACCESS_LOG: v } }).accessLog).toBe(false);
    expect(loadRouterConfig({ argv: ["--upstream", UP, "--no-access-log"], env: {} }).accessLog).toBe(false);
    expect(loadRouterConfig({ argv: ["--access-log", "--upstream", UP], env: {} }).accessLog).toBe(true);
  });

  it("reports every problem at once, each with its value and where it was set", () => {
    expect(problems(() => loadRouterConfig({ argv: ["--upstream", "ftp://x", "--port", "70000", "--breaker-error-ratio", "abc", "--prot", "1"], env: { SHOESTRING_ROUTER_ACCESS_LOG: "maybe" } }))).toEqual([
      "unknown flag --prot; did you mean --port? (see --help)",
      "SHOESTRING_ROUTER_ACCESS_LOG: expected a boolean (got \"maybe\"; use one of true, 1, on, yes, false, 0, off, no)",
      "--breaker-error-ratio: expected a number (got \"abc\")",
    ]);
    expect(problems(() => loadRouterConfig({ argv: ["--upstream", "ftp://x", "--port", "70000"], env: {} }))).toEqual([
      "port: Too big: expected number to be <=65535 (got 70000) [set by --port]",
      "upstream: expected an http(s) URL such as http://127.0.0.1:8000/v1 (got \"ftp://x\") [set by --upstream]",
    ]);
  });

  it("rejects unknown keys, unknown backends and duplicate names in the file", () => {
    expect(problems(() => resolveRouterConfig({
      backends: [{ name: "a", baseUrl: UP }, { name: "a", baseUrl: UP, maxInflight: 3 }],
      models: [{ name: "chat", targets: [{ backend: "nope", model: "m" }] }, { name: "auto", targets: [{ backend: "a", model: "m" }] }],
      tiers: { "2": [{ backend: "b", model: "m" }] },
    }, {}))).toEqual([
      "backends[1]: Unrecognized key: \"maxInflight\"",
      "models[1].name: \"auto\" is reserved for tier routing; use `tiers` instead (got \"auto\")",
      "backends[1].name: duplicate backend name \"a\"; names must be unique (got \"a\")",
      "models[0].targets[0].backend: unknown backend \"nope\" (known: a); add it to backends or fix the name (got \"nope\")",
      "tiers.2[0].backend: unknown backend \"b\" (known: a); add it to backends or fix the name (got \"b\")",
    ]);
  });

  it("asks for a backend when there is none", () => {
    expect(problems(() => loadRouterConfig({ argv: [], env: {} }))).toEqual([
      "backends: no backends configured. Pass --upstream http://host:8000/v1 for the quick start, or list backends in the --config file",
    ]);
  });

  it("reads backend and tenant keys from the environment and fails clearly when one is missing", () => {
    const input = {
      backends: [{ name: "cloud", baseUrl: "https://api.openai.com/v1", kind: "openai", apiKeyEnv: "OPENAI_API_KEY" }],
      tenants: [{ id: "t", keys: ["env:TEAM_KEY", `sha256:${"a".repeat(64)}`], rpm: 5 }],
    };
    const c = resolveRouterConfig(input, { OPENAI_API_KEY: "sk-x", TEAM_KEY: "team-secret" });
    expect(c.backends[0]).toMatchObject({ apiKey: "sk-x", cloud: true });
    expect(c.tenants[0]?.keyHashes.map((h) => h.toString("hex"))).toEqual([createHash("sha256").update("team-secret").digest("hex"), "a".repeat(64)]);
    expect(problems(() => resolveRouterConfig(input, {}))).toEqual([
      "backends[0].apiKeyEnv: env var OPENAI_API_KEY is not set (backend \"cloud\" needs its API key). Export OPENAI_API_KEY or remove apiKeyEnv",
      "tenants[0].keys[0]: env var TEAM_KEY is not set (tenant \"t\"). Export it or list the key as sha256:<hex>",
    ]);
  });

  it("refuses plaintext keys in the file and never echoes the quick-start key", () => {
    expect(problems(() => resolveRouterConfig({ upstream: UP, tenants: [{ id: "t", keys: ["sk-plaintext"] }] }, {}))[0])
      .toBe("tenants[0].keys[0]: key must be \"sha256:<64 lowercase hex>\" (echo -n KEY | sha256sum) or \"env:VAR_NAME\"; plaintext keys are not accepted in files (got \"sk-plaintext\")");
    expect(problems(() => loadRouterConfig({ argv: ["--upstream", UP, "--api-key", "short"], env: {} }))).toEqual([
      "apiKey: too short (minimum 8 characters); use a long random key, e.g. openssl rand -hex 24 [set by --api-key]",
    ]);
  });

  it("turns --api-key into tenant default and keeps only its hash", () => {
    const c = loadRouterConfig({ argv: ["--upstream", UP], env: { SHOESTRING_ROUTER_API_KEY: "long-enough-key" } });
    expect(c.tenants).toEqual([{ id: "default", keyHashes: [createHash("sha256").update("long-enough-key").digest()] }]);
    expect(JSON.stringify(c)).not.toContain("long-enough-key");
  });

  it("reads inline YAML from SHOESTRING_ROUTER_CONFIG_YAML and reports YAML errors", () => {
    expect(loadRouterConfig({ env: { SHOESTRING_ROUTER_CONFIG_YAML: `upstream: ${UP}\nport: 9` } }).port).toBe(9);
    expect(problems(() => loadRouterConfig({ env: { SHOESTRING_ROUTER_CONFIG_YAML: "- a\n- b" } }))).toEqual(["inline config (--config-yaml): expected a YAML mapping at the top level (got a list)"]);
    expect(problems(() => loadRouterConfig({ argv: ["--config", "/nonexistent/router.yaml"], env: {} }))[0]).toMatch(/^config file \/nonexistent\/router.yaml: cannot be read: ENOENT/);
  });

  it("freezes the config deeply", () => {
    const c = loadRouterConfig({ argv: ["--upstream", UP], env: {} });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.backends[0])).toBe(true);
    expect(Object.isFrozen(c.breaker)).toBe(true);
  });

  it("parses --help and --version", () => {
    expect(parseArgv(["-h"]).help).toBe(true);
    expect(parseArgv(["--version"]).version).toBe(true);
  });

  it("gives every setting a unique flag and env var", () => {
    const envs = ROUTER_SETTINGS.map(settingEnvName);
    expect(new Set(envs).size).toBe(envs.length);
    expect(envs).toContain("SHOESTRING_ROUTER_REQUEST_TIMEOUT");
  });
});

describe("images/router/README.md", () => {
  const readme = readFileSync(join(__dirname, "../../images/router/README.md"), "utf8");
  const between = (m: { start: string; end: string }): string => readme.slice(readme.indexOf(m.start) + m.start.length, readme.indexOf(m.end)).trim();

  it("has the settings table generated from config.ts", () => {
    expect(between(ROUTER_FLAGS_MARKERS)).toBe(renderRouterFlagsTable());
  });

  it("has the error-code table generated from errors.ts", () => {
    expect(between(ROUTER_ERRORS_MARKERS)).toBe(renderRouterErrorsTable());
  });
});
