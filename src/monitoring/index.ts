/**
 * @module Monitoring generators (pure, no Pulumi): Prometheus scrape config and rules, Grafana dashboards and
 * provisioning. The Docker and Kubernetes paths both render from here. Named exports only.
 */
export {
  ALERT_GROUP_NAME,
  ALERT_NAMES,
  DEFAULT_ALERT_THRESHOLDS,
  MIN_REQUESTS_FOR_RATIO_ALERTS,
  buildRuleGroups,
  renderAlertRules,
  type AlertName,
  type AlertThresholds,
} from "./alert-rules";
export { DATASOURCE_VARIABLE, type DashboardSpec, type PanelSpec, type QuerySpec, type SectionSpec } from "./dashboard-kit";
export { LLM_OVERVIEW_UID, buildDashboards, llmOverviewSpec, type GrafanaDashboardFile } from "./dashboards";
export {
  DEFAULT_GRAFANA_DASHBOARDS_DIR,
  DEFAULT_GRAFANA_FOLDER,
  DEFAULT_PROMETHEUS_URL,
  GRAFANA_DATASOURCE_UID,
  renderGrafanaProvisioning,
  type GrafanaProvisioning,
  type GrafanaProvisioningOptions,
} from "./grafana-provisioning";
export { MonitoringInputError, formatMonitoringIssue, type MonitoringInputIssue } from "./monitoring-input-error";
export {
  listPromqlExpressions,
  substituteGrafanaVariables,
  type GrafanaVariableValues,
  type PromqlExpression,
} from "./promql-expressions";
export { RECORDED, RECORDING_GROUP_NAME, RULE_WINDOW, recordingRuleGroup } from "./recording-rules";
export type { AlertSeverity, AlertingRule, RecordingRule, RuleGroup } from "./rule-types";
export {
  COMPONENT_LABEL,
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_SCRAPE_INTERVAL,
  SCRAPE_COMPONENTS,
  renderPrometheusConfig,
  type PrometheusConfigOptions,
  type ScrapeComponent,
  type ScrapeTarget,
} from "./scrape-config";
