/** RouterService under mocks: built or pulled image, env vars only from ROUTER_SETTINGS, secret config and keys, loopback port, and config errors at construction. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RouterService } from "../../../components/routing/router-service";
import { ROUTER_SETTINGS, settingEnvName } from "../../../images/router/src/config";
import { loadRouterConfig } from "../../../images/router/src/config-load";
import { routerConfigSchema } from "../../../images/router/src/config-schema";
import { hashClientKey } from "../../../src/router-config/build";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";

const CONTAINER = "docker:index/container:Container";
const REPO_ROOT = resolve(__dirname, "../../..");
const CLIENT_KEY = "client-key-0123456789abcdef";
const OPENAI_KEY = "sk-openai-test-0123456789";
const BACKEND_KEY = "sk-vllm-test-0123456789";
const REDIS_URL = "redis://:redis-pass-0123@llm-redis:6379";

/** The container's env as the router process would see it. */
function envOf(envs: unknown): Record<string, string> {
  return Object.fromEntries((unwrapSecrets(envs) as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

function visibleInputs(inputs: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(inputs).filter(([, v]) => !containsSecret(v))));
}

describe("RouterService", () => {
  let recorded: Recorded;
  let provider: docker.Provider;
  let emptyDir: string;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new docker.Provider("host", { host: "unix:///var/run/docker.sock" });
    emptyDir = mkdtempSync(join(tmpdir(), "router-ctx-"));
  });
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it("builds the image from the repo, passes the config and keys as secret env vars, and publishes on loopback", async () => {
    const router = new RouterService("llm-router", {
      provider,
      network: "llm-net",
      modelServers: [
        { name: "qwen-1-5b", endpoint: pulumi.output("http://llm-qwen-1-5b:8080/v1"), servedModelName: pulumi.output("qwen-1-5b"), tier: 1, contextTokens: 4096 },
        { name: "qwen-7b", endpoint: pulumi.output("http://llm-qwen-7b:8000/v1"), servedModelName: "qwen-7b", tier: 2, apiKey: pulumi.secret(BACKEND_KEY) },
        { name: "nomic-embed", endpoint: "http://llm-nomic-embed:8080/v1", servedModelName: "nomic-embed", role: "embeddings" },
      ],
      providers: [{ name: "openai", kind: "openai", baseUrl: "https://api.openai.com/v1", models: ["gpt-4o-mini"], apiKey: pulumi.secret(OPENAI_KEY) }],
      tiers: { "3": ["qwen-7b", "openai/gpt-4o-mini"] },
      aliases: { "gpt-4o-mini": ["qwen-7b", "openai/gpt-4o-mini"] },
      cloudOnlyOnFailure: true,
      cache: { redisUrl: pulumi.secret(REDIS_URL), semantic: { enabled: true, embeddingModel: "nomic-embed" } },
      tenants: [{ id: "default", keys: pulumi.secret([CLIENT_KEY]), rpm: 600 }],
      logLevel: "warn",
    });
    expect(await unwrap(router.url)).toBe("http://127.0.0.1:8080/v1");
    expect(await unwrap(router.internalUrl)).toBe("http://llm-router:8080/v1");
    expect(await unwrap(router.internalAddress)).toBe("llm-router:8080");
    expect(await pulumi.isSecret(router.configYaml)).toBe(true);
    await unwrap(router.containerName);
    await settle();
    expectRegistered(recorded);

    expect(recorded.resources.filter((r) => r.name.startsWith("llm-router")).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      `${CONTAINER} llm-router-container`,
      "docker:index/image:Image llm-router-image",
      "shoestring:index:RouterService llm-router",
    ]);
    expect(byName(recorded, "docker:index/image:Image", "llm-router-image").inputs).toEqual({
      imageName: "shoestring-router:0.1.0",
      build: { context: REPO_ROOT, dockerfile: join(REPO_ROOT, "images/router/Dockerfile") },
      buildOnPreview: false,
      skipPush: true,
    });
    const c = byName(recorded, CONTAINER, "llm-router-container").inputs;
    expect(c.image).toBe("shoestring-router:0.1.0@sha256:mock");
    expect(c.ports).toEqual([{ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(c.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["llm-router"] }]);
    expect(c.healthcheck).toEqual({
      tests: ["CMD", "node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"],
      interval: "10s",
      timeout: "3s",
      retries: 3,
      startPeriod: "10s",
    });
    expect([c.stopTimeout, c.destroyGraceSeconds, c.restart]).toEqual([30, 30, "unless-stopped"]);

    expect(containsSecret(c.envs)).toBe(true);
    const env = envOf(c.envs);
    const settingEnvs = new Set(ROUTER_SETTINGS.map(settingEnvName));
    expect(Object.keys(env).filter((k) => k.startsWith("SHOESTRING_ROUTER_")).every((k) => settingEnvs.has(k))).toBe(true);
    expect(Object.keys(env).sort()).toEqual([
      "SHOESTRING_BACKEND_QWEN_7B_API_KEY",
      "SHOESTRING_PROVIDER_OPENAI_API_KEY",
      "SHOESTRING_ROUTER_CONFIG_YAML",
      "SHOESTRING_ROUTER_HOST",
      "SHOESTRING_ROUTER_LOG_LEVEL",
      "SHOESTRING_ROUTER_PORT",
    ]);
    expect(env.SHOESTRING_BACKEND_QWEN_7B_API_KEY).toBe(BACKEND_KEY);
    expect(env.SHOESTRING_PROVIDER_OPENAI_API_KEY).toBe(OPENAI_KEY);
    expect(env.SHOESTRING_ROUTER_CONFIG_YAML).toBe(await unwrap(router.configYaml));

    const yaml = env.SHOESTRING_ROUTER_CONFIG_YAML!;
    expect(routerConfigSchema.safeParse(parse(yaml)).success).toBe(true);
    expect(yaml).not.toContain(CLIENT_KEY);
    expect(yaml).toContain(hashClientKey(CLIENT_KEY));
    // What the container does at start: env > YAML > defaults, keys read from env.
    const loaded = loadRouterConfig({ env });
    expect([loaded.host, loaded.port, loaded.logLevel]).toEqual(["0.0.0.0", 8080, "warn"]);
    expect(loaded.backends.map((b) => [b.name, b.baseUrl, b.apiKey])).toEqual([
      ["qwen-1-5b", "http://llm-qwen-1-5b:8080/v1", undefined],
      ["qwen-7b", "http://llm-qwen-7b:8000/v1", BACKEND_KEY],
      ["nomic-embed", "http://llm-nomic-embed:8080/v1", undefined],
      ["openai", "https://api.openai.com/v1", OPENAI_KEY],
    ]);
    expect(loaded.tiers["3"]).toEqual([{ backend: "qwen-7b", model: "qwen-7b" }, { backend: "openai", model: "gpt-4o-mini" }]);
    expect(loaded.cache.redisUrl).toBe(REDIS_URL);
    expect(loaded.cache.semantic).toMatchObject({ enabled: true, embeddingBackend: "nomic-embed", embeddingModel: "nomic-embed" });
    expect(loaded.tenants).toEqual([{ id: "default", rpm: 600, tpm: undefined, keyHashes: [Buffer.from(hashClientKey(CLIENT_KEY).slice(7), "hex")] }]);

    for (const secret of [CLIENT_KEY, OPENAI_KEY, BACKEND_KEY, "redis-pass-0123"]) expect(visibleInputs(c)).not.toContain(secret);
  });

  it("pulls a prebuilt image and publishes nothing when a TLS proxy fronts it", async () => {
    const router = new RouterService("llm-router-b", {
      provider,
      network: "llm-net",
      image: "ghcr.io/acme/shoestring-router:0.1.0",
      publish: false,
      port: 9000,
      modelServers: [{ name: "qwen-1-5b", endpoint: "http://llm-qwen-1-5b:8080/v1", servedModelName: "qwen-1-5b", tier: 1 }],
    });
    expect(await unwrap(router.url)).toBeUndefined();
    expect(await unwrap(router.internalAddress)).toBe("llm-router-b:9000");
    await unwrap(router.containerName);
    await settle();
    expect(byName(recorded, "docker:index/remoteImage:RemoteImage", "llm-router-b-image").inputs).toEqual({ name: "ghcr.io/acme/shoestring-router:0.1.0", keepLocally: true });
    const c = byName(recorded, CONTAINER, "llm-router-b-container").inputs;
    expect(c.image).toBe("sha256:mock-llm-router-b-image");
    expect(c.ports).toBeUndefined();
    expect(envOf(c.envs).SHOESTRING_ROUTER_PORT).toBe("9000");
    expect(c.healthcheck.tests[3]).toContain("http://127.0.0.1:9000/health");
    expect(loadRouterConfig({ env: envOf(c.envs) }).tenants).toEqual([]);
  });

  it("publishes on every interface only when asked, with the host port given", async () => {
    const router = new RouterService("llm-router-c", {
      provider,
      network: "llm-net",
      image: "ghcr.io/acme/shoestring-router:0.1.0",
      bindAddress: "0.0.0.0",
      hostPort: 80,
      modelServers: [{ name: "qwen-1-5b", endpoint: "http://llm-qwen-1-5b:8080/v1", servedModelName: "qwen-1-5b" }],
    });
    expect(await unwrap(router.url)).toBe("http://127.0.0.1:80/v1");
    await unwrap(router.containerName);
    await settle();
    expect(byName(recorded, CONTAINER, "llm-router-c-container").inputs.ports).toEqual([{ internal: 8080, external: 80, ip: "0.0.0.0", protocol: "tcp" }]);
  });

  it("refuses a bad route, a missing provider key and an unbuildable image at construction, all at once", async () => {
    let error: unknown;
    try {
      new RouterService("llm-router-bad", {
        provider,
        network: "llm-net",
        buildContext: emptyDir,
        hostPort: 70000,
        modelServers: [
          { name: "qwen-7b", endpoint: "llm-qwen-7b:8000", servedModelName: "qwen-7b", apiKey: "k1" },
          { name: "qwen.7b", endpoint: pulumi.output("http://x:1/v1"), servedModelName: "q", apiKey: "k2" },
        ],
        providers: [{ name: "openai", kind: "openai", baseUrl: "https://api.openai.com/v1", models: ["gpt-4o"] }],
        tiers: { "1": ["qwen-7b", "openai/gpt-5"] },
      });
    } catch (err) {
      error = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    expect((error as pulumi.InputPropertiesError).errors).toEqual([
      { propertyPath: "hostPort", reason: "not a TCP port (got 70000; allowed: 1 to 65535)" },
      { propertyPath: "modelServers[1].name", reason: "its API key would share env var SHOESTRING_BACKEND_QWEN_7B_API_KEY with modelServers[0].name. Rename one of them" },
      {
        propertyPath: "buildContext",
        reason: `no images/router/Dockerfile under ${emptyDir} (the npm package ships compiled code only). Pass image: a prebuilt router image, or buildContext: a checkout of the repository`,
      },
      {
        propertyPath: "modelServers[0].endpoint",
        reason: 'not an http(s) URL (got "llm-qwen-7b:8000"; expected e.g. http://llm-qwen-7b:8000/v1). Pass the model server\'s endpoint output',
      },
      { propertyPath: "providers[0].apiKeyEnv", reason: 'provider "openai" of kind openai needs an API key (got none). Give the provider its API key secret' },
      {
        propertyPath: "tiers.1[1]",
        reason: 'provider "openai" does not list model "gpt-5" (listed: gpt-4o). Add it to the provider\'s models or pick a listed one',
      },
    ]);
    await settle();
    expect(recorded.resources.some((r) => r.name.startsWith("llm-router-bad"))).toBe(false);
  });
});
