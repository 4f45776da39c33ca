/**
 * @module `K8sModelServer`: one vLLM or llama.cpp server on Kubernetes — a Deployment (or, for a
 * model spanning nodes, a LeaderWorkerSet), its ClusterIP Service, model cache, Secret and
 * disruption budget.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HF_TOKEN_ENV } from "../../src/engines/model-server-command";
import { K8S_ROLES, k8sLabels, selectorLabels } from "./_k8s-common";
import { resolveK8sModelServerArgs, type K8sModelServerArgs, type ResolvedK8sModelServer } from "./k8s-model-server-args";
import { HTTP_PORT_NAME, MODEL_CACHE_VOLUME, modelServerPodSpec } from "./k8s-model-server-pod";
import type { K8sModelServerRef, K8sWorkloadRef } from "./k8s-workload-refs";
import type { ModelServerOutputs } from "../serving/model-server";

export type { K8sModelServerArgs } from "./k8s-model-server-args";

/** LeaderWorkerSet API. @see https://lws.sigs.k8s.io/docs/reference/leaderworkerset.v1/ */
export const LWS_API_VERSION = "leaderworkerset.x-k8s.io/v1";
/** Label LWS puts on every pod of a group: `"0"` on the leader. */
export const LWS_WORKER_INDEX_LABEL = "leaderworkerset.sigs.k8s.io/worker-index";

/** Pulumi's await annotations: skip, or wait as long as a model load may take. */
function awaitAnnotations(r: ResolvedK8sModelServer): Record<string, string> {
  // Pulumi waits 10 min by default for a Deployment to be ready and for a Service to have endpoints;
  // a model load takes longer, and a scaled-to-zero server never has endpoints.
  return r.waitForReady ? { "pulumi.com/timeoutSeconds": String(r.startupTimeoutSeconds + 600) } : { "pulumi.com/skipAwait": "true" };
}

/**
 * Runs one OpenAI-compatible model server (vLLM or llama.cpp) on GPU nodes: pinned image, engine args
 * from `src/engines`, `nvidia.com/gpu` limits, the GPU toleration, a generous startup probe, `/dev/shm`
 * for vLLM, a model cache volume, secrets from a Secret, and a ClusterIP Service the router reaches.
 *
 * @example
 * const qwen = new K8sModelServer("llm-qwen-7b", {
 *   provider, namespace: "shoestring", storageClassName: "gp3",
 *   vllm: { servedModelName: "qwen-7b", repo: "Qwen/Qwen2.5-7B-Instruct-AWQ", quantization: "awq",
 *     maxModelLen: 8192, tensorParallelSize: 1, gpuMemoryUtilization: 0.9 },
 * });
 */
export class K8sModelServer extends pulumi.ComponentResource implements ModelServerOutputs {
  /** In-cluster base URL, e.g. `http://llm-qwen-7b.shoestring.svc:8000/v1`. */
  public readonly endpoint: pulumi.Output<string>;
  /** The name the server answers to as `model`. */
  public readonly servedModelName: pulumi.Output<string>;
  /** Health path, e.g. `/health`. */
  public readonly healthPath: pulumi.Output<string>;
  /** Port Prometheus scrapes (the serving port). */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** Whether scraping needs the API key (llama.cpp with a key). */
  public readonly metricsNeedApiKey: pulumi.Output<boolean>;
  /** Name of the Service. */
  public readonly serviceName: pulumi.Output<string>;
  /** Name of the Secret holding `HF_TOKEN` and the API key; undefined without secrets. */
  public readonly secretName: pulumi.Output<string | undefined>;
  /** What `K8sAutoscaling` and `K8sMonitoringObjects` take. */
  public readonly ref: K8sModelServerRef;

