/**
 * @module `GpuNodePool`: one EKS managed node group of one GPU instance type, labelled and tainted
 * so only GPU workloads (and the NVIDIA DaemonSets) run there.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EksNodePoolSchema } from "../../src/config/target";
import { INSTANCE_TYPES } from "../../src/planner/catalog/instances";
import { nearestNames } from "../../src/util/nearest";
import { createNodeLaunchTemplate, type NodeAmiType } from "./_cluster-launch-template";
import { DEFAULT_EKS_REGION } from "./cluster-args";
import { GPU_TAINT, GPU_TOLERATION, NODE_POOL_LABEL, SYSTEM_POOL, gpuInstanceFacts, gpuNodeLabels } from "./gpu-node-pool-labels";

const poolDefaults = EksNodePoolSchema.omit({ name: true, instanceType: true }).parse({});

/** Minimum nodes: the stack config's default. */
export const DEFAULT_POOL_MIN_SIZE: number = poolDefaults.minSize;
/** Maximum nodes: the stack config's default. */
export const DEFAULT_POOL_MAX_SIZE: number = poolDefaults.maxSize;
/** Nodes to start with: the stack config's default. */
export const DEFAULT_POOL_DESIRED_SIZE: number = poolDefaults.desiredSize;
/** Image-and-cache volume per GPU node, GiB: the vLLM image (~10 GiB) plus a 70B FP8 checkpoint (~70 GiB) with room to spare. */
export const DEFAULT_GPU_DISK_GIB = 200;
/** EKS-optimized Amazon Linux 2023 with the NVIDIA driver and container toolkit. */
export const DEFAULT_GPU_AMI_TYPE: GpuAmiType = "AL2023_x86_64_NVIDIA";
/** AMI types with NVIDIA drivers (x86). Bottlerocket ships its own device plugin: set `devicePlugin: false` on {@link ClusterAddons}. */
export const GPU_AMI_TYPES = ["AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"] as const;

/** An EKS AMI type with NVIDIA drivers. */
export type GpuAmiType = (typeof GPU_AMI_TYPES)[number] & NodeAmiType;

/** Arguments for {@link GpuNodePool}. Sizes map 1:1 to the stack config's `target.gpuNodePools[]`. */
export interface GpuNodePoolArgs {
  /** EKS cluster name ({@link Cluster}.clusterName). */
  clusterName: pulumi.Input<string>;
  /** Node IAM role ARN ({@link Cluster}.nodeRoleArn). */
  nodeRoleArn: pulumi.Input<string>;
  /** Subnets for the nodes ({@link Cluster}.privateSubnetIds). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Kubernetes version of the nodes ({@link Cluster}.kubernetesVersion), so a control-plane
   * upgrade rolls the pool after it. @default - the control plane's version when the pool is created
   */
  kubernetesVersion?: pulumi.Input<string>;
  /** AWS region of the cluster. @default "us-east-1" */
  region?: pulumi.Input<string>;
  /**
   * Pool name, the value of the `shoestring/node-pool` label; models select the pool with it.
   * A plain string: labels are derived from it before anything is registered.
   */
  poolName: string;
  /**
   * EC2 GPU instance type from the instance catalog (`shoestring gpus`), e.g. `g6e.12xlarge`. A
   * plain string: the GPU model label and GPU count come from the catalog.
   */
  instanceType: string;
  /** Minimum nodes (0 lets the pool scale to nothing). @default 1 */
  minSize?: pulumi.Input<number>;
  /** Maximum nodes. @default 1 */
  maxSize?: pulumi.Input<number>;
  /** Nodes to start with, between minSize and maxSize. @default 1 */
  desiredSize?: pulumi.Input<number>;
  /** Spot capacity (`capacityType: SPOT`): cheaper, reclaimable at two minutes' notice. @default false */
  spot?: pulumi.Input<boolean>;
  /** AMI family. @default "AL2023_x86_64_NVIDIA" */
  amiType?: GpuAmiType;
  /** Encrypted gp3 volume for container images and model caches, GiB. @default 200 */
  diskSizeGiB?: pulumi.Input<number>;
  /**
   * GPUs the largest model replica on this pool needs: the largest `gpusPerReplica` of the
   * `planStack(...).models` placed here. A replica runs on one node, so a pool whose instance has
   * fewer GPUs is refused. @default - not checked
   */
  gpusPerReplica?: number;
  /** Let EKS replace nodes that turn unhealthy (including GPU faults the node monitoring agent reports). @default true */
  autoRepair?: pulumi.Input<boolean>;
  /** Tags on the node group, its instances and volumes. @default {} */
  tags?: Record<string, string>;
}

