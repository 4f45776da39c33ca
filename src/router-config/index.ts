/** @module The router's config as the deployment builds it: spec types, the pure builder, env var names. */
export { MIN_CLIENT_KEY_LENGTH, buildRouterConfig, hashClientKey, renderRouterConfigYaml } from "./build";
export { backendApiKeyEnv, providerApiKeyEnv, routerSettingEnv } from "./env-names";
export { RouterConfigBuildError, type RouterConfigBuildIssue } from "./router-config-build-error";
export type {
  RouterCacheSpec,
  RouterConfigSpec,
  RouterModelServerSpec,
  RouterProviderSpec,
  RouterTenantSpec,
  RouterTier,
} from "./spec";
