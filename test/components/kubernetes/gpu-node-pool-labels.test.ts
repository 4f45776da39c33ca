import { describe, expect, it } from "vitest";
import {
  GPU_TAINT,
  GPU_TOLERATION,
  NVML_GPU_NAMES,
  gfdProductLabel,
  gpuInstanceFacts,
  gpuNodeLabels,
} from "../../../components/kubernetes/gpu-node-pool-labels";
import { INSTANCES } from "../../../src/planner/catalog/instances";

describe("gfdProductLabel", () => {
  it.each([
    // GFD README examples (NVIDIA/k8s-device-plugin docs/gpu-feature-discovery/README.md).
    ["Tesla T4", "Tesla-T4"],
    ["A100-SXM4-40GB", "A100-SXM4-40GB"],
    // Parentheses are stripped (device plugin CHANGELOG: "strip parentheses from the gpu product name").
    ["NVIDIA RTX A6000 (Ada)", "NVIDIA-RTX-A6000-Ada"],
    ["  NVIDIA   H100 80GB HBM3 ", "NVIDIA-H100-80GB-HBM3"],
  ])("turns the NVML name %j into %j", (nvml, label) => {
    expect(gfdProductLabel(nvml)).toBe(label);
  });
});

describe("gpuInstanceFacts", () => {
  it.each([
    ["g4dn.xlarge", { gpu: "T4", gpuCount: 1, product: "Tesla-T4" }],
    ["g5.12xlarge", { gpu: "A10G", gpuCount: 4, product: "NVIDIA-A10G" }],
    ["g6.xlarge", { gpu: "L4", gpuCount: 1, product: "NVIDIA-L4" }],
    ["g6e.12xlarge", { gpu: "L40S", gpuCount: 4, product: "NVIDIA-L40S" }],
    ["p4d.24xlarge", { gpu: "A100-40GB", gpuCount: 8, product: "NVIDIA-A100-SXM4-40GB" }],
    ["p4de.24xlarge", { gpu: "A100-80GB", gpuCount: 8, product: "NVIDIA-A100-SXM4-80GB" }],
    ["p5.48xlarge", { gpu: "H100", gpuCount: 8, product: "NVIDIA-H100-80GB-HBM3" }],
    ["p5en.48xlarge", { gpu: "H200", gpuCount: 8, product: "NVIDIA-H200" }],
    ["p6-b200.48xlarge", { gpu: "B200", gpuCount: 8, product: "NVIDIA-B200" }],
    ["g7e.24xlarge", { gpu: "RTX-PRO-6000-Server", gpuCount: 4, product: "NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition" }],
  ])("knows the GPUs of %s", (type, facts) => {
    expect(gpuInstanceFacts(type)).toEqual(facts);
  });

  it("has a GPU product name for every instance in the catalog", () => {
    const missing = INSTANCES.filter((i) => gpuInstanceFacts(i.instanceType) === undefined).map((i) => i.instanceType);
    expect(missing).toEqual([]);
    expect(Object.keys(NVML_GPU_NAMES).sort()).toEqual([...new Set(INSTANCES.map((i) => i.gpu))].sort());
  });

  it("knows nothing of instance types outside the catalog", () => {
    expect(gpuInstanceFacts("m5.large")).toBeUndefined();
    expect(gpuInstanceFacts("g9.mega")).toBeUndefined();
  });
});

describe("gpuNodeLabels", () => {
  it("labels a node for the device plugin, GFD-style selection and its pool", () => {
    expect(gpuNodeLabels("big", { gpu: "L40S", gpuCount: 4, product: "NVIDIA-L40S" })).toEqual({
      "nvidia.com/gpu.present": "true",
      "nvidia.com/gpu.product": "NVIDIA-L40S",
      "nvidia.com/gpu.count": "4",
      "shoestring/node-pool": "big",
    });
  });

  it("taints with nvidia.com/gpu=present:NoSchedule and tolerates that key with any value", () => {
    expect(GPU_TAINT).toEqual({ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" });
    expect(GPU_TOLERATION).toEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
  });
});
