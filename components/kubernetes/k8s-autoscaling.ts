/**
 * @module `K8sAutoscaling`: a KEDA ScaledObject per model server that scales on the engine's queue
 * (`vllm:num_requests_waiting`, `llamacpp:requests_deferred`) read from Prometheus, down to zero when
 * asked, and back up from zero on the router's failed attempts at the server.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LABELS, PART_OF, wholeIssue } from "./_k8s-common";
import type { K8sModelServerRef } from "./k8s-workload-refs";

/** One model server to scale. */
export interface K8sScaledServerArgs {
  /** The server (`K8sModelServer.ref`); it must have been given `maxReplicas`. */
  server: K8sModelServerRef;
  /** Fewest replicas; 0 scales the server to zero when idle (its GPUs are freed, the next request waits for a cold start). @default 1 */
  minReplicas?: number;
  /** Most replicas, at most the server's `maxReplicas`. @default - the server's maxReplicas */
  maxReplicas?: number;
  /** Waiting requests per replica the autoscaler aims for (the trigger's `threshold`). @default 5 */
  queueThreshold?: number;
  /**
   * The server's backend name in the router (its `models[].name`). With `minReplicas` 0 nothing reports
   * a queue while no pod runs, so the server wakes when the router's attempts at it fail
   * (`shoestring_router_fallbacks_total{from=<name>}`). Required with minReplicas 0.
   * @default - no wake-up trigger
   */
  routerBackend?: string;
}

/** Arguments for {@link K8sAutoscaling}. */
export interface K8sAutoscalingArgs {
  /**
   * Kubernetes provider of the cluster (KEDA installed): {@link Cluster}.provider, or any existing `k8s.Provider`.
   * @default - the Kubernetes provider given in this component's resource options
   * (`provider`/`providers`) or inherited from its parent, else the ambient kubeconfig
   * @see https://keda.sh/docs/2.17/deploy/
   */
  provider?: k8s.Provider;
  /** Namespace of the model servers (and of the router, whose metrics wake them). */
  namespace: pulumi.Input<string>;
  /** Prometheus base URL KEDA queries, e.g. `http://kube-prometheus-stack-prometheus.monitoring.svc:9090`. @see https://keda.sh/docs/2.17/scalers/prometheus/ */
  serverAddress: pulumi.Input<string>;
  /** The servers to scale. */
  servers: K8sScaledServerArgs[];
  /** Seconds between KEDA's queries. @default 15 */
  pollingIntervalSeconds?: number;
  /** Seconds without demand before scaling to zero (with minReplicas 0). @default 600 */
  cooldownSeconds?: number;
  /** Seconds the autoscaler waits before removing a replica: model servers are slow to bring back. @default 600 */
  scaleDownStabilizationSeconds?: number;
  /** Extra labels on every ScaledObject. @default {} */
  labels?: Record<string, string>;
}

/** KEDA's ScaledObject API. */
export const KEDA_API_VERSION = "keda.sh/v1alpha1";
/** @see K8sScaledServerArgs.queueThreshold */
export const DEFAULT_QUEUE_THRESHOLD = 5;
/** @see K8sAutoscalingArgs.cooldownSeconds */
export const DEFAULT_COOLDOWN_SECONDS = 600;
/** Window of the router's failed attempts that wake a server from zero. */
export const WAKE_WINDOW = "2m";
/** The queue metric of each engine: requests waiting for a slot. */
export const QUEUE_METRIC = { vllm: "vllm:num_requests_waiting", llamacpp: "llamacpp:requests_deferred" } as const;

/** PromQL of a server's queue: the Prometheus Operator labels every target with `namespace` and `service`. */
export function queueQuery(engine: K8sModelServerRef["engine"], namespace: string, service: string): string {
  return `sum(${QUEUE_METRIC[engine]}{namespace="${namespace}",service="${service}"})`;
}

/** PromQL that is 1 while the router recently failed to reach `backend`, else 0: one replica's worth of demand. */
export function wakeQuery(namespace: string, backend: string): string {
  return `clamp_max(sum(increase(shoestring_router_fallbacks_total{namespace="${namespace}",from="${backend}"}[${WAKE_WINDOW}])), 1)`;
}

