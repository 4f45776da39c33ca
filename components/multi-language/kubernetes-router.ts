/**
 * @module `KubernetesRouter`: the multi-language face of `K8sRouter` — the OpenAI-compatible router
 * on an existing Kubernetes cluster, with an optional TLS Ingress, for Python, Go, C# and YAML.
 */
import * as pulumi from "@pulumi/pulumi";
import { K8sRouter, resolveK8sRouterArgs, type K8sRouterArgs } from "../kubernetes";
import { checkAs, defined } from "./_wrap";
import type { RouterLogLevel } from "./enums";
import { toRouterConfigArgs, type RouterSettings } from "./router-settings";

/** A public entry to the router through the cluster's ingress controller. */
export interface KubernetesRouterIngress {
  /** DNS name clients use, e.g. `llm.example.com`. */
  host: string;
  /** IngressClass, e.g. `nginx`. @default - the cluster's default class */
  className?: string;
  /** cert-manager ClusterIssuer that issues the certificate. @default - none @see https://cert-manager.io/docs/usage/ingress/ */
  clusterIssuer?: string;
  /** Secret holding the certificate. @default - `<serviceName>-tls` with clusterIssuer */
  tlsSecretName?: string;
  /** Serve plain HTTP when neither clusterIssuer nor tlsSecretName is given (client keys cross the network in clear). @default false */
  allowPlainHttp?: boolean;
  /** Extra Ingress annotations. @default {} */
  annotations?: { [key: string]: string };
}

/** Arguments for {@link KubernetesRouter}: the router config plus where and how it runs. */
export interface KubernetesRouterArgs extends RouterSettings {
  /** Namespace of every object; it must exist. */
  namespace: pulumi.Input<string>;
  /** Router image in a registry the cluster pulls from, e.g. `ghcr.io/acme/shoestring-router:0.1.0`. */
  image: pulumi.Input<string>;
  /** Names of existing docker-registry Secrets in the namespace for a private registry. @default [] */
  imagePullSecrets?: string[];
  /** Port the router listens on. @default 8080 */
  port?: number;
  /** Replicas (the CPU autoscaler's minimum). @default 2 */
  replicas?: number;
  /** Most replicas the CPU autoscaler may run; equal to `replicas` turns it off. @default - 3 × replicas */
  maxReplicas?: number;
  /** Average CPU use, in percent of the request, the autoscaler keeps. @default 70 */
  targetCpuPercent?: number;
  /** CPU request (a Kubernetes quantity); no CPU limit. @default "250m" */
  cpu?: string;
  /** Memory request in MiB. @default 256 */
  memoryMi?: number;
  /** Memory limit in MiB. @default 512 */
  memoryLimitMi?: number;
  /** JSON log level. @default "info" */
  logLevel?: RouterLogLevel;
  /** Name of the Service. @default - the component name */
  serviceName?: string;
  /** Public entry through the ingress controller. @default - reachable inside the cluster only */
  ingress?: KubernetesRouterIngress;
  /** Extra labels on every object. @default {} */
  labels?: { [key: string]: string };
}

/**
 * The router on an existing cluster: Deployment, Service, config Secret, CPU autoscaler, disruption
 * budget and an optional TLS Ingress. The cluster is the Kubernetes provider passed in the resource
 * options (`providers`), else the ambient kubeconfig. Wraps the TypeScript `K8sRouter`.
 */
export class KubernetesRouter extends pulumi.ComponentResource {
  /** In-cluster base URL, e.g. `http://router.llm.svc:8080/v1`. */
  public readonly internalUrl: pulumi.Output<string>;
  /** Public base URL through the Ingress; unset without one. */
  public readonly url: pulumi.Output<string | undefined>;
  /** Name of the Service. */
  public readonly serviceName: pulumi.Output<string>;
  /** Port Prometheus scrapes. */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** The generated router config YAML, a secret. */
  public readonly configYaml: pulumi.Output<string>;

  constructor(name: string, args: KubernetesRouterArgs, opts?: pulumi.ComponentResourceOptions) {
    const inner: K8sRouterArgs = {
      ...toRouterConfigArgs(args),
      ...defined({
        namespace: args.namespace,
        image: args.image,
        imagePullSecrets: args.imagePullSecrets,
        port: args.port,
        replicas: args.replicas,
        maxReplicas: args.maxReplicas,
        targetCpuPercent: args.targetCpuPercent,
        cpu: args.cpu,
        memoryMi: args.memoryMi,
        memoryLimitMi: args.memoryLimitMi,
        logLevel: args.logLevel as K8sRouterArgs["logLevel"],
        serviceName: args.serviceName,
        ingress: args.ingress === undefined ? undefined : defined({ ...args.ingress }),
        labels: args.labels,
      }),
    };
    checkAs("KubernetesRouter", name, () => resolveK8sRouterArgs(name, inner));
    super("shoestring:index:KubernetesRouter", name, {}, opts);
    const router = new K8sRouter(name, inner, { parent: this });
    this.internalUrl = router.internalUrl;
    this.url = router.url;
    this.serviceName = router.serviceName;
    this.metricsPort = router.metricsPort;
    this.metricsPath = router.metricsPath;
    this.configYaml = router.configYaml;
    this.registerOutputs({
      internalUrl: this.internalUrl,
      url: this.url,
      serviceName: this.serviceName,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      configYaml: this.configYaml,
    });
  }
}
