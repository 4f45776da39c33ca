/**
 * @module `K8sRouterArgs` and their resolution: defaults in one place (STYLE R4), the router config
 * checked at construction with the Docker path's stand-in values (R5), and the ingress decisions.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { routerConfigSchema } from "../../images/router/src/config-schema";
import { buildRouterConfig } from "../../src/router-config/build";
import { backendApiKeyEnv, providerApiKeyEnv } from "../../src/router-config/env-names";
import { RouterConfigBuildError } from "../../src/router-config/router-config-build-error";
import type { RouterConfigSpec } from "../../src/router-config/spec";
import {
  DEFAULT_ROUTER_PORT,
  preflightValues,
  routerSpec,
  type RouterCacheArgs,
  type RouterLogLevel,
  type RouterModelServerArgs,
  type RouterProviderArgs,
  type RouterServiceArgs,
  type RouterSpecValues,
  type RouterTenantArgs,
} from "../routing/router-service-args";
import { secretRefIssue, serviceNameIssue, wholeIssue } from "./_k8s-common";

/** A public entry to the router through the cluster's ingress controller. */
export interface K8sRouterIngressArgs {
  /** DNS name clients use, e.g. `llm.example.com`. */
  host: string;
  /** IngressClass, e.g. `nginx`. @default - the cluster's default class */
  className?: string;
  /** cert-manager ClusterIssuer that issues the certificate (`cert-manager.io/cluster-issuer`). @see https://cert-manager.io/docs/usage/ingress/ */
  clusterIssuer?: string;
  /** Secret holding the certificate (created by cert-manager with `clusterIssuer`, else yours). @default - `<serviceName>-tls` with clusterIssuer */
  tlsSecretName?: string;
  /** Serve plain HTTP when neither clusterIssuer nor tlsSecretName is given. Client keys then cross the network in clear. @default false */
  allowPlainHttp?: boolean;
  /** Extra Ingress annotations (they win over the kit's). @default {} */
  annotations?: Record<string, string>;
}

/** Arguments for {@link K8sRouter}: the router config (as for `RouterService`) plus where and how it runs. */
export interface K8sRouterArgs extends Omit<RouterConfigSpec, "modelServers" | "providers" | "cache" | "tenants"> {
  /**
   * Kubernetes provider of the cluster: {@link Cluster}.provider, or any existing `k8s.Provider`.
   * @default - the Kubernetes provider given in this component's resource options
   * (`provider`/`providers`) or inherited from its parent, else the ambient kubeconfig
   */
  provider?: k8s.Provider;
  /** Namespace of every object (it must exist). */
  namespace: pulumi.Input<string>;
  /** Router image pushed to a registry the cluster pulls from, e.g. `ghcr.io/acme/shoestring-router:0.1.0` (build it from `images/router/Dockerfile`). */
  image: pulumi.Input<string>;
  /**
   * Names of existing `kubernetes.io/dockerconfigjson` Secrets in the namespace that let the pods pull `image` from a
   * private registry (`kubectl create secret docker-registry <name> …`).
   * @default [] - the nodes' own registry credentials (on EKS, the node role reads ECR)
   */
  imagePullSecrets?: string[];
  /** The model servers (pass a `K8sModelServer`'s endpoint and served name). */
  modelServers: RouterModelServerArgs[];
  /** Cloud providers routes may name as `<provider>/<model>`. @default [] */
  providers?: RouterProviderArgs[];
  /** Response cache (pass a `K8sRedis`'s secret `url`). @default - no cache */
  cache?: RouterCacheArgs;
  /** Client tenants; none means no authentication. @default [] */
  tenants?: RouterTenantArgs[];
  /** Port the router listens on. @default 8080 */
  port?: number;
  /** Replicas (the autoscaler's minimum when `maxReplicas` is larger). @default 2 */
  replicas?: number;
  /** Most replicas the CPU autoscaler (HPA) may run; equal to `replicas` turns it off. @default - 3 × replicas */
  maxReplicas?: number;
  /** Average CPU use, in percent of the request, the autoscaler keeps. @default 70 */
  targetCpuPercent?: number;
  /** CPU request (a Kubernetes quantity); no CPU limit is set. @default "250m" */
  cpu?: string;
  /** Memory request in MiB. @default 256 */
  memoryMi?: number;
  /** Memory limit in MiB. @default 512 */
  memoryLimitMi?: number;
  /** JSON log level. @default - the router's ("info") */
  logLevel?: RouterLogLevel;
  /** Name of the Service, an RFC 1035 label. @default - the component name */
  serviceName?: string;
  /** Public entry through the ingress controller. @default - reachable inside the cluster only */
  ingress?: K8sRouterIngressArgs;
  /** Extra labels on every object. @default {} */
  labels?: Record<string, string>;
}

