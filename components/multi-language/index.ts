/**
 * @module The multi-language components (`llm-shoestring/multi-language`, hosted by `provider/` for
 * `pulumi package add`): schema-friendly wrappers of the TypeScript components — interface Args, no
 * unions, enums for closed sets — with their argument and output types. Named exports only.
 */
export {
  LlamaCppFlashAttn,
  LlamaCppKvCacheDtype,
  LlamaCppPooling,
  ModelCacheAccessMode,
  ProviderKind,
  RouterLogLevel,
  SemanticCacheIndex,
  ServerRole,
  VllmKvCacheDtype,
  VllmQuantization,
} from "./enums";
export type { EngineCommonSettings, LlamaCppSettings, VllmSettings } from "./engine-settings";
export type { RouterBackend, RouterCache, RouterCloudProvider, RouterSettings, RouterTenant } from "./router-settings";
export { KubernetesModelServer, type KubernetesModelServerArgs } from "./kubernetes-model-server";
export { KubernetesRouter, type KubernetesRouterArgs, type KubernetesRouterIngress } from "./kubernetes-router";
export { ModelServerContainer, type ModelServerContainerArgs } from "./model-server-container";
export { RedisContainer, type RedisContainerArgs } from "./redis-container";
export { RouterContainer, type RouterContainerArgs } from "./router-container";
export { ServingStack, type ServingPlan, type ServingPlanModel, type ServingStackArgs } from "./serving-stack";
