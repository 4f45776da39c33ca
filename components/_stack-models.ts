/**
 * @module Maps the stack config's `models[]` entries to `DockerModelServer` arguments, with the
 * planner's placement (TP, GPU ids) and the engine-level names the generators expect.
 * Internal to the components (the `_` prefix, STYLE R14); not part of the package's API.
 */
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { ModelConfig } from "../src/config";
import type { LlamaCppKvCacheDtype } from "../src/engines/llamacpp-args";
import type { VllmKvCacheDtype, VllmQuantization } from "../src/engines/vllm-args";
import type { DockerModelServerArgs } from "./serving";
import type { DockerPlacement } from "./_stack-plan";

/** What every model server of one stack shares. */
export interface SharedServerArgs {
  provider: docker.Provider;
  network: pulumi.Input<string>;
  /** Key the router presents to the model servers (they are not open on the stack network). */
  internalApiKey: pulumi.Input<string>;
  /** Host directory for model caches (the AWS VM's gp3 volume); unset: a Docker volume. */
  modelCacheHostPath?: pulumi.Input<string>;
  /** Stack secrets by name, for `hfTokenSecret`. */
  secrets: Readonly<Record<string, pulumi.Input<string>>>;
}

/** `DockerModelServer` arguments for one model entry. */
export function dockerServerArgs(model: ModelConfig, placement: DockerPlacement, shared: SharedServerArgs): DockerModelServerArgs {
  const gpuArgs = placement.gpus > 0 ? { gpus: placement.gpus, gpuDeviceIds: placement.deviceIds } : {};
  const common: Omit<DockerModelServerArgs, "vllm" | "llamaCpp"> = {
    provider: shared.provider,
    network: shared.network,
    apiKey: shared.internalApiKey,
    ...(model.hfTokenSecret !== undefined ? { hfToken: shared.secrets[model.hfTokenSecret] } : {}),
    ...(shared.modelCacheHostPath !== undefined ? { modelCacheHostPath: shared.modelCacheHostPath } : {}),
    ...gpuArgs,
  };
  if (model.engine === "vllm") {
    if (model.source.kind !== "hf") throw new Error(`models ${model.name}: vLLM needs a Hugging Face source`);
    return {
      ...common,
      vllm: {
        servedModelName: model.name,
        repo: model.source.repo,
        ...(model.source.revision !== undefined ? { revision: model.source.revision } : {}),
        role: model.role,
        quantization: model.quantization as VllmQuantization,
        kvCacheDtype: model.kvCacheDtype as VllmKvCacheDtype,
        maxModelLen: model.maxModelLen,
        tensorParallelSize: placement.gpus,
        gpuMemoryUtilization: model.gpuMemoryUtilization,
      },
    };
  }
  if (model.source.kind !== "gguf") throw new Error(`models ${model.name}: llama.cpp needs a GGUF source`);
  return {
    ...common,
    llamaCpp: {
      servedModelName: model.name,
      repo: model.source.repo,
      file: model.source.file,
      role: model.role,
      // llama.cpp's -c is the total across slots; the config's maxModelLen is per sequence.
      contextSize: model.maxModelLen * model.parallelSlots,
      parallelSlots: model.parallelSlots,
      gpuLayers: placement.gpus > 0 ? model.gpuLayers : 0,
      ...(model.kvCacheDtype !== "auto" ? { kvCacheDtype: model.kvCacheDtype as LlamaCppKvCacheDtype } : {}),
    },
  };
}
