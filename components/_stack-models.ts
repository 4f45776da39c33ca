/**
 * @module Maps the stack config's `models[]` entries to `DockerModelServer` arguments, with the
 * planner's placement (TP, GPU ids) and the engine-level names the generators expect.
 * Internal to the components (the `_` prefix, STYLE R14); not part of the package's API.
 */
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { ModelConfig } from "../src/config";
import type { DockerModelServerArgs } from "./serving";
import { engineInput } from "./_engine-input";
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
  return { ...common, ...engineInput(model, placement.gpus) };
}
