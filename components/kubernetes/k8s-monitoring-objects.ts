/**
 * @module `K8sMonitoringObjects`: what a Prometheus Operator (kube-prometheus-stack) needs to watch the
 * stack — ServiceMonitors for the router and model servers, a PrometheusRule, and Grafana dashboard
 * ConfigMaps — all rendered by the same generators as the Docker path (`src/monitoring`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  COMPONENT_LABEL,
  DEFAULT_ALERT_THRESHOLDS,
  DEFAULT_GRAFANA_FOLDER,
  DEFAULT_SCRAPE_INTERVAL,
  buildDashboards,
  buildRuleGroups,
  type AlertThresholds,
  type ScrapeComponent,
} from "../../src/monitoring";
import { K8S_ROLES, LABELS, PART_OF } from "./_k8s-common";
import { GRAFANA_DASHBOARD_LABEL } from "./addons-values";
import type { K8sScrapeRef } from "./k8s-workload-refs";

/** Arguments for {@link K8sMonitoringObjects}. */
export interface K8sMonitoringObjectsArgs {
  /**
   * Kubernetes provider of the cluster (Prometheus Operator CRDs installed): {@link Cluster}.provider, or any existing `k8s.Provider`.
   * @default - the Kubernetes provider given in this component's resource options
   * (`provider`/`providers`) or inherited from its parent, else the ambient kubeconfig
   */
  provider?: k8s.Provider;
  /** Namespace of the ServiceMonitors and the PrometheusRule: the stack's (where the Services are). */
  namespace: pulumi.Input<string>;
  /** Model servers to scrape (`K8sModelServer.ref`), one ServiceMonitor each. @default [] */
  modelServers?: K8sScrapeRef[];
  /** The router to scrape (`K8sRouter.scrapeRef`). @default - not scraped */
  router?: K8sScrapeRef;
  /** Alert thresholds (`monitoring.alerts`). @default - the stack config schema's defaults */
  alerts?: AlertThresholds;
  /** Scrape interval of every endpoint, a Prometheus duration. @default "15s" */
  scrapeInterval?: string;
  /**
   * Labels Prometheus selects monitors and rules by. kube-prometheus-stack selects `release: <its release
   * name>` unless its `*SelectorNilUsesHelmValues` values are false.
   * @default { release: "kube-prometheus-stack" }
   * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
   */
  monitorLabels?: Record<string, string>;
  /** Namespace Grafana's dashboard sidecar watches (kube-prometheus-stack: its own, unless `searchNamespace` is set). @default - `namespace` */
  dashboardsNamespace?: pulumi.Input<string>;
  /** Grafana folder of the dashboards (`grafana_folder` annotation; needs the sidecar's `folderAnnotation`). @default "Shoestring" */
  dashboardFolder?: string;
}

/** kube-prometheus-stack's default selector label for monitors and rules. */
export const DEFAULT_MONITOR_LABELS: Readonly<Record<string, string>> = { release: "kube-prometheus-stack" };
/** A ConfigMap holds at most 1 MiB. */
export const MAX_CONFIGMAP_BYTES = 1_048_576;

const DURATION = /^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;

/**
 * Creates the monitoring objects for an existing Prometheus Operator and Grafana: targets get the
 * `component` label the alert rules select on (`up{component="model-server"}`), llama.cpp servers with
 * an API key are scraped with it from their Secret.
 *
 * @example
 * new K8sMonitoringObjects("llm-monitoring", { provider, namespace: "shoestring",
 *   modelServers: [qwen.ref], router: router.scrapeRef, dashboardsNamespace: "monitoring" });
 */
export class K8sMonitoringObjects extends pulumi.ComponentResource {
  /** Names of the ServiceMonitors, model servers first. */
  public readonly serviceMonitorNames: pulumi.Output<string[]>;
  /** Name of the PrometheusRule. */
  public readonly prometheusRuleName: pulumi.Output<string>;
  /** Names of the dashboard ConfigMaps. */
  public readonly dashboardConfigMapNames: pulumi.Output<string[]>;

