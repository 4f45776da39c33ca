/**
 * @module Compares two previews of one stack: cost, capacity and resources, and the warnings a
 * reviewer must see (refusals, invalid files, capacity drops, cost jumps, unknown prices).
 */
import type { StackPreview } from "../preview";
import { compareResources } from "./compare-resources";
import type { Change, CostChange, DiffWarning, StackDiff } from "./types";

/** A stack whose monthly cost rises by at least this many percent gets a warning. */
export const DEFAULT_COST_JUMP_PERCENT = 20;

/** Options for {@link compareStack}. */
export interface CompareOptions {
  /** Warn when a stack's monthly cost rises by at least this many percent. @default DEFAULT_COST_JUMP_PERCENT */
  costJumpPercent?: number;
}

/** Monthly cost of one side: 0 when the stack does not exist there, null when unknown (never 0). */
function monthly(preview: StackPreview | null): number | null {
  if (preview === null) return 0;
  return preview.totals?.monthlyUsd ?? null;
}

/** before → after with the difference; unknown on either side makes the difference unknown. */
export function costChange(before: number | null, after: number | null): CostChange {
  const delta = before === null || after === null ? null : round2(after - before);
  const percent = delta === null || before === null || before === 0 ? null : round1((delta / before) * 100);
  return { before, after, delta, percent };
}

function numbers(base: StackPreview | null, head: StackPreview | null, pick: (p: StackPreview) => number | undefined): Change {
  return { before: base?.totals ? (pick(base) ?? null) : null, after: head?.totals ? (pick(head) ?? null) : null };
}

/** The first line of a (multi-line) message, for one-line warnings. */
function firstLines(message: string | undefined, lines = 2): string {
  return (message ?? "").split("\n").map((l) => l.trim()).filter(Boolean).slice(0, lines).join(" ");
}

function percentDrop(before: number, after: number): string {
  return before > 0 ? ` (−${Math.round(((before - after) / before) * 100)}%)` : "";
}

function warningsFor(stack: string, base: StackPreview | null, head: StackPreview | null, cost: CostChange, opts: CompareOptions, changed: boolean): DiffWarning[] {
  const out: DiffWarning[] = [];
  const add = (kind: DiffWarning["kind"], message: string) => out.push({ stack, kind, message });
  if (head?.status === "refused") add("refused", `refused: does not fit its hardware, nothing would be deployed. ${firstLines(head.message?.replace(/^The stack does not fit its hardware; nothing was created\.\s*/, ""))}`);
  if (head?.status === "invalid") add("invalid", `stack file is invalid: ${firstLines(head.message, 3)}`);
  if (head?.status === "failed") add("failed", `preview failed: ${firstLines(head.message)}`);
  for (const w of head?.warnings ?? []) add("preview-gap", w);
  if (base && (base.status === "invalid" || base.status === "failed")) {
    add("preview-gap", `the base version could not be previewed with this program (${base.status}: ${firstLines(base.message, 1)}); its numbers are missing`);
  }
  if (base && head === null && base.models.length > 0) add("capacity-drop", `stack removed: ${base.models.map((m) => m.name).join(", ")} no longer served here`);
  if (base?.totals && head?.totals) {
    const b = base.totals;
    const h = head.totals;
    if (h.maxConcurrency < b.maxConcurrency) {
      add("capacity-drop", `max concurrency drops ${b.maxConcurrency} → ${h.maxConcurrency} sequences${percentDrop(b.maxConcurrency, h.maxConcurrency)}`);
    }
    if (h.tokensPerSecond < b.tokensPerSecond) {
      add("capacity-drop", `est. tokens/s drops ${Math.round(b.tokensPerSecond)} → ${Math.round(h.tokensPerSecond)}${percentDrop(b.tokensPerSecond, h.tokensPerSecond)}`);
    }
    const gone = base.models.filter((m) => !head.models.some((n) => n.name === m.name)).map((m) => m.name);
    if (gone.length > 0) add("capacity-drop", `model${gone.length > 1 ? "s" : ""} removed: ${gone.join(", ")}`);
  }
  const jump = opts.costJumpPercent ?? DEFAULT_COST_JUMP_PERCENT;
  if (cost.delta !== null && cost.delta > 0 && (cost.percent === null || cost.percent >= jump)) {
    const pct = cost.percent === null ? "new cost" : `+${cost.percent}%`;
    add("cost-jump", `monthly cost rises by $${cost.delta.toFixed(2)} (${pct}): $${(cost.before ?? 0).toFixed(2)} → $${(cost.after ?? 0).toFixed(2)}`);
  }
  if (changed && head?.totals && cost.after === null) {
    const why = head.totals.priceNotes.join("; ") || "no hourly price for its hardware";
    add("unknown-price", `monthly cost unknown (${why}); counted as unknown, not $0`);
  }
  return out;
}

/** Compares one stack; `base` or `head` is null when the stack file exists on one side only. */
export function compareStack(stack: string, base: StackPreview | null, head: StackPreview | null, opts: CompareOptions = {}): StackDiff {
  const cost = costChange(monthly(base), monthly(head));
  const resources = compareResources(base?.resources ?? [], head?.resources ?? []);
  const gpus: Change<string> = {
    before: base?.totals ? `${base.totals.gpusUsed}/${base.totals.gpusAvailable}` : null,
    after: head?.totals ? `${head.totals.gpusUsed}/${head.totals.gpusAvailable}` : null,
  };
  const same =
    base !== null &&
    head !== null &&
    resources.length === 0 &&
    base.status === head.status &&
    (base.message ?? "") === (head.message ?? "") &&
    JSON.stringify(base.totals) === JSON.stringify(head.totals) &&
    JSON.stringify(base.models) === JSON.stringify(head.models);
  const status = base === null ? "added" : head === null ? "removed" : same ? "unchanged" : "changed";
  return {
    stack,
    status,
    base,
    head,
    cost,
    gpus,
    minHeadroomGiB: numbers(base, head, (p) => p.totals?.minHeadroomGiB),
    maxConcurrency: numbers(base, head, (p) => p.totals?.maxConcurrency),
    tokensPerSecond: numbers(base, head, (p) => p.totals?.tokensPerSecond),
    resources,
    warnings: warningsFor(stack, base, head, cost, opts, status !== "unchanged"),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
