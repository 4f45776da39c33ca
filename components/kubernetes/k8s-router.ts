/**
 * @module `K8sRouter`: the OpenAI-compatible router (`images/router`) on Kubernetes — Deployment,
 * Service, config Secret, CPU autoscaler, disruption budget and an optional TLS Ingress, configured
 * through env vars only (STYLE R12).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renderRouterConfigYaml } from "../../src/router-config/build";
import { backendApiKeyEnv, providerApiKeyEnv, routerSettingEnv } from "../../src/router-config/env-names";
import { K8S_ROLES, hardenedContainer, k8sLabels, selectorLabels, softSpread } from "./_k8s-common";
import { ROUTER_DEFAULTS, ROUTER_PRESTOP_SECONDS, k8sRouterSpec, resolveK8sRouterArgs, type K8sRouterArgs } from "./k8s-router-args";
import type { K8sScrapeRef } from "./k8s-workload-refs";

export type { K8sRouterArgs, K8sRouterIngressArgs } from "./k8s-router-args";

/** Key of the router config YAML in the router's Secret. */
export const ROUTER_CONFIG_KEY = "config.yaml";
/** UID and GID of the `node` user the router image runs as. */
export const ROUTER_UID = 1000;

/** The router's YAML config, a secret: the same builder and spec as the Docker `RouterService`. */
export function routerConfigYaml(args: K8sRouterArgs): pulumi.Output<string> {
  const servers = pulumi.all(args.modelServers.map((s) => pulumi.all([s.endpoint, s.servedModelName])));
  const redisUrl = args.cache === undefined ? pulumi.output("") : pulumi.output(args.cache.redisUrl);
  const keys = pulumi.all((args.tenants ?? []).map((t) => pulumi.output(t.keys)));
  return pulumi.secret(
    pulumi.all([servers, redisUrl, keys]).apply(([servers, redisUrl, keys]) => renderRouterConfigYaml(k8sRouterSpec(args, { servers, redisUrl, keys }))),
  );
}

/**
 * Runs the router in front of the model servers: the config YAML and every upstream key live in one
 * Secret and reach the container as env vars; pods run as the image's non-root user on a read-only
 * root filesystem; a CPU autoscaler and a disruption budget keep it available.
 *
 * @example
 * const router = new K8sRouter("llm-router", {
 *   provider, namespace: "shoestring", image: "ghcr.io/acme/shoestring-router:0.1.0",
 *   modelServers: [{ name: "qwen-7b", endpoint: qwen.endpoint, servedModelName: qwen.servedModelName, tier: 1 }],
 *   cache: { redisUrl: redis.url }, ingress: { host: "llm.example.com", className: "nginx", clusterIssuer: "letsencrypt" },
 * });
 */
export class K8sRouter extends pulumi.ComponentResource {
  /** In-cluster base URL, e.g. `http://llm-router.shoestring.svc:8080/v1`. */
  public readonly internalUrl: pulumi.Output<string>;
  /** Public base URL through the Ingress, e.g. `https://llm.example.com/v1`; undefined without one. */
  public readonly url: pulumi.Output<string | undefined>;
  /** Name of the Service. */
  public readonly serviceName: pulumi.Output<string>;
  /** Port Prometheus scrapes. */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** Liveness and readiness path. */
  public readonly healthPath: pulumi.Output<string>;
  /** The generated router config YAML, a secret (it holds the Redis URL and key digests). */
  public readonly configYaml: pulumi.Output<string>;
  /** What `K8sMonitoringObjects` takes. */
  public readonly scrapeRef: K8sScrapeRef;

