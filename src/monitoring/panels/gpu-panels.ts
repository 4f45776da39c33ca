/**
 * @module GPU row, from NVIDIA's DCGM exporter (names: shared/reference/engines.md §3). Memory gauges are MiB.
 */
import type { SectionSpec } from "../dashboard-kit";

const BY = "instance, gpu, modelName";
const LEGEND = "GPU {{gpu}} {{modelName}} {{instance}}";

/** GPU utilization, memory used (share and MiB), power and temperature. */
export function gpuSection(): SectionSpec {
  return {
    title: "GPUs (DCGM exporter)",
    panels: [
      {
        kind: "timeseries",
        title: "GPU utilization",
        description: "Percent of time one or more kernels ran on the GPU (DCGM_FI_DEV_GPU_UTIL).",
        unit: "percent",
        min: 0,
        max: 100,
        queries: [{ expr: `max by (${BY}) (DCGM_FI_DEV_GPU_UTIL)`, legend: LEGEND }],
      },
      {
        kind: "timeseries",
        title: "GPU memory used",
        description: "Framebuffer memory used as a share of used + free. vLLM reserves most of it up front, so expect a flat high line.",
        unit: "percentunit",
        min: 0,
        max: 1,
        queries: [
          {
            expr: `sum by (${BY}) (DCGM_FI_DEV_FB_USED) / (sum by (${BY}) (DCGM_FI_DEV_FB_USED) + sum by (${BY}) (DCGM_FI_DEV_FB_FREE))`,
            legend: LEGEND,
          },
        ],
      },
      {
        kind: "timeseries",
        title: "GPU memory used (MiB)",
        description: "Framebuffer memory used, MiB (DCGM_FI_DEV_FB_USED).",
        unit: "mbytes",
        queries: [{ expr: `sum by (${BY}) (DCGM_FI_DEV_FB_USED)`, legend: LEGEND }],
      },
      {
        kind: "timeseries",
        title: "GPU power",
        description: "Power draw, watts (DCGM_FI_DEV_POWER_USAGE).",
        unit: "watt",
        queries: [{ expr: `max by (${BY}) (DCGM_FI_DEV_POWER_USAGE)`, legend: LEGEND }],
      },
      {
        kind: "timeseries",
        title: "GPU temperature",
        description: "GPU temperature, °C (DCGM_FI_DEV_GPU_TEMP).",
        unit: "celsius",
        queries: [{ expr: `max by (${BY}) (DCGM_FI_DEV_GPU_TEMP)`, legend: LEGEND }],
      },
    ],
  };
}
