/**
 * @module The PR comment: a hidden marker (to find and update one sticky comment), a headline
 * sentence, a per-stack table with full totals (old → new), warnings, the collapsible resource
 * diff and a footer stating every assumption. Always under the comment size limit.
 */
import { beforeAfter, costDelta, gib, int, mdCell, shortCommit, signedPercent, signedUsd, usd } from "./_format";
import { renderDetails } from "./render-details";
import type { DiffReport, DiffSideInfo, DiffWarning, StackDiff } from "./types";

/** GitHub's limit on an issue or PR comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Default hidden marker: the workflow finds its own comment by it. */
export const DEFAULT_MARKER = "shoestring-diff";
/** Warning lines shown before "… N more". */
export const MAX_WARNINGS_SHOWN = 50;

/** Options for {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Largest comment, in characters. @default GITHUB_COMMENT_LIMIT */
  maxChars?: number;
  /** Name in the hidden marker `<!-- shoestring-diff:<name> -->`; one sticky comment per marker. @default DEFAULT_MARKER */
  marker?: string;
}

const ICON: Record<DiffWarning["kind"], string> = {
  refused: "❌",
  invalid: "❌",
  failed: "⚠️",
  "capacity-drop": "📉",
  "cost-jump": "💸",
  "unknown-price": "❔",
  "preview-gap": "⚠️",
};

