import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sLlmStack } from "../../../components/kubernetes/k8s-llm-stack";
import { parseStackConfig } from "../../../src/config";
import { VERSIONS } from "../../../src/versions";
import { vllmArgProblems } from "../../engines/flag-reference";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, containsSecret, expectRegistered, installMocks, ofType, settle, unwrap, type Recorded } from "../../helpers/pulumi";
import { GPU_TOLERATION, K8S_TYPES, NOT_API_OBJECTS, countsOf } from "./_k8s-objects";
import { leakedSecrets, plainStrings, runProgram, type ProgramRun } from "./_program";

const T = { ...K8S_TYPES, hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", pdb: "kubernetes:policy/v1:PodDisruptionBudget" } as const;

/** The stack file `stacks/Pulumi.k8s.yaml` as raw sections, without the `shoestring:` prefix. */
function k8sStackSections(): Record<string, Record<string, unknown>> {
  const file = parse(readFileSync(join(__dirname, "../../../stacks/Pulumi.k8s.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^shoestring:/, ""), v]));
}

describe("the k8s stack (an existing cluster) under mocks", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("k8s");
  });

  it("creates no AWS resource and reaches the cluster through the configured kubeconfig context", () => {
    expectRegistered(run.recorded);
    expect(run.recorded.resources.filter((r) => r.type.startsWith("aws:") || r.type.startsWith("docker:"))).toEqual([]);
    expect(ofType(run.recorded, "shoestring:index:GpuNodePool")).toEqual([]);
    const providers = ofType(run.recorded, T.provider);
    expect(providers.map((p) => [p.name, p.inputs.context, p.inputs.kubeconfig])).toEqual([["llm-cluster-k8s", "gpu-cluster", undefined]]);
  });

  it("registers exactly the stack's Kubernetes objects, every one valid against the API schemas (KEDA's included)", () => {
    expect(countsOf(run.recorded, "kubernetes:")).toEqual({
      "kubernetes:core/v1:Namespace": 3,
      "kubernetes:core/v1:Secret": 4,
      "kubernetes:core/v1:Service": 3,
      "kubernetes:core/v1:ConfigMap": 1,
      "kubernetes:apps/v1:Deployment": 2,
      "kubernetes:apps/v1:StatefulSet": 1,
      "kubernetes:policy/v1:PodDisruptionBudget": 2,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 1,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": 4,
      "kubernetes:helm.sh/v3:Release": 2,
      "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": 2,
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule": 1,
      "kubernetes:keda.sh/v1alpha1:ScaledObject": 1,
    });
    expect(expectValidK8sObjects(run.recorded, NOT_API_OBJECTS)).toBe(25);
    expect(ofType(run.recorded, "kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name).sort()).toEqual(["keda", "monitoring", "shoestring"]);
  });

  it("installs kube-prometheus-stack and KEDA at their pinned versions, and no NVIDIA chart the cluster may already run", () => {
    const { kubePrometheusStack, keda } = VERSIONS.charts;
    const releases = ofType(run.recorded, T.release).map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.repositoryOpts.repo]);
    expect(releases.sort()).toEqual([
      ["llm-addons-keda", keda.chart, keda.version, keda.repo],
      ["llm-addons-kube-prometheus-stack", kubePrometheusStack.chart, kubePrometheusStack.version, kubePrometheusStack.repo],
    ]);
  });

  it("runs the 7B model on one GPU per pod on any GPU node, its replica count left to KEDA and its weights on the node", () => {
    const spec = byName(run.recorded, T.deployment, "llm-qwen-7b-deployment").inputs.spec;
    expect("replicas" in spec).toBe(false);
    const pod = spec.template.spec;
    expect(pod.containers[0].resources.limits).toEqual({ "nvidia.com/gpu": "1" });
    expect(pod.tolerations).toEqual([GPU_TOLERATION]);
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.volumes).toContainEqual({ name: "model-cache", emptyDir: { sizeLimit: "20Gi" } });
    expect(vllmArgProblems(pod.containers[0].args)).toEqual([]);
    expect(ofType(run.recorded, "kubernetes:core/v1:PersistentVolumeClaim")).toEqual([]);
  });

  it("scales the model between 1 and 2 replicas on vLLM's queue, read from the kit's Prometheus", () => {
    const so = byName(run.recorded, T.scaledObject, "llm-autoscaling-llm-qwen-7b").inputs.spec;
    expect(so.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "llm-qwen-7b-deployment-mock" });
    expect([so.minReplicaCount, so.maxReplicaCount]).toEqual([1, 2]);
    expect(so.triggers).toEqual([
      {
        type: "prometheus",
        name: "queue",
        metadata: {
          serverAddress: "http://kps-prometheus.monitoring.svc:9090",
          query: 'sum(vllm:num_requests_waiting{namespace="shoestring",service="llm-qwen-7b"})',
          threshold: "5",
          activationThreshold: "0",
          ignoreNullValues: "true",
        },
      },
    ]);
  });

  it("scales the router between 1 and 3 replicas on CPU with the cluster's metrics-server, and keeps every secret a secret", () => {
    const router = byName(run.recorded, T.deployment, "llm-router-deployment").inputs.spec;
    expect("replicas" in router).toBe(false);
    expect(router.template.spec.containers[0].resources.requests.cpu).toBe("250m");
    expect(byName(run.recorded, T.hpa, "llm-router-hpa").inputs.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm-router-deployment-mock" },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    });
    // An existing cluster is assumed to run metrics-server; the kit installs it only on its own EKS clusters.
    expect(run.recorded.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    expect(byName(run.recorded, T.pdb, "llm-router-pdb").inputs.spec.maxUnavailable).toBe(1);
    expect(leakedSecrets(run.recorded)).toEqual([]);
    for (const s of ofType(run.recorded, T.secret)) expect(containsSecret(s.inputs.stringData), s.name).toBe(true);
  });

  it("exports the in-cluster URLs and the planner's verdict, without a kubeconfig of its own", () => {
    expect(run.outputs.routerUrl).toBe("http://llm-router.shoestring.svc:8080/v1");
    expect(run.outputs.modelEndpoints).toEqual({ "qwen-7b": "http://llm-qwen-7b.shoestring.svc:8000/v1" });
    expect(run.outputs.kubeconfig).toBeUndefined();
    expect(run.outputs.plan).toMatchObject({ fits: true, gpusUsed: 2, gpusAvailable: 2, monthlyUsd: null, models: [{ name: "qwen-7b", tp: 1 }] });
  });
});

describe("an existing cluster with its own Prometheus, KEDA and namespace, and secrets everywhere", () => {
  const SECRETS = {
    routerApiKeys: "sk-router-PLAINTEXT-1",
    clusterKubeconfig: "apiVersion: v1\nkind: Config\n# PLAINTEXT-kubeconfig\n",
    hfToken: "hf_PLAINTEXT_token",
    grafanaPassword: "PLAINTEXT-grafana",
  };
  let recorded: Recorded;
  let stack: K8sLlmStack;
  beforeAll(async () => {
    recorded = await installMocks();
    const raw = k8sStackSections();
    const config = parseStackConfig({
      ...raw,
      target: {
        ...raw.target,
        context: undefined,
        kubeconfigSecret: "clusterKubeconfig",
        namespace: "llm-team",
        createNamespace: false,
        addons: { kubePrometheusStack: false, keda: false, monitoringNamespace: "observability", prometheusUrl: "http://prometheus-operated.observability.svc:9090" },
        autoscaling: { "qwen-7b": { minReplicas: 0 } },
        ingress: { domain: "llm.example.com", className: "nginx", clusterIssuer: "letsencrypt" },
      },
      models: (raw.models as unknown as Record<string, unknown>[]).map((m) => ({ ...m, hfTokenSecret: "hfToken" })),
      monitoring: { grafana: { adminPasswordSecret: "grafanaPassword" } },
    }).config;
    const secrets = Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [k, pulumi.secret(v)]));
    stack = new K8sLlmStack("llm", { config, secrets });
    await unwrap(pulumi.all([stack.routerUrl, stack.modelEndpoints]));
    await settle();
  });

  it("creates no namespace and installs no chart: the cluster has them", () => {
    expectRegistered(recorded);
    expect(ofType(recorded, "kubernetes:core/v1:Namespace")).toEqual([]);
    expect(ofType(recorded, T.release)).toEqual([]);
    expect(expectValidK8sObjects(recorded, NOT_API_OBJECTS)).toBe(22);
  });

  it("passes the kubeconfig, HF token and Grafana password only inside secret wrappers", async () => {
    const provider = ofType(recorded, T.provider)[0]!.inputs;
    expect(pulumi.runtime.isRpcSecret(provider.kubeconfig)).toBe(true);
    const leaks = recorded.resources.flatMap((r) => plainStrings(r.inputs).filter((s) => s.includes("PLAINTEXT")).map((s) => `${r.type} ${r.name}: ${s}`));
    expect(leaks).toEqual([]);
    const server = byName(recorded, T.secret, "llm-qwen-7b-secrets").inputs.stringData;
    expect(pulumi.runtime.unwrapRpcSecret(server)).toMatchObject({ HF_TOKEN: "hf_PLAINTEXT_token" });
    expect(await pulumi.isSecret(stack.kubeconfig)).toBe(true);
    expect(await unwrap(stack.grafanaUrl)).toBeUndefined();
  });

  it("scales to zero on the cluster's Prometheus and wakes on the router's failed attempts", () => {
    const so = byName(recorded, T.scaledObject, "llm-autoscaling-llm-qwen-7b").inputs;
    expect(so.metadata.namespace).toBe("llm-team");
    expect(so.spec.minReplicaCount).toBe(0);
    expect(so.spec.triggers.map((t: { name: string; metadata: { serverAddress: string; query: string } }) => [t.name, t.metadata.serverAddress, t.metadata.query])).toEqual([
      ["queue", "http://prometheus-operated.observability.svc:9090", 'sum(vllm:num_requests_waiting{namespace="llm-team",service="llm-qwen-7b"})'],
      ["router-demand", "http://prometheus-operated.observability.svc:9090", 'clamp_max(sum(increase(shoestring_router_fallbacks_total{namespace="llm-team",from="qwen-7b"}[2m])), 1)'],
    ]);
  });

  it("lets only the ingress controller and the cluster's Prometheus in, and serves the router over TLS from cert-manager", async () => {
    const router = byName(recorded, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "llm-netpol-router").inputs.spec.ingress[0].from;
    expect(router).toEqual([
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } },
    ]);
    const ingress = byName(recorded, "kubernetes:networking.k8s.io/v1:Ingress", "llm-router-ingress").inputs;
    expect(ingress.spec.tls).toEqual([{ hosts: ["llm.example.com"], secretName: "llm-router-tls" }]);
    expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(await unwrap(stack.routerUrl)).toBe("https://llm.example.com/v1");
    const dashboards = ofType(recorded, "kubernetes:core/v1:ConfigMap").map((c) => c.inputs.metadata.namespace);
    expect(dashboards).toEqual(["observability"]);
  });
});