function validate(name: string, args: K8sAutoscalingArgs): void {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const seen = new Map<string, number>();
  args.servers.forEach((s, i) => {
    const at = `servers[${i}]`;
    const max = s.maxReplicas ?? s.server.maxReplicas;
    const min = s.minReplicas ?? 1;
    if (!s.server.autoscaled) {
      errors.push({ propertyPath: `${at}.server`, reason: `"${s.server.instance}" sets its own replica count, which every pulumi up would reset over KEDA's. Give the K8sModelServer maxReplicas instead of replicas` });
    }
    const first = seen.get(s.server.instance);
    if (first !== undefined) errors.push({ propertyPath: `${at}.server`, reason: `"${s.server.instance}" is already scaled by servers[${first}]; two ScaledObjects would fight. Remove one` });
    seen.set(s.server.instance, i);
    for (const bad of [
      wholeIssue(`${at}.maxReplicas`, max, 1, s.server.maxReplicas, `"${s.server.instance}" was sized for ${s.server.maxReplicas} (its cache and disruption budget); raise the server's maxReplicas first`),
      wholeIssue(`${at}.minReplicas`, min, 0, max, "Use 0 to scale to zero, or 1 to keep one replica warm"),
      wholeIssue(`${at}.queueThreshold`, s.queueThreshold ?? DEFAULT_QUEUE_THRESHOLD, 1, 10_000, "Use e.g. 5 waiting requests per replica"),
    ]) {
      if (bad) errors.push(bad);
    }
    if (min === 0 && s.routerBackend === undefined) {
      errors.push({
        propertyPath: `${at}.routerBackend`,
        reason: `required with minReplicas 0 (got nothing): no pod reports a queue while "${s.server.instance}" is at zero, so it would never wake. Give the server's name in the router, or minReplicas 1`,
      });
    }
  });
  for (const bad of [
    wholeIssue("pollingIntervalSeconds", args.pollingIntervalSeconds ?? 15, 1, 3600, "Use e.g. 15"),
    wholeIssue("cooldownSeconds", args.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS, 0, 86_400, "Use e.g. 600"),
    wholeIssue("scaleDownStabilizationSeconds", args.scaleDownStabilizationSeconds ?? 600, 0, 3600, "Use e.g. 600 (the HPA allows up to 3600)"),
  ]) {
    if (bad) errors.push(bad);
  }
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for K8sAutoscaling "${name}"`, errors });
}

/**
 * Scales model servers with KEDA on their request queue in Prometheus. KEDA owns an HPA per server; the
 * servers must leave their replica count unset (`K8sModelServer` with `maxReplicas`).
 *
 * @example
 * new K8sAutoscaling("llm-autoscaling", { provider, namespace: "shoestring",
 *   serverAddress: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
 *   servers: [{ server: qwen.ref, minReplicas: 0, routerBackend: "qwen-7b" }] });
 */
export class K8sAutoscaling extends pulumi.ComponentResource {
  /** Names of the ScaledObjects, in `servers` order. */
  public readonly scaledObjectNames: pulumi.Output<string[]>;

  constructor(name: string, args: K8sAutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(name, args);
    super("shoestring:index:K8sAutoscaling", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const objects = args.servers.map((s) => {
      const ns = pulumi.output(args.namespace);
      const min = s.minReplicas ?? 1;
      const trigger = (triggerName: string, query: pulumi.Output<string>, threshold: number) => ({
        type: "prometheus",
        name: triggerName,
        // KEDA reads trigger metadata as strings; a missing series (no pod yet) counts as 0.
        metadata: { serverAddress: args.serverAddress, query, threshold: String(threshold), activationThreshold: "0", ignoreNullValues: "true" },
      });
      return new k8s.apiextensions.CustomResource(
        `${name}-${s.server.instance}`,
        {
          apiVersion: KEDA_API_VERSION,
          kind: "ScaledObject",
          metadata: { namespace: args.namespace, labels: { ...args.labels, [LABELS.instance]: s.server.instance, [LABELS.partOf]: PART_OF, [LABELS.managedBy]: "pulumi" } },
          spec: {
            scaleTargetRef: { apiVersion: s.server.workload.apiVersion, kind: s.server.workload.kind, name: s.server.workload.name },
            pollingInterval: args.pollingIntervalSeconds ?? 15,
            cooldownPeriod: args.cooldownSeconds ?? DEFAULT_COOLDOWN_SECONDS,
            minReplicaCount: min,
            maxReplicaCount: s.maxReplicas ?? s.server.maxReplicas,
            advanced: {
              horizontalPodAutoscalerConfig: {
                // One replica at a time, after a long calm: a removed replica takes minutes to bring back.
                behavior: { scaleDown: { stabilizationWindowSeconds: args.scaleDownStabilizationSeconds ?? 600, policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] } },
              },
            },
            triggers: [
              trigger("queue", pulumi.all([ns, s.server.serviceName]).apply(([n, svc]) => queueQuery(s.server.engine, n, svc)), s.queueThreshold ?? DEFAULT_QUEUE_THRESHOLD),
              ...(s.routerBackend !== undefined ? [trigger("router-demand", ns.apply((n) => wakeQuery(n, s.routerBackend!)), 1)] : []),
            ],
          },
        },
        childOpts,
      );
    });
    this.scaledObjectNames = pulumi.all(objects.map((o) => o.metadata.name));
    this.registerOutputs({ scaledObjectNames: this.scaledObjectNames });
  }
}
