/** @module Hand-written SVG chart of a sweep: aggregate throughput (x) against p99 latency (y). */
import type { KneeResult } from "./detect-knee";
import type { BenchLevel } from "./level-collector";

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { top: 48, right: 32, bottom: 56, left: 76 };
const TICKS = 5;

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

/** Rounds `max / ticks` up to 1, 2 or 5 × 10^k, so axis labels stay readable. */
function niceStep(max: number): number {
  const raw = max / TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return step ?? 10 * magnitude;
}

/** Axis from 0 to the first round tick above `max` (+5% headroom); 0..1 when everything is 0. */
function axisRange(max: number): { step: number; max: number } {
  const top = max > 0 ? max * 1.05 : 1;
  const step = niceStep(top);
  return { step, max: step * Math.ceil(top / step - 1e-9) };
}

const fmt = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString());

/**
 * Renders one point per concurrency level at (output tok/s, p99 e2e latency), joined in concurrency
 * order and labelled `c=N`; the knee is drawn red and the recommended level green. Levels without a
 * successful request have no p99 and are left out. Returns a standalone SVG document.
 */
export function renderChartSvg(levels: readonly BenchLevel[], knee: KneeResult, title = "Throughput vs p99 latency"): string {
  const points = levels
    .filter((l) => l.e2eMs !== null)
    .map((l) => ({ c: l.concurrency, x: l.throughputTokensPerSecond, y: (l.e2eMs?.p99 ?? 0) / 1000 }));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xAxis = axisRange(Math.max(0, ...points.map((p) => p.x)));
  const yAxis = axisRange(Math.max(0, ...points.map((p) => p.y)));
  const [xStep, xMax, yStep, yMax] = [xAxis.step, xAxis.max, yAxis.step, yAxis.max];
  const sx = (x: number): number => MARGIN.left + (x / xMax) * plotW;
  const sy = (y: number): number => MARGIN.top + plotH - (y / yMax) * plotH;
  const r = (n: number): string => n.toFixed(1);

  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(`<g class="grid" stroke="#e5e7eb">`);
  for (let i = 0; i <= Math.round(xMax / xStep); i++) out.push(`<line x1="${r(sx(i * xStep))}" y1="${MARGIN.top}" x2="${r(sx(i * xStep))}" y2="${MARGIN.top + plotH}"/>`);
  for (let i = 0; i <= Math.round(yMax / yStep); i++) out.push(`<line x1="${MARGIN.left}" y1="${r(sy(i * yStep))}" x2="${MARGIN.left + plotW}" y2="${r(sy(i * yStep))}"/>`);
  out.push(`</g>`);
  out.push(`<g class="axes" fill="#374151">`);
  for (let i = 0; i <= Math.round(xMax / xStep); i++) {
    out.push(`<text x="${r(sx(i * xStep))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${fmt(i * xStep)}</text>`);
  }
  for (let i = 0; i <= Math.round(yMax / yStep); i++) {
    out.push(`<text x="${MARGIN.left - 8}" y="${r(sy(i * yStep) + 4)}" text-anchor="end">${fmt(i * yStep)}</text>`);
  }
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">Aggregate output throughput (tokens/s)</text>`);
  out.push(
    `<text x="18" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${MARGIN.top + plotH / 2})">p99 end-to-end latency (s)</text>`,
  );
  out.push(`</g>`);
  if (points.length > 1) {
    out.push(`<polyline class="curve" fill="none" stroke="#2563eb" stroke-width="2" points="${points.map((p) => `${r(sx(p.x))},${r(sy(p.y))}`).join(" ")}"/>`);
  }
  out.push(`<g class="points">`);
  for (const p of points) {
    const color = p.c === knee.kneeConcurrency ? "#dc2626" : p.c === knee.recommendedMaxConcurrency ? "#16a34a" : "#2563eb";
    out.push(`<circle cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="5" fill="${color}"><title>concurrency ${p.c}: ${fmt(p.x)} tok/s, p99 ${fmt(p.y)} s</title></circle>`);
    out.push(`<text x="${r(sx(p.x) + 8)}" y="${r(sy(p.y) - 8)}" fill="${color}">c=${p.c}</text>`);
  }
  out.push(`</g>`);
  out.push(`<text x="${MARGIN.left}" y="${MARGIN.top - 8}" font-size="11" fill="#374151">${escapeXml(summaryLine(knee))}</text>`);
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}

function summaryLine(knee: KneeResult): string {
  if (knee.kneeConcurrency === null) return `No knee found; recommended max concurrency ${knee.recommendedMaxConcurrency ?? "n/a"}`;
  return `Knee at c=${knee.kneeConcurrency} (red); recommended max concurrency ${knee.recommendedMaxConcurrency ?? "none"} (green)`;
}
