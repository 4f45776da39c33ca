/**
 * @module `K8sModelServerArgs` and their resolution: defaults in one place (STYLE R4), every
 * cross-field problem collected and thrown once before anything is registered (R5), the engine
 * command from `src/engines`, and the scheduling and cache decisions derived from them.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EngineInputError, formatEngineIssue } from "../../src/engines/engine-input-error";
import { llamaCppCommand, type LlamaCppServerInput } from "../../src/engines/llamacpp-args";
import type { ModelServerCommand } from "../../src/engines/model-server-command";
import { vllmCommand, type VllmServerInput } from "../../src/engines/vllm-args";
import { DEFAULT_HEALTH_START_PERIOD_SECONDS, DEFAULT_VLLM_SHM_MB_PER_GPU } from "../serving/docker-model-server-args";
import { GPU_PRODUCT_LABEL, GPU_RESOURCE, GPU_TOLERATION, NODE_POOL_LABEL, serviceNameIssue, wholeIssue } from "./_k8s-common";

/** vLLM settings: the engine generator's input, less what the component decides itself. */
export type K8sVllmInput = Omit<VllmServerInput, "apiKey" | "hfToken" | "host">;
/** llama.cpp settings: the generator's input; `gpu` follows from {@link K8sModelServerArgs.gpus}. */
export type K8sLlamaCppInput = Omit<LlamaCppServerInput, "apiKey" | "hfToken" | "host" | "gpu">;
/** Access modes of the model cache claim the component creates. */
export type ModelCacheAccessMode = "ReadWriteOnce" | "ReadWriteMany";

/** Arguments for {@link K8sModelServer}. Give exactly one of `vllm` and `llamaCpp`. */
export interface K8sModelServerArgs {
  /**
   * Kubernetes provider of the cluster: {@link Cluster}.provider, or any existing `k8s.Provider`.
   * @default - the Kubernetes provider given in this component's resource options
   * (`provider`/`providers`) or inherited from its parent, else the ambient kubeconfig
   */
  provider?: k8s.Provider;
  /** Namespace of every object (it must exist). */
  namespace: pulumi.Input<string>;
  /** Serve with vLLM (image `VERSIONS.vllm`); `tensorParallelSize` GPUs per pod. @see https://docs.vllm.ai/en/v0.22.0/deployment/k8s.html */
  vllm?: K8sVllmInput;
  /** Serve with llama.cpp's llama-server: the CUDA image with `gpus` > 0, else the CPU image. */
  llamaCpp?: K8sLlamaCppInput;
  /** `nvidia.com/gpu` per pod. vLLM: must equal `tensorParallelSize`. @default - tensorParallelSize for vLLM, 0 for llama.cpp */
  gpus?: number;
  /** Replicas (model copies) when no autoscaler owns the count. @default 1 */
  replicas?: number;
  /**
   * Hand the replica count to an autoscaler (`K8sAutoscaling`) that may run up to this many: the
   * workload then leaves `spec.replicas` unset, so `pulumi up` never resets what the autoscaler chose.
   * Exclusive with `replicas`.
   * @default - not autoscaled
   */
  maxReplicas?: number;
  /**
   * Nodes one replica spans (vLLM only): above 1 the server runs as a LeaderWorkerSet, with pipeline
   * parallelism across nodes and tensor parallelism inside each (Ray). Needs the LWS controller ≥ v0.10.
   * @default 1
   * @see https://docs.vllm.ai/en/v0.22.0/deployment/frameworks/lws.html
   */
  nodesPerReplica?: number;
  /** API key the server requires (`VLLM_API_KEY` / `LLAMA_API_KEY`), stored in a Secret. Keep it a secret. @default - no key */
  apiKey?: pulumi.Input<string>;
  /** Hugging Face token for gated repos (`HF_TOKEN`), stored in a Secret. Keep it a secret. @default - anonymous downloads */
  hfToken?: pulumi.Input<string>;
  /** Size of the model cache (weights, compile caches) in GiB. @default 100 */
  modelCacheSizeGi?: number;
  /** StorageClass of the cache claim. @default - the cluster's default class */
  storageClassName?: pulumi.Input<string>;
  /**
   * Access mode of the cache claim. A ReadWriteOnce volume attaches to one node, so a Deployment
   * that may run more than one pod needs ReadWriteMany (EFS, Filestore, NFS classes) or an ephemeral cache.
   * @default "ReadWriteOnce"
   */
  modelCacheAccessMode?: ModelCacheAccessMode;
  /** Existing claim to mount as the cache instead of creating one (e.g. a shared ReadWriteMany volume). @default - a new claim */
  existingModelCacheClaim?: pulumi.Input<string>;
  /** Download the weights into an `emptyDir` on every start instead of keeping them on a volume. @default false */
  ephemeralModelCache?: boolean;
  /** `/dev/shm` (memory-backed `emptyDir`) in MiB; vLLM's tensor-parallel workers exchange tensors through it. @default - 2048 per GPU for vLLM, none for llama.cpp */
  shmSizeMi?: number;
  /** Schedule on nodes of this GPU model (`nvidia.com/gpu.product`, e.g. `NVIDIA-L4`). @default - any GPU node */
  gpuProduct?: string;
  /** Schedule on the kit's GPU node pool of this name (`GpuNodePool`, node label `shoestring/node-pool`). @default - any pool */
  nodePool?: string;
  /** Extra node selector, for nodes labelled by other means. @default {} */
  nodeSelector?: Record<string, string>;
  /** Tolerations besides the GPU one (`nvidia.com/gpu` Exists NoSchedule, added when `gpus` > 0). @default [] */
  tolerations?: k8s.types.input.core.v1.Toleration[];
  /** CPU request per pod (a Kubernetes quantity). No CPU limit is set, so loading is never throttled. @default "2" */
  cpu?: string;
  /** Memory request per pod in GiB. @default 8 */
  memoryGi?: number;
  /** Memory limit per pod in GiB; `/dev/shm` use counts against it. @default - none */
  memoryLimitGi?: number;
  /**
   * Seconds a pod may take from start to healthy: image pull aside, the model download, load and
   * (vLLM) CUDA graph capture. The startup probe allows this long before liveness takes over.
   * @default 1800
   */
  startupTimeoutSeconds?: number;
  /** Make `pulumi up` wait until the server is ready (up to `startupTimeoutSeconds` + 10 min). @default false */
  waitForReady?: boolean;
  /** Extra pods a rolling update may start: 0 replaces one pod at a time without a spare GPU. @default 0 */
  maxSurge?: number;
  /** Name of the Service (in-cluster DNS name), an RFC 1035 label. @default - the component name */
  serviceName?: string;
  /** Extra labels on every object. @default {} */
  labels?: Record<string, string>;
}

