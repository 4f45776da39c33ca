/** @module Renders rows as an aligned plain-text table (numbers right-aligned), for CLI output. */

/** A column: its header and whether values align right (numbers). */
export interface Column {
  readonly header: string;
  readonly align?: "left" | "right";
}

/** Visible width of a cell, ignoring ANSI color codes added by picocolors on a TTY. */
function width(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "").length;
}

/** Pads each cell to its column's width; two spaces between columns. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - width(cell)));
        return columns[i]?.align === "right" ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join("\n");
}

/** 1234567 → "1,234,567"; null → "—". */
export function formatInt(value: number | null): string {
  return value === null ? "—" : Math.round(value).toLocaleString("en-US");
}

/** Fixed decimals; null → "—". */
export function formatFixed(value: number | null, digits = 1): string {
  return value === null ? "—" : value.toFixed(digits);
}

/** USD with thousands separators; null → "—" (unknown is never shown as $0). */
export function formatUsd(value: number | null): string {
  if (value === null) return "—";
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