/** The hidden marker line for a marker name. */
export function markerComment(marker = DEFAULT_MARKER): string {
  return `<!-- ${marker} -->`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The headline: cost change in one sentence, then how many stacks changed and capacity news. */
export function headline(report: DiffReport): string {
  const { total } = report;
  const unpriced = report.stacks.filter((s) => s.cost.delta === null && s.status !== "unchanged").map((s) => s.stack);
  let cost: string;
  if (report.stacks.length === 0) return "No stack files on either side: nothing to compare.";
  if (total.delta === null) {
    const priced = (total.after ?? 0) - (total.before ?? 0);
    cost =
      `Monthly cost change is **unknown**: ${plural(unpriced.length, "changed stack")} ha${unpriced.length === 1 ? "s" : "ve"} no price (${unpriced.join(", ")})` +
      `; the priced stacks change by **${signedUsd(Math.round(priced * 100) / 100)}**`;
  } else if (total.delta > 0) {
    cost = `Monthly cost will **increase by ${usd(total.delta)}${total.percent !== null ? ` (${signedPercent(total.percent)})` : ""}** 📈`;
  } else if (total.delta < 0) {
    cost = `Monthly cost will **decrease by ${usd(-total.delta)}${total.percent !== null ? ` (${signedPercent(total.percent)})` : ""}** 📉`;
  } else {
    cost = "Monthly cost will **not change**";
  }
  const changed = report.stacks.filter((s) => s.status !== "unchanged").length;
  const facts = [`${changed} of ${plural(report.stacks.length, "stack")} changed`];
  const blocked = report.stacks.filter((s) => s.head && s.head.status !== "ok").length;
  const drops = new Set(report.warnings.filter((w) => w.kind === "capacity-drop").map((w) => w.stack)).size;
  if (blocked > 0) facts.push(`❌ ${plural(blocked, "stack")} would not deploy`);
  if (drops > 0) facts.push(`📉 capacity drops in ${plural(drops, "stack")}`);
  if (blocked === 0 && drops === 0) facts.push("✅ no capacity drops");
  return `${cost} · ${facts.join(" · ")}.`;
}

function status(s: StackDiff): string {
  if (s.status === "added") return s.head?.status === "ok" ? "➕ new" : `➕ new, ❌ ${s.head?.status}`;
  if (s.status === "removed") return "➖ removed";
  const state = s.head?.status === "ok" ? "✅ fits" : s.head?.status === "failed" ? "⚠️ preview failed" : `❌ ${s.head?.status}`;
  return s.status === "unchanged" ? `${state}, no change` : state;
}

function stackRow(s: StackDiff): string {
  const cells = [
    `\`${s.stack}\``,
    // A stack absent on one side costs $0 there; null means the price is unknown.
    beforeAfter(s.cost, usd, "unknown"),
    costDelta(s.cost),
    beforeAfter(s.gpus, String),
    beforeAfter(s.minHeadroomGiB, gib),
    beforeAfter(s.maxConcurrency, int),
    beforeAfter(s.tokensPerSecond, int),
    status(s),
  ];
  return `| ${cells.map(mdCell).join(" | ")} |`;
}

function totalRow(report: DiffReport): string {
  const sum = (pick: (s: StackDiff) => number | null) => report.stacks.reduce((acc, s) => acc + (pick(s) ?? 0), 0);
  const t = report.total;
  const unpriced = (list: readonly string[]) => (list.length ? ` + ${list.length} unpriced` : "");
  const [from, to] = [`${usd(t.before)}${unpriced(t.unpricedBefore)}`, `${usd(t.after)}${unpriced(t.unpricedAfter)}`];
  const cost = from === to ? to : `${from} → ${to}`;
  const conc = { before: sum((s) => s.maxConcurrency.before), after: sum((s) => s.maxConcurrency.after) };
  const tps = { before: sum((s) => s.tokensPerSecond.before), after: sum((s) => s.tokensPerSecond.after) };
  const cells = ["**Total**", cost, costDelta(t), "", "", beforeAfter(conc, int), beforeAfter(tps, int), ""];
  return `| ${cells.map((c, i) => (i === 0 ? c : mdCell(c))).join(" | ")} |`;
}

function table(report: DiffReport): string {
  const header = "| Stack | Monthly cost | Δ cost | GPUs used/total | Min headroom | Max concurrency | Est. tokens/s | Status |";
  const align = "|---|---:|---:|---:|---:|---:|---:|---|";
  const rows = report.stacks.map(stackRow);
  const notes = report.stacks
    .filter((s) => s.head?.totals && s.head.totals.monthlyUsd === null)
    .map((s) => `<sub>\`${s.stack}\` cost unknown: ${mdCell(s.head!.totals!.priceNotes.join("; ") || "no hourly price")} — not counted as $0.</sub>`);
  return [header, align, ...rows, ...(report.stacks.length > 1 ? [totalRow(report)] : []), "", ...notes].join("\n").trimEnd();
}

function warnings(report: DiffReport): string {
  if (report.warnings.length === 0) return "";
  const lines = report.warnings.slice(0, MAX_WARNINGS_SHOWN).map((w) => `- ${ICON[w.kind]} \`${w.stack}\`: ${mdCell(w.message)}`);
  const more = report.warnings.length - MAX_WARNINGS_SHOWN;
  if (more > 0) lines.push(`- … and ${more} more (\`shoestring diff --format json\` lists all)`);
  return `**Warnings**\n\n${lines.join("\n")}`;
}

function side(info: DiffSideInfo): string {
  return info.kind === "git" ? `\`${info.spec}\` (${shortCommit(info.commit)})` : `\`${info.spec}\``;
}

function footer(report: DiffReport): string {
  const p = report.priceSnapshot;
  const prices = p ? `AWS ${p.region} on-demand list prices (snapshot ${p.date}, [source](${p.source}))` : "no priced hardware";
  return (
    `<sub>Key: \`+\` added · \`-\` removed · \`~\` changed. Costs: ${report.hoursPerMonth} h/month at ${prices}; ` +
    "own hardware has no price and is never counted as $0. Capacity: planner estimates (max concurrency = sequences held at full context; tokens/s = decode upper bound). " +
    `Both sides previewed offline by shoestring ${report.programVersion}: nothing deployed, no credentials. ` +
    `Base ${side(report.base)} → head ${side(report.head)}. This comment is updated on every push.</sub>`
  );
}

/**
 * Renders the PR comment. Deterministic: the same report always gives the same text, and when it
 * is too long the resource details are cut from the end (never the table, warnings or totals).
 * @example
 * const body = renderMarkdown(await runDiff({ base: "origin/main", head: "." }));
 */
export function renderMarkdown(report: DiffReport, opts: MarkdownOptions = {}): string {
  const maxChars = opts.maxChars ?? GITHUB_COMMENT_LIMIT;
  const top = [markerComment(opts.marker), "### 🧮 Shoestring: cost and capacity", "", headline(report), "", table(report)].join("\n");
  const bottom = [warnings(report), footer(report)].filter(Boolean).join("\n\n");
  const budget = maxChars - top.length - bottom.length - 4;
  const details = renderDetails(report.stacks, budget);
  const body = [top, details, bottom].filter(Boolean).join("\n\n");
  if (body.length <= maxChars) return body;
  // Only a huge number of stacks or warnings gets here: cut at a line, keep the marker.
  const cutNote = "\n\n_… cut to fit the comment size limit; run `shoestring diff --format json` for everything._";
  const cut = body.slice(0, maxChars - cutNote.length);
  return cut.slice(0, Math.max(cut.lastIndexOf("\n"), 0)) + cutNote;
}
