/**
 * @module Recording rules: the p95s and ratios the alerts compare with their thresholds, computed once per
 * evaluation so alerts, dashboards and ad-hoc queries agree.
 */
import type { RuleGroup } from "./rule-types";

/** Window of every recorded rate and quantile. Long enough to smooth one slow request, short enough to page. */
export const RULE_WINDOW = "5m";

/** Names of the recorded series (`level:metric:operations`). */
export const RECORDED = {
  /** Router p95 time to first token, per router job and logical model. Seconds. */
  routerTtftP95: "job_model:shoestring_router_ttft_seconds:p95_5m",
  /** vLLM p95 time to first token, per server and served model. Seconds. */
  vllmTtftP95: "job_instance_model_name:vllm_ttft_seconds:p95_5m",
  /** Requests per second answered by the router, per router job. */
  routerRequestRate: "job:shoestring_router_requests:rate5m",
  /** Share of router answers with a 5xx status, 0..1, per router job. */
  routerErrorRatio: "job:shoestring_router_request_errors:ratio_rate5m",
  /** Fallbacks to another target per router request, per router job (a request can fall back twice). */
  routerFallbackRatio: "job:shoestring_router_fallbacks:ratio_rate5m",
} as const;

/** Name of the group holding {@link recordingRuleGroup}'s rules. */
export const RECORDING_GROUP_NAME = "shoestring.recording";

/**
 * The recording rules. Ratios are left undefined (no series) when there is no traffic, so alerts on them stay
 * quiet instead of dividing by zero.
 *
 * @example
 * recordingRuleGroup().rules.map((r) => ("record" in r ? r.record : r.alert));
 */
export function recordingRuleGroup(): RuleGroup {
  const w = RULE_WINDOW;
  const requests = `sum by (job) (rate(shoestring_router_requests_total[${w}]))`;
  return {
    name: RECORDING_GROUP_NAME,
    rules: [
      {
        record: RECORDED.routerTtftP95,
        expr: `histogram_quantile(0.95, sum by (job, model, le) (rate(shoestring_router_time_to_first_token_seconds_bucket[${w}])))`,
      },
      {
        record: RECORDED.vllmTtftP95,
        expr: `histogram_quantile(0.95, sum by (job, instance, model_name, le) (rate(vllm:time_to_first_token_seconds_bucket[${w}])))`,
      },
      { record: RECORDED.routerRequestRate, expr: requests },
      {
        record: RECORDED.routerErrorRatio,
        expr: `sum by (job) (rate(shoestring_router_requests_total{status=~"5.."}[${w}])) / ${requests}`,
      },
      {
        // to="none" marks an exhausted chain (an error, counted above), not a move to another target.
        record: RECORDED.routerFallbackRatio,
        expr: `sum by (job) (rate(shoestring_router_fallbacks_total{to!="none"}[${w}])) / ${requests}`,
      },
    ],
  };
}
