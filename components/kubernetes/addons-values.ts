/**
 * @module Helm values of the cluster add-ons {@link ClusterAddons} installs, as pure functions so
 * tests can check every key against the charts' published defaults (test/fixtures/helm).
 */
import { VERSIONS } from "../../src/versions";
import { GPU_PRESENT_LABEL, GPU_TOLERATION } from "./gpu-node-pool-labels";

/** kube-prometheus-stack `fullnameOverride`: fixes the Prometheus Service name at `kps-prometheus`. */
export const KPS_FULLNAME = "kps";
/** Port of the Prometheus Service. */
export const PROMETHEUS_PORT = 9090;
/**
 * Label (and value) that makes Grafana's sidecar load a ConfigMap as a dashboard, from any
 * namespace. Dashboard ConfigMaps of the stack carry it.
 */
export const GRAFANA_DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;
/** Keys of the Grafana admin Secret, as the chart's `grafana.admin` block names them. */
export const GRAFANA_ADMIN_KEYS = { user: "admin-user", password: "admin-password" } as const;

type Values = Record<string, unknown>;

/**
 * NVIDIA device plugin: the chart's node affinity already requires `nvidia.com/gpu.present=true`
 * (set by every {@link GpuNodePool}); tolerations are stated here so a chart default change cannot
 * strand the plugin off the tainted GPU nodes.
 */
export function devicePluginValues(opts: { gpuFeatureDiscovery: boolean }): Values {
  return {
    tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, { ...GPU_TOLERATION }],
    gfd: { enabled: opts.gpuFeatureDiscovery },
  };
}

/** `repository:tag` → `{ repository, tag }`. */
function splitImage(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(":");
  return { repository: image.slice(0, at), tag: image.slice(at + 1) };
}

/**
 * DCGM exporter: only on GPU nodes (the chart's default runs it everywhere and it crash-loops on
 * CPU nodes), tolerating their taint, with the image pinned in `src/versions.ts`.
 */
export function dcgmExporterValues(opts: { serviceMonitor: boolean }): Values {
  return {
    image: splitImage(VERSIONS.charts.dcgmExporter.image),
    nodeSelector: { [GPU_PRESENT_LABEL]: "true" },
    tolerations: [{ ...GPU_TOLERATION }],
    serviceMonitor: { enabled: opts.serviceMonitor },
  };
}

/** What {@link kubePrometheusStackValues} needs. */
export interface KubePrometheusStackOptions {
  /** Prometheus retention, days. */
  retentionDays: number;
  /** Prometheus volume, GiB. */
  storageGiB: number;
  /** StorageClass of the volume; undefined: the cluster default. */
  storageClassName: string | undefined;
  /** Name of the Secret holding the Grafana admin user and password under {@link GRAFANA_ADMIN_KEYS}. */
  grafanaAdminSecret: string;
  /** Scrape etcd, scheduler, controller manager and kube-proxy (not reachable on EKS, GKE or AKS). */
  scrapeControlPlane: boolean;
}

/**
 * kube-prometheus-stack: Prometheus selects every ServiceMonitor, PodMonitor, Probe,
 * ScrapeConfig and PrometheusRule in every namespace (not only the release's own, the chart's
 * default), keeps `retentionDays` on a persistent volume and stops at 85% of it, and Grafana loads
 * dashboards from labelled ConfigMaps in any namespace.
 * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
 */
export function kubePrometheusStackValues(opts: KubePrometheusStackOptions): Values {
  const everywhere = {};
  const controlPlane = { enabled: opts.scrapeControlPlane };
  return {
    fullnameOverride: KPS_FULLNAME,
    prometheus: {
      prometheusSpec: {
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        serviceMonitorNamespaceSelector: everywhere,
        podMonitorNamespaceSelector: everywhere,
        ruleNamespaceSelector: everywhere,
        retention: `${opts.retentionDays}d`,
        // Size-based retention as a backstop, so a burst of series cannot fill the volume.
        retentionSize: `${Math.floor(opts.storageGiB * 0.85)}GB`,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              ...(opts.storageClassName === undefined ? {} : { storageClassName: opts.storageClassName }),
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: `${opts.storageGiB}Gi` } },
            },
          },
        },
      },
    },
    grafana: {
      admin: { existingSecret: opts.grafanaAdminSecret, userKey: GRAFANA_ADMIN_KEYS.user, passwordKey: GRAFANA_ADMIN_KEYS.password },
      sidecar: {
        dashboards: {
          enabled: true,
          label: GRAFANA_DASHBOARD_LABEL.key,
          labelValue: GRAFANA_DASHBOARD_LABEL.value,
          searchNamespace: "ALL",
        },
      },
    },
    // Managed control planes do not expose these; scraping them only raises "target down" alerts.
    kubeEtcd: controlPlane,
    kubeControllerManager: controlPlane,
    kubeScheduler: controlPlane,
    kubeProxy: controlPlane,
  };
}

/** KEDA: its operator and metrics server scraped by Prometheus when monitoring is on. */
export function kedaValues(opts: { serviceMonitor: boolean }): Values {
  const monitor = { enabled: opts.serviceMonitor, serviceMonitor: { enabled: opts.serviceMonitor } };
  return {
    // The chart's default pulls on every start although its tag is pinned by the chart version.
    image: { pullPolicy: "IfNotPresent" },
    prometheus: { operator: monitor, metricServer: monitor },
  };
}
