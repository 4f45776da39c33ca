/** @module The OpenAI-compatible router on a Docker host. */
export { ROUTER_DOCKERFILE, ROUTER_IMAGE_REPOSITORY, routerImageSource, type RouterImageSource } from "./router-image";
export { RouterService } from "./router-service";
export {
  DEFAULT_BIND_ADDRESS,
  DEFAULT_ROUTER_PORT,
  ROUTER_STOP_GRACE_SECONDS,
  resolveRouterServiceArgs,
  routerSpec,
  type ResolvedRouterServiceArgs,
  type RouterCacheArgs,
  type RouterLogLevel,
  type RouterModelServerArgs,
  type RouterProviderArgs,
  type RouterServiceArgs,
  type RouterSpecValues,
  type RouterTenantArgs,
} from "./router-service-args";
