/**
 * @module Every PromQL expression the kit ships (dashboard queries, recording rules, alerts), in one list, so
 * tests can parse each with promtool and check each against a real Prometheus.
 */
import { DEFAULT_ALERT_THRESHOLDS, buildRuleGroups, type AlertThresholds } from "./alert-rules";
import { buildDashboards } from "./dashboards";

/** One shipped expression and where it lives. */
export interface PromqlExpression {
  /** Where it is used. */
  readonly source: "dashboard" | "recording-rule" | "alert";
  /** Locator: `<dashboard uid>/<panel title>/<refId>`, the recorded series name, or the alert name. */
  readonly name: string;
  /** The expression; dashboard ones may hold Grafana variables (see {@link substituteGrafanaVariables}). */
  readonly expr: string;
}

/** Values Grafana would put in for its built-in variables, for running dashboard queries elsewhere. */
export interface GrafanaVariableValues {
  /** `$__rate_interval`. @default "5m" */
  readonly rateInterval?: string;
  /** `$__interval`. @default "1m" */
  readonly interval?: string;
  /** `$__range`. @default "1h" */
  readonly range?: string;
}

/**
 * Replaces Grafana's built-in variables with durations, so a dashboard query becomes plain PromQL that
 * promtool and Prometheus accept.
 *
 * @example
 * substituteGrafanaVariables("rate(x[$__rate_interval])"); // "rate(x[5m])"
 */
export function substituteGrafanaVariables(expr: string, values: GrafanaVariableValues = {}): string {
  return expr
    .replaceAll("$__rate_interval", values.rateInterval ?? "5m")
    .replaceAll("$__interval", values.interval ?? "1m")
    .replaceAll("$__range", values.range ?? "1h");
}

/**
 * Lists every expression: each query of each dashboard panel, then each recording rule and alert.
 *
 * @example
 * for (const e of listPromqlExpressions()) console.log(e.source, e.name, substituteGrafanaVariables(e.expr));
 */
export function listPromqlExpressions(thresholds: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): PromqlExpression[] {
  const out: PromqlExpression[] = [];
  for (const d of buildDashboards(thresholds)) {
    for (const panel of d.dashboard.panels ?? []) {
      if (panel.type === "row" || !("targets" in panel)) continue;
      for (const target of panel.targets ?? []) {
        const { expr, refId } = target as { expr?: unknown; refId?: unknown };
        if (typeof expr === "string") out.push({ source: "dashboard", name: `${d.uid}/${panel.title ?? ""}/${String(refId)}`, expr });
      }
    }
  }
  for (const group of buildRuleGroups(thresholds)) {
    for (const rule of group.rules) {
      if ("record" in rule) out.push({ source: "recording-rule", name: rule.record, expr: rule.expr });
      else out.push({ source: "alert", name: rule.alert, expr: rule.expr });
    }
  }
  return out;
}
