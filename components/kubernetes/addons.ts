/**
 * @module `ClusterAddons`: the cluster-wide Helm charts the stack relies on (NVIDIA device plugin,
 * DCGM exporter, kube-prometheus-stack, KEDA), each pinned in `src/versions.ts`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MonitoringSchema } from "../../src/config/monitoring";
import { VERSIONS, type PinnedChart } from "../../src/versions";
import {
  GRAFANA_ADMIN_KEYS,
  KPS_FULLNAME,
  PROMETHEUS_PORT,
  dcgmExporterValues,
  devicePluginValues,
  kedaValues,
  kubePrometheusStackValues,
} from "./addons-values";

/** Prometheus retention, days: the stack config's default. */
export const DEFAULT_RETENTION_DAYS: number = MonitoringSchema.parse({}).retentionDays;
/** Prometheus volume, GiB: 15 days of a few model servers, GPUs and the router fit with room to spare. */
export const DEFAULT_PROMETHEUS_STORAGE_GIB = 50;
/** Namespaces the add-ons are installed in. */
export const DEFAULT_ADDON_NAMESPACES = { nvidia: "nvidia", monitoring: "monitoring", keda: "keda" } as const;
/** How long one Helm install or upgrade may take before it is rolled back, seconds. */
export const DEFAULT_HELM_TIMEOUT_SECONDS = 900;

/** Arguments for {@link ClusterAddons}. Booleans are plain: they decide which charts exist. */
export interface ClusterAddonsArgs {
  /**
   * Provider of the target cluster: {@link Cluster}.provider, or any existing `k8s.Provider`.
   * @default - the Kubernetes provider given in this component's resource options
   * (`provider`/`providers`) or inherited from its parent, else the ambient kubeconfig
   */
  provider?: k8s.Provider;
  /** Install the NVIDIA device plugin. Turn off on Bottlerocket (built in) or where the GPU Operator runs. @default true */
  devicePlugin?: boolean;
  /** Run GPU Feature Discovery (and Node Feature Discovery) with the device plugin. @default false */
  gpuFeatureDiscovery?: boolean;
  /** Install the DCGM exporter (GPU utilisation, memory, power on :9400). @default true */
  dcgmExporter?: boolean;
  /** Install kube-prometheus-stack (Prometheus Operator, Prometheus, Alertmanager, Grafana). @default true */
  monitoring?: boolean;
  /** Prometheus retention, days. @default 15 (stack config `monitoring.retentionDays`) */
  retentionDays?: number;
  /** Prometheus persistent volume, GiB. @default 50 */
  prometheusStorageGiB?: number;
  /** StorageClass of the Prometheus volume ({@link Cluster}.storageClassName). @default - the cluster default */
  storageClassName?: pulumi.Input<string | undefined>;
  /** Grafana admin password (secret). @default - a random 24-character password, exported as a secret */
  grafanaAdminPassword?: pulumi.Input<string>;
  /** Scrape etcd, scheduler, controller manager and kube-proxy; only self-managed control planes expose them. @default false */
  scrapeControlPlane?: boolean;
  /** Install KEDA (ScaledObjects, scale to zero). @default true */
  keda?: boolean;
  /** Namespaces to create and install into. @default { nvidia: "nvidia", monitoring: "monitoring", keda: "keda" } */
  namespaces?: { nvidia?: string; monitoring?: string; keda?: string };
  /** Seconds one Helm install or upgrade may take before it is rolled back. @default 900 */
  helmTimeoutSeconds?: number;
}

/**
 * Cluster-wide add-ons, each a Helm release (`helm.v3.Release`: real `helm install`, so chart
 * hooks such as kube-prometheus-stack's webhook certificate jobs run, and `helm list` shows them),
 * pinned to the chart versions of `src/versions.ts`, atomic (a failed upgrade rolls back):
 *
 * - NVIDIA device plugin (advertises `nvidia.com/gpu`) and DCGM exporter, on GPU nodes only,
 *   tolerating `nvidia.com/gpu=present:NoSchedule`;
 * - kube-prometheus-stack, picking up ServiceMonitors, PodMonitors and PrometheusRules from every
 *   namespace and Grafana dashboards from ConfigMaps labelled `grafana_dashboard: "1"`;
 * - KEDA, for ScaledObjects on Prometheus queries.
 *
 * @example new ClusterAddons("addons", { provider: cluster.provider, storageClassName: cluster.storageClassName })
 */
