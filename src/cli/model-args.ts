/** @module Turns `--model`, `--gpu`, `--engine` and numeric flags into planner inputs, with "did you mean" errors. */
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import {
  findGpu,
  findModel,
  findQuantization,
  GPU_IDS,
  INSTANCES,
  MODEL_IDS,
  modelFromHfConfig,
  type Engine,
  type GpuSpec,
  type InstanceSpec,
  type ModelSpec,
} from "../planner";
import { nearestNames } from "../util/nearest";
import { CliError } from "./errors";

/** The model to plan: a catalog id or repo, or a Hugging Face config.json for anything else. */
export function resolveModelArg(model: string | undefined, configFile: string | undefined): ModelSpec {
  if (configFile !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(configFile, "utf8"));
    } catch (error) {
      throw new CliError(`--model-config ${configFile}: cannot read it as JSON (${(error as Error).message}). Pass the model's Hugging Face config.json.`);
    }
    // Name the model after the flag, or after the folder the config sits in (…/Qwen2.5-7B/config.json).
    return modelFromHfConfig(json, model ?? basename(dirname(configFile)));
  }
  const spec = findModel(model!);
  if (spec) return spec;
  throw new CliError(
    `--model: unknown model "${model}" (did you mean ${nearestNames(model!, MODEL_IDS).join(", ")}?). ` +
      "Use an id from `shoestring models`, or plan any model from its Hugging Face config: --model-config path/to/config.json",
  );
}

/** A GPU by name, case- and punctuation-insensitive. */
export function resolveGpu(name: string): GpuSpec {
  const gpu = findGpu(name);
  if (gpu) return gpu;
  throw new CliError(`--gpu: unknown GPU "${name}" (did you mean ${nearestNames(name, GPU_IDS).join(", ")}?). See \`shoestring gpus\`.`);
}

/** The engine: as given, or llama.cpp for GGUF types and vLLM otherwise. */
export function resolveEngine(engine: string | undefined, quant: string): Engine {
  if (engine === undefined) {
    return findQuantization(quant)?.engines[0] ?? "vllm";
  }
  if (engine === "vllm" || engine === "llamacpp") return engine;
  throw new CliError(`--engine: unknown engine "${engine}" (allowed: vllm, llamacpp).`);
}

/** GPU counts of the AWS instances that carry this GPU. */
export function gpuCountsFor(gpuId: string): number[] {
  return INSTANCES.filter((i) => i.gpu === gpuId).map((i) => i.gpuCount);
}

/** The cheapest priced AWS instance with at least `gpus` of this GPU, if any. */
export function cheapestInstanceFor(gpuId: string, gpus: number): InstanceSpec | undefined {
  return INSTANCES.filter((i) => i.gpu === gpuId && i.gpuCount >= gpus && i.usdPerHour !== undefined).sort(
    (a, b) => (a.usdPerHour ?? 0) - (b.usdPerHour ?? 0),
  )[0];
}

/** Parses a numeric flag, naming the flag, the value and the range when it is wrong. */
export function parseNumberFlag(flag: string, text: string, range: { integer?: boolean; min?: number; max?: number }): number {
  const value = Number(text);
  const kind = range.integer ? "an integer" : "a number";
  const bounds = [range.min !== undefined && `≥ ${range.min}`, range.max !== undefined && `≤ ${range.max}`].filter(Boolean).join(" and ");
  const ok = text.trim() !== "" && Number.isFinite(value) && (!range.integer || Number.isInteger(value)) && (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
  if (!ok) throw new CliError(`${flag}: expected ${kind}${bounds ? ` ${bounds}` : ""}, got "${text}".`);
  return value;
}
