import { describe, expect, it } from "vitest";
import { StackConfigError, formatIssue, parseStackConfig } from "../../src/config";
import { chatModel, embeddingModel, gpuConfig, minimalConfig, thrown, vllmModel } from "./minimal";

const SKIPPED = "  (Checks between sections, such as routes to models, run once the problems above are fixed.)";

function message(raw: Record<string, unknown>): string {
  const error = thrown(() => parseStackConfig(raw));
  expect(error).toBeInstanceOf(StackConfigError);
  return error.message;
}

describe("parseStackConfig error messages", () => {
  it("names the nearest target kind when the kind is unknown", () => {
    expect(message(minimalConfig({ target: { kind: "docker-lokal" } }))).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:target.kind: unknown kind (got "docker-lokal"; allowed: docker-local, docker-ssh, aws-gpu-vm, eks, kubernetes). Fix: pulumi config set --path 'target.kind' docker-local`,
        SKIPPED,
      ].join("\n"),
    );
  });

  it("lists the nearest quantization names when the quantization is unknown", () => {
    expect(message(minimalConfig({ models: [chatModel({ quantization: "Q4_K_X" }), embeddingModel()] }))).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:models[0].quantization: unknown quantization (got "Q4_K_X"; allowed: Q4_K_M, Q4_K_S, Q3_K_L). Fix: pulumi config set --path 'models[0].quantization' Q4_K_M`,
      ].join("\n"),
    );
  });

  it("refuses AWQ on llama.cpp and offers a GGUF type or engine vllm", () => {
    expect(message(minimalConfig({ models: [chatModel({ quantization: "AWQ" }), embeddingModel()] }))).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:models[0].quantization: awq is a vLLM format; llama.cpp loads GGUF types (got "awq"; allowed: GGUF types such as Q4_K_M, Q5_K_M, Q8_0). Fix: use a GGUF type such as Q4_K_M with a gguf source (pulumi config set --path 'models[0].quantization' Q4_K_M), or switch engine to vllm (pulumi config set --path 'models[0].engine' vllm)`,
      ].join("\n"),
    );
  });

  it("refuses a GGUF type on vLLM and offers awq/fp8/bf16 or engine llamacpp", () => {
    expect(message(gpuConfig({ models: [vllmModel({ quantization: "q4_k_m" }), embeddingModel()] }))).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:models[0].quantization: Q4_K_M is a GGUF type; vLLM loads Hugging Face checkpoints (got "Q4_K_M"; allowed: bf16, fp16, fp8, w8a8, awq, gptq, mxfp4). Fix: use the checkpoint's format, e.g. awq, fp8 or bf16 (pulumi config set --path 'models[0].quantization' awq), or switch engine to llamacpp with a gguf source`,
      ].join("\n"),
    );
  });

  it("reports a duplicate model name on the second entry", () => {
    expect(message(gpuConfig({ models: [vllmModel(), vllmModel({ replicas: 2 }), embeddingModel()] }))).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:models[1].name: duplicate model name, also used by models[0] (got "qwen-7b"). Fix: give every model a unique name`,
      ].join("\n"),
    );
  });

  it("reports route targets naming unknown models, providers and provider models", () => {
    const router = {
      auth: { apiKeysSecret: "routerApiKeys" },
      tiers: { "1": ["qwen-7", "openai/gpt-4o-mini"] },
      aliases: { "gpt-4o-mini": ["qwen-7b", "opnai/gpt-4o-mini"] },
      providers: [{ kind: "openai", name: "openai", models: ["gpt-4o"], apiKeySecret: "openaiApiKey" }],
    };
    expect(message(gpuConfig({ models: [vllmModel(), embeddingModel()], router }))).toBe(
      [
        "Invalid stack configuration (3 problems):",
        `  - shoestring:router.tiers["1"][0]: unknown route target (got "qwen-7"; allowed: qwen-7b, nomic-embed, openai/gpt-4o). Fix: pulumi config set --path 'router.tiers["1"][0]' qwen-7b`,
        `  - shoestring:router.tiers["1"][1]: provider "openai" does not list model "gpt-4o-mini" (got "openai/gpt-4o-mini"; allowed: openai/gpt-4o). Fix: add it to router.providers[0].models, or pick a listed one`,
        `  - shoestring:router.aliases["gpt-4o-mini"][1]: unknown provider "opnai" (got "opnai/gpt-4o-mini"; allowed: openai). Fix: declare it under router.providers, or route to a models[].name`,
      ].join("\n"),
    );
  });

  it("refuses a plaintext apiKey without echoing it and says how to store it as a secret", () => {
    const router = {
      auth: { apiKeysSecret: "routerApiKeys" },
      providers: [{ kind: "openai", name: "openai", models: ["gpt-4o-mini"], apiKey: "sk-live-123456" }],
    };
    const text = message(minimalConfig({ router }));
    expect(text).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:router.providers[0].apiKey: plaintext secrets are not allowed in stack config (got <redacted>). Fix: pulumi config rm --path 'router.providers[0].apiKey' && pulumi config set --secret openaiApiKey <value> && pulumi config set --path 'router.providers[0].apiKeySecret' openaiApiKey`,
        SKIPPED,
      ].join("\n"),
    );
    expect(text).not.toContain("sk-live");
  });

  it("reports every problem at once, structural and cross-section, in stack-file order", () => {
    const raw = {
      target: { kind: "docker-local", gpuCount: 1 },
      models: [chatModel({ quantization: "awq" }), chatModel({ maxModelLen: 64 }), vllmModel()],
      router: { port: 0, tiers: { "1": ["qwen-1-5", "qwen-7b"] } },
      cache: { semantic: { threshold: 1.5, embeddingModel: "qwen-7b" } },
      planning: { hoursPerMonth: 800 },
    };
    const error = thrown(() => parseStackConfig(raw)) as StackConfigError;
    expect(error.message).toBe(
      [
        "Invalid stack configuration (11 problems):",
        `  - shoestring:target.gpuCount: unknown key (got 1; allowed: kind, gpu, hostRamGiB, hostMemoryBandwidthGBps, bindAddress, tls). Fix: pulumi config rm --path 'target.gpuCount'`,
        `  - shoestring:models[0].quantization: awq is a vLLM format; llama.cpp loads GGUF types (got "awq"; allowed: GGUF types such as Q4_K_M, Q5_K_M, Q8_0). Fix: use a GGUF type such as Q4_K_M with a gguf source (pulumi config set --path 'models[0].quantization' Q4_K_M), or switch engine to vllm (pulumi config set --path 'models[0].engine' vllm)`,
        `  - shoestring:models[1].maxModelLen: must be at least 128 (got 64; allowed: integer 128–2097152). Fix: pulumi config set --path 'models[1].maxModelLen' 128`,
        `  - shoestring:models[1].name: duplicate model name, also used by models[0] (got "qwen-1-5b"). Fix: give every model a unique name`,
        `  - shoestring:models[2].engine: engine vllm needs a GPU, but target docker-local has no target.gpu (got "vllm"; allowed: llamacpp on a CPU-only host). Fix: set target.gpu { type, count }, or serve a GGUF source with engine llamacpp`,
        `  - shoestring:router.port: must be at least 1 (got 0; allowed: integer 1–65535). Fix: pulumi config set --path 'router.port' 1`,
        `  - shoestring:router.tiers["1"][0]: unknown route target (got "qwen-1-5"; allowed: qwen-1-5b, qwen-7b). Fix: pulumi config set --path 'router.tiers["1"][0]' qwen-1-5b`,
        `  - shoestring:router.auth.apiKeysSecret: required while router.auth.enabled is true (allowed: the name of a stack secret holding comma-separated API keys). Fix: pulumi config set --secret routerApiKeys <key1,key2> && pulumi config set --path 'router.auth.apiKeysSecret' routerApiKeys (or set router.auth.enabled false)`,
        `  - shoestring:cache.semantic.threshold: must be at most 1 (got 1.5; allowed: number 0.8–1). Fix: pulumi config set --path 'cache.semantic.threshold' 1`,
        `  - shoestring:cache.semantic.embeddingModel: model "qwen-7b" has role chat, not embeddings, and no model has role embeddings (got "qwen-7b"). Fix: add a model with role embeddings, or set cache.semantic.enabled false`,
        `  - shoestring:planning.hoursPerMonth: must be at most 744 (got 800; allowed: number > 0, ≤ 744). Fix: pulumi config set --path 'planning.hoursPerMonth' 744`,
      ].join("\n"),
    );
    expect(error.issues).toHaveLength(11);
    expect(error.issues[2]).toEqual({
      path: "shoestring:models[1].maxModelLen",
      value: 64,
      message: "must be at least 128",
      allowed: "integer 128–2097152",
      fix: "pulumi config set --path 'models[1].maxModelLen' 128",
    });
  });

  it("says which checks wait when a type error stops the cross-section checks", () => {
    const raw = minimalConfig({ models: [chatModel({ tier: "1" }), embeddingModel()], router: { tiers: { "1": ["nope"] } } });
    expect(message(raw)).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:models[0].tier: unknown value (got "1"; allowed: 1, 2, 3). Fix: pulumi config set --path 'models[0].tier' 1`,
        SKIPPED,
      ].join("\n"),
    );
  });

  it("suggests a typed pulumi command when a decimal arrives as text", () => {
    const raw = minimalConfig({ cache: { semantic: { embeddingModel: "nomic-embed", threshold: "0.9" } } });
    expect(message(raw)).toContain(
      `shoestring:cache.semantic.threshold: expected number 0.8–1, found a string (got "0.9"). Fix: pulumi config set --path 'cache.semantic.threshold' 0.9 --type float`,
    );
  });

  it("tells a field of another variant apart from a typo", () => {
    const text = message(minimalConfig({ models: [chatModel({ gpuMemoryUtilization: 0.8, replica: 2 }), embeddingModel()] }));
    expect(text).toContain(
      `shoestring:models[0].gpuMemoryUtilization: gpuMemoryUtilization applies only to engine vllm (this one is llamacpp) (got 0.8). Fix: pulumi config rm --path 'models[0].gpuMemoryUtilization'`,
    );
    expect(text).toContain(
      `shoestring:models[0].replica: unknown key (got 2; allowed: replicas, gpusPerReplica, engine (nearest of 16)). Fix: rename it to replicas (pulumi config rm --path 'models[0].replica', then set 'models[0].replicas')`,
    );
  });

  it("suggests the section name for a misspelled top-level key", () => {
    expect(message(minimalConfig({ monitor: { enabled: false } }))).toBe(
      [
        "Invalid stack configuration (1 problem):",
        `  - shoestring:monitor: unknown config key (allowed: target, models, router, cache, monitoring, planning, or a secret set with pulumi config set --secret). Fix: rename it to shoestring:monitoring`,
      ].join("\n"),
    );
  });

  it("asks for a missing required field with the command that sets it", () => {
    const text = message(minimalConfig({ target: { kind: "docker-ssh", user: "ubuntu", privateKeySecret: "sshKey" } }));
    expect(text).toContain(`shoestring:target.host: required (allowed: hostname). Fix: pulumi config set --path 'target.host' <hostname>`);
  });

  it("turns a string target into the map it should be", () => {
    expect(message(minimalConfig({ target: "docker-local" }))).toContain(
      `shoestring:target: expected map (by kind), found a string (got "docker-local"). Fix: write a map: pulumi config set --path 'target.kind' docker-local`,
    );
  });
});

describe("formatIssue", () => {
  it("leaves out what is unknown", () => {
    expect(formatIssue({ path: "shoestring:models", value: undefined, message: "required" })).toBe("shoestring:models: required");
  });

  it("shortens long values", () => {
    const line = formatIssue({ path: "p", value: "x".repeat(100), message: "too long" });
    expect(line).toBe(`p: too long (got "${"x".repeat(58)}…)`);
  });
});
