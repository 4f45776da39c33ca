/**
 * @module `K8sLlmStack`: the composition root for Kubernetes targets. Builds a whole serving stack
 * from the validated stack config — a new EKS cluster with GPU node pools or an existing cluster,
 * the add-on charts, model servers, Redis, router, network policies, autoscaling and monitoring —
 * after the planner has confirmed it fits.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackConfig } from "../../src/config";
import { KubernetesTargetSchema, type KubernetesTargetConfig } from "../../src/config/target";
import type { LlmStackArgs } from "../llm-stack";
import { planOrRefuse } from "../_stack-plan";
import type { PlanSummary } from "../_stack-wiring";
import { LABELS, PART_OF } from "./_k8s-common";
import { ClusterAddons, DEFAULT_ADDON_NAMESPACES } from "./addons";
import { Cluster } from "./cluster";
import { GpuNodePool } from "./gpu-node-pool";
import { K8sAutoscaling } from "./k8s-autoscaling";
import { K8sModelServer } from "./k8s-model-server";
import { K8sMonitoringObjects } from "./k8s-monitoring-objects";
import { K8sNetworkPolicies } from "./k8s-network-policies";
import { K8sRedis } from "./k8s-redis";
import { K8sRouter } from "./k8s-router";
import { K8S_TARGETS, gpusPerReplicaByPool, placeOnCluster, summarizeK8sPlan } from "./_k8s-stack-plan";
import { addonsArgs, clusterArgs, k8sRouterArgs, modelServerArgs, scaledServers } from "./_k8s-stack-wiring";

/** Namespace of the stack's workloads on an EKS cluster (the `kubernetes` target's default). */
export const DEFAULT_STACK_NAMESPACE: string = KubernetesTargetSchema.shape.namespace.parse(undefined);
/**
 * Pod Security level the stack's namespace enforces: the engine images run as root, which
 * "restricted" forbids; "baseline" still refuses privileged pods and host access.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export const STACK_POD_SECURITY = "baseline";

/**
 * Arguments for {@link K8sLlmStack}: the same as the Docker composition root's. `routerImage`, when
 * given, replaces the config's `router.image` (a registry image the cluster pulls).
 */
export type K8sLlmStackArgs = LlmStackArgs;

/** A complete self-hosted LLM serving stack on a Kubernetes cluster (target kind `eks` or `kubernetes`). */
export class K8sLlmStack extends pulumi.ComponentResource {
  /** OpenAI-compatible base URL (ends in `/v1`): the ingress's when there is one, else the router Service's in-cluster URL. */
  public readonly routerUrl: pulumi.Output<string>;
  /** First accepted router API key (secret); undefined when auth is off. */
  public readonly routerApiKey: pulumi.Output<string | undefined>;
  /** In-cluster Grafana URL (reach it with `kubectl port-forward`); undefined without the kit's kube-prometheus-stack. */
  public readonly grafanaUrl: pulumi.Output<string | undefined>;
  /** Grafana admin password (secret); undefined without the kit's kube-prometheus-stack. */
  public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;
  /** Each model server's in-cluster base URL, by model name. */
  public readonly modelEndpoints: pulumi.Output<Record<string, string>>;
  /** The planner's verdict the stack was built on: GPUs, memory, concurrency, tokens/s, cost. */
  public readonly plan: pulumi.Output<PlanSummary>;
  /** kubeconfig of the cluster (secret): EKS's runs `aws eks get-token`; undefined for the ambient kubeconfig. */
  public readonly kubeconfig: pulumi.Output<string | undefined>;
  /** EKS cluster name; undefined on an existing cluster. */
  public readonly clusterName: pulumi.Output<string | undefined>;
  /** Namespace of the stack's workloads. */
  public readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: K8sLlmStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const { config } = args;
    const target = checkTarget(config);
    const routerImage = args.routerImage ?? config.router.image;
    if (routerImage === undefined) throw missingRouterImage(target.kind);
    // Refuse before anything is registered, the component included.
    const capacity = planOrRefuse(config, args.baseDir);
    const placements = placeOnCluster(config, capacity);
    super("shoestring:index:K8sLlmStack", name, {}, opts);
    const secrets = args.secrets ?? {};
    const child = { parent: this };

