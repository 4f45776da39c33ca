import { describe, expect, it } from "vitest";
import { renderChartSvg, type BenchLevel, type KneeResult } from "../../src/bench";

/** Minimal XML well-formedness check: balanced tags, quoted attributes, escaped text, one root. */
function assertWellFormedXml(xml: string): { root: string; tags: string[] } {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  const tags: string[] = [];
  let roots = 0;
  for (const token of body.match(/<[^>]*>|[^<]+/g) ?? []) {
    if (!token.startsWith("<")) {
      expect(token.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, "")).not.toMatch(/[&<>]/);
      if (stack.length === 0) expect(token.trim()).toBe("");
      continue;
    }
    const close = /^<\/([\w:-]+)\s*>$/.exec(token);
    if (close) {
      expect(stack.pop()).toBe(close[1]);
      continue;
    }
    const open = /^<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    expect(open, `malformed tag ${token}`).not.toBeNull();
    const name = open?.[1] ?? "";
    tags.push(name);
    if (stack.length === 0) roots += 1;
    if (open?.[3] !== "/") stack.push(name);
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  return { root: tags[0] ?? "", tags };
}

const summary = (p99: number) => ({ count: 10, mean: p99 / 2, p50: p99 / 2, p95: p99 * 0.9, p99, max: p99 });
const level = (concurrency: number, throughput: number, p99Ms: number | null): BenchLevel => ({
  concurrency,
  requests: 10,
  succeeded: p99Ms === null ? 0 : 10,
  errors: p99Ms === null ? 10 : 0,
  errorRate: p99Ms === null ? 1 : 0,
  errorReasons: {},
  errorSamples: {},
  wallSeconds: 1,
  outputTokens: throughput,
  throughputTokensPerSecond: throughput,
  requestsPerSecond: 1,
  ttftMs: null,
  itlMs: null,
  tpotMs: null,
  e2eMs: p99Ms === null ? null : summary(p99Ms),
  perRequestTokensPerSecond: null,
});
const knee: KneeResult = { kneeConcurrency: 32, recommendedMaxConcurrency: 16, reason: "test" };

describe("renderChartSvg", () => {
  it("draws a well-formed SVG with one labelled point per level, knee red and recommendation green", () => {
    const svg = renderChartSvg([level(8, 400, 2000), level(16, 700, 2600), level(32, 720, 5200)], knee);
    const { root, tags } = assertWellFormedXml(svg);
    expect(root).toBe("svg");
    expect(tags.filter((t) => t === "circle")).toHaveLength(3);
    expect(tags.filter((t) => t === "polyline")).toHaveLength(1);
    for (const c of [8, 16, 32]) expect(svg).toContain(`>c=${c}</text>`);
    expect(svg).toMatch(/<circle [^>]*fill="#dc2626"><title>concurrency 32: 720 tok\/s, p99 5.2 s<\/title>/);
    expect(svg).toMatch(/<circle [^>]*fill="#16a34a"><title>concurrency 16:/);
    expect(svg).toContain("Knee at c=32 (red); recommended max concurrency 16 (green)");
  });

  it("escapes the title and leaves out levels without a successful request", () => {
    const svg = renderChartSvg([level(1, 50, 1000), level(2, 0, null)], { kneeConcurrency: 2, recommendedMaxConcurrency: 1, reason: "" }, 'Model "A" <b> & co');
    assertWellFormedXml(svg);
    expect(svg).toContain("<title>Model &quot;A&quot; &lt;b&gt; &amp; co</title>");
    expect(svg).not.toContain("c=2<");
    expect(svg).not.toContain("<polyline");
  });

  it("keeps points inside the plot area", () => {
    const svg = renderChartSvg([level(1, 12.5, 80), level(4, 47, 95)], { kneeConcurrency: null, recommendedMaxConcurrency: 4, reason: "" });
    for (const [, cx, cy] of svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)) {
      expect(Number(cx)).toBeGreaterThanOrEqual(76);
      expect(Number(cx)).toBeLessThanOrEqual(720 - 32);
      expect(Number(cy)).toBeGreaterThanOrEqual(48);
      expect(Number(cy)).toBeLessThanOrEqual(440 - 56);
    }
  });
});