/** @see K8sModelServerArgs.modelCacheSizeGi */
export const DEFAULT_MODEL_CACHE_SIZE_GI = 100;
/** @see K8sModelServerArgs.cpu */
export const DEFAULT_MODEL_SERVER_CPU = "2";
/** @see K8sModelServerArgs.memoryGi */
export const DEFAULT_MODEL_SERVER_MEMORY_GI = 8;
/** Period of the startup probe; `startupTimeoutSeconds / period` is its failure budget. */
export const STARTUP_PROBE_PERIOD_SECONDS = 10;
/** Most GPUs one pod may ask for (the largest GPU nodes have 8; 16 with some vendors). */
export const MAX_GPUS_PER_POD = 16;

/** Where the model cache lives. */
export type ModelCache =
  | { kind: "claim"; sizeGi: number; accessMode: ModelCacheAccessMode }
  | { kind: "existing" }
  | { kind: "ephemeral"; sizeGi: number };

/** Everything the component needs, with defaults applied and checks passed. */
export interface ResolvedK8sModelServer {
  /** Engine that serves. */
  engine: "vllm" | "llamacpp";
  /** Image, args, env and probe paths from `src/engines`. */
  command: ModelServerCommand;
  /** The name the server answers to as `model`. */
  servedModelName: string;
  /** Name of the Service. */
  serviceName: string;
  /** `nvidia.com/gpu` per pod. */
  gpus: number;
  /** Replicas when not autoscaled. */
  replicas: number;
  /** Most replicas the server may run (sizes the cache check and the disruption budget). */
  maxReplicas: number;
  /** Whether an autoscaler owns the replica count. */
  autoscaled: boolean;
  /** Nodes per replica; above 1 a LeaderWorkerSet. */
  nodes: number;
  /** Where the model cache lives. */
  cache: ModelCache;
  /** `/dev/shm` in MiB; undefined for none. */
  shmSizeMi?: number;
  /** Node selector of the pods. */
  nodeSelector: Record<string, string>;
  /** Tolerations of the pods. */
  tolerations: k8s.types.input.core.v1.Toleration[];
  /** Container resource requests. */
  requests: Record<string, string>;
  /** Container resource limits (GPUs, memory). */
  limits: Record<string, string>;
  /** Seconds from start to healthy the startup probe allows. */
  startupTimeoutSeconds: number;
  /** The startup probe's failure budget: startupTimeoutSeconds / period. */
  startupFailureThreshold: number;
  /** Whether `pulumi up` waits for readiness. */
  waitForReady: boolean;
  /** Extra pods a rolling update may start. */
  maxSurge: number;
}

