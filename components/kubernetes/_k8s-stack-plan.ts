/**
 * @module The Kubernetes composition root's placement step (internal, pure): from the planner's
 * verdict, where each model's pods run (GPUs, node pool), how many, where their weights are cached
 * and how much memory they ask for — refused with the config field to change before anything exists.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackCapacityPlan } from "../../src/capacity/plan-stack-config";
import type { ModelConfig, StackConfig } from "../../src/config";
import type { KubernetesTargetConfig } from "../../src/config/target";
import { DEFAULT_HEALTH_START_PERIOD_SECONDS } from "../serving/docker-model-server-args";
import { summarizePlan, type PlanSummary } from "../_stack-wiring";
import { SYSTEM_POOL } from "./gpu-node-pool-labels";

/** Targets the Kubernetes composition serves. */
export const K8S_TARGETS = ["eks", "kubernetes"] as const;

/** Root volume of the EKS system nodes, GiB (the Cluster's default; the stack config has no knob for it). */
export const SYSTEM_NODE_DISK_GIB = 50;
/** Disk a GPU node keeps for container images (the vLLM image unpacks to ~20 GiB) and the OS, GiB. */
export const GPU_NODE_IMAGE_RESERVE_GIB = 40;
/** Disk a system node keeps for images (router, Redis, Prometheus, Grafana, llama.cpp) and the OS, GiB. */
export const SYSTEM_NODE_IMAGE_RESERVE_GIB = 20;
/**
 * Seconds of startup budget per GiB of weights, on top of the engines' load budget: a download at
 * ~100 MB/s from the Hugging Face CDN, so a 70B checkpoint is not killed mid-download.
 */
export const DOWNLOAD_SECONDS_PER_GIB = 10;
/** CPU request of a llama.cpp server on the CPU: one core guaranteed, more when the node is idle (no limit). */
export const CPU_MODEL_CPU_REQUEST = "1";

/** How one model runs on the cluster. */
export interface K8sPlacement {
  /** `nvidia.com/gpu` per pod (vLLM tensor-parallel size; 0 = llama.cpp on the CPU). */
  readonly gpus: number;
  /** Node pool the pods select (`shoestring/node-pool`); undefined: any node that fits. */
  readonly nodePool?: string;
  /** Replicas, or the autoscaler's maximum. */
  readonly replicas: number;
  /** Queue-depth autoscaling between `minReplicas` and `replicas`; undefined: fixed replicas. */
  readonly autoscaling?: { readonly minReplicas: number; readonly queueThreshold: number };
  /** Weights on a PersistentVolumeClaim (one pod), or downloaded to the node by every pod. */
  readonly cache: "claim" | "ephemeral";
  /** Size of that cache, GiB. */
  readonly cacheGi: number;
  /** Memory request, GiB (llama.cpp on the CPU); undefined: the component's default. */
  readonly memoryGi?: number;
  /** CPU request (llama.cpp on the CPU); undefined: the component's default. */
  readonly cpu?: string;
  /** Seconds a pod may take to download and load the model. */
  readonly startupTimeoutSeconds: number;
}

/** Cache size for a checkpoint: its weights plus a fifth and 10 GiB (tokenizer, download and compile caches), in steps of 10. */
export function modelCacheGi(weightsTotalGiB: number): number {
  return Math.max(20, Math.ceil((weightsTotalGiB * 1.2 + 10) / 10) * 10);
}

/** The GPU pool a model's pods run on (EKS): its `nodePool`, else the first pool. */
function gpuPoolOf(model: ModelConfig, target: KubernetesTargetConfig): string | undefined {
  return target.kind === "eks" ? (model.nodePool ?? target.gpuNodePools[0]?.name) : undefined;
}

/**
 * Places every model of a validated, fitting stack on the cluster.
 * @throws {pulumi.RunError} naming every node disk too small for the weights its pods download.
 */
