/**
 * @module The shapes of Prometheus rule groups, as in a rules file and in a PrometheusRule's `spec.groups`.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/
 */

/** `severity` label of every alert: `critical` pages someone, `warning` goes to a ticket or a chat. */
export type AlertSeverity = "critical" | "warning";

/** A recording rule: `record` is the new series name, computed from `expr` every evaluation. */
export interface RecordingRule {
  /** Name of the recorded series, `level:metric:operations` (Prometheus naming practice). */
  readonly record: string;
  /** PromQL expression. */
  readonly expr: string;
}

/** An alerting rule. */
export interface AlertingRule {
  /** Alert name, PascalCase. */
  readonly alert: string;
  /** PromQL expression; every series it returns is an alert instance. */
  readonly expr: string;
  /** How long `expr` must keep returning a series before the alert fires, a Prometheus duration. */
  readonly for: string;
  /** Labels added to the alert; `severity` routes it. */
  readonly labels: { readonly severity: AlertSeverity };
  /** Text for humans; Go templates with `$labels`, `$value` and `humanize*`. */
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** A rule group: rules evaluated together, in order. */
export interface RuleGroup {
  /** Group name, unique in a rules file. */
  readonly name: string;
  /** The rules. */
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}
