import { describe, expect, it } from "vitest";
import { countActiveParams, countParams, findModel, MODEL_IDS, MODELS } from "../../../src/planner";

const REFERENCE_IDS = [
  "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-3.2-1b", "llama-3.2-3b", "qwen2.5-7b", "qwen2.5-14b",
  "qwen2.5-32b", "qwen2.5-72b", "qwen3-8b", "qwen3-32b", "qwen3-30b-a3b", "mistral-7b-v0.3", "mixtral-8x7b",
  "gemma-2-9b", "gemma-2-27b", "gpt-oss-20b", "gpt-oss-120b", "deepseek-r1-distill-qwen-7b", "phi-3-mini-4k", "phi-4",
];

// Repo ids verified in shared/reference/model-sources.md (§1, §3, §4, §5), copied here because
// that file does not ship. Never add an id that is not in that reference.
const VERIFIED_REPOS = new Set([
  "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "Qwen/Qwen2.5-1.5B-Instruct-GGUF", "bartowski/Qwen2.5-0.5B-Instruct-GGUF",
  "bartowski/Qwen2.5-1.5B-Instruct-GGUF", "lmstudio-community/Qwen2.5-1.5B-Instruct-GGUF",
  "lmstudio-community/Qwen2.5-0.5B-Instruct-GGUF", "bartowski/Llama-3.2-1B-Instruct-GGUF",
  "bartowski/Llama-3.2-3B-Instruct-GGUF", "nomic-ai/nomic-embed-text-v1.5-GGUF",
  "bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF",
  "Qwen/Qwen2.5-7B-Instruct-GGUF", "bartowski/Qwen2.5-7B-Instruct-GGUF", "lmstudio-community/Qwen2.5-7B-Instruct-GGUF",
  "Qwen/Qwen3-8B-GGUF", "ggml-org/gpt-oss-20b-GGUF", "Qwen/Qwen2.5-7B-Instruct-AWQ", "Qwen/Qwen2.5-14B-Instruct-AWQ",
  "Qwen/Qwen2.5-32B-Instruct-AWQ", "Qwen/Qwen2.5-72B-Instruct-AWQ", "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4",
  "hugging-quants/Meta-Llama-3.1-8B-Instruct-GPTQ-INT4", "Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4",
  "RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8", "neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8",
  "RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic", "RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16",
  "RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic", "RedHatAI/Llama-3.3-70B-Instruct-quantized.w4a16", "Qwen/Qwen3-32B-FP8",
  "RedHatAI/Qwen2.5-72B-Instruct-FP8-dynamic", "pL-Community/Qwen2.5-72B-Instruct-FP8-Dynamic",
]);

describe("model catalog", () => {
  it("holds the 21 reference models plus the default stacks' three", () => {
    for (const id of [...REFERENCE_IDS, "qwen2.5-0.5b", "qwen2.5-1.5b", "nomic-embed-text-v1.5"]) {
      expect(MODEL_IDS).toContain(id);
    }
    expect(MODELS).toHaveLength(24);
  });

  it("has unique ids and repos", () => {
    const names = MODELS.flatMap((m) => [m.id, m.hfRepo, ...m.repos].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
  });

  it("cites a config.json source on every row", () => {
    for (const m of MODELS) expect(m.source, m.id).toMatch(/^https:\/\/huggingface\.co\/.+config\.json$/);
  });

  it.each(MODELS.map((m) => [m.id, m] as const))("reproduces %s's parameter count from its fields within 0.1%", (_id, m) => {
    expect(Math.abs(countParams(m) - m.paramsTotal) / m.paramsTotal).toBeLessThan(0.001);
    expect(Math.abs(countActiveParams(m) - m.paramsActive) / m.paramsActive).toBeLessThan(0.001);
  });

  it.each([
    ["qwen2.5-7b", "qwen2.5-7b"],
    ["Qwen/Qwen2.5-7B-Instruct", "qwen2.5-7b"],
    ["qwen/qwen2.5-7b-instruct-awq", "qwen2.5-7b"],
    ["bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M", "qwen2.5-7b"],
    ["RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic", "llama-3.1-70b"],
    ["Qwen/Qwen2.5-1.5B-Instruct-GGUF", "qwen2.5-1.5b"],
    ["nomic-ai/nomic-embed-text-v1.5-GGUF:Q8_0", "nomic-embed-text-v1.5"],
    ["  LLAMA-3.1-8B ", "llama-3.1-8b"],
  ])("finds %s as %s", (name, id) => {
    expect(findModel(name)?.id).toBe(id);
  });

  it("does not invent Qwen2.5-72B-Instruct-FP8, which Qwen never published", () => {
    expect(findModel("Qwen/Qwen2.5-72B-Instruct-FP8")).toBeUndefined();
  });

  it("lists only quantized repos that the model-sources reference verified", () => {
    for (const repo of MODELS.flatMap((m) => m.repos)) expect(VERIFIED_REPOS.has(repo), repo).toBe(true);
  });

  it("marks the embedding model as role embeddings", () => {
    expect(findModel("nomic-embed-text-v1.5")?.role).toBe("embeddings");
    expect(MODELS.filter((m) => m.role === "embeddings").map((m) => m.id)).toEqual(["nomic-embed-text-v1.5"]);
  });
});