    const cluster = new Cluster(`${name}-cluster`, clusterArgs(target, secrets), child);
    const byPool = gpusPerReplicaByPool(placements);
    const pools =
      target.kind === "eks"
        ? target.gpuNodePools.map(
            (pool) =>
              new GpuNodePool(
                `${name}-pool-${pool.name}`,
                {
                  // Set on an EKS Cluster; the casts only narrow away the existing-cluster case.
                  clusterName: cluster.clusterName as pulumi.Output<string>,
                  nodeRoleArn: cluster.nodeRoleArn as pulumi.Output<string>,
                  kubernetesVersion: cluster.kubernetesVersion as pulumi.Output<string>,
                  subnetIds: cluster.privateSubnetIds,
                  region: target.region,
                  poolName: pool.name,
                  instanceType: pool.instanceType,
                  minSize: pool.minSize,
                  maxSize: pool.maxSize,
                  desiredSize: pool.desiredSize,
                  spot: pool.spot,
                  diskSizeGiB: pool.diskGiB,
                  ...(byPool.has(pool.name) ? { gpusPerReplica: byPool.get(pool.name)! } : {}),
                },
                child,
              ),
          )
        : [];

    const autoscaled = Object.keys(target.autoscaling).length > 0;
    const addons = new ClusterAddons(
      `${name}-addons`,
      addonsArgs(config, secrets, { provider: cluster.provider, storageClassName: cluster.storageClassName, autoscaled }),
      child,
    );
    const k8sOpts = { parent: this, provider: cluster.provider };
    const nsName = target.kind === "kubernetes" ? target.namespace : DEFAULT_STACK_NAMESPACE;
    const createNamespace = target.kind === "eks" || target.createNamespace;
    const namespace = createNamespace
      ? new k8s.core.v1.Namespace(
          `${name}-namespace`,
          {
            metadata: {
              name: nsName,
              labels: { [LABELS.partOf]: PART_OF, [LABELS.managedBy]: "pulumi", "pod-security.kubernetes.io/enforce": STACK_POD_SECURITY },
            },
          },
          k8sOpts,
        ).metadata.name
      : pulumi.output(nsName);

    const internalApiKey = new random.RandomPassword(`${name}-internal-key`, { length: 40, special: false }, child).result;
    const shared = { provider: cluster.provider, namespace, internalApiKey, storageClassName: cluster.storageClassName, secrets };
    const servers = config.models.map(
      (model) =>
        // GPU pods wait for their pool: a Deployment created first would sit Pending with no reason given.
        new K8sModelServer(`${name}-${model.name}`, modelServerArgs(model, placements.get(model.name)!, shared), { parent: this, dependsOn: pools }),
    );
    const redis = config.cache.enabled
      ? new K8sRedis(`${name}-redis`, { provider: cluster.provider, namespace, maxMemoryMb: config.cache.redis.maxMemoryMb }, child)
      : undefined;
    const router = new K8sRouter(
      `${name}-router`,
      k8sRouterArgs(config, secrets, { provider: cluster.provider, namespace, image: routerImage, servers, internalApiKey, redisUrl: redis?.url }),
      child,
    );

    const monitoringNs = target.kind === "kubernetes" ? target.addons.monitoringNamespace : DEFAULT_ADDON_NAMESPACES.monitoring;
    new K8sNetworkPolicies(
      `${name}-netpol`,
      {
        provider: cluster.provider,
        namespace,
        routerPort: config.router.port,
        ...(target.ingress !== undefined ? { ingressNamespaceLabels: { "kubernetes.io/metadata.name": target.ingress.controllerNamespace } } : {}),
        prometheusNamespaceLabels: { "kubernetes.io/metadata.name": monitoringNs },
      },
      child,
    );

