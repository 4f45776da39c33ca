/** Small builders shared by the planner tests. */
import { findGpu, findModel, type GpuSpec, type Hardware, type ModelSpec } from "../../src/planner";

/** A catalog model, or a test failure naming the id. */
export function model(id: string): ModelSpec {
  const m = findModel(id);
  if (!m) throw new Error(`test setup: no catalog model "${id}"`);
  return m;
}

/** A catalog GPU, or a test failure naming the id. */
export function gpu(id: string): GpuSpec {
  const g = findGpu(id);
  if (!g) throw new Error(`test setup: no catalog GPU "${id}"`);
  return g;
}

/** GPU hardware with `count` GPUs of catalog type `id`. */
export function gpuBox(id: string, count = 1, extra: Partial<Extract<Hardware, { kind: "gpu" }>> = {}): Hardware {
  return { kind: "gpu", gpu: gpu(id), gpusAvailable: count, ...extra };
}

/** A CPU-only laptop/host. */
export function cpuHost(hostRamGiB = 16, memoryBandwidthGBps = 50): Hardware {
  return { kind: "cpu", hostRamGiB, memoryBandwidthGBps };
}