export class ClusterAddons extends pulumi.ComponentResource {
  /** Helm releases by role (`devicePlugin`, `dcgmExporter`, `kubePrometheusStack`, `keda`), for `dependsOn`. */
  public readonly releases: Readonly<Record<string, k8s.helm.v3.Release>>;
  /** Namespace of Prometheus and Grafana (undefined without monitoring): allow it to scrape in NetworkPolicies. */
  public readonly monitoringNamespace: pulumi.Output<string | undefined>;
  /** In-cluster Prometheus URL, e.g. for KEDA's prometheus trigger (undefined without monitoring). */
  public readonly prometheusUrl: pulumi.Output<string | undefined>;
  /** Grafana Service name in {@link monitoringNamespace} (port 80). */
  public readonly grafanaServiceName: pulumi.Output<string | undefined>;
  /** Grafana admin password (secret; undefined without monitoring). */
  public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shoestring:index:ClusterAddons", name, {}, opts);
    const errors = clusterAddonsArgsErrors(args);
    if (errors.length > 0) {
      const lines = errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`).join("\n");
      throw new pulumi.InputPropertiesError({ message: `Invalid arguments for ClusterAddons "${name}":\n${lines}`, errors });
    }
    const devicePlugin = args.devicePlugin ?? true;
    const dcgm = args.dcgmExporter ?? true;
    const monitoring = args.monitoring ?? true;
    const keda = args.keda ?? true;
    const ns = resolveNamespaces(args);
    const timeout = args.helmTimeoutSeconds ?? DEFAULT_HELM_TIMEOUT_SECONDS;
    const k8sOpts = { parent: this, provider: args.provider };
    const releases: Record<string, k8s.helm.v3.Release> = {};

    const namespace = (role: string, nsName: string, privileged: boolean) =>
      new k8s.core.v1.Namespace(
        `${name}-${role}`,
        // node-exporter and the NVIDIA DaemonSets need host access; say so where Pod Security applies.
        { metadata: { name: nsName, labels: privileged ? { "pod-security.kubernetes.io/enforce": "privileged" } : {} } },
        k8sOpts,
      );
    type Values = pulumi.Input<Record<string, unknown>>;
    const release = (role: string, pin: PinnedChart, nsName: pulumi.Input<string>, values: Values, dependsOn: pulumi.Resource[] = []) =>
      (releases[role] = new k8s.helm.v3.Release(
        `${name}-${pin.chart}`,
        {
          name: pin.chart,
          chart: pin.chart,
          version: pin.version,
          repositoryOpts: { repo: pin.repo },
          namespace: nsName,
          values,
          atomic: true,
          cleanupOnFail: true,
          timeout,
          maxHistory: 10,
        },
        { ...k8sOpts, dependsOn },
      ));

    let kps: k8s.helm.v3.Release | undefined;
    this.monitoringNamespace = this.prometheusUrl = this.grafanaServiceName = this.grafanaAdminPassword = pulumi.output(undefined);
    if (monitoring) {
      const monitoringNs = namespace("monitoring", ns.monitoring, true);
      // Marked here, so a password passed as a plain string is as secret as a generated one.
      const password = pulumi.secret(
        args.grafanaAdminPassword ??
          new random.RandomPassword(`${name}-grafana-password`, { length: 24, special: false }, { parent: this }).result,
      );
      const adminSecret = new k8s.core.v1.Secret(
        `${name}-grafana-admin`,
        {
          metadata: { namespace: monitoringNs.metadata.name },
          type: "Opaque",
          stringData: { [GRAFANA_ADMIN_KEYS.user]: "admin", [GRAFANA_ADMIN_KEYS.password]: password },
        },
        k8sOpts,
      );
      const values = pulumi.all([args.storageClassName, adminSecret.metadata.name]).apply(([storageClassName, grafanaAdminSecret]) =>
        kubePrometheusStackValues({
          retentionDays: args.retentionDays ?? DEFAULT_RETENTION_DAYS,
          storageGiB: args.prometheusStorageGiB ?? DEFAULT_PROMETHEUS_STORAGE_GIB,
          storageClassName,
          grafanaAdminSecret,
          scrapeControlPlane: args.scrapeControlPlane ?? false,
        }),
      );
      kps = release("kubePrometheusStack", VERSIONS.charts.kubePrometheusStack, monitoringNs.metadata.name, values);
      this.monitoringNamespace = monitoringNs.metadata.name;
      this.prometheusUrl = pulumi.interpolate`http://${KPS_FULLNAME}-prometheus.${monitoringNs.metadata.name}.svc:${PROMETHEUS_PORT}`;
      this.grafanaServiceName = pulumi.output(`${VERSIONS.charts.kubePrometheusStack.chart}-grafana`);
      this.grafanaAdminPassword = password;
    }
    // ServiceMonitor objects need the Prometheus Operator's CRDs, which the stack installs.
    const afterKps = kps === undefined ? [] : [kps];

