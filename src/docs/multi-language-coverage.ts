/**
 * @module Which TypeScript components Python, Go, C# and YAML programs can use, and why the others
 * are TypeScript-only: Pulumi's component schema takes interface Args without unions, callbacks or
 * non-Pulumi resource types (shared/reference/pulumi-testing.md §5). Rendered into
 * docs/reference/multi-language.md; a test keeps it complete.
 */

/** Multi-language wrapper of each TypeScript component that has one. */
export const WRAPPED_BY: Readonly<Record<string, string>> = {
  createStack: "ServingStack",
  LlmStack: "ServingStack",
  K8sLlmStack: "ServingStack",
  DockerModelServer: "ModelServerContainer",
  RouterService: "RouterContainer",
  RedisCache: "RedisContainer",
  K8sModelServer: "KubernetesModelServer",
  K8sRouter: "KubernetesRouter",
};

/** Why each other TypeScript component is TypeScript-only, and what to use from other languages. */
export const TYPESCRIPT_ONLY: Readonly<Record<string, string>> = {
  DockerHost:
    "Its Args are a union of three target kinds and its main output is a `docker.Provider`. Declare a `docker.Provider` in your program and pass it in the components' resource options (`providers`); `ServingStack` creates the host from `target` itself.",
  TlsProxy: "Only meaningful next to a router on the same host; `ServingStack` adds it from `target.tls`.",
  DockerMonitoring:
    "Takes scrape targets whose addresses are outputs of other components and per-job secret maps; `ServingStack` wires it from `monitoring`.",
  Cluster:
    "Its Args are a union (new EKS cluster or existing cluster). Use your own cluster's provider with the Kubernetes components, or `ServingStack` with `target.kind: eks`.",
  GpuNodePool: "Sized from the planner's instance catalog together with the models placed on it; `ServingStack` creates pools from `target.gpuNodePools`.",
  ClusterAddons: "Helm releases whose values depend on the stack; `ServingStack` installs them from `target.addons`.",
  K8sRedis: "Use `ServingStack` (`cache.enabled`), or any Redis and give its URL to `KubernetesRouter`'s `cache.redisUrl`.",
  K8sNetworkPolicies: "Namespace-wide policies that assume the kit's labels on every workload; `ServingStack` adds them.",
  K8sAutoscaling: "Takes `K8sModelServerRef` objects (outputs of TypeScript components); `ServingStack` adds it from `target.autoscaling`.",
  K8sMonitoringObjects: "Takes `K8sScrapeRef` objects (outputs of TypeScript components); `ServingStack` adds them when `monitoring.enabled`.",
};
