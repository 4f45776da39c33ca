import { describe, expect, it } from "vitest";
import { StackConfigError, formatIssue, parseStackConfig } from "../../src/config";
import { chatModel, embeddingModel, gpuConfig, minimalConfig, thrown, vllmModel } from "./minimal";

/** The issue lines a config produces, without the header. */
function lines(raw: Record<string, unknown>): string[] {
  const error = thrown(() => parseStackConfig(raw));
  expect(error).toBeInstanceOf(StackConfigError);
  return (error as StackConfigError).issues.map(formatIssue);
}

const eksTarget = {
  kind: "eks",
  apiAccessCidrs: [],
  gpuNodePools: [
    { name: "l40s-x4", instanceType: "g6e.12xlarge" },
    { name: "l4-x1", instanceType: "g6.xlarge", minSize: 3, maxSize: 2 },
  ],
};

describe("cross-section checks", () => {
  it("requires an embeddings model while the semantic cache is on", () => {
    expect(lines(minimalConfig({ models: [chatModel()], cache: {} }))).toEqual([
      "shoestring:cache.semantic.embeddingModel: required while the semantic cache is enabled, and no model has role embeddings. Fix: add a model with role embeddings, or set cache.semantic.enabled false",
    ]);
  });

  it("suggests the nearest embeddings model for a misspelled one", () => {
    expect(lines(minimalConfig({ cache: { semantic: { embeddingModel: "nomic-embd" } } }))).toEqual([
      `shoestring:cache.semantic.embeddingModel: no model with this name (got "nomic-embd"; allowed: nomic-embed). Fix: pulumi config set --path 'cache.semantic.embeddingModel' nomic-embed`,
    ]);
  });

  it("refuses a chat model as the cache's embedding model", () => {
    expect(lines(minimalConfig({ cache: { semantic: { embeddingModel: "qwen-1-5b" } } }))).toEqual([
      `shoestring:cache.semantic.embeddingModel: model "qwen-1-5b" has role chat, not embeddings (got "qwen-1-5b"; allowed: nomic-embed). Fix: pulumi config set --path 'cache.semantic.embeddingModel' nomic-embed`,
    ]);
  });

  it("skips the embedding model check when the cache is off", () => {
    expect(parseStackConfig(minimalConfig({ models: [chatModel()], cache: { enabled: false } })).config.cache.enabled).toBe(false);
  });

  it("refuses nodePool outside eks and unknown pools, and checks pool sizes", () => {
    expect(lines(minimalConfig({ models: [chatModel({ nodePool: "l4-x1" }), embeddingModel()] }))).toEqual([
      `shoestring:models[0].nodePool: nodePool applies only to target kind eks (this target is docker-local) (got "l4-x1"). Fix: pulumi config rm --path 'models[0].nodePool'`,
    ]);
    const router = { auth: { apiKeysSecret: "routerApiKeys" }, image: "ghcr.io/acme/shoestring-router:0.1.0" };
    expect(lines(minimalConfig({ target: eksTarget, router, models: [vllmModel({ nodePool: "l40s" }), embeddingModel({ gpuLayers: 0 })] }))).toEqual([
      `shoestring:target.gpuNodePools[1].minSize: minSize is larger than maxSize (got 3; allowed: at most maxSize (2)). Fix: pulumi config set --path 'target.gpuNodePools[1].minSize' 2`,
      `shoestring:models[0].nodePool: no such node pool in target.gpuNodePools (got "l40s"; allowed: l40s-x4, l4-x1). Fix: pulumi config set --path 'models[0].nodePool' l40s-x4`,
    ]);
  });

  it("refuses GPU settings on a host without GPUs", () => {
    const models = [vllmModel(), chatModel({ name: "qwen-small", gpusPerReplica: 1, gpuLayers: 20 }), embeddingModel()];
    expect(lines(minimalConfig({ models }))).toEqual([
      `shoestring:models[0].engine: engine vllm needs a GPU, but target docker-local has no target.gpu (got "vllm"; allowed: llamacpp on a CPU-only host). Fix: set target.gpu { type, count }, or serve a GGUF source with engine llamacpp`,
      `shoestring:models[1].gpusPerReplica: GPUs requested, but target docker-local has no target.gpu (got 1; allowed: auto). Fix: pulumi config set --path 'models[1].gpusPerReplica' auto`,
      `shoestring:models[1].gpuLayers: layers offloaded to a GPU, but target docker-local has no target.gpu (got 20; allowed: 0 on a CPU-only host). Fix: pulumi config set --path 'models[1].gpuLayers' 0`,
    ]);
  });

  it("refuses more GPUs per replica than one host has", () => {
    expect(lines(gpuConfig({ models: [vllmModel({ gpusPerReplica: 2 }), embeddingModel()] }))).toEqual([
      `shoestring:models[0].gpusPerReplica: more GPUs per replica than one host has (got 2; allowed: at most 1). Fix: pulumi config set --path 'models[0].gpusPerReplica' 1`,
    ]);
  });

  it("pairs GGUF sources with llama.cpp and checkpoints with vLLM", () => {
    const models = [vllmModel({ source: { kind: "gguf", repo: "bartowski/Qwen2.5-7B-Instruct-GGUF", file: "Qwen2.5-7B-Instruct-Q4_K_M.gguf" } }), embeddingModel()];
    expect(lines(gpuConfig({ models }))).toEqual([
      `shoestring:models[0].engine: engine vllm cannot serve a source of kind gguf (got "vllm"; allowed: engine vllm with source kind hf, engine llamacpp with source kind gguf). Fix: pulumi config set --path 'models[0].engine' llamacpp, or give a hf source`,
    ]);
  });

  it("catches a quantization that contradicts the file or repo name", () => {
    const models = [chatModel({ quantization: "Q8_0" }), embeddingModel(), vllmModel({ quantization: "gptq" })];
    expect(lines(gpuConfig({ models }))).toEqual([
      `shoestring:models[0].quantization: source.file names format Q4_K_M but quantization says Q8_0 (got "Q8_0"; allowed: Q4_K_M). Fix: set quantization to the checkpoint's real format`,
      `shoestring:models[2].quantization: source.repo names format awq but quantization says gptq (got "gptq"; allowed: awq). Fix: set quantization to the checkpoint's real format`,
    ]);
  });

  it("refuses a KV-cache dtype of the other engine", () => {
    expect(lines(minimalConfig({ models: [chatModel({ kvCacheDtype: "fp8" }), embeddingModel()] }))).toEqual([
      `shoestring:models[0].kvCacheDtype: KV-cache dtype fp8 is for engine vllm, not llamacpp (got "fp8"; allowed: f16, bf16, f32, q8_0, q4_0, q5_0). Fix: pulumi config set --path 'models[0].kvCacheDtype' f16`,
    ]);
  });

  it("checks routes: embeddings in tiers, repeats, aliases shadowing models, duplicate providers", () => {
    const router = {
      auth: { apiKeysSecret: "routerApiKeys" },
      tiers: { "1": ["qwen-1-5b", "nomic-embed", "qwen-1-5b"] },
      aliases: { "qwen-1-5b": ["qwen-1-5b"] },
      providers: [
        { kind: "openai", name: "cloud", models: ["gpt-4o-mini"], apiKeySecret: "openaiApiKey" },
        { kind: "openai-compatible", name: "cloud", models: ["m"], baseUrl: "https://llm.example.com/v1" },
      ],
    };
    expect(lines(minimalConfig({ router }))).toEqual([
      `shoestring:router.providers[1].name: duplicate provider name (got "cloud"). Fix: give every provider a unique name`,
      `shoestring:router.tiers["1"][1]: model "nomic-embed" has role embeddings; tier routes serve chat (got "nomic-embed"). Fix: route tiers to chat models only`,
      `shoestring:router.tiers["1"][2]: target listed twice in the same route (first at position 0) (got "qwen-1-5b"). Fix: remove the repeated entry`,
      `shoestring:router.aliases["qwen-1-5b"]: alias has the same name as a model (got "qwen-1-5b"). Fix: rename the alias; clients can already request the model by name`,
    ]);
  });

  it("refuses a router open to the internet without auth", () => {
    const target = { kind: "aws-gpu-vm", instanceType: "g6e.xlarge", allowedCidrs: ["10.0.0.0/8", "0.0.0.0/0"], tls: { domain: "llm.example.com" }, keyPairName: "shoestring" };
    expect(lines(minimalConfig({ target: { ...target }, models: [chatModel(), embeddingModel()], router: { auth: { enabled: false } } }))).toEqual([
      `shoestring:target.allowedCidrs[1]: the router would be open to the internet with router.auth.enabled false (got "0.0.0.0/0"). Fix: enable router.auth, or narrow allowedCidrs to your network`,
    ]);
  });

  it("refuses Grafana and the router on one port of one host", () => {
    expect(lines(minimalConfig({ monitoring: { grafana: { port: 8080 } } }))).toEqual([
      `shoestring:monitoring.grafana.port: same port as router.port on one host (got 8080). Fix: pick another port`,
    ]);
  });

  it("refuses a secret named like a config section", () => {
    expect(lines(minimalConfig({ router: { auth: { apiKeysSecret: "router" } } }))).toEqual([
      `shoestring:router.auth.apiKeysSecret: a secret cannot be named like a config section (got "router"). Fix: use another name, e.g. routerKey`,
    ]);
  });
});