  constructor(name: string, args: K8sRouterArgs, opts?: pulumi.ComponentResourceOptions) {
    const r = resolveK8sRouterArgs(name, args);
    super("shoestring:index:K8sRouter", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const labels = k8sLabels("shoestring-router", K8S_ROLES.router, name, args.labels);
    const selector = selectorLabels(K8S_ROLES.router, name);
    const meta = { namespace: args.namespace, labels };

    this.configYaml = routerConfigYaml(args);
    const keyed = [
      ...args.modelServers.flatMap((s) => (s.apiKey === undefined ? [] : [[backendApiKeyEnv(s.name), s.apiKey] as const])),
      ...(args.providers ?? []).flatMap((p) => (p.apiKey === undefined ? [] : [[providerApiKeyEnv(p.name), p.apiKey] as const])),
    ];
    const values: Record<string, pulumi.Input<string>> = { [ROUTER_CONFIG_KEY]: this.configYaml, ...Object.fromEntries(keyed) };
    // Autonamed: the provider replaces a Secret whose data changes (unless enableSecretMutable), so a
    // config change makes a new Secret name and rolls the pods onto it.
    const secret = new k8s.core.v1.Secret(`${name}-config`, { metadata: meta, type: "Opaque", stringData: pulumi.secret(pulumi.output(values)) }, childOpts);
    const fromSecret = (envName: string, key: string) => ({ name: envName, valueFrom: { secretKeyRef: { name: secret.metadata.name, key } } });

    const httpGet = { path: "/health", port: "http" };
    const drainSeconds = Math.ceil(ROUTER_DEFAULTS.shutdownTimeoutMs / 1000);
    const autoscaled = r.maxReplicas > r.replicas;
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta,
        spec: {
          // With the HPA on, the replica count is its to set; a fixed value would be reset on every `pulumi up`.
          ...(autoscaled ? {} : { replicas: r.replicas }),
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          revisionHistoryLimit: 3,
          template: {
            metadata: { labels },
            spec: {
              enableServiceLinks: false,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: ROUTER_UID, runAsGroup: ROUTER_UID, seccompProfile: { type: "RuntimeDefault" } },
              terminationGracePeriodSeconds: ROUTER_PRESTOP_SECONDS + drainSeconds + 5,
              topologySpreadConstraints: softSpread(selector),
              ...(r.imagePullSecrets.length > 0 ? { imagePullSecrets: r.imagePullSecrets } : {}),
              containers: [
                {
                  name: "router",
                  image: args.image,
                  imagePullPolicy: "IfNotPresent",
                  ports: [{ name: "http", containerPort: r.port, protocol: "TCP" }],
                  env: [
                    { name: routerSettingEnv("host"), value: "0.0.0.0" },
                    { name: routerSettingEnv("port"), value: String(r.port) },
                    ...(args.logLevel === undefined ? [] : [{ name: routerSettingEnv("log-level"), value: args.logLevel }]),
                    fromSecret(routerSettingEnv("config-yaml"), ROUTER_CONFIG_KEY),
                    ...keyed.map(([envName]) => fromSecret(envName, envName)),
                  ],
                  resources: { requests: r.requests, limits: r.limits },
                  // /health, not /ready: /ready fails while every model server is down (e.g. scaled to zero), and an
                  // unready router would leave clients without its JSON errors and the autoscaler without demand.
                  readinessProbe: { httpGet, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 },
                  livenessProbe: { httpGet, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
                  // Keep serving while the endpoint removal reaches kube-proxy and the ingress, then drain.
                  lifecycle: { preStop: { exec: { command: ["sleep", String(ROUTER_PRESTOP_SECONDS)] } } },
                  securityContext: hardenedContainer({ readOnlyRootFilesystem: true }),
                  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                },
              ],
              volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
            },
          },
        },
      },
      childOpts,
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: { ...meta, name: r.serviceName }, spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: r.port, targetPort: "http", protocol: "TCP" }] } },
      childOpts,
    );
    if (autoscaled) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata: meta,
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
            minReplicas: r.replicas,
            maxReplicas: r.maxReplicas,
            metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: r.targetCpuPercent } } }],
          },
        },
        childOpts,
      );
    }
    if (r.maxReplicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: meta, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } }, childOpts);
    }
    const ing = r.ingress;
    if (ing !== undefined) {
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: { ...meta, ...(Object.keys(ing.annotations).length > 0 ? { annotations: ing.annotations } : {}) },
          spec: {
            ...(ing.className !== undefined ? { ingressClassName: ing.className } : {}),
            ...(ing.tlsSecretName !== undefined ? { tls: [{ hosts: [ing.host], secretName: ing.tlsSecretName }] } : {}),
            rules: [{ host: ing.host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }] } }],
          },
        },
        childOpts,
      );
    }

    this.serviceName = service.metadata.name;
    this.internalUrl = pulumi.interpolate`http://${service.metadata.name}.${service.metadata.namespace}.svc:${r.port}/v1`;
    this.url = pulumi.output(ing === undefined ? undefined : `${ing.tlsSecretName !== undefined ? "https" : "http"}://${ing.host}/v1`);
    this.metricsPort = pulumi.output(r.port);
    this.metricsPath = pulumi.output("/metrics");
    this.healthPath = pulumi.output("/health");
    this.scrapeRef = { instance: name, namespace: service.metadata.namespace, serviceName: service.metadata.name, serviceLabels: labels, metricsPortName: "http", metricsPath: "/metrics" };
    this.registerOutputs({
      internalUrl: this.internalUrl,
      url: this.url,
      serviceName: this.serviceName,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      healthPath: this.healthPath,
      configYaml: this.configYaml,
    });
  }
}