/**
 * A managed node group of one GPU instance type. Every node carries the labels
 * `nvidia.com/gpu.present=true` (the NVIDIA device plugin schedules only there),
 * `nvidia.com/gpu.product` and `nvidia.com/gpu.count` with the values GPU Feature Discovery would
 * set, and `shoestring/node-pool=<poolName>`; and the taint `nvidia.com/gpu=present:NoSchedule`.
 * Nodes boot an EKS NVIDIA AMI with an encrypted gp3 volume of `diskSizeGiB` and IMDSv2.
 * @example new GpuNodePool("big", { clusterName, nodeRoleArn, subnetIds, poolName: "big", instanceType: "g6e.12xlarge" })
 */
export class GpuNodePool extends pulumi.ComponentResource {
  /** The managed node group. */
  public readonly nodeGroup: aws.eks.NodeGroup;
  /** Pool name (the `shoestring/node-pool` label value). */
  public readonly poolName: string;
  /** GPUs per node. */
  public readonly gpusPerNode: number;
  /** `nvidia.com/gpu.product` value of the nodes, e.g. `NVIDIA-L40S`. */
  public readonly gpuProduct: string;
  /** Node labels set on every node. */
  public readonly labels: Readonly<Record<string, string>>;
  /** nodeSelector that pins a pod to this pool. */
  public readonly nodeSelector: Readonly<Record<string, string>>;
  /** Toleration a pod needs for the pool's taint. */
  public readonly toleration: typeof GPU_TOLERATION;

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shoestring:index:GpuNodePool", name, {}, opts);
    const errors = gpuNodePoolArgsErrors(args);
    const facts = gpuInstanceFacts(args.instanceType);
    if (errors.length > 0 || facts === undefined) {
      const lines = errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`).join("\n");
      throw new pulumi.InputPropertiesError({ message: `Invalid arguments for GpuNodePool "${name}":\n${lines}`, errors });
    }
    const region = args.region ?? DEFAULT_EKS_REGION;
    const amiType = args.amiType ?? DEFAULT_GPU_AMI_TYPE;
    const tags = { ...args.tags, "shoestring/node-pool": args.poolName };
    const minSize = args.minSize ?? DEFAULT_POOL_MIN_SIZE;
    const maxSize = args.maxSize ?? DEFAULT_POOL_MAX_SIZE;
    const desiredSize = args.desiredSize ?? DEFAULT_POOL_DESIRED_SIZE;

    this.poolName = args.poolName;
    this.gpusPerNode = facts.gpuCount;
    this.gpuProduct = facts.product;
    this.labels = gpuNodeLabels(args.poolName, facts);
    this.nodeSelector = { [NODE_POOL_LABEL]: args.poolName };
    this.toleration = GPU_TOLERATION;

    const launchTemplate = createNodeLaunchTemplate(
      `${name}-lt`,
      { region, amiType, diskSizeGiB: args.diskSizeGiB ?? DEFAULT_GPU_DISK_GIB, tags: { ...tags, Name: name } },
      this,
    );
    this.nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        region,
        clusterName: args.clusterName,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.subnetIds,
        version: args.kubernetesVersion,
        amiType,
        instanceTypes: [args.instanceType],
        capacityType: pulumi.output(args.spot ?? false).apply((spot) => (spot ? "SPOT" : "ON_DEMAND")),
        scalingConfig: { minSize, maxSize, desiredSize },
        // One node at a time: a GPU node holds whole model replicas.
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        labels: { ...this.labels },
        // The EKS API spells the effect NO_SCHEDULE; Kubernetes shows it as NoSchedule.
        taints: [{ key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NO_SCHEDULE" }],
        nodeRepairConfig: { enabled: args.autoRepair ?? true },
        tags,
      },
      { parent: this },
    );

    this.registerOutputs({
      nodeGroup: this.nodeGroup,
      poolName: this.poolName,
      gpusPerNode: this.gpusPerNode,
      gpuProduct: this.gpuProduct,
      labels: this.labels,
      nodeSelector: this.nodeSelector,
    });
  }
}

/** Problems with plain-valued args, all at once (STYLE R5). */
export function gpuNodePoolArgsErrors(args: GpuNodePoolArgs): pulumi.InputPropertyErrorDetails[] {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const add = (propertyPath: string, reason: string) => errors.push({ propertyPath, reason });
  const facts = gpuInstanceFacts(args.instanceType);
  if (facts === undefined) {
    const near = nearestNames(args.instanceType, INSTANCE_TYPES, 3).join(", ");
    add("instanceType", `not a GPU instance type of the catalog (got ${JSON.stringify(args.instanceType)}; nearest: ${near}). Pick one from \`shoestring gpus\`.`);
  }
  if (!/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/.test(args.poolName)) {
    add("poolName", `not a DNS label of at most 40 characters (got ${JSON.stringify(args.poolName)}). Use lowercase letters, digits and '-', e.g. gpu-large.`);
  } else if (args.poolName === SYSTEM_POOL) {
    add("poolName", `"${SYSTEM_POOL}" is the CPU system nodes' pool. Give the GPU pool another name, e.g. gpu.`);
  }
  if (args.amiType !== undefined && !(GPU_AMI_TYPES as readonly string[]).includes(args.amiType)) {
    add("amiType", `not an NVIDIA AMI type (got ${JSON.stringify(args.amiType)}; allowed: ${GPU_AMI_TYPES.join(", ")}).`);
  }
  const { minSize, maxSize, desiredSize, diskSizeGiB, gpusPerReplica } = args;
  for (const [key, value, low] of [["minSize", minSize, 0], ["maxSize", maxSize, 1], ["desiredSize", desiredSize, 0]] as const) {
    if (typeof value === "number" && !(Number.isInteger(value) && value >= low && value <= 100)) {
      add(key, `must be a whole number from ${low} to 100 (got ${value}).`);
    }
  }
  const [min, max, desired] = [minSize ?? DEFAULT_POOL_MIN_SIZE, maxSize ?? DEFAULT_POOL_MAX_SIZE, desiredSize ?? DEFAULT_POOL_DESIRED_SIZE];
  if (typeof min === "number" && typeof max === "number" && min > max) {
    add("minSize", `is larger than maxSize (got ${min} > ${max}). Lower minSize or raise maxSize.`);
  } else if (typeof min === "number" && typeof max === "number" && typeof desired === "number" && (desired < min || desired > max)) {
    add("desiredSize", `is outside minSize..maxSize (got ${desired}; allowed ${min}-${max}). Set desiredSize to ${Math.min(Math.max(desired, min), max)}.`);
  }
  if (typeof diskSizeGiB === "number" && !(Number.isInteger(diskSizeGiB) && diskSizeGiB >= 50 && diskSizeGiB <= 16384)) {
    add("diskSizeGiB", `must be a whole number of GiB from 50 to 16384 (got ${diskSizeGiB}). The vLLM image alone is about 10 GiB; add the model weights.`);
  }
  if (facts !== undefined && gpusPerReplica !== undefined && gpusPerReplica > facts.gpuCount) {
    add(
      "gpusPerReplica",
      `a replica needs ${gpusPerReplica} GPUs but ${args.instanceType} has ${facts.gpuCount} (${facts.gpu}). Pick an instance type with at least ${gpusPerReplica} GPUs, or lower the model's tensor parallelism.`,
    );
  }
  return errors;
}