  constructor(name: string, args: K8sModelServerArgs, opts?: pulumi.ComponentResourceOptions) {
    const r = resolveK8sModelServerArgs(name, args);
    super("shoestring:index:K8sModelServer", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const cmd = r.command;
    const app = r.engine === "vllm" ? "vllm" : "llama-cpp";
    const labels = k8sLabels(app, K8S_ROLES.modelServer, name, args.labels);
    const selector = selectorLabels(K8S_ROLES.modelServer, name);
    const meta = { namespace: args.namespace, labels };

    const values: Record<string, pulumi.Input<string>> = {};
    for (const envName of cmd.secretEnv) values[envName] = (envName === HF_TOKEN_ENV ? args.hfToken : args.apiKey)!;
    const secret =
      cmd.secretEnv.length === 0
        ? undefined
        : new k8s.core.v1.Secret(`${name}-secrets`, { metadata: meta, type: "Opaque", stringData: pulumi.secret(pulumi.output(values)) }, childOpts);

    const claim =
      r.cache.kind === "claim" && r.nodes === 1
        ? new k8s.core.v1.PersistentVolumeClaim(
            `${name}-models`,
            {
              // A WaitForFirstConsumer class binds only once the pod is scheduled: never wait for Bound.
              metadata: { ...meta, annotations: { "pulumi.com/skipAwait": "true" } },
              spec: { accessModes: [r.cache.accessMode], storageClassName: args.storageClassName, resources: { requests: { storage: `${r.cache.sizeGi}Gi` } } },
            },
            childOpts,
          )
        : undefined;
    const cacheVolume: Omit<k8s.types.input.core.v1.Volume, "name"> | undefined =
      r.cache.kind === "ephemeral"
        ? { emptyDir: { sizeLimit: `${r.cache.sizeGi}Gi` } }
        : r.cache.kind === "existing"
          ? { persistentVolumeClaim: { claimName: args.existingModelCacheClaim! } }
          : claim !== undefined
            ? { persistentVolumeClaim: { claimName: claim.metadata.name } }
            : undefined;
    const secretName = secret?.metadata.name;
    const annotations = awaitAnnotations(r);

    let workload: K8sWorkloadRef;
    if (r.nodes === 1) {
      const deployment = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        {
          metadata: { ...meta, annotations },
          spec: {
            ...(r.autoscaled ? {} : { replicas: r.replicas }),
            selector: { matchLabels: selector },
            // Without a spare GPU a surge pod would wait forever: replace one pod at a time instead.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: r.maxSurge, maxUnavailable: r.maxSurge > 0 ? 0 : 1 } },
            progressDeadlineSeconds: r.startupTimeoutSeconds + 600,
            revisionHistoryLimit: 3,
            template: { metadata: { labels }, spec: modelServerPodSpec(r, "server", secretName, cacheVolume, selector) },
          },
        },
        childOpts,
      );
      workload = { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name };
    } else {
      const lws = new k8s.apiextensions.CustomResource(
        `${name}-lws`,
        { apiVersion: LWS_API_VERSION, kind: "LeaderWorkerSet", metadata: { ...meta, annotations }, spec: lwsSpec(r, labels, selector, secretName, cacheVolume, args.storageClassName) },
        childOpts,
      );
      workload = { apiVersion: LWS_API_VERSION, kind: "LeaderWorkerSet", name: lws.metadata.name };
    }

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { ...meta, name: r.serviceName, annotations },
        spec: {
          type: "ClusterIP",
          selector: r.nodes === 1 ? selector : { ...selector, [LWS_WORKER_INDEX_LABEL]: "0" },
          ports: [{ name: HTTP_PORT_NAME, port: cmd.port, targetPort: HTTP_PORT_NAME, protocol: "TCP" }],
        },
      },
      childOpts,
    );
    if (r.maxReplicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: meta, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } }, childOpts);
    }

    this.serviceName = service.metadata.name;
    this.endpoint = pulumi.interpolate`http://${service.metadata.name}.${service.metadata.namespace}.svc:${cmd.port}/v1`;
    this.servedModelName = pulumi.output(r.servedModelName);
    this.healthPath = pulumi.output(cmd.healthPath);
    this.metricsPort = pulumi.output(cmd.port);
    this.metricsPath = pulumi.output(cmd.metricsPath);
    this.metricsNeedApiKey = pulumi.output(cmd.metricsNeedApiKey);
    this.secretName = secret === undefined ? pulumi.output(undefined) : secret.metadata.name;
    const apiKeyEnv = cmd.secretEnv.find((e) => e !== HF_TOKEN_ENV);
    this.ref = {
      instance: name,
      engine: r.engine,
      namespace: service.metadata.namespace,
      serviceName: service.metadata.name,
      serviceLabels: labels,
      metricsPortName: HTTP_PORT_NAME,
      metricsPath: cmd.metricsPath,
      metricsAuth: cmd.metricsNeedApiKey && secret !== undefined && apiKeyEnv !== undefined ? { secretName: secret.metadata.name, key: apiKeyEnv } : undefined,
      workload,
      autoscaled: r.autoscaled,
      maxReplicas: r.maxReplicas,
    };
    this.registerOutputs({
      endpoint: this.endpoint,
      servedModelName: this.servedModelName,
      healthPath: this.healthPath,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      metricsNeedApiKey: this.metricsNeedApiKey,
      serviceName: this.serviceName,
      secretName: this.secretName,
    });
  }
}

/** The LeaderWorkerSet spec: one group of `nodes` pods per replica, each pod with its own cache claim. */
function lwsSpec(
  r: ResolvedK8sModelServer,
  labels: Record<string, string>,
  selector: Record<string, string>,
  secretName: pulumi.Input<string> | undefined,
  cacheVolume: Omit<k8s.types.input.core.v1.Volume, "name"> | undefined,
  storageClassName: pulumi.Input<string> | undefined,
): Record<string, unknown> {
  const templates =
    r.cache.kind === "claim"
      ? {
          volumeClaimTemplates: [
            { metadata: { name: MODEL_CACHE_VOLUME }, spec: { accessModes: [r.cache.accessMode], storageClassName, resources: { requests: { storage: `${r.cache.sizeGi}Gi` } } } },
          ],
          // Keep caches when scaled in (the next scale-out reuses them), drop them with the set.
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
        }
      : {};
  return {
    ...(r.autoscaled ? {} : { replicas: r.replicas }),
    startupPolicy: "LeaderCreated",
    rolloutStrategy: { type: "RollingUpdate", rollingUpdateConfiguration: { maxUnavailable: 1, maxSurge: r.maxSurge } },
    leaderWorkerTemplate: {
      size: r.nodes,
      // A lost pod breaks the group's NCCL/Ray ring: restart the whole group together.
      restartPolicy: "RecreateGroupOnPodRestart",
      ...templates,
      leaderTemplate: { metadata: { labels }, spec: modelServerPodSpec(r, "leader", secretName, cacheVolume, selector) },
      workerTemplate: { metadata: { labels }, spec: modelServerPodSpec(r, "worker", secretName, cacheVolume, selector) },
    },
  };
}
