/** @module Kubernetes targets: the cluster, GPU pools and add-ons, and the stack's workloads on them. Named exports only (STYLE R14). */
// Cluster, GPU node pools and cluster add-ons.
export { ClusterAddons, type ClusterAddonsArgs } from "./addons";
export { GRAFANA_DASHBOARD_LABEL, KPS_FULLNAME } from "./addons-values";
export { Cluster } from "./cluster";
export type { ClusterArgs, EksClusterArgs, ExistingClusterArgs, ExistingVpcArgs, NatGatewayMode, SupportType } from "./cluster-args";
export { GpuNodePool, type GpuAmiType, type GpuNodePoolArgs } from "./gpu-node-pool";
export { GPU_PRODUCT_LABEL, GPU_TAINT, GPU_TOLERATION, NODE_POOL_LABEL } from "./gpu-node-pool-labels";

// Workloads: model servers, router, cache, network policies, autoscaling, monitoring objects.
export {
  DEFAULT_COOLDOWN_SECONDS,
  DEFAULT_QUEUE_THRESHOLD,
  K8sAutoscaling,
  KEDA_API_VERSION,
  QUEUE_METRIC,
  WAKE_WINDOW,
  queueQuery,
  wakeQuery,
  type K8sAutoscalingArgs,
  type K8sScaledServerArgs,
} from "./k8s-autoscaling";
export { K8sModelServer, LWS_API_VERSION, LWS_WORKER_INDEX_LABEL } from "./k8s-model-server";
export {
  DEFAULT_MODEL_CACHE_SIZE_GI,
  DEFAULT_MODEL_SERVER_CPU,
  DEFAULT_MODEL_SERVER_MEMORY_GI,
  MAX_GPUS_PER_POD,
  STARTUP_PROBE_PERIOD_SECONDS,
  resolveK8sModelServerArgs,
  type K8sLlamaCppInput,
  type K8sModelServerArgs,
  type K8sVllmInput,
  type ModelCache,
  type ModelCacheAccessMode,
  type ResolvedK8sModelServer,
} from "./k8s-model-server-args";
export { HTTP_PORT_NAME, MODEL_CACHE_VOLUME, SHM_VOLUME, VLLM_MULTI_NODE_SCRIPT } from "./k8s-model-server-pod";
export { DEFAULT_MONITOR_LABELS, K8sMonitoringObjects, MAX_CONFIGMAP_BYTES, type K8sMonitoringObjectsArgs } from "./k8s-monitoring-objects";
export {
  DEFAULT_INGRESS_NAMESPACE_LABELS,
  DEFAULT_PROMETHEUS_NAMESPACE_LABELS,
  K8sNetworkPolicies,
  type K8sNetworkPoliciesArgs,
} from "./k8s-network-policies";
export { DEFAULT_REDIS_CPU, K8sRedis, REDIS_GID, REDIS_UID, resolveK8sRedisArgs, type K8sRedisArgs, type ResolvedK8sRedisArgs } from "./k8s-redis";
export { K8sRouter, ROUTER_CONFIG_KEY, ROUTER_UID, routerConfigYaml } from "./k8s-router";
export {
  DEFAULT_ROUTER_CPU,
  DEFAULT_ROUTER_MEMORY_LIMIT_MI,
  DEFAULT_ROUTER_MEMORY_MI,
  DEFAULT_ROUTER_REPLICAS,
  DEFAULT_ROUTER_TARGET_CPU_PERCENT,
  ROUTER_DEFAULTS,
  ROUTER_PRESTOP_SECONDS,
  k8sRouterSpec,
  resolveK8sRouterArgs,
  type K8sRouterArgs,
  type K8sRouterIngressArgs,
  type ResolvedK8sRouterArgs,
} from "./k8s-router-args";
export type { K8sModelServerRef, K8sScrapeRef, K8sWorkloadRef } from "./k8s-workload-refs";