/** @see K8sRouterArgs.replicas */
export const DEFAULT_ROUTER_REPLICAS = 2;
/** @see K8sRouterArgs.targetCpuPercent */
export const DEFAULT_ROUTER_TARGET_CPU_PERCENT = 70;
/** @see K8sRouterArgs.cpu */
export const DEFAULT_ROUTER_CPU = "250m";
/** @see K8sRouterArgs.memoryMi */
export const DEFAULT_ROUTER_MEMORY_MI = 256;
/** @see K8sRouterArgs.memoryLimitMi */
export const DEFAULT_ROUTER_MEMORY_LIMIT_MI = 512;
/** Seconds the pod keeps serving after SIGTERM is due, while endpoints and ingresses drop it. */
export const ROUTER_PRESTOP_SECONDS = 5;
/** The router's own defaults (request timeout, body limit, drain time), read from its schema. */
export const ROUTER_DEFAULTS = {
  requestTimeoutMs: routerConfigSchema.shape.requestTimeoutMs.parse(undefined),
  maxBodyBytes: routerConfigSchema.shape.maxBodyBytes.parse(undefined),
  shutdownTimeoutMs: routerConfigSchema.shape.shutdownTimeoutMs.parse(undefined),
} as const;

/**
 * The router config builder's spec from {@link K8sRouterArgs} and the deploy-time values: the Docker
 * path's `routerSpec`, which reads only the router-config fields both components share.
 */
