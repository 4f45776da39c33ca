/**
 * @module `K8sRedis`: the router's response cache on Kubernetes — a one-replica StatefulSet with a
 * password from a Secret, LRU eviction under a memory cap, and (optionally) an append-only file on a
 * volume. Same start script and health check as the Docker `RedisCache`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { VERSIONS } from "../../src/versions";
import { DEFAULT_REDIS_MAX_MEMORY_MB, GENERATED_PASSWORD_LENGTH, REDIS_PORT } from "../cache/redis-cache";
import { REDIS_HEALTHCHECK_SCRIPT, REDIS_PASSWORD_ENV, redisServerScript } from "../cache/redis-command";
import { K8S_ROLES, hardenedContainer, k8sLabels, selectorLabels, serviceNameIssue, wholeIssue } from "./_k8s-common";

/** Arguments for {@link K8sRedis}. */
export interface K8sRedisArgs {
  /**
   * Kubernetes provider of the cluster: {@link Cluster}.provider, or any existing `k8s.Provider`.
   * @default - the Kubernetes provider given in this component's resource options
   * (`provider`/`providers`) or inherited from its parent, else the ambient kubeconfig
   */
  provider?: k8s.Provider;
  /** Namespace of every object (it must exist). */
  namespace: pulumi.Input<string>;
  /** Password clients must send (`requirepass`). Keep it a secret. @default - a generated 32-character password */
  password?: pulumi.Input<string>;
  /** Memory for cached entries in MiB (`maxmemory`, `allkeys-lru` beyond it). @default 256 @see https://redis.io/docs/latest/develop/reference/eviction/ */
  maxMemoryMb?: number;
  /** Container memory request and limit in MiB: `maxmemory` excludes Redis's overhead and fragmentation. @default - 1.5 × maxMemoryMb + 64 */
  memoryLimitMb?: number;
  /** CPU request (a Kubernetes quantity); no CPU limit. @default "100m" */
  cpu?: string;
  /** Keep the cache across restarts: an append-only file on a PersistentVolumeClaim. @default false */
  persistence?: boolean;
  /** Size of the data claim in GiB, with `persistence`. @default - 2 × maxMemoryMb, at least 1 GiB */
  storageSizeGi?: number;
  /** StorageClass of the data claim, with `persistence`. @default - the cluster's default class */
  storageClassName?: pulumi.Input<string>;
  /** Name of the Service (the host in the URL), an RFC 1035 label. @default - the component name */
  serviceName?: string;
  /** Extra labels on every object. @default {} */
  labels?: Record<string, string>;
}

/** @see K8sRedisArgs.cpu */
export const DEFAULT_REDIS_CPU = "100m";
/** UID of the `redis` user in the Alpine image. */
export const REDIS_UID = 999;
/** GID that owns the image's data directory. */
export const REDIS_GID = 1000;

/** {@link K8sRedisArgs} with defaults applied. */
export interface ResolvedK8sRedisArgs {
  /** Name of the Service. */
  serviceName: string;
  /** `maxmemory` in MiB. */
  maxMemoryMb: number;
  /** Container memory request and limit in MiB. */
  memoryLimitMb: number;
  /** Whether the append-only file is kept on a claim. */
  persistence: boolean;
  /** Size of the data claim in GiB (used with persistence). */
  storageSizeGi: number;
}

/**
 * Applies the defaults and checks the arguments of a {@link K8sRedis} named `name`.
 * @throws {pulumi.InputPropertiesError} listing every problem, before anything is registered.
 */
