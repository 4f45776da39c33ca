/**
 * @module Shoestring's Pulumi components: every component class with its Args and output types, by
 * name (STYLE R14: named exports only; helpers and `resolve*Args` stay in their area barrels).
 */
// Composition roots: a whole stack from the typed config.
export { createStack } from "./create-stack";
export { LlmStack, type LlmStackArgs } from "./llm-stack";
export { K8sLlmStack, type K8sLlmStackArgs } from "./kubernetes/k8s-llm-stack";
export type { PlanSummary } from "./_stack-wiring";

// Docker targets: host, model servers, cache, router, TLS edge, monitoring.
export {
  DockerHost,
  type AwsGpuVmHostArgs,
  type DockerHostArgs,
  type DockerHostGpuArgs,
  type DockerLocalHostArgs,
  type DockerSshHostArgs,
  type SshIdentityArgs,
} from "./compute";
export {
  DockerModelServer,
  type DockerLlamaCppInput,
  type DockerModelServerArgs,
  type DockerVllmInput,
  type ModelServerOutputs,
} from "./serving";
export { RedisCache, type RedisCacheArgs } from "./cache";
export {
  RouterService,
  type RouterCacheArgs,
  type RouterLogLevel,
  type RouterModelServerArgs,
  type RouterProviderArgs,
  type RouterServiceArgs,
  type RouterTenantArgs,
} from "./routing";
export { TlsProxy, type TlsProxyArgs } from "./edge";
export { DockerMonitoring, modelServerScrapeTarget, type DockerMonitoringArgs, type DockerScrapeTarget } from "./monitoring";
export type { RestartPolicy } from "./_labels";

// Kubernetes targets: cluster, GPU pools, add-ons and the stack's workloads.
export {
  Cluster,
  ClusterAddons,
  GpuNodePool,
  K8sAutoscaling,
  K8sModelServer,
  K8sMonitoringObjects,
  K8sNetworkPolicies,
  K8sRedis,
  K8sRouter,
  type ClusterAddonsArgs,
  type ClusterArgs,
  type EksClusterArgs,
  type ExistingClusterArgs,
  type ExistingVpcArgs,
  type GpuAmiType,
  type GpuNodePoolArgs,
  type K8sAutoscalingArgs,
  type K8sLlamaCppInput,
  type K8sModelServerArgs,
  type K8sModelServerRef,
  type K8sMonitoringObjectsArgs,
  type K8sNetworkPoliciesArgs,
  type K8sRedisArgs,
  type K8sRouterArgs,
  type K8sRouterIngressArgs,
  type K8sScaledServerArgs,
  type K8sScrapeRef,
  type K8sVllmInput,
  type K8sWorkloadRef,
  type ModelCacheAccessMode,
  type NatGatewayMode,
  type SupportType,
} from "./kubernetes";