export function k8sRouterSpec(args: K8sRouterArgs, values: RouterSpecValues): RouterConfigSpec {
  return routerSpec(args as unknown as RouterServiceArgs, values);
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** {@link K8sRouterArgs} with defaults applied. */
export interface ResolvedK8sRouterArgs {
  /** Name of the Service. */
  serviceName: string;
  /** Port the router listens on. */
  port: number;
  /** Replicas, the autoscaler's minimum. */
  replicas: number;
  /** The autoscaler's maximum; equal to replicas means no autoscaler. */
  maxReplicas: number;
  /** Average CPU use the autoscaler keeps, in percent. */
  targetCpuPercent: number;
  /** Container resource requests. */
  requests: { cpu: string; memory: string };
  /** Container resource limits. */
  limits: { memory: string };
  /** Pull secrets of the pod, as the pod spec lists them. */
  imagePullSecrets: { name: string }[];
  /** The Ingress, with its TLS secret and annotations resolved; undefined without one. */
  ingress?: { host: string; className?: string; tlsSecretName?: string; annotations: Record<string, string> };
}

function resolveIngress(args: K8sRouterArgs, serviceName: string, errors: pulumi.InputPropertyErrorDetails[]): ResolvedK8sRouterArgs["ingress"] {
  const ing = args.ingress;
  if (ing === undefined) return undefined;
  if (!HOSTNAME.test(ing.host)) errors.push({ propertyPath: "ingress.host", reason: `not a DNS name (got ${JSON.stringify(ing.host)}; e.g. llm.example.com)` });
  const tlsSecretName = ing.tlsSecretName ?? (ing.clusterIssuer !== undefined ? `${serviceName}-tls` : undefined);
  if (tlsSecretName === undefined && ing.allowPlainHttp !== true) {
    errors.push({ propertyPath: "ingress", reason: `no TLS for ${ing.host} (got neither clusterIssuer nor tlsSecretName). Set clusterIssuer (cert-manager) or tlsSecretName, or allowPlainHttp: true` });
  }
  // ingress-nginx buffers responses and cuts idle upstreams at 60 s, which breaks token streams.
  const nginx: Record<string, string> =
    ing.className === "nginx"
      ? {
          "nginx.ingress.kubernetes.io/proxy-buffering": "off",
          "nginx.ingress.kubernetes.io/proxy-read-timeout": String(Math.ceil((args.timeouts?.requestMs ?? ROUTER_DEFAULTS.requestTimeoutMs) / 1000)),
          "nginx.ingress.kubernetes.io/proxy-send-timeout": String(Math.ceil((args.timeouts?.requestMs ?? ROUTER_DEFAULTS.requestTimeoutMs) / 1000)),
          "nginx.ingress.kubernetes.io/proxy-body-size": `${Math.ceil(ROUTER_DEFAULTS.maxBodyBytes / 1_048_576)}m`,
        }
      : {};
  const issuer: Record<string, string> = ing.clusterIssuer !== undefined ? { "cert-manager.io/cluster-issuer": ing.clusterIssuer } : {};
  return { host: ing.host, className: ing.className, tlsSecretName, annotations: { ...nginx, ...issuer, ...ing.annotations } };
}

/**
 * Applies the defaults and checks the arguments of a {@link K8sRouter} named `name`, the router config
 * included.
 * @throws {pulumi.InputPropertiesError} listing every problem, before anything is registered.
 */
export function resolveK8sRouterArgs(name: string, args: K8sRouterArgs): ResolvedK8sRouterArgs {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const serviceName = args.serviceName ?? name;
  const port = args.port ?? DEFAULT_ROUTER_PORT;
  const replicas = args.replicas ?? DEFAULT_ROUTER_REPLICAS;
  const maxReplicas = args.maxReplicas ?? 3 * replicas;
  const targetCpuPercent = args.targetCpuPercent ?? DEFAULT_ROUTER_TARGET_CPU_PERCENT;
  const memoryMi = args.memoryMi ?? DEFAULT_ROUTER_MEMORY_MI;
  const memoryLimitMi = args.memoryLimitMi ?? DEFAULT_ROUTER_MEMORY_LIMIT_MI;
  for (const bad of [
    serviceNameIssue("serviceName", serviceName),
    wholeIssue("port", port, 1, 65535, "Use e.g. 8080"),
    wholeIssue("replicas", replicas, 1, 100, "Use 2 or more for availability"),
    wholeIssue("maxReplicas", maxReplicas, replicas, 1000, "Make it at least replicas"),
    wholeIssue("targetCpuPercent", targetCpuPercent, 10, 100, "Use e.g. 70"),
    wholeIssue("memoryMi", memoryMi, 64, 65536, "Use e.g. 256"),
    wholeIssue("memoryLimitMi", memoryLimitMi, memoryMi, 65536, "Make it at least memoryMi"),
    ...(args.imagePullSecrets ?? []).map((n, i) => secretRefIssue(`imagePullSecrets[${i}]`, n)),
  ]) {
    if (bad) errors.push(bad);
  }
  const keyEnvs = new Map<string, string>();
  const claimEnv = (env: string, path: string): void => {
    const other = keyEnvs.get(env);
    if (other !== undefined) errors.push({ propertyPath: path, reason: `its API key would share env var ${env} with ${other}. Rename one of them` });
    else keyEnvs.set(env, path);
  };
  args.modelServers.forEach((s, i) => s.apiKey !== undefined && claimEnv(backendApiKeyEnv(s.name), `modelServers[${i}].name`));
  (args.providers ?? []).forEach((p, i) => p.apiKey !== undefined && claimEnv(providerApiKeyEnv(p.name), `providers[${i}].name`));
  try {
    buildRouterConfig(k8sRouterSpec(args, preflightValues(args)));
  } catch (err) {
    if (!(err instanceof RouterConfigBuildError)) throw err;
    errors.push(...err.issues.map((i) => ({ propertyPath: i.path, reason: i.message })));
  }
  const ingress = resolveIngress(args, serviceName, errors);
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for K8sRouter "${name}"`, errors });
  return {
    serviceName,
    port,
    replicas,
    maxReplicas,
    targetCpuPercent,
    requests: { cpu: args.cpu ?? DEFAULT_ROUTER_CPU, memory: `${memoryMi}Mi` },
    limits: { memory: `${memoryLimitMi}Mi` },
    imagePullSecrets: [...new Set(args.imagePullSecrets ?? [])].map((n) => ({ name: n })),
    ingress,
  };
}