  constructor(name: string, args: K8sMonitoringObjectsArgs, opts?: pulumi.ComponentResourceOptions) {
    const servers = args.modelServers ?? [];
    const interval = args.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
    const alerts = args.alerts ?? DEFAULT_ALERT_THRESHOLDS;
    const dashboards = buildDashboards(alerts);
    validate(name, servers, interval, dashboards);
    super("shoestring:index:K8sMonitoringObjects", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const labels = { ...(args.monitorLabels ?? DEFAULT_MONITOR_LABELS), [LABELS.partOf]: PART_OF, [LABELS.managedBy]: "pulumi" };
    const meta = { namespace: args.namespace, labels };

    const monitor = (ref: K8sScrapeRef, component: ScrapeComponent) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${ref.instance}`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: meta,
          spec: {
            selector: { matchLabels: { [LABELS.instance]: ref.serviceLabels[LABELS.instance], [LABELS.component]: ref.serviceLabels[LABELS.component] } },
            namespaceSelector: { matchNames: [ref.namespace] },
            endpoints: [
              {
                port: ref.metricsPortName,
                path: ref.metricsPath,
                interval,
                // The alert rules and dashboards tell targets apart by this label, as on the Docker path.
                relabelings: [{ action: "replace", targetLabel: COMPONENT_LABEL, replacement: component }],
                ...(ref.metricsAuth !== undefined ? { authorization: { type: "Bearer", credentials: { name: ref.metricsAuth.secretName, key: ref.metricsAuth.key } } } : {}),
              },
            ],
          },
        },
        childOpts,
      );
    const monitors = [...servers.map((s) => monitor(s, K8S_ROLES.modelServer)), ...(args.router !== undefined ? [monitor(args.router, K8S_ROLES.router)] : [])];

    const rule = new k8s.apiextensions.CustomResource(
      `${name}-rules`,
      { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: meta, spec: { groups: buildRuleGroups(alerts) } },
      childOpts,
    );
    const configMaps = dashboards.map(
      (d) =>
        new k8s.core.v1.ConfigMap(
          `${name}-dashboard-${d.uid}`,
          {
            metadata: {
              namespace: args.dashboardsNamespace ?? args.namespace,
              labels: { [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value, [LABELS.partOf]: PART_OF, [LABELS.managedBy]: "pulumi" },
              annotations: { grafana_folder: args.dashboardFolder ?? DEFAULT_GRAFANA_FOLDER },
            },
            data: { [d.fileName]: JSON.stringify(d.dashboard, null, 2) },
          },
          childOpts,
        ),
    );

    this.serviceMonitorNames = pulumi.all(monitors.map((m) => m.metadata.name));
    this.prometheusRuleName = rule.metadata.name;
    this.dashboardConfigMapNames = pulumi.all(configMaps.map((c) => c.metadata.name));
    this.registerOutputs({ serviceMonitorNames: this.serviceMonitorNames, prometheusRuleName: this.prometheusRuleName, dashboardConfigMapNames: this.dashboardConfigMapNames });
  }
}

function validate(name: string, servers: readonly K8sScrapeRef[], interval: string, dashboards: ReturnType<typeof buildDashboards>): void {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  if (!DURATION.test(interval) || interval === "0") {
    errors.push({ propertyPath: "scrapeInterval", reason: `not a Prometheus duration (got ${JSON.stringify(interval)}; e.g. 15s, 1m, 1m30s). Use e.g. "${DEFAULT_SCRAPE_INTERVAL}"` });
  }
  const seen = new Map<string, number>();
  servers.forEach((s, i) => {
    const first = seen.get(s.instance);
    if (first !== undefined) errors.push({ propertyPath: `modelServers[${i}]`, reason: `"${s.instance}" is already modelServers[${first}]; it would be scraped twice. Remove one` });
    seen.set(s.instance, i);
  });
  for (const d of dashboards) {
    const bytes = Buffer.byteLength(JSON.stringify(d.dashboard, null, 2));
    if (bytes > MAX_CONFIGMAP_BYTES) errors.push({ propertyPath: "alerts", reason: `dashboard ${d.uid} is ${bytes} bytes, above a ConfigMap's ${MAX_CONFIGMAP_BYTES}. Split the dashboard` });
  }
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for K8sMonitoringObjects "${name}"`, errors });
}
