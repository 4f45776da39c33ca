/** @module Resource-level diff of two previews of one stack: added, removed and changed resources. */
import type { PreviewResource } from "../preview";
import type { InputChange, ResourceChange } from "./types";

/** The inputs that differ between two versions of a resource, sorted by path. */
export function inputChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): InputChange[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths
    .filter((p) => before[p] !== after[p])
    .map((path) => ({ path, before: before[path] ?? null, after: after[path] ?? null }));
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ORDER: Record<ResourceChange["action"], number> = { remove: 0, add: 1, change: 2 };

/**
 * Pairs resources by URN (type chain + logical name: Pulumi's identity) and lists what differs.
 * Components are left out: they have no settings, and their children say what changes. Sorted by
 * type, then name, then action, so the same inputs always render the same way.
 */
export function compareResources(base: readonly PreviewResource[], head: readonly PreviewResource[]): ResourceChange[] {
  const before = new Map(base.filter((r) => r.custom).map((r) => [r.urn, r]));
  const after = new Map(head.filter((r) => r.custom).map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  for (const [urn, r] of before) {
    if (!after.has(urn)) changes.push({ action: "remove", type: r.type, name: r.name, keySettings: r.keySettings, changes: [] });
  }
  for (const [urn, r] of after) {
    const old = before.get(urn);
    if (!old) {
      changes.push({ action: "add", type: r.type, name: r.name, keySettings: r.keySettings, changes: [] });
      continue;
    }
    const diff = inputChanges(old.inputs, r.inputs);
    if (diff.length > 0) changes.push({ action: "change", type: r.type, name: r.name, keySettings: r.keySettings, changes: diff });
  }
  return changes.sort((a, b) => byText(a.type, b.type) || byText(a.name, b.name) || ORDER[a.action] - ORDER[b.action]);
}
