/**
 * @module The model catalog: every model the planner knows by name, and lookup by catalog id or
 * by any Hugging Face repo (original or quantized) that shares its architecture.
 */
import { LLAMA_FAMILY_MODELS } from "./models-llama";
import { OTHER_MODELS } from "./models-other";
import { QWEN_FAMILY_MODELS } from "./models-qwen";
import type { ModelSpec } from "./model-spec";

export type { MlaSpec, ModelSpec, MoeSpec } from "./model-spec";
export { modelFromHfConfig } from "./hf-config";

/**
 * Every catalog model. Sources: shared/reference/models.json (21 models, config.json facts) plus
 * the default stacks' Qwen2.5-0.5B/1.5B-Instruct and nomic-embed-text-v1.5 (config.json URLs in
 * each row).
 */
export const MODELS: readonly ModelSpec[] = [
  ...LLAMA_FAMILY_MODELS,
  ...QWEN_FAMILY_MODELS,
  ...OTHER_MODELS,
];

/** Catalog ids, in catalog order. */
export const MODEL_IDS: readonly string[] = MODELS.map((m) => m.id);

const BY_NAME = new Map<string, ModelSpec>();
for (const model of MODELS) {
  for (const name of [model.id, model.hfRepo, ...model.repos]) BY_NAME.set(name.toLowerCase(), model);
}

/**
 * Finds a model by catalog id (`qwen2.5-7b`), original repo (`Qwen/Qwen2.5-7B-Instruct`) or a
 * quantized repo that shares its architecture (`Qwen/Qwen2.5-7B-Instruct-AWQ`), ignoring case.
 * A llama.cpp `-hf` tag (`repo:Q4_K_M`) is ignored.
 * @example findModel("bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M")?.id // "qwen2.5-7b"
 */
export function findModel(idOrRepo: string): ModelSpec | undefined {
  const name = idOrRepo.trim().toLowerCase();
  return BY_NAME.get(name) ?? BY_NAME.get(name.replace(/:[^/:]+$/, ""));
}

/** Every name `findModel` accepts (ids and repos), for "did you mean" suggestions. */
export function modelNames(): string[] {
  return MODELS.flatMap((m) => [m.id, m.hfRepo, ...m.repos]);
}
