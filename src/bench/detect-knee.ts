/** @module Finds the concurrency at which latency breaks while throughput stops growing. */

/** One measured concurrency level. */
export interface KneePoint {
  /** Requests in flight at this level. */
  concurrency: number;
  /** Aggregate output tokens per second. */
  throughput: number;
  /** p99 end-to-end latency (any unit, used as ratios); null when no request succeeded. */
  p99: number | null;
  /** Failed / sent requests in [0, 1]. @default 0 */
  errorRate?: number;
}

/** Where the knee is and what to configure. */
export interface KneeResult {
  /** First concurrency past the knee; null when none was found in the tested range. */
  kneeConcurrency: number | null;
  /** Highest tested concurrency before the knee (the last healthy one); null when even the lowest failed. */
  recommendedMaxConcurrency: number | null;
  /** One sentence saying which rule fired, with the numbers. */
  reason: string;
}

/** A step "flattens" when throughput grows by less than this fraction. */
export const KNEE_MIN_THROUGHPUT_GAIN = 0.1;
/** A step "climbs" when p99 latency grows by more than this fraction. */
export const KNEE_MIN_P99_GROWTH = 0.5;
/** A level with more errors than this fraction is past the knee whatever its latency. */
export const KNEE_MAX_ERROR_RATE = 0.01;

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Finds the knee of a concurrency sweep. Levels are taken in increasing concurrency; the knee is the
 * first level that either
 * 1. fails more than {@link KNEE_MAX_ERROR_RATE} (1%) of its requests, or
 * 2. compared with the level below, gains less than {@link KNEE_MIN_THROUGHPUT_GAIN} (10%) throughput
 *    while its p99 latency grows more than {@link KNEE_MIN_P99_GROWTH} (50%): more load only queues.
 *
 * The recommended max concurrency is the level just below the knee. With no knee, it is the highest
 * tested level and the reason says to test higher. Pure: no I/O, no clock.
 *
 * @example
 * detectKnee([{ concurrency: 8, throughput: 400, p99: 2 }, { concurrency: 16, throughput: 420, p99: 4 }])
 * // → { kneeConcurrency: 16, recommendedMaxConcurrency: 8, reason: "…" }
 */
export function detectKnee(points: readonly KneePoint[]): KneeResult {
  const sorted = [...points].sort((a, b) => a.concurrency - b.concurrency);
  const first = sorted[0];
  if (first === undefined) {
    return { kneeConcurrency: null, recommendedMaxConcurrency: null, reason: "No levels were measured." };
  }
  for (let i = 0; i < sorted.length; i++) {
    const point = sorted[i] as KneePoint;
    const previous = sorted[i - 1];
    const errorRate = point.errorRate ?? 0;
    if (errorRate > KNEE_MAX_ERROR_RATE || point.p99 === null) {
      const recommended = previous?.concurrency ?? null;
      const tail =
        recommended === null ? "; the lowest tested level already fails: test lower concurrency or fix the errors first" : "";
      return {
        kneeConcurrency: point.concurrency,
        recommendedMaxConcurrency: recommended,
        reason:
          point.p99 === null
            ? `At concurrency ${point.concurrency}, no request succeeded${tail}.`
            : `At concurrency ${point.concurrency}, ${pct(errorRate)} of requests failed (limit ${pct(KNEE_MAX_ERROR_RATE)})${tail}.`,
      };
    }
    if (previous === undefined || previous.p99 === null) continue;
    const gain = previous.throughput > 0 ? point.throughput / previous.throughput - 1 : point.throughput > 0 ? Infinity : 0;
    const growth = previous.p99 > 0 ? point.p99 / previous.p99 - 1 : point.p99 > 0 ? Infinity : 0;
    if (gain < KNEE_MIN_THROUGHPUT_GAIN && growth > KNEE_MIN_P99_GROWTH) {
      return {
        kneeConcurrency: point.concurrency,
        recommendedMaxConcurrency: previous.concurrency,
        reason:
          `From concurrency ${previous.concurrency} to ${point.concurrency}, throughput grew ${pct(gain)} ` +
          `(< ${pct(KNEE_MIN_THROUGHPUT_GAIN)}) while p99 latency grew ${pct(growth)} (> ${pct(KNEE_MIN_P99_GROWTH)}).`,
      };
    }
  }
  const last = sorted[sorted.length - 1] as KneePoint;
  return {
    kneeConcurrency: null,
    recommendedMaxConcurrency: last.concurrency,
    reason:
      sorted.length < 2
        ? `Only one level (concurrency ${last.concurrency}) was measured; sweep several (e.g. --concurrency 4,8,16,32) to find a knee.`
        : `No knee up to concurrency ${last.concurrency}: throughput kept growing or p99 stayed flat; test higher concurrency to find the limit.`,
  };
}
