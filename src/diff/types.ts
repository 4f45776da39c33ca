/** @module The shape of a cost/capacity diff between two versions of the stacks (`shoestring diff`). */
import type { PriceSnapshot, StackPreview } from "../preview";

/** How one resource differs between base and head. */
export type ResourceAction = "add" | "remove" | "change";

/** One input that differs, as display text (secrets never compared by value: both read `[secret]`). */
export interface InputChange {
  /** Input path, e.g. `ports[0].ip` or `command[3]`. */
  readonly path: string;
  /** Display text before; null when the input was not set. */
  readonly before: string | null;
  /** Display text after; null when the input is no longer set. */
  readonly after: string | null;
}

/** One resource added, removed or changed. */
export interface ResourceChange {
  /** Added, removed or changed. */
  readonly action: ResourceAction;
  /** Pulumi type token. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Key settings of the new version (the old one for removals). */
  readonly keySettings: Readonly<Record<string, string>>;
  /** For "change": every input that differs, sorted by path. */
  readonly changes: readonly InputChange[];
}

/** A number before and after; null where unknown. */
export interface Change<T = number> {
  /** The base side's value; null when the stack is absent or invalid there. */
  readonly before: T | null;
  /** The head side's value; null when the stack is absent or invalid there. */
  readonly after: T | null;
}

/** Monthly cost before and after, with the difference when both are known. */
export interface CostChange extends Change {
  /** after − before in USD; null when either side's price is unknown. */
  readonly delta: number | null;
  /** delta / before × 100; null when unknown or when before is 0. */
  readonly percent: number | null;
}

/** What a reviewer should look at. */
export interface DiffWarning {
  /** The stack it is about. */
  readonly stack: string;
  /** What kind of news it is (sets the icon in the comment). */
  readonly kind: "refused" | "invalid" | "failed" | "capacity-drop" | "cost-jump" | "unknown-price" | "preview-gap";
  /** One line, without the stack name. */
  readonly message: string;
}

/** One stack compared. */
export interface StackDiff {
  /** Stack name. */
  readonly stack: string;
  /** added / removed: the stack file exists on one side only. */
  readonly status: "added" | "removed" | "changed" | "unchanged";
  /** The base side's preview; null when the stack file is not there. */
  readonly base: StackPreview | null;
  /** The head side's preview; null when the stack file is not there. */
  readonly head: StackPreview | null;
  /** Monthly cost; a side without the stack costs $0 there. */
  readonly cost: CostChange;
  /** GPUs used/total, e.g. `1/1`. */
  readonly gpus: Change<string>;
  /** Smallest headroom of any model, GiB. */
  readonly minHeadroomGiB: Change;
  /** Max-length sequences held at once, all models and replicas. */
  readonly maxConcurrency: Change;
  /** Upper-bound decode tokens/s. */
  readonly tokensPerSecond: Change;
  /** Resource differences, sorted by type then name. */
  readonly resources: readonly ResourceChange[];
  /** What a reviewer must see about this stack. */
  readonly warnings: readonly DiffWarning[];
}

/** Where one side's stacks came from. */
export interface DiffSideInfo {
  /** As given: a git ref or a directory. */
  readonly spec: string;
  /** A git ref (read with git archive) or a directory. */
  readonly kind: "git" | "dir";
  /** Full commit id for a git ref. */
  readonly commit?: string;
}

/** Everything `diff` found. */
export interface DiffReport {
  /** The "before" side. */
  readonly base: DiffSideInfo;
  /** The "after" side. */
  readonly head: DiffSideInfo;
  /** Every compared stack, sorted by name. */
  readonly stacks: readonly StackDiff[];
  /**
   * Sums over all stacks. A stack with an unknown price is left out of `before`/`after` and listed in
   * `unpricedBefore`/`unpricedAfter`; when such a stack changed, `delta` and `percent` are null
   * (never a guess).
   */
  readonly total: CostChange & { readonly unpricedBefore: readonly string[]; readonly unpricedAfter: readonly string[] };
  /** Every stack's warnings, in stack order. */
  readonly warnings: readonly DiffWarning[];
  /** Where prices come from; null when nothing was priced. */
  readonly priceSnapshot: PriceSnapshot | null;
  /** Hours per month the costs assume (the head stacks' planning.hoursPerMonth, most common value). */
  readonly hoursPerMonth: number;
  /** Version of the shoestring program both sides were previewed with. */
  readonly programVersion: string;
}
