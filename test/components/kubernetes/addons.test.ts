import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ClusterAddons, type ClusterAddonsArgs } from "../../../components/kubernetes/addons";
import { VERSIONS, type PinnedChart } from "../../../src/versions";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";

const T = {
  component: "shoestring:index:ClusterAddons",
  namespace: "kubernetes:core/v1:Namespace",
  secret: "kubernetes:core/v1:Secret",
  release: "kubernetes:helm.sh/v3:Release",
  password: "random:index/randomPassword:RandomPassword",
};
const { nvidiaDevicePlugin, dcgmExporter, kubePrometheusStack, keda } = VERSIONS.charts;
const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

/** The chart's published defaults (test/fixtures/helm, see SOURCES.md there). */
function chartDefaults(pin: PinnedChart): Record<string, unknown> {
  return parse(readFileSync(join(__dirname, "../../fixtures/helm", `${pin.chart}-${pin.version}.values.yaml`), "utf8"));
}

/**
 * Dotted paths of `values` that the chart's defaults do not declare. A key under a default that is
 * an empty map, a list or null is free-form (nodeSelector, storageSpec, …) and accepted.
 */
function undeclaredKeys(values: unknown, defaults: unknown, path = ""): string[] {
  if (!values || typeof values !== "object" || Array.isArray(values)) return [];
  if (!defaults || typeof defaults !== "object" || Array.isArray(defaults) || Object.keys(defaults).length === 0) return [];
  return Object.entries(values).flatMap(([key, value]) => {
    const at = path === "" ? key : `${path}.${key}`;
    if (!(key in defaults)) return [at];
    return undeclaredKeys(value, (defaults as Record<string, unknown>)[key], at);
  });
}