type Issue = pulumi.InputPropertyErrorDetails;

function engineCommand(args: K8sModelServerArgs, gpu: boolean, issues: Issue[]): ModelServerCommand | undefined {
  const secrets = { apiKey: args.apiKey !== undefined, hfToken: args.hfToken !== undefined };
  const field = args.vllm !== undefined ? "vllm" : "llamaCpp";
  try {
    return args.vllm !== undefined ? vllmCommand({ ...args.vllm, ...secrets }) : llamaCppCommand({ ...args.llamaCpp!, ...secrets, gpu });
  } catch (err) {
    if (!(err instanceof EngineInputError)) throw err;
    for (const issue of err.issues) issues.push({ propertyPath: `${field}.${issue.field}`, reason: formatEngineIssue(issue) });
    return undefined;
  }
}

function resolveCache(args: K8sModelServerArgs, maxReplicas: number, nodes: number, issues: Issue[]): ModelCache {
  const sizeGi = args.modelCacheSizeGi ?? DEFAULT_MODEL_CACHE_SIZE_GI;
  const bad = wholeIssue("modelCacheSizeGi", sizeGi, 1, 65536, "Give the cache size in GiB, e.g. 100");
  if (bad) issues.push(bad);
  if (args.ephemeralModelCache === true && args.existingModelCacheClaim !== undefined) {
    issues.push({ propertyPath: "ephemeralModelCache", reason: "conflicts with existingModelCacheClaim (got both). Keep one of them" });
  }
  if (args.ephemeralModelCache === true) return { kind: "ephemeral", sizeGi };
  if (args.existingModelCacheClaim !== undefined) return { kind: "existing" };
  const accessMode = args.modelCacheAccessMode ?? "ReadWriteOnce";
  // LWS gives every pod of a group its own claim (volumeClaimTemplates), so only a Deployment shares one.
  if (accessMode === "ReadWriteOnce" && nodes === 1 && maxReplicas > 1) {
    issues.push({
      propertyPath: "modelCacheAccessMode",
      reason:
        `a ReadWriteOnce claim attaches to one node, but this server may run ${maxReplicas} pods. Set modelCacheAccessMode ` +
        '"ReadWriteMany" with an RWX storageClassName (EFS, Filestore, NFS), existingModelCacheClaim, or ephemeralModelCache: true',
    });
  }
  return { kind: "claim", sizeGi, accessMode };
}

function resolveScale(args: K8sModelServerArgs, issues: Issue[]): { replicas: number; maxReplicas: number; nodes: number } {
  const replicas = args.replicas ?? 1;
  const nodes = args.nodesPerReplica ?? 1;
  for (const bad of [
    wholeIssue("replicas", replicas, 0, 1000, "Use e.g. 1"),
    args.maxReplicas === undefined ? undefined : wholeIssue("maxReplicas", args.maxReplicas, 1, 1000, "Use the autoscaler's maxReplicaCount"),
    wholeIssue("nodesPerReplica", nodes, 1, 64, "Use 1 unless one copy of the model needs several nodes"),
  ]) {
    if (bad) issues.push(bad);
  }
  if (args.replicas !== undefined && args.maxReplicas !== undefined) {
    issues.push({ propertyPath: "replicas", reason: `conflicts with maxReplicas (got ${args.replicas} and ${args.maxReplicas}): an autoscaler owns the count. Remove replicas` });
  }
  if (nodes > 1 && args.vllm === undefined) {
    issues.push({ propertyPath: "nodesPerReplica", reason: `only vLLM spans nodes (got ${nodes} with llamaCpp). Use 1, or serve the model with vLLM` });
  }
  return { replicas, maxReplicas: args.maxReplicas ?? replicas, nodes };
}

/**
 * Applies the defaults and checks the arguments of a {@link K8sModelServer} named `name`.
 * @throws {pulumi.InputPropertiesError} listing every problem, before anything is registered.
 */
