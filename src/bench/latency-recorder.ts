/** @module Percentile recorder over hdr-histogram-js, for latencies and rates. */
import { build, type Histogram } from "hdr-histogram-js";

/** Percentiles of one measured quantity (same unit as recorded). */
export interface Summary {
  /** Samples recorded. */
  count: number;
  /** Arithmetic mean of the samples. */
  mean: number;
  /** Median. */
  p50: number;
  p95: number;
  p99: number;
  /** Largest sample. */
  max: number;
}

/**
 * Records non-negative values with 3 significant digits. HdrHistogram stores integers, so values are
 * scaled by `resolution` (1000 → a value in ms is kept to the microsecond).
 */
export class LatencyRecorder {
  private readonly histogram: Histogram = build({ numberOfSignificantValueDigits: 3, autoResize: true });
  private sum = 0;
  private exactMax = 0;

  constructor(private readonly resolution = 1000) {}

  /** Adds one sample; negative or non-finite values are ignored. */
  record(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.histogram.recordValue(Math.round(value * this.resolution));
    this.sum += value;
    this.exactMax = Math.max(this.exactMax, value);
  }

  /** Samples recorded so far. */
  get count(): number {
    return this.histogram.totalCount;
  }

  /** Percentiles, or null when nothing was recorded. */
  summary(): Summary | null {
    const count = this.histogram.totalCount;
    if (count === 0) return null;
    // HdrHistogram reports a bucket's highest equivalent value, which can pass the true max by 0.1%.
    const at = (p: number) => round(Math.min(this.histogram.getValueAtPercentile(p) / this.resolution, this.exactMax));
    return {
      count,
      mean: round(this.sum / count),
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: round(this.exactMax),
    };
  }

  /** Frees the histogram's memory (it may be WebAssembly-backed in other builds). */
  destroy(): void {
    this.histogram.destroy();
  }
}

/** Rounds to 3 decimals, enough for ms and tok/s and short in JSON. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