    if (devicePlugin || dcgm) {
      const nvidiaNs = namespace("nvidia", ns.nvidia, true);
      if (devicePlugin) {
        const values = devicePluginValues({ gpuFeatureDiscovery: args.gpuFeatureDiscovery ?? false });
        release("devicePlugin", VERSIONS.charts.nvidiaDevicePlugin, nvidiaNs.metadata.name, values);
      }
      if (dcgm) release("dcgmExporter", VERSIONS.charts.dcgmExporter, nvidiaNs.metadata.name, dcgmExporterValues({ serviceMonitor: monitoring }), afterKps);
    }
    if (keda) {
      const kedaNs = namespace("keda", ns.keda, false);
      release("keda", VERSIONS.charts.keda, kedaNs.metadata.name, kedaValues({ serviceMonitor: monitoring }), afterKps);
    }

    this.releases = releases;
    this.registerOutputs({
      monitoringNamespace: this.monitoringNamespace,
      prometheusUrl: this.prometheusUrl,
      grafanaServiceName: this.grafanaServiceName,
      grafanaAdminPassword: this.grafanaAdminPassword,
    });
  }
}

/** Problems with the plain args, all at once (STYLE R5). */
export function clusterAddonsArgsErrors(args: ClusterAddonsArgs): pulumi.InputPropertyErrorDetails[] {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const add = (propertyPath: string, reason: string) => errors.push({ propertyPath, reason });
  const whole = (key: "retentionDays" | "prometheusStorageGiB" | "helmTimeoutSeconds", low: number, high: number, hint: string) => {
    const value = args[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= low && value <= high)) {
      add(key, `must be a whole number from ${low} to ${high} (got ${value}). ${hint}`);
    }
  };
  whole("retentionDays", 1, 3650, "Prometheus keeps at least one day.");
  whole("prometheusStorageGiB", 10, 16384, "Give Prometheus at least 10 GiB.");
  whole("helmTimeoutSeconds", 60, 3600, "kube-prometheus-stack alone can take five minutes to become ready.");
  if (args.gpuFeatureDiscovery === true && args.devicePlugin === false) {
    add("gpuFeatureDiscovery", "needs the device plugin chart, which is turned off (devicePlugin: false). Turn devicePlugin on, or leave gpuFeatureDiscovery off.");
  }
  const seen = new Map<string, string>();
  for (const [role, value] of Object.entries(resolveNamespaces(args))) {
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
      add(`namespaces.${role}`, `not a valid namespace name (got ${JSON.stringify(value)}). Use lowercase letters, digits and '-'.`);
    } else if (seen.has(value)) {
      add(`namespaces.${role}`, `is the same as namespaces.${seen.get(value)} (got ${JSON.stringify(value)}). Each add-on group gets its own namespace; pick another name.`);
    }
    seen.set(value, role);
  }
  return errors;
}

/** The namespace of each add-on group, defaults applied. */
function resolveNamespaces(args: ClusterAddonsArgs): Record<keyof typeof DEFAULT_ADDON_NAMESPACES, string> {
  const given = args.namespaces ?? {};
  return {
    nvidia: given.nvidia ?? DEFAULT_ADDON_NAMESPACES.nvidia,
    monitoring: given.monitoring ?? DEFAULT_ADDON_NAMESPACES.monitoring,
    keda: given.keda ?? DEFAULT_ADDON_NAMESPACES.keda,
  };
}
