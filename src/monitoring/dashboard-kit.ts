/**
 * @module Dashboards as data: panel specs (title, unit, PromQL) laid out left to right in titled rows and
 * turned into Grafana JSON with `@grafana/grafana-foundation-sdk`. Panel ids and grid positions are derived
 * from the order, so they are stable and unique.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

/** Name of the dashboards' datasource variable; every panel queries `${datasource}`. */
export const DATASOURCE_VARIABLE = "datasource";

/** One PromQL query of a panel. */
export interface QuerySpec {
  /** PromQL; may use Grafana's `$__rate_interval` and `$__range`. */
  readonly expr: string;
  /** Legend, e.g. `{{model}}`. */
  readonly legend: string;
}

/** A value shown as text and colour (state timelines). */
export interface ValueText {
  /** The series value, e.g. 2 for an open breaker. */
  readonly value: number;
  /** What to show instead, e.g. `open`. */
  readonly text: string;
  /** Grafana colour name, e.g. `red`. */
  readonly color: string;
}

/** One panel. */
export interface PanelSpec {
  /** `timeseries` for trends, `stat` for one number, `state-timeline` for states over time. */
  readonly kind: "timeseries" | "stat" | "state-timeline";
  /** Panel title; unique within a dashboard (tests and expression locators use it). */
  readonly title: string;
  /** Tooltip text: what the panel shows and where the numbers come from. */
  readonly description: string;
  /** Grafana unit id, e.g. `s`, `reqps`, `percentunit`. */
  readonly unit: string;
  /** The queries, refIds A, B, C… in this order. */
  readonly queries: readonly QuerySpec[];
  /** Width in grid columns (24 per row). @default 8 (stat: 4) */
  readonly width?: number;
  /** Values at or above this turn red, drawn as a dashed line on time series (alert thresholds). */
  readonly redFrom?: number;
  /** Lower bound of the axis. @default - from the data */
  readonly min?: number;
  /** Upper bound of the axis. @default - from the data */
  readonly max?: number;
  /** Value → text/colour (state timelines). */
  readonly valueTexts?: readonly ValueText[];
  /** Stack the series (shares of a whole). @default false */
  readonly stacked?: boolean;
}

/** A titled row of panels. */
export interface SectionSpec {
  /** Row title. */
  readonly title: string;
  /** Panels, left to right, wrapping at 24 columns. */
  readonly panels: readonly PanelSpec[];
}

/** A whole dashboard. */
export interface DashboardSpec {
  /** Stable uid: links and provisioning keep pointing at the same dashboard across versions. */
  readonly uid: string;
  /** Dashboard title. */
  readonly title: string;
  /** Dashboard description (shown in the dashboard settings and search). */
  readonly description: string;
  /** Tags for Grafana's dashboard search. */
  readonly tags: readonly string[];
  /** Rows, top to bottom. */
  readonly sections: readonly SectionSpec[];
}

const HEIGHT = { timeseries: 8, stat: 4, "state-timeline": 8 } as const;
const DATASOURCE = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

/** histogram_quantile queries for several quantiles of one histogram, e.g. p50/p95/p99. */
export function quantileQueries(bucket: string, by: readonly string[], quantiles: readonly number[], legendSuffix = ""): QuerySpec[] {
  const labels = [...by, "le"].join(", ");
  return quantiles.map((q) => ({
    expr: `histogram_quantile(${q}, sum by (${labels}) (rate(${bucket}[$__rate_interval])))`,
    legend: `p${Math.round(q * 100)}${legendSuffix}`,
  }));
}

function thresholds(redFrom: number | undefined): dashboard.ThresholdsConfigBuilder {
  const steps: dashboard.Threshold[] = [{ value: null, color: "green" }];
  if (redFrom !== undefined) steps.push({ value: redFrom, color: "red" });
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

function mappings(valueTexts: readonly ValueText[] | undefined): dashboard.ValueMapping[] {
  if (valueTexts === undefined) return [];
  const options = Object.fromEntries(valueTexts.map((v, index) => [String(v.value), { text: v.text, color: v.color, index }]));
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

type AnyPanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder | statetimeline.PanelBuilder;

function panelBuilder(p: PanelSpec): AnyPanelBuilder {
  const legend = new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom);
  const tooltip = new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending);
  switch (p.kind) {
    case "timeseries": {
      const b = new timeseries.PanelBuilder().legend(legend).tooltip(tooltip).fillOpacity(p.stacked === true ? 40 : 10).spanNulls(false);
      if (p.stacked === true) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
      if (p.redFrom !== undefined) b.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
      return b;
    }
    case "stat":
      return new stat.PanelBuilder()
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]))
        .graphMode(common.BigValueGraphMode.Area)
        .colorMode(common.BigValueColorMode.Value);
    case "state-timeline":
      return new statetimeline.PanelBuilder().legend(legend).tooltip(tooltip).mappings(mappings(p.valueTexts));
    default: {
      const exhaustive: never = p.kind;
      throw new Error(`unknown panel kind ${String(exhaustive)}`);
    }
  }
}

/**
 * Builds the dashboard as a plain JSON object: a datasource variable, then for each section a row and its
 * panels, wrapping at 24 columns. Ids are 1, 2, 3… in reading order.
 *
 * @example
 * buildDashboardJson({ uid: "x", title: "X", description: "", tags: [], sections: [] });
 */
export function buildDashboardJson(spec: DashboardSpec): dashboard.Dashboard {
  const d = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .editable()
    .refresh("30s")
    .time({ from: "now-3h", to: "now" })
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE).label("Prometheus").type("prometheus"));
  let id = 0;
  let y = 0;
  for (const section of spec.sections) {
    d.withRow(new dashboard.RowBuilder(section.title).id(++id).gridPos({ h: 1, w: 24, x: 0, y }));
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of section.panels) {
      const w = p.width ?? (p.kind === "stat" ? 4 : 8);
      const h = HEIGHT[p.kind];
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      const b = panelBuilder(p).id(++id).title(p.title).description(p.description).unit(p.unit).datasource(DATASOURCE).gridPos({ h, w, x, y }).thresholds(thresholds(p.redFrom));
      if (p.min !== undefined) b.min(p.min);
      if (p.max !== undefined) b.max(p.max);
      p.queries.forEach((q, i) => {
        const query = new DataqueryBuilder().expr(q.expr).legendFormat(q.legend).refId(String.fromCharCode(65 + i)).datasource(DATASOURCE);
        b.withTarget(query.range());
      });
      d.withPanel(b);
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  // The SDK leaves marker functions on queries; a JSON round trip leaves exactly what Grafana reads.
  return JSON.parse(JSON.stringify(d.build())) as dashboard.Dashboard;
}
