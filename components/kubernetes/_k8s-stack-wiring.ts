/**
 * @module Maps the stack config's sections to the Kubernetes components' arguments (internal): the
 * cluster, its add-ons, each model server with its placement, and the router.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ModelConfig, StackConfig } from "../../src/config";
import type { KubernetesTargetConfig } from "../../src/config/target";
import { engineInput } from "../_engine-input";
import { routingArgs } from "../_router-routing";
import type { ClusterAddonsArgs } from "./addons";
import type { ClusterArgs } from "./cluster-args";
import type { K8sModelServerArgs } from "./k8s-model-server-args";
import type { K8sRouterArgs } from "./k8s-router-args";
import type { K8sModelServerRef } from "./k8s-workload-refs";
import type { K8sPlacement } from "./_k8s-stack-plan";

type Secrets = Readonly<Record<string, pulumi.Input<string>>>;

function secret(secrets: Secrets, name: string | undefined): pulumi.Input<string> | undefined {
  return name === undefined ? undefined : secrets[name];
}

/** `Cluster` arguments: a new EKS cluster, or the existing cluster of a kubeconfig. */
export function clusterArgs(target: KubernetesTargetConfig, secrets: Secrets): ClusterArgs {
  if (target.kind === "eks") {
    return {
      kind: "eks",
      region: target.region,
      kubernetesVersion: target.kubernetesVersion,
      systemNodeGroup: { instanceType: target.systemNodeGroup.instanceType, size: target.systemNodeGroup.size },
      publicAccessCidrs: target.apiAccessCidrs,
    };
  }
  const kubeconfig = secret(secrets, target.kubeconfigSecret);
  return {
    kind: "kubernetes",
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    ...(target.context !== undefined ? { context: target.context } : {}),
    ...(target.storageClass !== undefined ? { storageClassName: target.storageClass } : {}),
  };
}

/** Which add-ons the stack installs: all of them on a new EKS cluster; on an existing one, what `target.addons` asks for. */
export function addonsArgs(
  config: StackConfig,
  secrets: Secrets,
  wiring: { provider: k8s.Provider; storageClassName: pulumi.Input<string | undefined>; autoscaled: boolean },
): ClusterAddonsArgs {
  const target = config.target as KubernetesTargetConfig;
  const { monitoring } = config;
  const own = target.kind === "kubernetes" ? target.addons : undefined;
  const password = secret(secrets, monitoring.grafana.adminPasswordSecret);
  return {
    provider: wiring.provider,
    devicePlugin: own?.nvidiaDevicePlugin ?? true,
    dcgmExporter: own?.dcgmExporter ?? true,
    monitoring: monitoring.enabled && (own?.kubePrometheusStack ?? true),
    // KEDA only where a model autoscales: one fewer controller on the system nodes otherwise.
    keda: wiring.autoscaled && (own?.keda ?? true),
    retentionDays: monitoring.retentionDays,
    storageClassName: wiring.storageClassName,
    ...(password !== undefined ? { grafanaAdminPassword: password } : {}),
    ...(own !== undefined ? { namespaces: { monitoring: own.monitoringNamespace } } : {}),
  };
}


/** What every model server of one stack shares. */
export interface SharedK8sServerArgs {
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
  /** Key the router presents to the model servers. */
  internalApiKey: pulumi.Input<string>;
  /** StorageClass of the cache claims; undefined: the cluster's default. */
  storageClassName: pulumi.Input<string | undefined>;
  /** Stack secrets by name, for `hfTokenSecret`. */
  secrets: Secrets;
}

/** `K8sModelServer` arguments for one model entry and its placement. */
export function modelServerArgs(model: ModelConfig, placement: K8sPlacement, shared: SharedK8sServerArgs): K8sModelServerArgs {
  const hfToken = secret(shared.secrets, model.hfTokenSecret);
  return {
    provider: shared.provider,
    namespace: shared.namespace,
    ...engineInput(model, placement.gpus),
    gpus: placement.gpus,
    // An autoscaler owns the count: the Deployment leaves spec.replicas to it.
    ...(placement.autoscaling !== undefined ? { maxReplicas: placement.replicas } : { replicas: placement.replicas }),
    apiKey: shared.internalApiKey,
    ...(hfToken !== undefined ? { hfToken } : {}),
    modelCacheSizeGi: placement.cacheGi,
    // An unset class resolves to undefined, which leaves the claim on the cluster's default class.
    ...(placement.cache === "ephemeral" ? { ephemeralModelCache: true } : { storageClassName: shared.storageClassName as pulumi.Input<string> }),
    ...(placement.nodePool !== undefined ? { nodePool: placement.nodePool } : {}),
    ...(placement.memoryGi !== undefined ? { memoryGi: placement.memoryGi } : {}),
    ...(placement.cpu !== undefined ? { cpu: placement.cpu } : {}),
    startupTimeoutSeconds: placement.startupTimeoutSeconds,
  };
}

/** What the router needs from the rest of the stack. */
export interface K8sRouterWiring {
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
  image: pulumi.Input<string>;
  servers: ReadonlyArray<{ endpoint: pulumi.Output<string>; servedModelName: pulumi.Output<string> }>;
  internalApiKey: pulumi.Input<string>;
  /** Redis URL (secret); undefined without a cache. */
  redisUrl?: pulumi.Input<string>;
}

/** `K8sRouter` arguments: model servers, cloud providers, routes, cache, tenants, replicas, CPU autoscaling and ingress. */
export function k8sRouterArgs(config: StackConfig, secrets: Secrets, w: K8sRouterWiring): K8sRouterArgs {
  const { router } = config;
  const target = config.target as KubernetesTargetConfig;
  const ingress = target.ingress;
  const routing = routingArgs(config, secrets, w);
  return {
    provider: w.provider,
    namespace: w.namespace,
    image: w.image,
    ...(router.imagePullSecrets !== undefined ? { imagePullSecrets: router.imagePullSecrets } : {}),
    port: router.port,
    replicas: router.replicas,
    // The CPU autoscaler reads metrics-server: a new EKS cluster gets the add-on; an existing cluster is
    // assumed to run it (without it the HPA holds `replicas`). A maximum equal to replicas means no HPA.
    maxReplicas: router.autoscaling.enabled ? router.autoscaling.maxReplicas : router.replicas,
    targetCpuPercent: router.autoscaling.targetCpuPercent,
    ...routing,
    tenants: routing.tenants ?? [],
    ...(ingress !== undefined
      ? {
          ingress: {
            host: ingress.domain,
            ...(ingress.className !== undefined ? { className: ingress.className } : {}),
            ...(ingress.tls && ingress.clusterIssuer !== undefined ? { clusterIssuer: ingress.clusterIssuer } : {}),
            ...(ingress.tls && ingress.tlsSecretName !== undefined ? { tlsSecretName: ingress.tlsSecretName } : {}),
            allowPlainHttp: !ingress.tls,
          },
        }
      : {}),
  };
}

/** The servers KEDA scales: those with `target.autoscaling`, waking from zero on the router's failed attempts. */
export function scaledServers(config: StackConfig, placements: ReadonlyMap<string, K8sPlacement>, refs: readonly K8sModelServerRef[]) {
  return config.models.flatMap((m, i) => {
    const scaling = placements.get(m.name)!.autoscaling;
    if (scaling === undefined) return [];
    return [
      {
        server: refs[i]!,
        minReplicas: scaling.minReplicas,
        queueThreshold: scaling.queueThreshold,
        ...(scaling.minReplicas === 0 ? { routerBackend: m.name } : {}),
      },
    ];
  });
}
