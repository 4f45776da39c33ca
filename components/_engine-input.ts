/**
 * @module The one mapping from a stack config's model entry to the engine generator's settings,
 * shared by the Docker and Kubernetes compositions so both serve a model with the same flags.
 */
import type { ModelConfig } from "../src/config";
import type { LlamaCppKvCacheDtype, LlamaCppServerInput } from "../src/engines/llamacpp-args";
import type { VllmKvCacheDtype, VllmQuantization, VllmServerInput } from "../src/engines/vllm-args";

/** vLLM settings the compositions pass on (secrets and bind address are each component's own). */
export type EngineVllmInput = Omit<VllmServerInput, "apiKey" | "hfToken" | "host">;
/** llama.cpp settings the compositions pass on (`gpu` follows from the GPU count). */
export type EngineLlamaCppInput = Omit<LlamaCppServerInput, "apiKey" | "hfToken" | "host" | "gpu">;

/** Engine settings for one model entry running on `gpus` GPUs per replica (0: CPU). */
export function engineInput(model: ModelConfig, gpus: number): { vllm: EngineVllmInput } | { llamaCpp: EngineLlamaCppInput } {
  if (model.engine === "vllm") {
    if (model.source.kind !== "hf") throw new Error(`models ${model.name}: vLLM needs a Hugging Face source`);
    return {
      vllm: {
        servedModelName: model.name,
        repo: model.source.repo,
        ...(model.source.revision !== undefined ? { revision: model.source.revision } : {}),
        role: model.role,
        quantization: model.quantization as VllmQuantization,
        kvCacheDtype: model.kvCacheDtype as VllmKvCacheDtype,
        maxModelLen: model.maxModelLen,
        tensorParallelSize: gpus,
        gpuMemoryUtilization: model.gpuMemoryUtilization,
      },
    };
  }
  if (model.source.kind !== "gguf") throw new Error(`models ${model.name}: llama.cpp needs a GGUF source`);
  return {
    llamaCpp: {
      servedModelName: model.name,
      repo: model.source.repo,
      file: model.source.file,
      role: model.role,
      // llama.cpp's -c is the total across slots; the config's maxModelLen is per sequence.
      contextSize: model.maxModelLen * model.parallelSlots,
      parallelSlots: model.parallelSlots,
      gpuLayers: gpus > 0 ? model.gpuLayers : 0,
      ...(model.kvCacheDtype !== "auto" ? { kvCacheDtype: model.kvCacheDtype as LlamaCppKvCacheDtype } : {}),
    },
  };
}