export function resolveK8sRedisArgs(name: string, args: K8sRedisArgs): ResolvedK8sRedisArgs {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const serviceName = args.serviceName ?? name;
  const maxMemoryMb = args.maxMemoryMb ?? DEFAULT_REDIS_MAX_MEMORY_MB;
  // Same headroom as the Docker RedisCache: fragmentation up to ~1.5 under churn, 64 MiB for the server.
  const memoryLimitMb = args.memoryLimitMb ?? Math.ceil(maxMemoryMb * 1.5) + 64;
  const storageSizeGi = args.storageSizeGi ?? Math.max(1, Math.ceil((2 * maxMemoryMb) / 1024));
  for (const bad of [
    serviceNameIssue("serviceName", serviceName),
    wholeIssue("maxMemoryMb", maxMemoryMb, 16, 1_048_576, "Use e.g. 256"),
    wholeIssue("memoryLimitMb", memoryLimitMb, maxMemoryMb + 1, 1_048_576, `Leave it unset for ${Math.ceil(maxMemoryMb * 1.5) + 64}`),
    wholeIssue("storageSizeGi", storageSizeGi, 1, 65536, "Use e.g. 1"),
  ]) {
    if (bad) errors.push(bad);
  }
  const persistence = args.persistence ?? false;
  if (!persistence && (args.storageSizeGi !== undefined || args.storageClassName !== undefined)) {
    errors.push({ propertyPath: "persistence", reason: "storageSizeGi and storageClassName need persistence (got persistence unset). Set persistence: true, or remove them" });
  }
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for K8sRedis "${name}"`, errors });
  return { serviceName, maxMemoryMb, memoryLimitMb, persistence, storageSizeGi };
}

/**
 * Runs Redis for the router's cache. The password reaches Redis from a Secret through the
 * `REDIS_PASSWORD` env var and a shell expansion, never as plain text in the pod spec.
 *
 * @example
 * const cache = new K8sRedis("llm-redis", { provider, namespace: "shoestring", maxMemoryMb: 512 });
 * // cache.url → redis://:<password>@llm-redis.shoestring.svc:6379 (secret)
 */
export class K8sRedis extends pulumi.ComponentResource {
  /** `redis://:<password>@<service>.<namespace>.svc:6379`, a secret. */
  public readonly url: pulumi.Output<string>;
  /** The password, a secret. */
  public readonly password: pulumi.Output<string>;
  /** In-cluster host name, `<service>.<namespace>.svc`. */
  public readonly host: pulumi.Output<string>;
  /** Port. */
  public readonly port: pulumi.Output<number>;
  /** Name of the Service. */
  public readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: K8sRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = resolveK8sRedisArgs(name, args);
    super("shoestring:index:K8sRedis", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const labels = k8sLabels("redis", K8S_ROLES.cache, name, args.labels);
    const selector = selectorLabels(K8S_ROLES.cache, name);
    const meta = { namespace: args.namespace, labels };

    const password = pulumi.secret(
      args.password ??
        new random.RandomPassword(`${name}-password`, { length: GENERATED_PASSWORD_LENGTH, special: false }, { parent: this }).result,
    );
    const secret = new k8s.core.v1.Secret(`${name}-auth`, { metadata: meta, type: "Opaque", stringData: pulumi.secret(pulumi.output({ [REDIS_PASSWORD_ENV]: password })) }, childOpts);
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata: { ...meta, name: a.serviceName }, spec: { type: "ClusterIP", selector, ports: [{ name: "redis", port: REDIS_PORT, targetPort: "redis", protocol: "TCP" }] } },
      childOpts,
    );
    const probe = (periodSeconds: number) => ({ exec: { command: ["sh", "-c", REDIS_HEALTHCHECK_SCRIPT] }, periodSeconds, timeoutSeconds: 3, failureThreshold: 3 });
    const memory = `${a.memoryLimitMb}Mi`;
    new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: meta,
        spec: {
          replicas: 1,
          serviceName: service.metadata.name,
          selector: { matchLabels: selector },
          template: {
            metadata: { labels },
            spec: {
              enableServiceLinks: false,
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: REDIS_UID, runAsGroup: REDIS_GID, fsGroup: REDIS_GID, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "redis",
                  image: VERSIONS.redis.image,
                  imagePullPolicy: "IfNotPresent",
                  command: ["sh", "-c", redisServerScript(a)],
                  env: [{ name: REDIS_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: secret.metadata.name, key: REDIS_PASSWORD_ENV } } }],
                  ports: [{ name: "redis", containerPort: REDIS_PORT, protocol: "TCP" }],
                  // Guaranteed memory: eviction under node pressure would empty the cache anyway.
                  resources: { requests: { cpu: args.cpu ?? DEFAULT_REDIS_CPU, memory }, limits: { memory } },
                  readinessProbe: probe(5),
                  livenessProbe: probe(10),
                  securityContext: hardenedContainer({ readOnlyRootFilesystem: true }),
                  volumeMounts: [{ name: "data", mountPath: "/data" }],
                },
              ],
              volumes: a.persistence ? undefined : [{ name: "data", emptyDir: { sizeLimit: "64Mi" } }],
            },
          },
          volumeClaimTemplates: a.persistence
            ? [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: args.storageClassName, resources: { requests: { storage: `${a.storageSizeGi}Gi` } } } }]
            : undefined,
        },
      },
      childOpts,
    );

    this.password = password;
    this.serviceName = service.metadata.name;
    this.host = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc`;
    this.port = pulumi.output(REDIS_PORT);
    this.url = pulumi.secret(pulumi.all([password, this.host]).apply(([pw, host]) => `redis://:${encodeURIComponent(pw)}@${host}:${REDIS_PORT}`));
    this.registerOutputs({ url: this.url, password: this.password, host: this.host, port: this.port, serviceName: this.serviceName });
  }
}