describe("ClusterAddons", () => {
  let recorded: Recorded;
  let provider: k8s.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new k8s.Provider("cluster", { context: "test" });
  });

  async function build(name: string, args: Partial<ClusterAddonsArgs> = {}) {
    const addons = new ClusterAddons(name, { provider, ...args });
    await unwrap(pulumi.all([addons.prometheusUrl, addons.grafanaAdminPassword, ...Object.values(addons.releases).map((r) => r.id)]));
    await settle();
    const family = recorded.resources.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
    return {
      addons,
      family: family.map((r) => `${r.type}::${r.name}`).sort(),
      release: (pin: PinnedChart) => byName(recorded, T.release, `${name}-${pin.chart}`).inputs,
      inputs: (type: string, child: string) => byName(recorded, type, `${name}-${child}`).inputs,
    };
  }

  it("installs the device plugin, DCGM exporter, kube-prometheus-stack and KEDA in their own namespaces", async () => {
    const { family, inputs } = await build("addons");
    expectRegistered(recorded);
    expect(family).toEqual(
      [
        `${T.component}::addons`,
        `${T.namespace}::addons-monitoring`,
        `${T.namespace}::addons-nvidia`,
        `${T.namespace}::addons-keda`,
        `${T.password}::addons-grafana-password`,
        `${T.secret}::addons-grafana-admin`,
        `${T.release}::addons-nvidia-device-plugin`,
        `${T.release}::addons-dcgm-exporter`,
        `${T.release}::addons-kube-prometheus-stack`,
        `${T.release}::addons-keda`,
      ].sort(),
    );
    expect(inputs(T.namespace, "nvidia").metadata).toEqual({ name: "nvidia", labels: { "pod-security.kubernetes.io/enforce": "privileged" } });
    expect(inputs(T.namespace, "monitoring").metadata).toEqual({ name: "monitoring", labels: { "pod-security.kubernetes.io/enforce": "privileged" } });
    expect(inputs(T.namespace, "keda").metadata).toEqual({ name: "keda", labels: {} });
    const onCluster = recorded.resources.filter((r) => r.name.startsWith("addons-") && r.type.startsWith("kubernetes:"));
    expect(onCluster.every((r) => r.provider?.includes("pulumi:providers:kubernetes::cluster"))).toBe(true);
  });

  it.each([
    ["nvidia-device-plugin", nvidiaDevicePlugin, "nvidia"],
    ["dcgm-exporter", dcgmExporter, "nvidia"],
    ["kube-prometheus-stack", kubePrometheusStack, "monitoring"],
    ["keda", keda, "keda"],
  ])("pins %s to the chart version and repository of src/versions.ts, installed atomically", async (_chart, pin, namespace) => {
    const { release } = await build(`pin-${pin.chart}`);
    const r = release(pin);
    expect(r).toMatchObject({
      name: pin.chart,
      chart: pin.chart,
      version: pin.version,
      repositoryOpts: { repo: pin.repo },
      namespace,
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
      maxHistory: 10,
    });
    expect(r.version).toMatch(/^v?\d+\.\d+\.\d+$/);
    expect(r.version).not.toMatch(/latest|\*|x/);
  });

  it("pins KEDA 2.20.2 from the kedacore chart repository", () => {
    expect(keda).toEqual({ repo: "https://kedacore.github.io/charts", chart: "keda", version: "2.20.2" });
  });

  it.each([nvidiaDevicePlugin, dcgmExporter, kubePrometheusStack, keda])("sets only values $chart declares in its published values.yaml", async (pin) => {
    const { release } = await build(`keys-${pin.chart}`);
    const values = release(pin).values as Record<string, unknown>;
    expect(Object.keys(values).length).toBeGreaterThan(0);
    expect(undeclaredKeys(values, chartDefaults(pin))).toEqual([]);
  });

  it("catches a misspelt values key (the check itself can fail)", () => {
    const defaults = chartDefaults(kubePrometheusStack);
    expect(undeclaredKeys({ prometheus: { prometheusSpec: { serviceMonitorSelectorNilUsesHelmValue: false } } }, defaults)).toEqual([
      "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValue",
    ]);
    expect(undeclaredKeys({ nodeSelector: { "nvidia.com/gpu.present": "true" } }, chartDefaults(dcgmExporter))).toEqual([]);
  });

  it("runs the device plugin with tolerations for the GPU taint and without GPU Feature Discovery by default", async () => {
    const { release } = await build("dp");
    expect(release(nvidiaDevicePlugin).values).toEqual({
      tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, GPU_TOLERATION],
      gfd: { enabled: false },
    });
    const { release: withGfd } = await build("gfd", { gpuFeatureDiscovery: true });
    expect(withGfd(nvidiaDevicePlugin).values.gfd).toEqual({ enabled: true });
  });

  it("runs the DCGM exporter on GPU nodes only, tolerating their taint, with the pinned image and a ServiceMonitor", async () => {
    const { release } = await build("dcgm");
    expect(release(dcgmExporter).values).toEqual({
      image: { repository: "nvcr.io/nvidia/k8s/dcgm-exporter", tag: "4.5.3-4.8.2" },
      nodeSelector: { "nvidia.com/gpu.present": "true" },
      tolerations: [GPU_TOLERATION],
      serviceMonitor: { enabled: true },
    });
    expect(`${release(dcgmExporter).values.image.repository}:${release(dcgmExporter).values.image.tag}`).toBe(dcgmExporter.image);
  });

  it("makes Prometheus pick up monitors and rules from every namespace and Grafana load labelled dashboard ConfigMaps", async () => {
    const { release } = await build("kps", { storageClassName: "gp3-encrypted", retentionDays: 30, prometheusStorageGiB: 100 });
    const values = release(kubePrometheusStack).values;
    expect(values.fullnameOverride).toBe("kps");
    expect(values.prometheus.prometheusSpec).toEqual({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      probeSelectorNilUsesHelmValues: false,
      scrapeConfigSelectorNilUsesHelmValues: false,
      ruleSelectorNilUsesHelmValues: false,
      serviceMonitorNamespaceSelector: {},
      podMonitorNamespaceSelector: {},
      ruleNamespaceSelector: {},
      retention: "30d",
      retentionSize: "85GB",
      storageSpec: {
        volumeClaimTemplate: {
          spec: { storageClassName: "gp3-encrypted", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } } },
        },
      },
    });
    expect(values.grafana.sidecar).toEqual({
      dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
    });
    expect([values.kubeEtcd, values.kubeControllerManager, values.kubeScheduler, values.kubeProxy]).toEqual([
      { enabled: false },
      { enabled: false },
      { enabled: false },
      { enabled: false },
    ]);
  });

  it("keeps 15 days on a 50 GiB volume of the cluster's default StorageClass by default", async () => {
    // An existing cluster's Cluster.storageClassName resolves to undefined: no storageClassName key.
    const { release } = await build("kpsdefault", { scrapeControlPlane: true, storageClassName: pulumi.output(undefined) });
    const spec = release(kubePrometheusStack).values.prometheus.prometheusSpec;
    expect([spec.retention, spec.retentionSize]).toEqual(["15d", "42GB"]);
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({ accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } });
    expect(release(kubePrometheusStack).values.kubeScheduler).toEqual({ enabled: true });
  });

  it("keeps the Grafana admin password in a Secret, out of the Helm values, and secret everywhere", async () => {
    const { release, inputs, addons } = await build("graf", { grafanaAdminPassword: "correct-horse-battery" });
    const secret = inputs(T.secret, "grafana-admin");
    expect(secret.metadata).toEqual({ namespace: "monitoring" });
    expect(containsSecret(secret.stringData)).toBe(true);
    expect(pulumi.runtime.unwrapRpcSecret(secret.stringData)).toEqual({ "admin-user": "admin", "admin-password": "correct-horse-battery" });
    const values = release(kubePrometheusStack).values;
    expect(values.grafana.admin).toEqual({ existingSecret: "graf-grafana-admin-mock", userKey: "admin-user", passwordKey: "admin-password" });
    expect(JSON.stringify(release(kubePrometheusStack))).not.toContain("correct-horse-battery");
    expect(await pulumi.isSecret(addons.grafanaAdminPassword)).toBe(true);
    expect(await unwrap(addons.grafanaAdminPassword)).toBe("correct-horse-battery");
    expect(recorded.resources.filter((r) => r.name === "graf-grafana-password")).toEqual([]);
  });

  it("generates a random Grafana password when none is given, and keeps it secret", async () => {
    const { inputs, addons } = await build("randpw");
    expect(inputs(T.password, "grafana-password")).toMatchObject({ length: 24, special: false });
    expect(containsSecret(inputs(T.secret, "grafana-admin").stringData)).toBe(true);
    expect(await pulumi.isSecret(addons.grafanaAdminPassword)).toBe(true);
  });

  it("reports the in-cluster Prometheus URL, the monitoring namespace and the Grafana Service", async () => {
    const { addons } = await build("urls", { namespaces: { monitoring: "observability" } });
    expect(await unwrap(pulumi.all([addons.prometheusUrl, addons.monitoringNamespace, addons.grafanaServiceName]))).toEqual([
      "http://kps-prometheus.observability.svc:9090",
      "observability",
      "kube-prometheus-stack-grafana",
    ]);
  });

  it("scrapes KEDA's operator and metrics server when monitoring is on", async () => {
    const { release } = await build("kedamon");
    const monitor = { enabled: true, serviceMonitor: { enabled: true } };
    expect(release(keda).values).toEqual({ image: { pullPolicy: "IfNotPresent" }, prometheus: { operator: monitor, metricServer: monitor } });
  });

  it("drops kube-prometheus-stack and every ServiceMonitor when monitoring is off", async () => {
    const { family, release, addons } = await build("nomon", { monitoring: false });
    expect(family.filter((f) => f.startsWith(T.release)).sort()).toEqual(
      [`${T.release}::nomon-nvidia-device-plugin`, `${T.release}::nomon-dcgm-exporter`, `${T.release}::nomon-keda`].sort(),
    );
    expect(family.filter((f) => f.startsWith(T.secret) || f.startsWith(T.password))).toEqual([]);
    expect(release(dcgmExporter).values.serviceMonitor).toEqual({ enabled: false });
    expect(release(keda).values.prometheus.operator).toEqual({ enabled: false, serviceMonitor: { enabled: false } });
    expect(await unwrap(pulumi.all([addons.prometheusUrl, addons.monitoringNamespace, addons.grafanaAdminPassword]))).toEqual([undefined, undefined, undefined]);
  });

  it("leaves the NVIDIA namespace out when neither NVIDIA chart is wanted (Bottlerocket, GPU Operator)", async () => {
    const { family } = await build("nogpu", { devicePlugin: false, dcgmExporter: false, keda: false });
    expect(family.filter((f) => f.startsWith(T.namespace) || f.startsWith(T.release))).toEqual([
      `${T.namespace}::nogpu-monitoring`,
      `${T.release}::nogpu-kube-prometheus-stack`,
    ]);
  });

  it("refuses bad arguments, naming every problem", () => {
    expect(
      () =>
        new ClusterAddons("bad", {
          provider,
          retentionDays: 0,
          prometheusStorageGiB: 5,
          helmTimeoutSeconds: 10,
          devicePlugin: false,
          gpuFeatureDiscovery: true,
          namespaces: { nvidia: "GPU", monitoring: "keda" },
        }),
    ).toThrow(
      [
        'Invalid arguments for ClusterAddons "bad":',
        "  - retentionDays: must be a whole number from 1 to 3650 (got 0). Prometheus keeps at least one day.",
        "  - prometheusStorageGiB: must be a whole number from 10 to 16384 (got 5). Give Prometheus at least 10 GiB.",
        "  - helmTimeoutSeconds: must be a whole number from 60 to 3600 (got 10). kube-prometheus-stack alone can take five minutes to become ready.",
        "  - gpuFeatureDiscovery: needs the device plugin chart, which is turned off (devicePlugin: false). Turn devicePlugin on, or leave gpuFeatureDiscovery off.",
        '  - namespaces.nvidia: not a valid namespace name (got "GPU"). Use lowercase letters, digits and \'-\'.',
        '  - namespaces.keda: is the same as namespaces.monitoring (got "keda"). Each add-on group gets its own namespace; pick another name.',
      ].join("\n"),
    );
  });
});
