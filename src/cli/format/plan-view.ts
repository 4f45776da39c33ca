/** @module Human-readable views of planner results: one table row per model, totals, refusals. */
import { colors as pc } from "../../util/colors";
import type { StackCapacityPlan } from "../../capacity/plan-stack-config";
import type { ModelPlan } from "../../planner";
import { formatFixed, formatInt, formatUsd, renderTable, type Column } from "./table";

const COLUMNS: Column[] = [
  { header: "model" },
  { header: "engine" },
  { header: "quant" },
  { header: "runs on" },
  { header: "TP", align: "right" },
  { header: "weights/GPU", align: "right" },
  { header: "KV/GPU", align: "right" },
  { header: "KV tokens", align: "right" },
  { header: "max seqs @ ctx", align: "right" },
  { header: "est. tok/s", align: "right" },
  { header: "$/month", align: "right" },
  { header: "" },
];

type Row = ModelPlan & { name?: string; placedOn?: string };

function memory(plan: Row, gib: number): string {
  // llama.cpp on the CPU keeps its weights and KV in host RAM: say so rather than print 0 GiB of VRAM.
  if (plan.gpusPerReplica === 0) return `${formatFixed(plan.hostRamGiB, 2)} GiB RAM`;
  return `${formatFixed(gib, 2)} GiB`;
}

function row(plan: Row): string[] {
  const kv = plan.gpusPerReplica === 0 ? "(in RAM)" : `${formatFixed(plan.kvCacheGiB, 2)} GiB`;
  return [
    plan.name ?? plan.model,
    plan.engine,
    plan.quantization,
    plan.placedOn ?? "",
    String(plan.tp),
    memory(plan, plan.weightsGiB),
    kv,
    formatInt(plan.kvTokens),
    `${plan.maxConcurrency}× @ ${formatInt(plan.maxModelLen)}`,
    plan.tokensPerSecond > 0 ? formatInt(plan.tokensPerSecond) : "—",
    formatUsd(plan.monthlyUsd),
    plan.fits ? pc.green("fits") : pc.red("DOES NOT FIT"),
  ];
}

/** Table of model plans. */
export function renderModelTable(plans: readonly Row[]): string {
  return renderTable(COLUMNS, plans.map(row));
}

/** Refusal reasons and suggestions of the plans that do not fit, indented under their name. */
export function renderProblems(plans: readonly Row[]): string {
  const lines: string[] = [];
  for (const plan of plans) {
    if (plan.fits) continue;
    lines.push(pc.red(`✗ ${plan.name ?? plan.model}: ${plan.reason}`));
    for (const s of plan.suggestions) lines.push(`    → ${s}`);
  }
  return lines.join("\n");
}

/** Notes and suggestions worth reading even when everything fits. */
export function renderNotes(plans: readonly Row[]): string {
  const lines = plans.flatMap((p) => p.notes.map((n) => `  · ${p.name ?? p.model}: ${n}`));
  return lines.join("\n");
}

/** The full view of a stack plan. */
export function renderStackPlan(title: string, plan: StackCapacityPlan): string {
  const parts = [pc.bold(title), "", renderModelTable(plan.models), ""];
  const totals = [
    `GPUs ${plan.gpusUsed}/${plan.gpusAvailable}`,
    `est. ${formatInt(plan.tokensPerSecond)} tok/s decode (upper bound)`,
    `${formatUsd(plan.monthlyUsd)}/month`,
    `min headroom ${formatFixed(plan.minHeadroomGiB, 2)} GiB`,
  ];
  parts.push(`Totals: ${totals.join(" · ")}`);
  for (const group of plan.groups) {
    const money = group.plan.monthlyUsd === null ? "cost unknown" : `${formatUsd(group.plan.monthlyUsd)}/month`;
    const notes = group.notes.length > 0 ? ` (${group.notes.join("; ")})` : "";
    parts.push(`  ${group.label}: ${money}${notes}`);
  }
  const notes = renderNotes(plan.models);
  if (notes) parts.push("", "Notes:", notes);
  if (plan.priceSnapshot && plan.monthlyUsd !== null) {
    const p = plan.priceSnapshot;
    parts.push("", pc.dim(`Prices: ${p.region} on-demand, snapshot ${p.date} (${p.source}); 730 h/month unless planning.hoursPerMonth says otherwise.`));
  }
  parts.push("");
  if (plan.fits) {
    parts.push(pc.green("✓ fits"));
  } else {
    const problems = renderProblems(plan.models);
    const other = plan.reason
      .split("\n")
      .filter((line) => !plan.models.some((m) => line.startsWith(`${m.name}: `)))
      .map((line) => pc.red(`✗ ${line}`));
    parts.push([problems, ...other].filter(Boolean).join("\n"));
  }
  return parts.join("\n");
}
