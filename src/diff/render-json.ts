/**
 * @module `shoestring diff --format json`: Infracost's JSON shape (version "0.2": projects with
 * `pastBreakdown` / `breakdown` / `diff`, decimal-string costs, totals and a summary) so cost
 * policies written for Infracost (OPA, Conftest) work unchanged, plus `capacity` on every breakdown.
 * @see https://www.infracost.io/docs/features/json_output_format/
 */
import type { PreviewTotals, StackPreview } from "../preview";
import type { DiffReport, StackDiff } from "./types";

/** Infracost's JSON format version this output follows. */
export const INFRACOST_JSON_VERSION = "0.2";

/** Decimal string like Infracost's, or null (unknown: never "0"). */
function money(value: number | null | undefined, digits = 2): string | null {
  return value === null || value === undefined ? null : value.toFixed(digits);
}

function hourly(monthly: number | null, hours: number): string | null {
  return monthly === null ? null : money(monthly / hours, 4);
}

function capacity(totals: PreviewTotals, preview: StackPreview) {
  return {
    gpusUsed: totals.gpusUsed,
    gpusAvailable: totals.gpusAvailable,
    minHeadroomGiB: totals.minHeadroomGiB,
    maxConcurrency: totals.maxConcurrency,
    tokensPerSecond: totals.tokensPerSecond,
    models: preview.models,
  };
}

/** One side of a project: priced hardware as Infracost "resources", plus capacity. */
function breakdown(preview: StackPreview | null) {
  if (preview === null) return null;
  const totals = preview.totals;
  const hours = totals?.hoursPerMonth ?? 730;
  return {
    status: preview.status,
    ...(preview.message !== undefined ? { message: preview.message } : {}),
    resources: (totals?.hardware ?? []).map((h) => ({
      name: h.label,
      resourceType: "shoestring:hardware",
      metadata: { instances: h.instances, gpus: h.gpus, notes: h.notes },
      hourlyCost: hourly(h.monthlyUsd, hours),
      monthlyCost: money(h.monthlyUsd),
      costComponents: [
        { name: `Instance usage (${h.label})`, unit: "hours", hourlyQuantity: String(h.instances), monthlyQuantity: String(h.instances * hours), price: hourly(h.monthlyUsd === null ? null : h.monthlyUsd / Math.max(h.instances, 1), hours), hourlyCost: hourly(h.monthlyUsd, hours), monthlyCost: money(h.monthlyUsd) },
      ],
      subresources: [],
    })),
    totalHourlyCost: totals ? hourly(totals.monthlyUsd, hours) : null,
    totalMonthlyCost: totals ? money(totals.monthlyUsd) : null,
    capacity: totals ? capacity(totals, preview) : null,
    cloudResources: preview.resources.map((r) => ({ type: r.type, name: r.name, keySettings: r.keySettings })),
  };
}

function project(s: StackDiff, hours: number) {
  const file = s.head?.file ?? s.base?.file ?? "";
  const count = (a: string) => s.resources.filter((r) => r.action === a).length;
  return {
    name: s.stack,
    metadata: { path: file, type: "shoestring_stack", targetKind: s.head?.target ?? s.base?.target ?? null, status: s.status },
    pastBreakdown: breakdown(s.base),
    breakdown: breakdown(s.head),
    diff: {
      resources: s.resources,
      totalHourlyCost: s.cost.delta === null ? null : money(s.cost.delta / hours, 4),
      totalMonthlyCost: money(s.cost.delta),
      percent: s.cost.percent,
      capacity: { gpus: s.gpus, minHeadroomGiB: s.minHeadroomGiB, maxConcurrency: s.maxConcurrency, tokensPerSecond: s.tokensPerSecond },
    },
    summary: {
      totalDetectedResources: s.head?.resources.filter((r) => r.custom).length ?? 0,
      totalAddedResources: count("add"),
      totalRemovedResources: count("remove"),
      totalChangedResources: count("change"),
      totalNoPriceResources: (s.head?.totals?.hardware ?? []).filter((h) => h.monthlyUsd === null).length,
    },
    warnings: s.warnings,
  };
}

/** The report as Infracost-shaped JSON (a plain object; `JSON.stringify` it). */
export function toInfracostJson(report: DiffReport, extra: Record<string, unknown> = {}) {
  const hours = report.hoursPerMonth;
  const t = report.total;
  return {
    version: INFRACOST_JSON_VERSION,
    currency: "USD",
    hoursPerMonth: hours,
    metadata: { tool: "shoestring", toolVersion: report.programVersion, base: report.base, head: report.head, priceSnapshot: report.priceSnapshot },
    projects: report.stacks.map((s) => project(s, hours)),
    totalHourlyCost: hourly(t.unpricedAfter.length ? null : t.after, hours),
    totalMonthlyCost: money(t.unpricedAfter.length ? null : t.after),
    pastTotalHourlyCost: hourly(t.unpricedBefore.length ? null : t.before, hours),
    pastTotalMonthlyCost: money(t.unpricedBefore.length ? null : t.before),
    diffTotalHourlyCost: t.delta === null ? null : money(t.delta / hours, 4),
    diffTotalMonthlyCost: money(t.delta),
    diffTotalPercent: t.percent,
    pricedTotals: { pastMonthlyCost: money(t.before), monthlyCost: money(t.after), unpricedBefore: t.unpricedBefore, unpricedAfter: t.unpricedAfter },
    summary: {
      totalDetectedResources: report.stacks.reduce((n, s) => n + (s.head?.resources.filter((r) => r.custom).length ?? 0), 0),
      totalStacks: report.stacks.length,
      totalChangedStacks: report.stacks.filter((s) => s.status !== "unchanged").length,
      totalUnpricedStacks: t.unpricedAfter.length,
    },
    warnings: report.warnings,
    ...extra,
  };
}
