import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkIncrease, GITHUB_COMMENT_LIMIT, renderMarkdown, runDiff, toInfracostJson, type DiffReport } from "../../src/diff";

const FIXTURES = join(__dirname, "fixtures");

/** The table row of one stack, as cells. */
function row(markdown: string, stack: string): string[] {
  const line = markdown.split("\n").find((l) => l.startsWith(`| \`${stack}\` |`));
  if (!line) throw new Error(`no table row for ${stack}`);
  return line.slice(2, -2).split(" | ");
}

describe("shoestring diff between two fixture versions of the stacks", () => {
  let all: DiffReport;
  let markdown: string;
  let single: DiffReport;
  beforeAll(async () => {
    all = await runDiff({ base: join(FIXTURES, "base"), head: join(FIXTURES, "head") });
    markdown = renderMarkdown(all);
    single = await runDiff({ base: join(FIXTURES, "base"), head: join(FIXTURES, "head"), stack: "gpu-vm" });
  });

  it("compares every stack on either side, sorted by name, with its status", () => {
    expect(all.stacks.map((s) => [s.stack, s.status])).toEqual([
      ["edge", "unchanged"],
      ["gpu-vm", "changed"],
      ["local", "removed"],
      ["too-big", "added"],
    ]);
  });

  it("opens with the sticky-comment marker and a headline that never counts an unknown price as $0", () => {
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("<!-- shoestring-diff -->");
    expect(lines[1]).toBe("### 🧮 Shoestring: cost and capacity");
    expect(lines[3]).toBe(
      "Monthly cost change is **unknown**: 1 changed stack has no price (local); the priced stacks change by **+$881.69** · " +
        "3 of 4 stacks changed · ❌ 1 stack would not deploy · 📉 capacity drops in 2 stacks.",
    );
  });

  it("gives each stack's full cost old → new with Δ, and its capacity before and after", () => {
    const gpu = all.stacks.find((s) => s.stack === "gpu-vm")!;
    expect(gpu.cost).toEqual({ before: 1374.53, after: 1652.72, delta: 278.19, percent: 20.2 });
    expect(row(markdown, "gpu-vm")).toEqual(["`gpu-vm`", "$1,374.53 → $1,652.72", "+$278.19 (+20.2%)", "1/1", "26.67 GiB → 25.17 GiB", "18 → 9", "445 → 222", "✅ fits"]);
    expect(row(markdown, "edge")).toEqual(["`edge`", "unknown", "—", "1/1", "13.11 GiB", "34", "1,678", "✅ fits, no change"]);
    expect(row(markdown, "local")).toEqual(["`local`", "unknown → $0.00", "unknown", "0/0 → —", "14.18 GiB → —", "8 → —", "85 → —", "➖ removed"]);
    expect(row(markdown, "too-big")).toEqual(["`too-big`", "$0.00 → $603.50", "+$603.50 (new)", "— → 1/1", "— → -52.51 GiB", "— → 0", "— → 0", "➕ new, ❌ refused"]);
    expect(markdown).toContain("| **Total** | $1,374.53 + 2 unpriced → $2,256.22 + 1 unpriced | unknown |  |  | 60 → 43 | 2,207 → 1,900 |  |");
    expect(markdown).toContain("<sub>`edge` cost unknown: gpu-box.local (ssh), 1× RTX-4090: own hardware: no hourly price — not counted as $0.</sub>");
  });

  it("lists resource changes in a collapsible diff block: changed inputs old → new, removed stacks resource by resource", () => {
    const details = markdown.slice(markdown.indexOf("<details>"), markdown.indexOf("</details>") + "</details>".length);
    expect(details).toMatch(/^<details><summary><strong>Resource changes<\/strong> \(2 stacks: \+0 −21 ~2\)<\/summary>/);
    expect(details).toContain(
      "**gpu-vm** (25 → 25 resources, +0 −0 ~2)\n\n```diff\n~ aws:ec2/instance:Instance llm-host-instance\n    instanceType: g6e.xlarge → g6e.2xlarge\n" +
        "~ docker:index/container:Container llm-qwen-14b-container\n    command[10]: 8192 → 16384\n```",
    );
    expect(details).toContain("- docker:index/container:Container llm-redis-container  (image redis:7.4.11-alpine");
    expect(details.match(/^- /gm)).toHaveLength(21);
    // The unchanged stack has no block.
    expect(details).not.toContain("**edge**");
  });

  it("warns about the refusal, the capacity drops, the removed models and the cost jumps", () => {
    expect(all.warnings.map((w) => `${w.kind} ${w.stack}`)).toEqual([
      "capacity-drop gpu-vm",
      "capacity-drop gpu-vm",
      "cost-jump gpu-vm",
      "capacity-drop local",
      "refused too-big",
      "cost-jump too-big",
    ]);
    expect(markdown).toContain("- 📉 `gpu-vm`: max concurrency drops 18 → 9 sequences (−50%)");
    expect(markdown).toContain("- 💸 `gpu-vm`: monthly cost rises by $278.19 (+20.2%): $1374.53 → $1652.72");
    expect(markdown).toContain("- 📉 `local`: stack removed: qwen-1-5b, nomic-embed no longer served here");
    expect(markdown).toMatch(/- ❌ `too-big`: refused: does not fit its hardware, nothing would be deployed\. llama-70b: No available memory for the cache blocks\./);
  });

  it("states its assumptions in the footer and stays under GitHub's comment limit", () => {
    expect(markdown).toContain("Costs: 730 h/month at AWS us-east-1 on-demand list prices (snapshot 2025-06");
    expect(markdown).toContain("own hardware has no price and is never counted as $0");
    expect(markdown.trimEnd().endsWith("This comment is updated on every push.</sub>")).toBe(true);
    expect(markdown.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(renderMarkdown(all)).toBe(markdown);
  });

  it("says the cost will increase when only priced stacks are compared", () => {
    const text = renderMarkdown(single, { marker: "shoestring-diff:prod" });
    expect(text.split("\n")[0]).toBe("<!-- shoestring-diff:prod -->");
    expect(text.split("\n")[3]).toBe("Monthly cost will **increase by $278.19 (+20.2%)** 📈 · 1 of 1 stack changed · 📉 capacity drops in 1 stack.");
    expect(text).not.toContain("**Total**");
  });

  it("says the cost will not change when nothing changed, unpriced stacks included", async () => {
    const same = await runDiff({ base: join(FIXTURES, "base"), head: join(FIXTURES, "base") });
    expect(renderMarkdown(same).split("\n")[3]).toBe("Monthly cost will **not change** · 0 of 3 stacks changed · ✅ no capacity drops.");
    expect(same.total).toMatchObject({ delta: 0, unpricedAfter: ["edge", "local"] });
    expect(renderMarkdown(same)).toContain("| **Total** | $1,374.53 + 2 unpriced | — |");
    expect(renderMarkdown(same)).not.toContain("<details>");
  });

  it("fails --fail-on-increase above the threshold and counts a new stack as an increase", () => {
    // The removed local stack only lowers the bill: neither exceeded nor unchecked.
    expect(checkIncrease(all, 25)).toEqual({ thresholdPercent: 25, exceeded: ["too-big: new cost ($0.00 → $603.50 per month)"], unchecked: [] });
    expect(checkIncrease(single, 20).exceeded).toEqual(["gpu-vm: +20.2% ($1374.53 → $1652.72 per month)"]);
    expect(checkIncrease(single, 20.2).exceeded).toEqual([]);
  });

  it("writes Infracost-shaped JSON with decimal-string costs, null for unknown, and capacity", () => {
    const json = toInfracostJson(all);
    expect(json).toMatchObject({ version: "0.2", currency: "USD", totalMonthlyCost: null, pastTotalMonthlyCost: null, diffTotalMonthlyCost: null });
    const gpu = json.projects.find((p) => p.name === "gpu-vm")!;
    expect(gpu.pastBreakdown).toMatchObject({ totalMonthlyCost: "1374.53", capacity: { maxConcurrency: 18, gpusUsed: 1 } });
    expect(gpu.breakdown).toMatchObject({ totalMonthlyCost: "1652.72", resources: [{ name: "g6e.2xlarge", monthlyCost: "1652.72" }] });
    expect(gpu.diff).toMatchObject({ totalMonthlyCost: "278.19", percent: 20.2, capacity: { maxConcurrency: { before: 18, after: 9 } } });
    expect(gpu.summary).toEqual({ totalDetectedResources: 25, totalAddedResources: 0, totalRemovedResources: 0, totalChangedResources: 2, totalNoPriceResources: 0 });
    const edge = json.projects.find((p) => p.name === "edge")!;
    expect(edge.breakdown).toMatchObject({ totalMonthlyCost: null, resources: [{ monthlyCost: null }] });
    expect(json.pricedTotals).toEqual({ pastMonthlyCost: "1374.53", monthlyCost: "2256.22", unpricedBefore: ["edge", "local"], unpricedAfter: ["edge"] });
  });
});