export function placeOnCluster(config: StackConfig, plan: StackCapacityPlan): Map<string, K8sPlacement> {
  const target = config.target as KubernetesTargetConfig;
  const problems: string[] = [];
  const placements = new Map<string, K8sPlacement>();
  config.models.forEach((model, i) => {
    const planned = plan.models[i]!;
    const gpus = planned.gpusPerReplica;
    const scaling = target.autoscaling[model.name];
    // A ReadWriteOnce volume (EBS) attaches to one node: a model that may run several pods downloads per pod.
    const cache = model.replicas > 1 ? "ephemeral" : "claim";
    const cacheGi = modelCacheGi(planned.weightsTotalGiB);
    const nodePool = gpus > 0 ? gpuPoolOf(model, target) : target.kind === "eks" ? SYSTEM_POOL : undefined;
    if (cache === "ephemeral" && target.kind === "eks") {
      const poolIndex = target.gpuNodePools.findIndex((p) => p.name === nodePool);
      const disk = gpus > 0 ? target.gpuNodePools[poolIndex]!.diskGiB : SYSTEM_NODE_DISK_GIB;
      const reserve = gpus > 0 ? GPU_NODE_IMAGE_RESERVE_GIB : SYSTEM_NODE_IMAGE_RESERVE_GIB;
      if (cacheGi + reserve > disk) {
        const where = gpus > 0 ? `shoestring:target.gpuNodePools[${poolIndex}].diskGiB` : `shoestring:models[${i}].replicas`;
        const fix =
          gpus > 0
            ? `pulumi config set --path 'target.gpuNodePools[${poolIndex}].diskGiB' ${Math.ceil((cacheGi + reserve) / 10) * 10}`
            : `set models[${i}].replicas to 1 (its cache then lives on a volume)`;
        problems.push(
          `${where}: model "${model.name}" runs ${model.replicas} replicas, so every pod downloads its ${cacheGi} GiB cache to the node's disk, ` +
            `which also holds ~${reserve} GiB of images (got ${disk} GiB; needs at least ${cacheGi + reserve}). Fix: ${fix}`,
        );
      }
    }
    placements.set(model.name, {
      gpus,
      ...(nodePool !== undefined ? { nodePool } : {}),
      replicas: model.replicas,
      ...(scaling !== undefined ? { autoscaling: { minReplicas: scaling.minReplicas, queueThreshold: scaling.queueThreshold } } : {}),
      cache,
      cacheGi,
      // llama.cpp on the CPU holds weights, KV cache and buffers in RAM: ask for it, plus 1 GiB for the server.
      ...(gpus === 0 ? { memoryGi: Math.ceil(planned.hostRamGiB) + 1, cpu: CPU_MODEL_CPU_REQUEST } : {}),
      startupTimeoutSeconds: DEFAULT_HEALTH_START_PERIOD_SECONDS + Math.ceil(planned.weightsTotalGiB * DOWNLOAD_SECONDS_PER_GIB),
    });
  });
  if (problems.length > 0) {
    throw new pulumi.RunError(`The stack's node disks are too small; nothing was created.\n  - ${problems.join("\n  - ")}`);
  }
  return placements;
}

/** GPUs the largest replica on each EKS GPU pool needs, by pool name (GpuNodePool refuses smaller instances). */
export function gpusPerReplicaByPool(placements: ReadonlyMap<string, K8sPlacement>): Map<string, number> {
  const byPool = new Map<string, number>();
  for (const p of placements.values()) {
    if (p.gpus > 0 && p.nodePool !== undefined) byPool.set(p.nodePool, Math.max(byPool.get(p.nodePool) ?? 0, p.gpus));
  }
  return byPool;
}

/**
 * The stack output `plan`: the planner's summary, with llama.cpp models on the CPU shown where the
 * cluster runs them (the planner books them on the first GPU group, whose RAM they share on a host).
 */
export function summarizeK8sPlan(config: StackConfig, plan: StackCapacityPlan): PlanSummary {
  const summary = summarizePlan(plan);
  const cpuNodes = config.target.kind === "eks" ? "system nodes" : "CPU nodes";
  return { ...summary, models: summary.models.map((m) => (m.tp === 0 ? { ...m, placedOn: cpuNodes } : m)) };
}
