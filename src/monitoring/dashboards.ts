/**
 * @module The Grafana dashboards the kit ships, as JSON objects: "LLM overview" (router, vLLM, llama.cpp,
 * GPUs) with stable uids, a datasource variable, units, and alert thresholds drawn in.
 */
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from "./alert-rules";
import { buildDashboardJson, type DashboardSpec } from "./dashboard-kit";
import { llamaCppSection, vllmSection } from "./panels/engine-panels";
import { gpuSection } from "./panels/gpu-panels";
import { overviewSection } from "./panels/overview-panels";
import { routerResilienceSection, routerTrafficSection } from "./panels/router-panels";

/** uid of the "LLM overview" dashboard; Grafana URLs are `/d/<uid>`. */
export const LLM_OVERVIEW_UID = "shoestring-llm-overview";

/** One dashboard, ready to be written to a file Grafana provisions. */
export interface GrafanaDashboardFile {
  /** Stable dashboard uid. */
  readonly uid: string;
  /** Dashboard title. */
  readonly title: string;
  /** File name in the provisioned dashboards folder, `<uid>.json`. */
  readonly fileName: string;
  /** The dashboard model (what Grafana's JSON export shows). */
  readonly dashboard: Dashboard;
}

/** The "LLM overview" dashboard as data. */
export function llmOverviewSpec(thresholds: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): DashboardSpec {
  return {
    uid: LLM_OVERVIEW_UID,
    title: "LLM overview",
    description: "Shoestring: the router as clients see it, the model servers behind it (vLLM, llama.cpp) and their GPUs.",
    tags: ["shoestring", "llm"],
    sections: [
      overviewSection(thresholds),
      routerTrafficSection(thresholds),
      routerResilienceSection(thresholds),
      vllmSection(thresholds),
      llamaCppSection(thresholds),
      gpuSection(),
    ],
  };
}

/**
 * Every dashboard the kit ships. Thresholds colour the panels the alerts watch.
 *
 * @example
 * for (const d of buildDashboards()) fs.writeFileSync(d.fileName, JSON.stringify(d.dashboard, null, 2));
 */
export function buildDashboards(thresholds: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): GrafanaDashboardFile[] {
  return [llmOverviewSpec(thresholds)].map((spec) => ({
    uid: spec.uid,
    title: spec.title,
    fileName: `${spec.uid}.json`,
    dashboard: buildDashboardJson(spec),
  }));
}
