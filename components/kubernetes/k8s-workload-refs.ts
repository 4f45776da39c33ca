/**
 * @module What autoscaling and monitoring need to know about a Kubernetes model server or router:
 * plain references, so `K8sAutoscaling` and `K8sMonitoringObjects` take any server built by the kit
 * (or by hand) without depending on the concrete component classes (STYLE R2).
 */
import type * as pulumi from "@pulumi/pulumi";

/** The workload that runs a server's pods: what a ScaledObject's `scaleTargetRef` names. */
export interface K8sWorkloadRef {
  /** e.g. `apps/v1` or `leaderworkerset.x-k8s.io/v1`. */
  readonly apiVersion: string;
  /** e.g. `Deployment` or `LeaderWorkerSet`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: pulumi.Output<string>;
}

/** A Service Prometheus scrapes, as a ServiceMonitor selects it. */
export interface K8sScrapeRef {
  /** The component's logical name (`app.kubernetes.io/instance`); names the monitor. */
  readonly instance: string;
  /** Namespace of the Service. */
  readonly namespace: pulumi.Output<string>;
  /** Name of the Service. */
  readonly serviceName: pulumi.Output<string>;
  /** Labels of the Service; a ServiceMonitor selects on them. */
  readonly serviceLabels: Readonly<Record<string, string>>;
  /** Name of the Service port serving metrics. */
  readonly metricsPortName: string;
  /** Path of the metrics, e.g. `/metrics`. */
  readonly metricsPath: string;
  /**
   * Secret key holding the bearer token the metrics need (llama.cpp with an API key), in the
   * Service's namespace.
   * @default - no Authorization header
   */
  readonly metricsAuth?: { readonly secretName: pulumi.Output<string>; readonly key: string };
}

/** A model server as the autoscaler and the monitors see it. */
export interface K8sModelServerRef extends K8sScrapeRef {
  /** Engine: selects the queue metric (`vllm:num_requests_waiting` or `llamacpp:requests_deferred`). */
  readonly engine: "vllm" | "llamacpp";
  /** The workload to scale. */
  readonly workload: K8sWorkloadRef;
  /** Whether the workload leaves its replica count to an autoscaler (`maxReplicas` was given). */
  readonly autoscaled: boolean;
  /** Most replicas the server's cache and disruption budget were sized for. */
  readonly maxReplicas: number;
}
