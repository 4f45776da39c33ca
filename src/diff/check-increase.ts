/** @module `--fail-on-increase`: which stacks' monthly cost rose by more than a percentage. */
import type { DiffReport } from "./types";

/** The outcome of {@link checkIncrease}. */
export interface IncreaseCheck {
  /** The threshold, in percent. */
  readonly thresholdPercent: number;
  /** One line per stack over the threshold, e.g. `aws-gpu-vm: +100% ($1,374.53 → $2,749.06)`. */
  readonly exceeded: readonly string[];
  /** Stacks whose change could not be checked because a price is unknown. */
  readonly unchecked: readonly string[];
}

/**
 * Checks every stack against the threshold. A new stack with a cost counts as an infinite
 * increase; a stack with an unknown price is listed as unchecked, never as passing by $0.
 */
export function checkIncrease(report: DiffReport, thresholdPercent: number): IncreaseCheck {
  const exceeded: string[] = [];
  const unchecked: string[] = [];
  for (const s of report.stacks) {
    const { before, after, delta, percent } = s.cost;
    // A removed stack only lowers the bill; an unchanged one does not move it.
    if (s.status === "removed" || s.status === "unchanged") continue;
    if (delta === null) {
      unchecked.push(s.stack);
      continue;
    }
    if (delta <= 0) continue;
    const over = percent === null ? true : percent > thresholdPercent;
    if (over) {
      const pct = percent === null ? "new cost" : `+${percent}%`;
      exceeded.push(`${s.stack}: ${pct} ($${(before ?? 0).toFixed(2)} → $${(after ?? 0).toFixed(2)} per month)`);
    }
  }
  return { thresholdPercent, exceeded, unchecked };
}
