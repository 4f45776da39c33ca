/**
 * The multi-language components constructed the way the engine constructs them for a Python, Go or
 * C# program: `ComponentProvider.construct(name, token, inputs, options)` over provider/, under the
 * mocks, with plain inputs, secret inputs that arrive as one output, and providers in the options.
 */
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { VERSIONS } from "../../src/versions";
import { byName, containsSecret, expectRegistered, installMocks, ofType, settle, unwrap, unwrapSecrets, type Recorded } from "../helpers/pulumi";
import { componentProvider } from "./_mlc";

const CONTAINER = "docker:index/container:Container";
const LLAMA = { servedModelName: "qwen", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", file: "qwen2.5-1.5b-instruct-q4_k_m.gguf", contextSize: 8192, parallelSlots: 2 };
const ROUTER_IMAGE = "ghcr.io/acme/shoestring-router:0.1.0";

async function providerRef(p: pulumi.ProviderResource): Promise<string> {
  return `${await unwrap(p.urn)}::${await unwrap(p.id)}`;
}

async function state(result: { state: pulumi.Inputs }, key: string): Promise<unknown> {
  return unwrap(result.state[key] as pulumi.Output<unknown>);
}

/** The error `construct` rejects with (the engine shows its message and property errors). */
async function constructError(provider: ComponentProvider, name: string, token: string, inputs: pulumi.Inputs): Promise<pulumi.InputPropertiesError> {
  try {
    await provider.construct(name, token, inputs, {});
  } catch (e) {
    if (pulumi.InputPropertiesError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("construct succeeded");
}

describe("multi-language components constructed by the engine", () => {
  let recorded: Recorded;
  let provider: ComponentProvider;
  let gpuBox: docker.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = componentProvider();
    gpuBox = new docker.Provider("py-host", { host: "ssh://ops@gpu-box.lan" });
  }, 60_000);

  it("builds a ModelServerContainer from plain inputs on the Docker provider in the options", async () => {
    const result = await provider.construct("qwen", "shoestring:index:ModelServerContainer", { network: "llm", gpus: 1, llamaCpp: LLAMA }, { providers: { docker: gpuBox } });
    expect(await unwrap(result.urn)).toBe("urn:pulumi:test::shoestring::shoestring:index:ModelServerContainer::qwen");
    expect(await state(result, "endpoint")).toBe("http://qwen:8080/v1");
    expect(await state(result, "engine")).toBe("llamacpp");
    await settle();
    expectRegistered(recorded);
    const family = recorded.resources.filter((r) => r.name === "qwen" || r.name.startsWith("qwen-")).map((r) => `${r.type} ${r.name}`);
    expect(family.sort()).toEqual([
      `${CONTAINER} qwen-container`,
      "docker:index/remoteImage:RemoteImage qwen-image",
      "docker:index/volume:Volume qwen-models",
      "shoestring:index:DockerModelServer qwen",
      "shoestring:index:ModelServerContainer qwen",
    ]);
    const container = byName(recorded, CONTAINER, "qwen-container");
    expect(container.provider).toBe(await providerRef(gpuBox));
    expect(container.inputs.deviceRequests).toEqual([{ driver: "nvidia", count: 1, capabilities: ["gpu"] }]);
    expect(byName(recorded, "docker:index/remoteImage:RemoteImage", "qwen-image").inputs.name).toBe(VERSIONS.llamaCpp.cudaImage);
  });

  it("chains RedisContainer and RouterContainer through outputs, keeping keys and the Redis URL secret", async () => {
    const server = await provider.construct("mistral", "shoestring:index:ModelServerContainer", { network: "llm", llamaCpp: { ...LLAMA, servedModelName: "mistral" } }, { providers: { docker: gpuBox } });
    const redis = await provider.construct("cache", "shoestring:index:RedisContainer", { network: "llm", maxMemoryMb: 512 }, { providers: { docker: gpuBox } });
    const router = await provider.construct(
      "router",
      "shoestring:index:RouterContainer",
      {
        network: "llm",
        image: ROUTER_IMAGE,
        backends: [{ name: "mistral", endpoint: server.state.endpoint, servedModelName: server.state.servedModelName, tier: 1 }],
        cache: { redisUrl: redis.state.url, semanticIndex: "int8" },
        tenants: [{ id: "default", keys: pulumi.secret(["client-key-0123456789"]) }],
        logLevel: "warn",
      },
      { providers: { docker: gpuBox } },
    );
    const yaml = (await state(router, "configYaml")) as string;
    expect(yaml).toContain("http://mistral:8080/v1");
    expect(yaml).toContain("redis://:mock-random-password@cache:6379");
    expect(parse(yaml).cache.semantic).toEqual({ index: "int8" });
    expect(yaml).not.toContain("client-key-0123456789");
    expect(await state(router, "url")).toBe("http://127.0.0.1:8080/v1");
    expect(await pulumi.isSecret(redis.state.url as pulumi.Output<string>)).toBe(true);
    await settle();
    const envs = byName(recorded, CONTAINER, "router-container").inputs.envs;
    expect(containsSecret(envs)).toBe(true);
    expect((unwrapSecrets(envs) as string[]).filter((e) => e.startsWith("SHOESTRING_ROUTER_LOG_LEVEL"))).toEqual(["SHOESTRING_ROUTER_LOG_LEVEL=warn"]);
    expect(byName(recorded, CONTAINER, "router-container").inputs.ports).toEqual([{ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" }]);
  });

  it("builds a ServingStack from a config map and a secret map that arrives as one output", async () => {
    const config = {
      "shoestring:target": { kind: "docker-local" },
      models: [{ name: "qwen-1-5b", engine: "llamacpp", source: { kind: "gguf", repo: LLAMA.repo, file: LLAMA.file }, quantization: "Q4_K_M", maxModelLen: 4096 }],
      router: { auth: { apiKeysSecret: "routerApiKeys" } },
      cache: { enabled: false },
      monitoring: { enabled: false },
    };
    const result = await provider.construct("edge", "shoestring:index:ServingStack", { config, secrets: pulumi.secret({ routerApiKeys: "key-0123456789abcdef" }), routerImage: ROUTER_IMAGE }, {});
    expect(await state(result, "routerUrl")).toBe("http://127.0.0.1:8080/v1");
    expect(await state(result, "modelEndpoints")).toEqual({ "qwen-1-5b": "http://edge-qwen-1-5b:8080/v1" });
    expect(await state(result, "routerApiKey")).toBe("key-0123456789abcdef");
    expect(await pulumi.isSecret(result.state.routerApiKey as pulumi.Output<string>)).toBe(true);
    const plan = (await state(result, "plan")) as Record<string, unknown>;
    expect(plan).toMatchObject({ fits: true, gpusUsed: 0, gpusAvailable: 0 });
    expect(Object.keys(plan)).not.toContain("monthlyUsd");
    expect(await state(result, "kubeconfig")).toBeUndefined();
    await settle();
    expect(ofType(recorded, CONTAINER).filter((c) => c.name.startsWith("edge-")).map((c) => c.name).sort()).toEqual(["edge-qwen-1-5b-container", "edge-router-container"]);
    expect(ofType(recorded, "shoestring:index:LlmStack").map((r) => r.name)).toEqual(["edge"]);
  });

  it("builds KubernetesModelServer and KubernetesRouter on the cluster provider in the options", async () => {
    const cluster = new k8s.Provider("py-cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    const server = await provider.construct("k8s-qwen", "shoestring:index:KubernetesModelServer", { namespace: "llm", llamaCpp: LLAMA }, { providers: { kubernetes: cluster } });
    const router = await provider.construct(
      "k8s-router",
      "shoestring:index:KubernetesRouter",
      { namespace: "llm", image: ROUTER_IMAGE, backends: [{ name: "qwen", endpoint: server.state.endpoint, servedModelName: server.state.servedModelName }], replicas: 1, maxReplicas: 1 },
      { providers: { kubernetes: cluster } },
    );
    expect(await state(server, "endpoint")).toBe("http://k8s-qwen.llm.svc:8080/v1");
    expect(await state(router, "internalUrl")).toBe("http://k8s-router.llm.svc:8080/v1");
    await settle();
    const ref = await providerRef(cluster);
    expect(byName(recorded, "kubernetes:apps/v1:Deployment", "k8s-qwen-deployment").provider).toBe(ref);
    expect(byName(recorded, "kubernetes:apps/v1:Deployment", "k8s-router-deployment").provider).toBe(ref);
    expect(ofType(recorded, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").filter((r) => r.name.startsWith("k8s-router"))).toEqual([]);
  });

  it("refuses a ServingStack config that does not validate, naming every problem under config", async () => {
    const before = recorded.resources.length;
    const err = await constructError(provider, "bad", "shoestring:index:ServingStack", {
      config: { target: { kind: "docker-local" }, models: [{ name: "Bad Name", engine: "llamacpp", source: { kind: "gguf", repo: LLAMA.repo, file: LLAMA.file }, quantization: "Q4_K_M" }] },
    });
    expect(err.errors.map((e) => e.propertyPath)).toContain("config.models[0].name");
    expect(err.message.split("\n")[0]).toBe('Invalid arguments for ServingStack "bad":');
    expect(recorded.resources.length).toBe(before);
  });

  it("reports a wrapped component's argument problems under the wrapper's name, before registering anything", async () => {
    const before = recorded.resources.length;
    const err = await constructError(provider, "both", "shoestring:index:ModelServerContainer", { network: "llm", llamaCpp: LLAMA, gpus: 2, allGpus: true });
    expect(err.message).toBe('Invalid arguments for ModelServerContainer "both"');
    expect(err.errors).toEqual([{ propertyPath: "allGpus", reason: "conflicts with gpus (got both; gpus is 2). Keep allGpus for every GPU of the host, or gpus for a count" }]);
    const vllm = await constructError(provider, "novllm", "shoestring:index:ModelServerContainer", {
      network: "llm",
      vllm: { servedModelName: "q", repo: "Qwen/Qwen2.5-7B-Instruct-AWQ", quantization: "awq", maxModelLen: 8192, tensorParallelSize: 1, gpuMemoryUtilization: 0.9 },
    });
    expect(vllm.message).toBe('Invalid arguments for ModelServerContainer "novllm"');
    expect(vllm.errors.map((e) => e.propertyPath)).toEqual(["gpus"]);
    expect(recorded.resources.length).toBe(before);
  });

  it("rejects a type token of another package or module, as the engine's request would be", async () => {
    await expect(provider.construct("x", "llm-shoestring:index:ServingStack", {}, {})).rejects.toThrow("Invalid package name llm-shoestring, expected 'shoestring'");
    await expect(provider.construct("x", "shoestring:serving:ServingStack", {}, {})).rejects.toThrow(
      "Invalid module 'serving' in resource type 'shoestring:serving:ServingStack', expected 'index' or empty string",
    );
  });
});
