/** @module Shoestring's Pulumi components (STYLE R14: named exports, one line per area). */
export { LlmStack, type LlmStackArgs } from "./llm-stack";
export { K8sLlmStack, type K8sLlmStackArgs } from "./kubernetes/k8s-llm-stack";
export { createStack } from "./create-stack";
export { RedisCache, type RedisCacheArgs } from "./cache";
export { DockerHost, type DockerHostArgs } from "./compute";
export { TlsProxy, type TlsProxyArgs } from "./edge";
export { DockerMonitoring, modelServerScrapeTarget, type DockerMonitoringArgs, type DockerScrapeTarget } from "./monitoring";
export { RouterService, type RouterServiceArgs } from "./routing";
export { DockerModelServer, type DockerModelServerArgs, type ModelServerOutputs } from "./serving";