describe("router autoscaling settings on an existing cluster", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks();
    const raw = k8sStackSections();
    const build = (name: string, autoscaling: Record<string, unknown>, replicas: number) => {
      const { config } = parseStackConfig({ ...raw, router: { ...raw.router, replicas, autoscaling } });
      return new K8sLlmStack(name, { config, secrets: { routerApiKeys: pulumi.secret("sk-router-PLAINTEXT-1") } });
    };
    const stacks = [build("off", { enabled: false }, 2), build("tuned", { maxReplicas: 5, targetCpuPercent: 55 }, 2), build("flat", { maxReplicas: 2 }, 2)];
    await unwrap(pulumi.all(stacks.map((s) => s.routerUrl)));
    await settle();
  });

  it("takes the configured maximum and CPU target, the minimum being router.replicas", () => {
    expectRegistered(recorded);
    expect(byName(recorded, T.hpa, "tuned-router-hpa").inputs.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "tuned-router-deployment-mock" },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 55 } } }],
    });
    expect("replicas" in byName(recorded, T.deployment, "tuned-router-deployment").inputs.spec).toBe(false);
  });

  it("runs a fixed replica count and no HPA when autoscaling is off or its maximum equals the replicas", () => {
    expect(ofType(recorded, T.hpa).map((h) => h.name)).toEqual(["tuned-router-hpa"]);
    for (const name of ["off", "flat"]) {
      expect(byName(recorded, T.deployment, `${name}-router-deployment`).inputs.spec.replicas, name).toBe(2);
      expect(byName(recorded, T.pdb, `${name}-router-pdb`).inputs.spec.maxUnavailable, name).toBe(1);
    }
    // Each stack registers the 25 objects of the k8s stack above, less the two HPAs not made.
    expect(expectValidK8sObjects(recorded, NOT_API_OBJECTS)).toBe(3 * 25 - 2);
  });
});
