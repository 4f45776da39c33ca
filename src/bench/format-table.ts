/** @module Human-readable report of a bench run: one row per concurrency level, errors, knee. */
import { colors as pc } from "../util/colors";
import type { Summary } from "./latency-recorder";
import type { BenchReport } from "./run-bench";

const num = (value: number, digits = 0): string => value.toFixed(digits);
const ms = (s: Summary | null, key: "p50" | "p95" | "p99"): string => (s === null ? "-" : num(s[key]));
const sec = (s: Summary | null, key: "p50" | "p95" | "p99"): string => (s === null ? "-" : num(s[key] / 1000, 2));

/** Renders `report` as an aligned text table followed by error reasons and the knee verdict. */
export function formatBenchTable(report: BenchReport): string {
  const header = ["conc", "reqs", "err%", "out tok/s", "req/s", "TTFT p50/p99 ms", "ITL p50/p99 ms", "E2E p50/p95/p99 s", "tok/s/req p50"];
  const rows = report.levels.map((l) => [
    String(l.concurrency),
    String(l.requests),
    num(l.errorRate * 100, 1),
    num(l.throughputTokensPerSecond, 1),
    num(l.requestsPerSecond, 2),
    `${ms(l.ttftMs, "p50")} / ${ms(l.ttftMs, "p99")}`,
    `${ms(l.itlMs, "p50")} / ${ms(l.itlMs, "p99")}`,
    `${sec(l.e2eMs, "p50")} / ${sec(l.e2eMs, "p95")} / ${sec(l.e2eMs, "p99")}`,
    l.perRequestTokensPerSecond === null ? "-" : num(l.perRequestTokensPerSecond.p50, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  const mode = "requests" in report.mode ? `${report.mode.requests} requests/level` : `${report.mode.durationMs / 1000}s/level`;
  const prompt = report.promptTokens === null ? "dataset prompts" : `~${report.promptTokens} prompt tokens`;
  const out: string[] = [
    pc.bold(`Bench ${report.endpoint} — model ${report.model}`),
    `${mode}, ${prompt}, max_tokens ${report.maxTokens}, ${report.stream ? "streaming" : "non-streaming (no TTFT/ITL)"}`,
    "",
    pc.bold(line(header)),
    ...rows.map(line),
  ];
  const failing = report.levels.filter((l) => l.errors > 0);
  if (failing.length > 0) {
    out.push("", pc.yellow("Errors:"));
    for (const l of failing) {
      for (const [reason, count] of Object.entries(l.errorReasons)) {
        out.push(`  c=${l.concurrency}: ${count} × ${reason} — ${l.errorSamples[reason] ?? ""}`);
      }
    }
  }
  const { knee } = report;
  out.push("");
  out.push(knee.kneeConcurrency === null ? pc.green(`No knee: ${knee.reason}`) : pc.yellow(`Knee at concurrency ${knee.kneeConcurrency}: ${knee.reason}`));
  out.push(pc.bold(`Recommended max concurrency: ${knee.recommendedMaxConcurrency ?? "none (every level failed)"}`));
  if (report.interrupted) out.push(pc.yellow("Run interrupted: levels after the last row were not measured."));
  return `${out.join("\n")}\n`;
}