export function resolveK8sModelServerArgs(name: string, args: K8sModelServerArgs): ResolvedK8sModelServer {
  const issues: Issue[] = [];
  const engines = [args.vllm, args.llamaCpp].filter((e) => e !== undefined).length;
  if (engines !== 1) {
    issues.push({ propertyPath: "vllm", reason: `give exactly one of vllm and llamaCpp (got ${engines === 0 ? "neither" : "both"}). Pick the engine that serves this model` });
  }
  const tp = args.vllm?.tensorParallelSize;
  const gpus = args.gpus ?? (args.vllm !== undefined && typeof tp === "number" ? tp : 0);
  const gpuBad = wholeIssue("gpus", gpus, 0, MAX_GPUS_PER_POD, "Give the GPUs per pod");
  if (gpuBad) issues.push(gpuBad);
  else if (args.vllm !== undefined && gpus === 0) {
    issues.push({ propertyPath: "gpus", reason: "vLLM needs a GPU (got 0). Set gpus to the tensor parallel size, or serve a GGUF with llamaCpp on the CPU" });
  } else if (args.vllm !== undefined && gpus !== tp) {
    issues.push({ propertyPath: "vllm.tensorParallelSize", reason: `shards across ${String(tp)} GPUs but each pod gets ${gpus}. Make gpus and tensorParallelSize equal` });
  }
  const serviceName = args.serviceName ?? name;
  const svcBad = serviceNameIssue("serviceName", serviceName);
  if (svcBad) issues.push(svcBad);
  const scale = resolveScale(args, issues);
  const cache = resolveCache(args, scale.maxReplicas, scale.nodes, issues);
  const shm = args.shmSizeMi ?? (args.vllm !== undefined ? DEFAULT_VLLM_SHM_MB_PER_GPU * Math.max(1, gpus) : undefined);
  const shmBad = shm === undefined ? undefined : wholeIssue("shmSizeMi", shm, 64, 1_048_576, "Give /dev/shm in MiB, e.g. 2048");
  if (shmBad) issues.push(shmBad);
  const memoryGi = args.memoryGi ?? DEFAULT_MODEL_SERVER_MEMORY_GI;
  if (!(memoryGi > 0)) issues.push({ propertyPath: "memoryGi", reason: `not a memory size (got ${String(memoryGi)}; allowed: GiB above 0). Use e.g. 8` });
  const limitGi = args.memoryLimitGi;
  if (limitGi !== undefined && !(limitGi >= memoryGi && limitGi * 1024 > (shm ?? 0))) {
    issues.push({ propertyPath: "memoryLimitGi", reason: `must be at least memoryGi (${memoryGi}) and above /dev/shm (${shm ?? 0} MiB), which counts against it (got ${limitGi}). Raise it or leave it unset` });
  }
  const startup = args.startupTimeoutSeconds ?? DEFAULT_HEALTH_START_PERIOD_SECONDS;
  const startupBad = wholeIssue("startupTimeoutSeconds", startup, STARTUP_PROBE_PERIOD_SECONDS, 86_400, `Leave it unset for ${DEFAULT_HEALTH_START_PERIOD_SECONDS}`);
  if (startupBad) issues.push(startupBad);
  const maxSurge = args.maxSurge ?? 0;
  const surgeBad = wholeIssue("maxSurge", maxSurge, 0, 100, "Use 0 unless a spare GPU is free during updates");
  if (surgeBad) issues.push(surgeBad);
  const command = engines === 1 ? engineCommand(args, gpus > 0, issues) : undefined;
  if (issues.length > 0 || command === undefined) {
    throw new pulumi.InputPropertiesError({ message: `Invalid arguments for K8sModelServer "${name}"`, errors: issues });
  }
  const gpuLimits: Record<string, string> = gpus > 0 ? { [GPU_RESOURCE]: String(gpus) } : {};
  return {
    engine: args.vllm !== undefined ? "vllm" : "llamacpp",
    command,
    servedModelName: (args.vllm ?? args.llamaCpp)!.servedModelName,
    serviceName,
    gpus,
    ...scale,
    autoscaled: args.maxReplicas !== undefined,
    cache,
    shmSizeMi: shm,
    nodeSelector: {
      ...(args.gpuProduct !== undefined ? { [GPU_PRODUCT_LABEL]: args.gpuProduct } : {}),
      ...(args.nodePool !== undefined ? { [NODE_POOL_LABEL]: args.nodePool } : {}),
      ...args.nodeSelector,
    },
    tolerations: [...(gpus > 0 ? [{ ...GPU_TOLERATION }] : []), ...(args.tolerations ?? [])],
    requests: { cpu: args.cpu ?? DEFAULT_MODEL_SERVER_CPU, memory: `${memoryGi}Gi` },
    // Extended resources are requested by their limit alone (the scheduler copies it to the request).
    limits: { ...gpuLimits, ...(limitGi !== undefined ? { memory: `${limitGi}Gi` } : {}) },
    startupTimeoutSeconds: startup,
    startupFailureThreshold: Math.ceil(startup / STARTUP_PROBE_PERIOD_SECONDS),
    waitForReady: args.waitForReady ?? false,
    maxSurge,
  };
}
