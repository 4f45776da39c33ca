/** @module Builders for small stack configs the config tests start from and then break. */

/** A llama.cpp chat model on a CPU host (ids from shared/reference/model-sources.md §6). */
export function chatModel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "qwen-1-5b",
    engine: "llamacpp",
    source: { kind: "gguf", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", file: "qwen2.5-1.5b-instruct-q4_k_m.gguf" },
    quantization: "Q4_K_M",
    ...overrides,
  };
}

/** A vLLM chat model (Qwen/Qwen2.5-7B-Instruct-AWQ). */
export function vllmModel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "qwen-7b",
    engine: "vllm",
    source: { kind: "hf", repo: "Qwen/Qwen2.5-7B-Instruct-AWQ" },
    quantization: "awq",
    ...overrides,
  };
}

/** The nomic embedding GGUF on llama.cpp. */
export function embeddingModel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "nomic-embed",
    engine: "llamacpp",
    source: { kind: "gguf", repo: "nomic-ai/nomic-embed-text-v1.5-GGUF", file: "nomic-embed-text-v1.5.Q8_0.gguf" },
    quantization: "Q8_0",
    role: "embeddings",
    ...overrides,
  };
}

/** The smallest valid config: CPU host, one chat model, one embedding model, auth key secret. */
export function minimalConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    target: { kind: "docker-local" },
    models: [chatModel(), embeddingModel()],
    router: { auth: { apiKeysSecret: "routerApiKeys" } },
    cache: { semantic: { embeddingModel: "nomic-embed" } },
    ...overrides,
  };
}

/** The same with a 24 GB GPU host, for vLLM models. */
export function gpuConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return minimalConfig({ target: { kind: "docker-local", gpu: { type: "RTX-4090" } }, ...overrides });
}

/** Runs `fn`, which must throw, and returns the error (so tests can assert its exact message). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error("expected a throw, got none");
}
