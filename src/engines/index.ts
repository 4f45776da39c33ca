/** @module Engine command lines: pure generators of model-server container args and env. */
export { EngineInputError, formatEngineIssue, type EngineInputIssue, type EngineName } from "./engine-input-error";
export {
  ALL_GPU_LAYERS,
  DEFAULT_LLAMACPP_PORT,
  LLAMACPP_FLASH_ATTN,
  LLAMACPP_KV_CACHE_DTYPES,
  LLAMACPP_POOLING,
  LLAMA_API_KEY_ENV,
  llamaCppCommand,
  type LlamaCppKvCacheDtype,
  type LlamaCppServerInput,
} from "./llamacpp-args";
export {
  DEFAULT_CONTAINER_HOST,
  HF_TOKEN_ENV,
  type ModelServerCommand,
  type ModelServerInputBase,
  type ServerRole,
} from "./model-server-command";
export {
  DEFAULT_VLLM_PORT,
  VLLM_API_KEY_ENV,
  VLLM_KV_CACHE_DTYPES,
  vllmCommand,
  type VllmKvCacheDtype,
  type VllmQuantization,
  type VllmServerInput,
} from "./vllm-args";
