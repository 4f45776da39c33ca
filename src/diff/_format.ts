/** @module Number and Markdown formatting shared by the diff renderers (internal). */
import type { Change, CostChange } from "./types";

/** `$1,234.56`; null → "unknown" (an unknown price is never shown as $0). */
export function usd(value: number | null): string {
  if (value === null) return "unknown";
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** `+$12.00` / `−$12.00` / `$0.00`. */
export function signedUsd(value: number): string {
  if (value === 0) return "$0.00";
  return `${value > 0 ? "+" : "−"}${usd(Math.abs(value))}`;
}

/** `+8.6%` / `−41%`. */
export function signedPercent(value: number): string {
  if (value === 0) return "0%";
  return `${value > 0 ? "+" : "−"}${Math.abs(value)}%`;
}

/** The Δ cell: `+$1,374.53 (+100%)`, `+$50.00 (new)`, `—` when nothing moved, `unknown`. */
export function costDelta(cost: CostChange): string {
  if (cost.delta === null) return cost.before === cost.after ? "—" : "unknown";
  if (cost.delta === 0) return "—";
  const pct = cost.percent !== null ? signedPercent(cost.percent) : cost.before === 0 ? "new" : "";
  return pct ? `${signedUsd(cost.delta)} (${pct})` : signedUsd(cost.delta);
}

/** `a → b`, or `a` when nothing changed; a missing value reads `missing` ("—" by default). */
export function beforeAfter<T>(change: Change<T>, format: (v: T) => string, missing = "—"): string {
  const b = change.before === null ? missing : format(change.before);
  const a = change.after === null ? missing : format(change.after);
  return b === a ? a : `${b} → ${a}`;
}

/** Integer with thousands separators. */
export function int(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** GiB with two decimals. */
export function gib(value: number): string {
  return `${value.toFixed(2)} GiB`;
}

/** Text safe inside a Markdown table cell: pipes escaped, HTML neutralised, one line. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}

/** Text safe inside a fenced code block: a run of three backticks would close the fence. */
export function inFence(text: string): string {
  return text.replace(/```/g, "`\u200b``");
}

/** Short commit id for display. */
export function shortCommit(commit: string | undefined): string {
  return commit === undefined ? "" : commit.slice(0, 7);
}
