/** DockerModelServer under mocks: exact images, engine args, GPUs, shm, healthchecks, volumes, secrets, and argument errors. */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { DockerModelServer } from "../../../components/serving/docker-model-server";
import { llamaCppCommand } from "../../../src/engines/llamacpp-args";
import { vllmCommand } from "../../../src/engines/vllm-args";
import { VERSIONS } from "../../../src/versions";
import { byName, containsSecret, expectRegistered, installMocks, ofType, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const VOLUME = "docker:index/volume:Volume";
const API_KEY = "sk-model-server-test-key-123456";
const HF_TOKEN = "hf_testtoken0123456789";

/** RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic on 2 GPUs (model-sources.md §6 e, smaller TP). */
const LLAMA_70B = {
  servedModelName: "llama-70b",
  repo: "RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic",
  quantization: "fp8" as const,
  maxModelLen: 8192,
  tensorParallelSize: 2,
  gpuMemoryUtilization: 0.9,
};
/** Qwen2.5-1.5B-Instruct Q4_K_M (model-sources.md §6 a). */
const QWEN_1_5B = {
  servedModelName: "qwen-1-5b",
  repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
  file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
  contextSize: 16384,
  parallelSlots: 4,
};

/** Top-level inputs the engine receives in plain text (secretness is per top-level property). */
function visibleInputs(inputs: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(inputs).filter(([, v]) => !containsSecret(v))));
}

