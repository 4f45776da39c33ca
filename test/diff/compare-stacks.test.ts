import { describe, expect, it } from "vitest";
import { buildReport, checkIncrease, compareStack, costChange, headline } from "../../src/diff";
import { fakePreview } from "./_previews";

const SIDES = { base: { spec: "a", kind: "dir" as const }, head: { spec: "b", kind: "dir" as const } };

describe("comparing one stack", () => {
  it("keeps an unknown price unknown: no difference, no percentage, never $0", () => {
    expect(costChange(100, 150)).toEqual({ before: 100, after: 150, delta: 50, percent: 50 });
    expect(costChange(null, 150)).toEqual({ before: null, after: 150, delta: null, percent: null });
    expect(costChange(0, 150)).toEqual({ before: 0, after: 150, delta: 150, percent: null });
  });

  it("warns about a cost jump from 20% up, not below", () => {
    const jump = (after: number) => compareStack("s", fakePreview("s"), fakePreview("s", { totals: { monthlyUsd: after } })).warnings.filter((w) => w.kind === "cost-jump");
    expect(jump(1199)).toEqual([]);
    expect(jump(1200)).toEqual([{ stack: "s", kind: "cost-jump", message: "monthly cost rises by $200.00 (+20%): $1000.00 → $1200.00" }]);
  });

  it("warns when concurrency or tokens/s drop, and when a changed stack has no price", () => {
    const diff = compareStack("s", fakePreview("s", { totals: { monthlyUsd: null } }), fakePreview("s", { totals: { monthlyUsd: null, maxConcurrency: 4, tokensPerSecond: 60, priceNotes: ["box: own hardware: no hourly price"] } }));
    expect(diff.warnings.map((w) => w.message)).toEqual([
      "max concurrency drops 10 → 4 sequences (−60%)",
      "est. tokens/s drops 100 → 60 (−40%)",
      "monthly cost unknown (box: own hardware: no hourly price); counted as unknown, not $0",
    ]);
    // A changed unpriced stack makes the total change unknown, and --fail-on-increase cannot check it.
    const report = buildReport([diff], SIDES);
    expect(report.total.delta).toBeNull();
    expect(headline(report)).toBe("Monthly cost change is **unknown**: 1 changed stack has no price (s); the priced stacks change by **$0.00** · 1 of 1 stack changed · 📉 capacity drops in 1 stack.");
    expect(checkIncrease(report, 10)).toEqual({ thresholdPercent: 10, exceeded: [], unchecked: ["s"] });
  });

  it("says when the base version could not be previewed, and that the head is refused", () => {
    const diff = compareStack(
      "s",
      fakePreview("s", { status: "invalid", message: "Invalid stack configuration (1 problem):\n  - shoestring:target.kind: unknown" }),
      fakePreview("s", { status: "refused", message: "The stack does not fit its hardware; nothing was created.\nm: No available memory for the cache blocks.\nRun `shoestring plan`." }),
    );
    expect(diff.warnings.map((w) => `${w.kind}: ${w.message}`)).toEqual([
      "refused: refused: does not fit its hardware, nothing would be deployed. m: No available memory for the cache blocks. Run `shoestring plan`.",
      "preview-gap: the base version could not be previewed with this program (invalid: Invalid stack configuration (1 problem):); its numbers are missing",
    ]);
  });
});
