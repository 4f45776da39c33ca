/**
 * @module Cost arithmetic (planner-notes.md §5): monthly = USD/hour × 730 × instances + volumes;
 * cost per 1M output tokens at a stated utilization, beside a cloud API price. An unknown hourly
 * rate gives `null`, never $0 (Infracost's "silent $0" complaint, infracost#3270).
 */
import { findInstance } from "./catalog/instances";
import { DEFAULT_UTILIZATION, GP3_USD_PER_GB_MONTH, HOURS_PER_MONTH } from "./constants";
import { PlannerError } from "./planner-error";
import type { Hardware } from "./types";

/**
 * The hardware's USD per hour: the explicit rate, else the catalog's on-demand price of its
 * `instanceType`; undefined when neither is known (p5e.48xlarge has no on-demand price).
 */
export function hourlyRate(hardware: Hardware): number | undefined {
  if (hardware.usdPerHour !== undefined) return hardware.usdPerHour;
  if (hardware.kind !== "gpu" || hardware.instanceType === undefined) return undefined;
  return findInstance(hardware.instanceType)?.usdPerHour;
}

/** Monthly cost inputs. */
export interface MonthlyCostInput {
  /** On-demand USD per hour of one instance; undefined when unknown. */
  readonly usdPerHour: number | undefined;
  /** Instances billed. @default 1 */
  readonly instances?: number;
  /** gp3 volume per instance, GiB (AWS bills "GB-month" on GiB). @default 0 */
  readonly volumeGiB?: number;
  /** Hours billed per month. @default 730 */
  readonly hoursPerMonth?: number;
}

/** Monthly USD for the instances and their volumes, or null when the hourly rate is unknown. */
export function monthlyCostUsd(input: MonthlyCostInput): number | null {
  if (input.usdPerHour === undefined) return null;
  const instances = input.instances ?? 1;
  const compute = input.usdPerHour * (input.hoursPerMonth ?? HOURS_PER_MONTH) * instances;
  const volumes = (input.volumeGiB ?? 0) * GP3_USD_PER_GB_MONTH * instances;
  return compute + volumes;
}

/** Checks a utilization share (0 < u ≤ 1). */
export function assertUtilization(utilization: number, field = "utilization"): void {
  if (!(utilization > 0 && utilization <= 1)) {
    throw new PlannerError({
      field,
      problem: "utilization must be a share of the month above 0 and at most 1",
      value: utilization,
      allowed: "0 < utilization ≤ 1",
      fix: `Use e.g. ${DEFAULT_UTILIZATION} for a model busy half the time.`,
    });
  }
}

/**
 * USD per 1M output tokens when the hardware costs `usdPerHour` and generates `tokensPerSecond`
 * for `utilization` of the time. Null when the rate is unknown or nothing is generated.
 */
export function costPer1MOutputUsd(
  usdPerHour: number | undefined,
  tokensPerSecond: number,
  utilization = DEFAULT_UTILIZATION,
): number | null {
  if (usdPerHour === undefined || !(tokensPerSecond > 0)) return null;
  return (usdPerHour / (tokensPerSecond * 3600 * utilization)) * 1e6;
}

/**
 * Utilization at which self-hosting costs the same per output token as a cloud API charging
 * `cloudUsdPer1MOutput`. Above 1 means self-hosting never breaks even on output tokens.
 */
export function breakEvenUtilization(
  usdPerHour: number | undefined,
  tokensPerSecond: number,
  cloudUsdPer1MOutput: number | undefined,
): number | null {
  if (usdPerHour === undefined || cloudUsdPer1MOutput === undefined) return null;
  if (!(tokensPerSecond > 0) || !(cloudUsdPer1MOutput > 0)) return null;
  return (usdPerHour * 1e6) / (tokensPerSecond * 3600 * cloudUsdPer1MOutput);
}