    const kps = addons.releases.kubePrometheusStack;
    if (config.monitoring.enabled) {
      new K8sMonitoringObjects(
        `${name}-monitoring`,
        {
          provider: cluster.provider,
          namespace,
          modelServers: servers.map((s) => s.ref),
          router: router.scrapeRef,
          alerts: config.monitoring.alerts,
          // Next to Grafana, whose sidecar (the kit's or a cluster's own) watches at least its own namespace.
          dashboardsNamespace: addons.monitoringNamespace.apply((ns) => ns ?? monitoringNs),
        },
        // ServiceMonitor and PrometheusRule need the Prometheus Operator's CRDs.
        { parent: this, dependsOn: kps !== undefined ? [kps] : [] },
      );
    }
    const scaled = scaledServers(config, placements, servers.map((s) => s.ref));
    if (scaled.length > 0) {
      const keda = addons.releases.keda;
      const ownUrl = target.kind === "kubernetes" ? target.addons.prometheusUrl : undefined;
      new K8sAutoscaling(
        `${name}-autoscaling`,
        { provider: cluster.provider, namespace, serverAddress: addons.prometheusUrl.apply((url) => url ?? ownUrl ?? ""), servers: scaled },
        // ScaledObjects need KEDA's CRDs.
        { parent: this, dependsOn: keda !== undefined ? [keda] : [] },
      );
    }

    this.routerUrl = pulumi.all([router.url, router.internalUrl]).apply(([url, internal]) => url ?? internal);
    const keysSecret = config.router.auth.enabled ? config.router.auth.apiKeysSecret : undefined;
    this.routerApiKey = pulumi.secret(
      keysSecret === undefined ? pulumi.output(undefined) : pulumi.output(secrets[keysSecret] ?? "").apply((keys) => keys.split(",")[0]?.trim()),
    );
    this.grafanaUrl = pulumi
      .all([addons.grafanaServiceName, addons.monitoringNamespace])
      .apply(([svc, ns]) => (svc === undefined || ns === undefined ? undefined : `http://${svc}.${ns}.svc`));
    this.grafanaAdminPassword = addons.grafanaAdminPassword;
    this.modelEndpoints = pulumi
      .all(servers.map((s) => s.endpoint))
      .apply((endpoints) => Object.fromEntries(endpoints.map((e, i) => [config.models[i]!.name, e])));
    this.plan = pulumi.output(summarizeK8sPlan(config, capacity));
    this.kubeconfig = cluster.kubeconfig;
    this.clusterName = cluster.clusterName;
    this.namespace = pulumi.output(namespace);
    this.registerOutputs({
      routerUrl: this.routerUrl,
      routerApiKey: this.routerApiKey,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminPassword: this.grafanaAdminPassword,
      modelEndpoints: this.modelEndpoints,
      plan: this.plan,
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      namespace: this.namespace,
    });
  }
}

/** The Kubernetes target of the config, or a `pulumi.RunError` (no stack trace) for any other kind. */
function checkTarget(config: StackConfig): KubernetesTargetConfig {
  const target = config.target;
  if (target.kind !== "eks" && target.kind !== "kubernetes") {
    throw new pulumi.RunError(
      `shoestring:target.kind: K8sLlmStack composes Kubernetes targets (${K8S_TARGETS.join(", ")}); got "${target.kind}". ` +
        "Docker targets are built by LlmStack (createStack picks the right one).",
    );
  }
  return target;
}

/** The config check's refusal, for configs built in code without it. */
function missingRouterImage(kind: string): pulumi.RunError {
  return new pulumi.RunError(
    `shoestring:router.image: required on target kind ${kind}: the cluster pulls the router from a registry. ` +
      "Fix: docker build -f images/router/Dockerfile -t <registry>/shoestring-router:<version> . && docker push <registry>/shoestring-router:<version>, then set router.image to it.",
  );
}
