/** @module Plain-text view of a stack preview: the resource tree with key settings, models and planner totals. */
import { colors as pc } from "../util/colors";
import { formatFixed, formatInt, formatUsd, renderTable, type Column } from "../cli/format/table";
import type { PreviewResource, PreviewTotals, StackPreview } from "./types";

const RESOURCE_COLUMNS: Column[] = [{ header: "resource" }, { header: "type" }, { header: "key settings" }];
const MODEL_COLUMNS: Column[] = [
  { header: "model" },
  { header: "engine" },
  { header: "quant" },
  { header: "runs on" },
  { header: "GPUs", align: "right" },
  { header: "max seqs", align: "right" },
  { header: "est. tok/s", align: "right" },
  { header: "headroom", align: "right" },
];

/** Resources as a tree: children indented under their parent component, siblings by name. */
function resourceRows(resources: readonly PreviewResource[]): string[][] {
  const urns = new Set(resources.map((r) => r.urn));
  const children = new Map<string | undefined, PreviewResource[]>();
  for (const r of resources) {
    const key = r.parent !== undefined && urns.has(r.parent) ? r.parent : undefined;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const rows: string[][] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const kids = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name) || a.type.localeCompare(b.type));
    for (const r of kids) {
      const settings = Object.entries(r.keySettings).map(([k, v]) => `${k} ${v}`).join(" · ");
      rows.push([`${"  ".repeat(depth)}${r.custom ? r.name : pc.bold(r.name)}`, r.type, settings]);
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return rows;
}

/** One line of planner totals; an unknown price reads "price unknown", never $0. */
export function renderTotals(totals: PreviewTotals): string {
  const cost = totals.monthlyUsd === null ? "price unknown" : `${formatUsd(totals.monthlyUsd)}/month (${totals.hoursPerMonth} h)`;
  return [
    cost,
    `GPUs ${totals.gpusUsed}/${totals.gpusAvailable}`,
    `min headroom ${formatFixed(totals.minHeadroomGiB, 2)} GiB`,
    `max concurrency ${formatInt(totals.maxConcurrency)} seqs at full context`,
    `est. ${formatInt(totals.tokensPerSecond)} tok/s decode (upper bound)`,
  ].join(" · ");
}

/**
 * The whole preview as text. The refusal or failure message is not included: the command prints
 * it to stderr.
 */
export function renderPreview(preview: StackPreview): string {
  const count = preview.resources.length;
  const title =
    `Preview of stack ${preview.stack} (${preview.file}), target ${preview.target ?? "?"}: ` +
    (preview.status === "ok" ? `${count} resource${count === 1 ? "" : "s"} would be created` : `${preview.status}, nothing would be created`);
  const parts = [pc.bold(title), pc.dim("Offline: the real program under Pulumi's mocks; nothing was deployed and no secret was read.")];
  if (count > 0) parts.push("", renderTable(RESOURCE_COLUMNS, resourceRows(preview.resources)));
  if (preview.models.length > 0) {
    const rows = preview.models.map((m) => [
      m.name,
      m.engine,
      m.quantization,
      m.placedOn,
      m.replicas > 1 ? `${m.gpusUsed} (${m.replicas}×${m.tp})` : String(m.gpusUsed),
      `${formatInt(m.maxConcurrency)} @ ${formatInt(m.maxModelLen)}`,
      m.tokensPerSecond > 0 ? formatInt(m.tokensPerSecond) : "—",
      `${formatFixed(m.headroomGiB, 2)} GiB`,
    ]);
    parts.push("", renderTable(MODEL_COLUMNS, rows));
  }
  if (preview.totals) parts.push("", `Totals (planner): ${renderTotals(preview.totals)}`);
  for (const note of preview.totals?.priceNotes ?? []) parts.push(`  · price: ${note}`);
  if (preview.priceSnapshot && preview.totals?.monthlyUsd !== null) {
    const p = preview.priceSnapshot;
    parts.push(pc.dim(`  · prices: AWS ${p.region} on-demand, snapshot ${p.date} (${p.source})`));
  }
  for (const warning of preview.warnings) parts.push(pc.yellow(`  ! ${warning}`));
  return parts.join("\n");
}
