/**
 * @module `KubernetesModelServer`: the multi-language face of `K8sModelServer` — one vLLM or
 * llama.cpp server on an existing Kubernetes cluster's GPU nodes, for Python, Go, C# and YAML.
 */
import * as pulumi from "@pulumi/pulumi";
import { K8sModelServer, resolveK8sModelServerArgs, type K8sModelServerArgs } from "../kubernetes";
import { checkAs, defined } from "./_wrap";
import { toLlamaCppInput, toVllmInput, type LlamaCppSettings, type VllmSettings } from "./engine-settings";
import type { ModelCacheAccessMode } from "./enums";

/** Arguments for {@link KubernetesModelServer}. Give exactly one of `vllm` and `llamaCpp`. */
export interface KubernetesModelServerArgs {
  /** Namespace of every object; it must exist. */
  namespace: pulumi.Input<string>;
  /** Serve with vLLM; `tensorParallelSize` GPUs per pod. @default - none: give exactly one of vllm and llamaCpp @see https://docs.vllm.ai/en/v0.22.0/deployment/k8s.html */
  vllm?: VllmSettings;
  /** Serve with llama.cpp: the CUDA image with `gpus` > 0, else the CPU image. @default - none: give exactly one of vllm and llamaCpp */
  llamaCpp?: LlamaCppSettings;
  /** `nvidia.com/gpu` per pod; for vLLM it must equal `tensorParallelSize`. @default - tensorParallelSize for vLLM, 0 for llama.cpp */
  gpus?: number;
  /** Replicas (model copies) when no autoscaler owns the count. @default 1 */
  replicas?: number;
  /** Leave the replica count to an autoscaler that may run up to this many. Exclusive with `replicas`. @default - not autoscaled */
  maxReplicas?: number;
  /** Nodes one replica spans (vLLM, LeaderWorkerSet). @default 1 @see https://docs.vllm.ai/en/v0.22.0/deployment/frameworks/lws.html */
  nodesPerReplica?: number;
  /** API key the server requires, stored in a Secret. @default - no key */
  apiKey?: pulumi.Input<string>;
  /** Hugging Face token for gated repos, stored in a Secret. @default - anonymous downloads */
  hfToken?: pulumi.Input<string>;
  /** Size of the model cache claim in GiB. @default 100 */
  modelCacheSizeGi?: number;
  /** StorageClass of the cache claim. @default - the cluster's default class */
  storageClassName?: pulumi.Input<string>;
  /** Access mode of the cache claim; more than one pod per claim needs ReadWriteMany. @default "ReadWriteOnce" */
  modelCacheAccessMode?: ModelCacheAccessMode;
  /** Existing claim to mount as the cache instead of creating one. @default - a new claim */
  existingModelCacheClaim?: pulumi.Input<string>;
  /** Download the weights into an `emptyDir` on every start instead of a volume. @default false */
  ephemeralModelCache?: boolean;
  /** `/dev/shm` in MiB. @default - 2048 per GPU for vLLM, none for llama.cpp */
  shmSizeMi?: number;
  /** Schedule on nodes of this GPU model (`nvidia.com/gpu.product`, e.g. `NVIDIA-L4`). @default - any GPU node */
  gpuProduct?: string;
  /** Schedule on the kit's GPU node pool of this name (`shoestring/node-pool` label). @default - any pool */
  nodePool?: string;
  /** Extra node selector. @default {} */
  nodeSelector?: { [label: string]: string };
  /** CPU request per pod (a Kubernetes quantity); no CPU limit. @default "2" */
  cpu?: string;
  /** Memory request per pod in GiB. @default 8 */
  memoryGi?: number;
  /** Memory limit per pod in GiB; `/dev/shm` counts against it. @default - none */
  memoryLimitGi?: number;
  /** Seconds a pod may take from start to healthy (download, load, CUDA graphs). @default 1800 */
  startupTimeoutSeconds?: number;
  /** Make `pulumi up` wait until the server is ready. @default false */
  waitForReady?: boolean;
  /** Extra pods a rolling update may start. @default 0 */
  maxSurge?: number;
  /** Name of the Service (in-cluster DNS name). @default - the component name */
  serviceName?: string;
  /** Extra labels on every object. @default {} */
  labels?: { [key: string]: string };
}

/**
 * One OpenAI-compatible model server on an existing cluster: a Deployment (or LeaderWorkerSet), its
 * Service, model cache, Secret and disruption budget. The cluster is the Kubernetes provider passed
 * in the resource options (`providers`), else the ambient kubeconfig. Wraps the TypeScript
 * `K8sModelServer`.
 */
export class KubernetesModelServer extends pulumi.ComponentResource {
  /** In-cluster base URL, e.g. `http://qwen.llm.svc:8000/v1`; give it to a router. */
  public readonly endpoint: pulumi.Output<string>;
  /** The name the server answers to as `model`. */
  public readonly servedModelName: pulumi.Output<string>;
  /** Health path, e.g. `/health`. */
  public readonly healthPath: pulumi.Output<string>;
  /** Port Prometheus scrapes (the serving port). */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** Name of the Service. */
  public readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: KubernetesModelServerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { vllm, llamaCpp, modelCacheAccessMode, ...rest } = args;
    const inner: K8sModelServerArgs = {
      ...defined(rest),
      ...(vllm !== undefined ? { vllm: toVllmInput(vllm) } : {}),
      ...(llamaCpp !== undefined ? { llamaCpp: toLlamaCppInput(llamaCpp) } : {}),
      ...(modelCacheAccessMode !== undefined ? { modelCacheAccessMode: modelCacheAccessMode as K8sModelServerArgs["modelCacheAccessMode"] } : {}),
    };
    checkAs("KubernetesModelServer", name, () => resolveK8sModelServerArgs(name, inner));
    super("shoestring:index:KubernetesModelServer", name, {}, opts);
    const server = new K8sModelServer(name, inner, { parent: this });
    this.endpoint = server.endpoint;
    this.servedModelName = server.servedModelName;
    this.healthPath = server.healthPath;
    this.metricsPort = server.metricsPort;
    this.metricsPath = server.metricsPath;
    this.serviceName = server.serviceName;
    this.registerOutputs({
      endpoint: this.endpoint,
      servedModelName: this.servedModelName,
      healthPath: this.healthPath,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      serviceName: this.serviceName,
    });
  }
}