describe("DockerModelServer", () => {
  let recorded: Recorded;
  let provider: docker.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new docker.Provider("host", { host: "unix:///var/run/docker.sock" });
  });

  it("runs vLLM with tensor parallel 2 on 2 GPUs, 4 GiB of shm, secrets in env and no published port", async () => {
    const server = new DockerModelServer("llm-llama-70b", {
      provider,
      network: "llm-net",
      vllm: LLAMA_70B,
      gpus: 2,
      apiKey: pulumi.secret(API_KEY),
      hfToken: pulumi.secret(HF_TOKEN),
    });
    expect(await unwrap(server.endpoint)).toBe("http://llm-llama-70b:8000/v1");
    expect(await unwrap(pulumi.all([server.servedModelName, server.healthPath, server.metricsPort, server.metricsPath, server.metricsNeedApiKey]))).toEqual([
      "llama-70b",
      "/health",
      8000,
      "/metrics",
      false,
    ]);
    await unwrap(server.containerName);
    await settle();
    expectRegistered(recorded);

    const mine = recorded.resources.filter((r) => r.name.startsWith("llm-llama-70b"));
    expect(mine.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      `${CONTAINER} llm-llama-70b-container`,
      `${IMAGE} llm-llama-70b-image`,
      `${VOLUME} llm-llama-70b-models`,
      "shoestring:index:DockerModelServer llm-llama-70b",
    ]);
    expect(byName(recorded, IMAGE, "llm-llama-70b-image").inputs).toEqual({ name: VERSIONS.vllm.image, keepLocally: true });
    const c = byName(recorded, CONTAINER, "llm-llama-70b-container");
    expect(c.provider).toContain("pulumi:providers:docker::host");
    const expected = vllmCommand({ ...LLAMA_70B, apiKey: true, hfToken: true });
    expect(c.inputs.image).toBe("sha256:mock-llm-llama-70b-image");
    expect(c.inputs.command).toEqual(expected.args);
    expect(c.inputs.deviceRequests).toEqual([{ driver: "nvidia", count: 2, capabilities: ["gpu"] }]);
    expect(c.inputs.gpus).toBeUndefined();
    expect(c.inputs.shmSize).toBe(4096);
    expect(c.inputs.ipcMode).toBeUndefined();
    expect(c.inputs.ports).toBeUndefined();
    expect(c.inputs.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["llm-llama-70b"] }]);
    expect(c.inputs.volumes).toEqual([{ volumeName: "llm-llama-70b-models", containerPath: "/root/.cache" }]);
    expect(c.inputs.healthcheck).toEqual({
      tests: ["CMD", "python3", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"],
      interval: "15s",
      timeout: "5s",
      retries: 3,
      startPeriod: "1800s",
    });
    expect(c.inputs.restart).toBe("unless-stopped");
    expect(c.inputs.wait).toBe(false);
    expect(c.inputs.logDriver).toBe("json-file");
    expect(c.inputs.logOpts).toEqual({ "max-size": "50m", "max-file": "5" });
    expect(c.inputs.labels).toEqual(
      expect.arrayContaining([
        { label: "shoestring.component", value: "model-server" },
        { label: "shoestring.engine", value: "vllm" },
        { label: "shoestring.model", value: "llama-70b" },
        { label: "shoestring.metrics-port", value: "8000" },
        { label: "shoestring.stack", value: "shoestring/test" },
      ]),
    );
    expect(containsSecret(c.inputs.envs)).toBe(true);
    expect(unwrapSecrets(c.inputs.envs)).toEqual(["VLLM_NO_USAGE_STATS=1", `HF_TOKEN=${HF_TOKEN}`, `VLLM_API_KEY=${API_KEY}`]);
    expect(visibleInputs(c.inputs)).not.toContain(API_KEY);
    expect(visibleInputs(c.inputs)).not.toContain(HF_TOKEN);
  });

  it("runs llama.cpp on the CPU image with an existing cache volume, no GPU, no shm and plain env", async () => {
    const server = new DockerModelServer("llm-qwen-1-5b", {
      provider,
      network: "llm-net",
      llamaCpp: QWEN_1_5B,
      modelCacheVolume: "shared-models",
      restart: "always",
      hostname: "qwen-small",
    });
    expect(await unwrap(server.endpoint)).toBe("http://qwen-small:8080/v1");
    expect(await unwrap(server.modelCacheVolumeName)).toBe("shared-models");
    await unwrap(server.containerName);
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("llm-qwen-1-5b")).map((r) => r.type).sort()).toEqual([
      CONTAINER,
      IMAGE,
      "shoestring:index:DockerModelServer",
    ]);
    expect(byName(recorded, IMAGE, "llm-qwen-1-5b-image").inputs.name).toBe(VERSIONS.llamaCpp.cpuImage);
    const c = byName(recorded, CONTAINER, "llm-qwen-1-5b-container").inputs;
    expect(c.command).toEqual(llamaCppCommand({ ...QWEN_1_5B, gpu: false }).args);
    expect(c.deviceRequests).toBeUndefined();
    expect(c.gpus).toBeUndefined();
    expect(c.shmSize).toBeUndefined();
    expect(c.ports).toBeUndefined();
    expect(c.envs).toEqual([]);
    expect(c.restart).toBe("always");
    expect(c.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["qwen-small"] }]);
    expect(c.volumes).toEqual([{ volumeName: "shared-models", containerPath: "/root/.cache" }]);
    // The image's own HEALTHCHECK hard-codes port 8080; this one follows the server's port.
    expect(c.healthcheck.tests).toEqual(["CMD", "curl", "-fsS", "-o", "/dev/null", "--max-time", "4", "http://127.0.0.1:8080/health"]);
  });

  it("pins llama.cpp to one GPU by id on the CUDA image with a host cache dir, and its metrics then need the API key", async () => {
    const server = new DockerModelServer("llm-qwen-gpu", {
      provider,
      network: "llm-net",
      llamaCpp: { ...QWEN_1_5B, servedModelName: "qwen-gpu", port: 8081 },
      gpuDeviceIds: ["1"],
      apiKey: pulumi.secret(API_KEY),
      modelCacheHostPath: "/opt/models",
    });
    expect(await unwrap(server.modelCacheVolumeName)).toBeUndefined();
    expect(await unwrap(server.metricsNeedApiKey)).toBe(true);
    expect(await unwrap(server.metricsPort)).toBe(8081);
    await unwrap(server.containerName);
    await settle();
    expect(byName(recorded, IMAGE, "llm-qwen-gpu-image").inputs.name).toBe(VERSIONS.llamaCpp.cudaImage);
    expect(recorded.resources.filter((r) => r.name.startsWith("llm-qwen-gpu")).map((r) => r.type).sort()).toEqual([
      CONTAINER,
      IMAGE,
      "shoestring:index:DockerModelServer",
    ]);
    const c = byName(recorded, CONTAINER, "llm-qwen-gpu-container").inputs;
    expect(c.volumes).toEqual([{ hostPath: "/opt/models", containerPath: "/root/.cache" }]);
    expect(c.deviceRequests).toEqual([{ driver: "nvidia", deviceIds: ["1"], capabilities: ["gpu"] }]);
    expect(c.command).toEqual(expect.arrayContaining(["--n-gpu-layers", "999", "--port", "8081"]));
    expect(unwrapSecrets(c.envs)).toEqual([`LLAMA_API_KEY=${API_KEY}`]);
    expect(visibleInputs(c)).not.toContain(API_KEY);
  });

  it("gives vLLM every GPU with gpus all and waits for health when asked", async () => {
    const server = new DockerModelServer("llm-qwen-7b", {
      provider,
      network: "llm-net",
      vllm: { ...LLAMA_70B, servedModelName: "qwen-7b", repo: "Qwen/Qwen2.5-7B-Instruct-AWQ", quantization: "awq", tensorParallelSize: 1 },
      gpus: "all",
      waitForHealthy: true,
      healthStartPeriodSeconds: 900,
    });
    await unwrap(server.containerName);
    await settle();
    const c = byName(recorded, CONTAINER, "llm-qwen-7b-container").inputs;
    expect(c.gpus).toBe("all");
    expect(c.deviceRequests).toBeUndefined();
    expect(c.shmSize).toBe(2048);
    expect(c.wait).toBe(true);
    expect(c.waitTimeout).toBe(900);
    expect(c.healthcheck.startPeriod).toBe("900s");
    expect(ofType(recorded, "pulumi:providers:docker")).toHaveLength(1);
  });

  it("refuses impossible arguments with every problem at once, before registering anything", async () => {
    const attempt = () =>
      new DockerModelServer("Bad_Name", {
        provider,
        network: "llm-net",
        vllm: { ...LLAMA_70B, maxModelLen: 0 },
        gpus: 1,
        gpuDeviceIds: ["0", "1"],
        shmSizeMb: 10,
      });
    let error: unknown;
    try {
      attempt();
    } catch (err) {
      error = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const e = error as pulumi.InputPropertiesError;
    expect(e.message).toBe('Invalid arguments for DockerModelServer "Bad_Name"');
    expect(e.errors).toEqual([
      { propertyPath: "gpus", reason: "1 disagrees with gpuDeviceIds (2 GPUs). Set gpus to 2 or leave it unset" },
      {
        propertyPath: "hostname",
        reason:
          "network alias \"Bad_Name\" is not a DNS label (allowed: 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit). Set hostname, or give the component a lowercase name such as llm-qwen-7b",
      },
      { propertyPath: "shmSizeMb", reason: "not a size in MiB (got 10; allowed: a whole number ≥ 64)" },
      {
        propertyPath: "vllm.maxModelLen",
        reason: "maxModelLen: must be a whole number of tokens (got 0; allowed: a whole number, 1 or more). Fix: set the context length the planner chose, e.g. 8192",
      },
    ]);
    await settle();
    expect(recorded.resources.some((r) => r.name.startsWith("Bad_Name"))).toBe(false);
  });

  it("refuses vLLM without a GPU, a tensor parallel size that differs from the GPUs, and two engines at once", () => {
    const errorsOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as pulumi.InputPropertiesError).errors;
      }
      throw new Error("expected an InputPropertiesError");
    };
    expect(errorsOf(() => new DockerModelServer("llm-a", { provider, network: "n", vllm: LLAMA_70B }))).toEqual([
      { propertyPath: "gpus", reason: 'vLLM needs a GPU (got "none"). Set gpus to the tensor parallel size (2), or serve a GGUF with llamaCpp on the CPU' },
    ]);
    expect(errorsOf(() => new DockerModelServer("llm-b", { provider, network: "n", vllm: LLAMA_70B, gpus: 4 }))).toEqual([
      { propertyPath: "vllm.tensorParallelSize", reason: "shards across 2 GPUs but the container gets 4. Make gpus (or gpuDeviceIds) and tensorParallelSize equal" },
    ]);
    expect(errorsOf(() => new DockerModelServer("llm-c", { provider, network: "n", vllm: LLAMA_70B, llamaCpp: QWEN_1_5B, gpus: 2 }))).toEqual([
      { propertyPath: "vllm", reason: "give exactly one of vllm and llamaCpp (got both). Pick the engine that serves this model" },
    ]);
  });
});
