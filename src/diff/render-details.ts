/**
 * @module The collapsible per-resource diff of the PR comment: one `diff` code block per changed
 * stack, cut deterministically (stacks by name, resources by type and name) to a character budget.
 */
import { inFence } from "./_format";
import type { ResourceChange, StackDiff } from "./types";

/** Input changes listed per changed resource before "… N more". */
export const MAX_INPUT_CHANGES_SHOWN = 10;

const SYMBOL: Record<ResourceChange["action"], string> = { add: "+", remove: "-", change: "~" };

/** The lines of one resource change, the first one carrying the +/−/~ symbol. */
export function resourceLines(change: ResourceChange): string[] {
  const settings = Object.entries(change.keySettings).map(([k, v]) => `${k} ${v}`).join(" · ");
  const head = `${SYMBOL[change.action]} ${change.type} ${change.name}${change.action !== "change" && settings ? `  (${settings})` : ""}`;
  const lines = [head];
  for (const c of change.changes.slice(0, MAX_INPUT_CHANGES_SHOWN)) {
    lines.push(`    ${c.path}: ${c.before ?? "(unset)"} → ${c.after ?? "(unset)"}`);
  }
  const more = change.changes.length - MAX_INPUT_CHANGES_SHOWN;
  if (more > 0) lines.push(`    … and ${more} more input${more === 1 ? "" : "s"} (shoestring diff --format json lists all)`);
  return lines.map(inFence);
}

/** `+3 −1 ~2` for a list of changes. */
export function changeCounts(changes: readonly ResourceChange[]): string {
  const n = (a: ResourceChange["action"]) => changes.filter((c) => c.action === a).length;
  return `+${n("add")} −${n("remove")} ~${n("change")}`;
}

/**
 * The `<details>` section, at most `budget` characters. When the changes do not fit, whole
 * resources are dropped from the end and a closing line says how many and where to find them.
 * Returns "" when no stack has resource changes.
 */
export function renderDetails(stacks: readonly StackDiff[], budget: number): string {
  const changed = stacks.filter((s) => s.resources.length > 0);
  if (changed.length === 0) return "";
  const all = changed.flatMap((s) => s.resources);
  const open = `<details><summary><strong>Resource changes</strong> (${changed.length} stack${changed.length === 1 ? "" : "s"}: ${changeCounts(all)})</summary>\n\n`;
  const close = "</details>";
  // Room for the closing note, whatever the counts.
  const note = (n: number) => `_… ${n} more resource change${n === 1 ? "" : "s"} not shown: the comment is kept under GitHub's size limit. Run \`shoestring diff --format json\` for all of them._\n`;
  let room = budget - open.length - close.length - note(all.length).length;
  if (room <= 0) return "";

  const parts: string[] = [];
  let shown = 0;
  for (const stack of changed) {
    const count = (side: "base" | "head") => stack[side]?.resources.filter((r) => r.custom).length ?? 0;
    const title = `**${stack.stack}** (${count("base")} → ${count("head")} resources, ${changeCounts(stack.resources)})\n\n\`\`\`diff\n`;
    const end = "```\n\n";
    if (title.length + end.length > room) break;
    let block = title;
    let fitted = 0;
    for (const change of stack.resources) {
      const text = `${resourceLines(change).join("\n")}\n`;
      if (block.length + text.length + end.length > room) break;
      block += text;
      fitted++;
    }
    if (fitted === 0) break;
    parts.push(block + end);
    room -= block.length + end.length;
    shown += fitted;
    if (fitted < stack.resources.length) break;
  }
  const hidden = all.length - shown;
  return `${open}${parts.join("")}${hidden > 0 ? note(hidden) : ""}${close}`;
}
