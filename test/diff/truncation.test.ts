import { describe, expect, it } from "vitest";
import { buildReport, compareStack, GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../src/diff";
import { fakePreview } from "./_previews";

function hugeReport() {
  const stacks = ["alpha", "beta", "gamma"].map((s) => compareStack(s, fakePreview(s, { count: 150, variant: "old" }), fakePreview(s, { count: 150, variant: "new", totals: { monthlyUsd: 1100 } })));
  return buildReport(stacks, { base: { spec: "main", kind: "git", commit: "a".repeat(40) }, head: { spec: "HEAD", kind: "git", commit: "b".repeat(40) } });
}

describe("a comment with more resource changes than GitHub allows", () => {
  it("stays under 65,536 characters and keeps the headline, the full table, the warnings and the footer", () => {
    const report = hugeReport();
    const text = renderMarkdown(report);
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(text.split("\n")[3]).toBe("Monthly cost will **increase by $300.00 (+10%)** 📈 · 3 of 3 stacks changed · ✅ no capacity drops.");
    for (const s of ["alpha", "beta", "gamma"]) expect(text).toContain(`| \`${s}\` | $1,000.00 → $1,100.00 | +$100.00 (+10%) |`);
    expect(text).toContain("| **Total** | $3,000.00 → $3,300.00 | +$300.00 (+10%) |");
    expect(text).toContain("Base `main` (aaaaaaa) → head `HEAD` (bbbbbbb).");
  });

  it("cuts whole resources from the end, closes the code block and says how many are hidden", () => {
    const text = renderMarkdown(hugeReport());
    const details = text.slice(text.indexOf("<details>"), text.indexOf("</details>"));
    const shown = (details.match(/^~ docker:index\/container:Container /gm) ?? []).length;
    expect(shown).toBeGreaterThan(40);
    expect(shown).toBeLessThan(450);
    expect(details).toContain(`_… ${450 - shown} more resource changes not shown: the comment is kept under GitHub's size limit. Run \`shoestring diff --format json\` for all of them._`);
    // Every opened fence is closed.
    expect((details.match(/^```/gm) ?? []).length % 2).toBe(0);
    // The last resource shown is complete: its "… and N more inputs" line follows it.
    expect(details.trimEnd().split("\n").slice(-4)).toEqual([expect.stringMatching(/^ {4}… and 2 more inputs/), "```", "", expect.stringMatching(/^_… \d+ more resource changes not shown/)]);
  });

  it("cuts the same way every time, and to any smaller limit", () => {
    const report = hugeReport();
    expect(renderMarkdown(report)).toBe(renderMarkdown(report));
    const small = renderMarkdown(report, { maxChars: 5000 });
    expect(small.length).toBeLessThanOrEqual(5000);
    expect(small).toContain("| **Total** |");
    expect(small).toContain("more resource changes not shown");
  });
});
