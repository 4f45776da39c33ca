/**
 * @module The node labels, taint and toleration of GPU node pools: one place, shared by the pools
 * that set them and the workloads that select and tolerate them.
 */
import { findInstance } from "../../src/planner/catalog/instances";

/**
 * Taint of every GPU node, so only pods that tolerate it (GPU workloads, NVIDIA DaemonSets) land
 * there. EKS's ExtendedResourceToleration admission adds the matching toleration to any pod that
 * requests `nvidia.com/gpu` (engines.md §3); GPU workloads add it explicitly as well.
 */
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;

/** Toleration of {@link GPU_TAINT}, matching any value, as the NVIDIA charts spell it. */
export const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" } as const;

/** Node label naming the pool a node belongs to; workloads select a pool with it. */
export const NODE_POOL_LABEL = "shoestring/node-pool";

/** {@link NODE_POOL_LABEL} value of the CPU system nodes (router, cache, monitoring). */
export const SYSTEM_POOL = "system";

/**
 * Set on GPU nodes: the NVIDIA device plugin chart only schedules on nodes with this label (or
 * NFD's PCI label), so pools set it rather than depend on Node Feature Discovery.
 * @see https://github.com/NVIDIA/k8s-device-plugin/blob/v0.20.0/deployments/helm/nvidia-device-plugin/values.yaml
 */
export const GPU_PRESENT_LABEL = "nvidia.com/gpu.present";
/** GPU model label of GPU Feature Discovery, e.g. `NVIDIA-L40S`. */
export const GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
/** GPUs per node, GPU Feature Discovery's label. */
export const GPU_COUNT_LABEL = "nvidia.com/gpu.count";

/**
 * The name NVML reports for each GPU of the instance catalog (`nvidia-smi --query-gpu=name`), keyed
 * by catalog id. Sources: GFD's own examples (`Tesla-T4`, `A100-SXM4-40GB`, NVIDIA/k8s-device-plugin
 * docs/gpu-feature-discovery/README.md @1b826acc); node dumps and public node selectors seen via code
 * search (`NVIDIA-A10G` on g5.xlarge, `NVIDIA-L40S`, `NVIDIA-H100-80GB-HBM3`); a public table of
 * power limits keyed by the same GFD product strings (`NVIDIA-L4`, `NVIDIA-H200`, `NVIDIA-B200`,
 * `NVIDIA-A100-SXM4-80GB`, `NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition`). Retrieved 2026-09.
 */
export const NVML_GPU_NAMES: Readonly<Record<string, string>> = {
  T4: "Tesla T4",
  A10G: "NVIDIA A10G",
  L4: "NVIDIA L4",
  L40S: "NVIDIA L40S",
  "A100-40GB": "NVIDIA A100-SXM4-40GB",
  "A100-80GB": "NVIDIA A100-SXM4-80GB",
  H100: "NVIDIA H100 80GB HBM3",
  H200: "NVIDIA H200",
  B200: "NVIDIA B200",
  "RTX-PRO-6000-Server": "NVIDIA RTX PRO 6000 Blackwell Server Edition",
};

/**
 * The `nvidia.com/gpu.product` value GPU Feature Discovery derives from an NVML name: characters
 * other than letters, digits, `-`, `_`, `.` and space dropped, runs of spaces turned into one `-`
 * (`sanitise` in NVIDIA/k8s-device-plugin internal/lm/resource.go @1b826acc).
 * @example gfdProductLabel("NVIDIA H100 80GB HBM3") // "NVIDIA-H100-80GB-HBM3"
 */
export function gfdProductLabel(nvmlName: string): string {
  return nvmlName.replace(/[^A-Za-z0-9\-_. ]/g, "").split(/\s+/).filter((part) => part !== "").join("-");
}

/** What the catalog knows about one GPU instance type, for its node labels. */
export interface GpuInstanceFacts {
  /** GPU catalog id, e.g. `L40S`. */
  readonly gpu: string;
  /** GPUs per node. */
  readonly gpuCount: number;
  /** `nvidia.com/gpu.product` value, e.g. `NVIDIA-L40S`. */
  readonly product: string;
}

/**
 * The GPU facts of an EC2 instance type, or undefined when the instance catalog does not list it
 * (or lists a GPU without a known NVML name).
 * @example gpuInstanceFacts("g6e.12xlarge") // { gpu: "L40S", gpuCount: 4, product: "NVIDIA-L40S" }
 */
export function gpuInstanceFacts(instanceType: string): GpuInstanceFacts | undefined {
  const instance = findInstance(instanceType);
  const nvml = instance === undefined ? undefined : NVML_GPU_NAMES[instance.gpu];
  if (instance === undefined || nvml === undefined) return undefined;
  return { gpu: instance.gpu, gpuCount: instance.gpuCount, product: gfdProductLabel(nvml) };
}

/**
 * Labels of every node of a GPU pool: the device plugin's gate, the GFD product and count (so
 * pods can select a GPU model without GFD running), and the pool name.
 */
export function gpuNodeLabels(pool: string, facts: GpuInstanceFacts): Record<string, string> {
  return {
    [GPU_PRESENT_LABEL]: "true",
    [GPU_PRODUCT_LABEL]: facts.product,
    [GPU_COUNT_LABEL]: String(facts.gpuCount),
    [NODE_POOL_LABEL]: pool,
  };
}
