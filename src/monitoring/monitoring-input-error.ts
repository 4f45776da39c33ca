/**
 * @module `MonitoringInputError`: every problem in the input of a monitoring generator (scrape config,
 * provisioning), thrown once, each naming the field, the value, what is allowed and the fix (STYLE R5, R6).
 */

/** One problem in a monitoring generator's input. */
export interface MonitoringInputIssue {
  /** Input path, e.g. `targets[2].address`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What is wrong, e.g. `is not host:port`. */
  readonly problem: string;
  /** What would be accepted. */
  readonly allowed: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  return JSON.stringify(value) ?? String(value);
}

/** One issue as one line: `field: problem (got value; allowed: …). Fix: …`. */
export function formatMonitoringIssue(issue: MonitoringInputIssue): string {
  return `${issue.field}: ${issue.problem} (got ${formatValue(issue.value)}; allowed: ${issue.allowed}). Fix: ${issue.fix}`;
}

/**
 * Thrown by the monitoring generators when their input cannot become a valid file; `issues` lists every
 * problem and `message` shows them one per line.
 *
 * @example
 * try { renderPrometheusConfig(opts); } catch (e) { if (e instanceof MonitoringInputError) console.error(e.message); }
 */
export class MonitoringInputError extends Error {
  /** What was being generated, e.g. `Prometheus config`. */
  readonly subject: string;
  /** Every problem found, in input order. */
  readonly issues: readonly MonitoringInputIssue[];

  constructor(subject: string, issues: readonly MonitoringInputIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super([`Invalid ${subject} input (${count}):`, ...issues.map((i) => `  - ${formatMonitoringIssue(i)}`)].join("\n"));
    this.name = "MonitoringInputError";
    this.subject = subject;
    this.issues = issues;
  }
}
