/** @module Model servers: the shared outputs contract and the Docker implementation. */
export { DockerModelServer } from "./docker-model-server";
export {
  DEFAULT_HEALTH_START_PERIOD_SECONDS,
  DEFAULT_VLLM_SHM_MB_PER_GPU,
  MODEL_CACHE_PATH,
  resolveDockerModelServerArgs,
  type DockerLlamaCppInput,
  type DockerModelServerArgs,
  type DockerVllmInput,
  type ResolvedDockerModelServer,
} from "./docker-model-server-args";
export type { ModelServerOutputs } from "./model-server";
