import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sLlmStack } from "../../../components/kubernetes/k8s-llm-stack";
import { k8sRouterArgs, modelServerArgs } from "../../../components/kubernetes/_k8s-stack-wiring";
import { dockerServerArgs } from "../../../components/_stack-models";
import { routerArgs, type RouterWiring } from "../../../components/_stack-wiring";
import { loadStackByName } from "../../../src/config";
import { VERSIONS } from "../../../src/versions";
import { llamaArgProblems, vllmArgProblems } from "../../engines/flag-reference";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, containsSecret, expectRegistered, installMocks, ofType, type Recorded } from "../../helpers/pulumi";
import { GPU_TOLERATION, K8S_TYPES, NOT_API_OBJECTS, countsOf } from "./_k8s-objects";
import { leakedSecrets, runProgram, type ProgramRun } from "./_program";

const T = {
  ...K8S_TYPES,
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  addon: "aws:eks/addon:Addon",
};

/** The pod spec of a model server's Deployment, as the engine receives it. */
function podSpec(recorded: Recorded, model: string) {
  return byName(recorded, T.deployment, `llm-${model}-deployment`).inputs.spec.template.spec;
}

describe("the eks-cluster stack under mocks", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("eks-cluster");
  });

  it("builds it with K8sLlmStack: one EKS cluster in a new VPC, a system node group and one node group per GPU pool", () => {
    expectRegistered(run.recorded);
    expect(countsOf(run.recorded, "shoestring:")).toEqual({
      "shoestring:index:K8sLlmStack": 1,
      "shoestring:index:Cluster": 1,
      "shoestring:index:GpuNodePool": 2,
      "shoestring:index:ClusterAddons": 1,
      "shoestring:index:K8sModelServer": 3,
      "shoestring:index:K8sRedis": 1,
      "shoestring:index:K8sRouter": 1,
      "shoestring:index:K8sNetworkPolicies": 1,
      "shoestring:index:K8sMonitoringObjects": 1,
    });
    const aws = countsOf(run.recorded, "aws:");
    expect([aws["aws:ec2/vpc:Vpc"], aws["aws:eks/cluster:Cluster"], aws[T.nodeGroup], aws[T.launchTemplate], aws[T.addon]]).toEqual([1, 1, 3, 3, 2]);
    expect(ofType(run.recorded, "docker:index/container:Container")).toEqual([]);
    const eks = ofType(run.recorded, "aws:eks/cluster:Cluster")[0]!.inputs;
    expect(eks.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.7/32"] });
    expect(eks.version).toBe("1.33");
  });

  it("registers exactly the Kubernetes objects of the stack, every one valid against the API schemas", () => {
    expect(countsOf(run.recorded, "kubernetes:")).toEqual({
      "kubernetes:core/v1:Namespace": 3,
      "kubernetes:storage.k8s.io/v1:StorageClass": 1,
      "kubernetes:core/v1:Secret": 6,
      "kubernetes:core/v1:Service": 5,
      "kubernetes:core/v1:PersistentVolumeClaim": 2,
      "kubernetes:core/v1:ConfigMap": 1,
      "kubernetes:apps/v1:Deployment": 4,
      "kubernetes:apps/v1:StatefulSet": 1,
      "kubernetes:policy/v1:PodDisruptionBudget": 2,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": 1,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": 4,
      "kubernetes:helm.sh/v3:Release": 3,
      "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": 4,
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule": 1,
    });
    expect(expectValidK8sObjects(run.recorded, NOT_API_OBJECTS)).toBe(35);
    const ns = byName(run.recorded, "kubernetes:core/v1:Namespace", "llm-namespace").inputs.metadata;
    expect(ns).toMatchObject({ name: "shoestring", labels: { "pod-security.kubernetes.io/enforce": "baseline" } });
  });

  it("installs the device plugin, DCGM exporter and kube-prometheus-stack at their pinned chart versions, and no KEDA", () => {
    const releases = ofType(run.recorded, T.release).map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.repositoryOpts.repo]);
    const { nvidiaDevicePlugin, dcgmExporter, kubePrometheusStack } = VERSIONS.charts;
    expect(releases.sort()).toEqual(
      [
        ["llm-addons-nvidia-device-plugin", nvidiaDevicePlugin.chart, nvidiaDevicePlugin.version, nvidiaDevicePlugin.repo],
        ["llm-addons-dcgm-exporter", dcgmExporter.chart, dcgmExporter.version, dcgmExporter.repo],
        ["llm-addons-kube-prometheus-stack", kubePrometheusStack.chart, kubePrometheusStack.version, kubePrometheusStack.repo],
      ].sort(),
    );
    for (const r of ofType(run.recorded, T.release)) expect(r.inputs.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("sizes each GPU pool from the config: instance type, node count, taint, GPU labels and a 200 GiB disk", () => {
    const pool = (name: string) => byName(run.recorded, T.nodeGroup, `llm-pool-${name}-nodes`).inputs;
    const big = pool("l40s-x4");
    expect(big.instanceTypes).toEqual(["g6e.12xlarge"]);
    expect(big.scalingConfig).toEqual({ minSize: 2, maxSize: 2, desiredSize: 2 });
    expect(big.taints).toEqual([{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]);
    expect(big.labels).toMatchObject({ "nvidia.com/gpu.product": "NVIDIA-L40S", "nvidia.com/gpu.count": "4", "shoestring/node-pool": "l40s-x4" });
    expect(pool("l4-x1")).toMatchObject({ instanceTypes: ["g6.xlarge"], scalingConfig: { minSize: 1, maxSize: 2, desiredSize: 1 } });
    const disk = byName(run.recorded, T.launchTemplate, "llm-pool-l40s-x4-lt").inputs.blockDeviceMappings[0].ebs;
    expect(disk).toMatchObject({ volumeSize: 200, volumeType: "gp3", encrypted: "true" });
  });

  it("gives each model server its planned GPUs, the GPU toleration and its pool, and the CPU model the system nodes", () => {
    const llama = podSpec(run.recorded, "llama-70b");
    expect(llama.containers[0].resources.limits).toEqual({ "nvidia.com/gpu": "4" });
    expect(llama.tolerations).toEqual([GPU_TOLERATION]);
    expect(llama.nodeSelector).toEqual({ "shoestring/node-pool": "l40s-x4" });
    expect(vllmArgProblems(llama.containers[0].args)).toEqual([]);
    expect(llama.containers[0].args.join(" ")).toContain("--tensor-parallel-size 4");
    expect(llama.containers[0].image).toBe(VERSIONS.vllm.image);

    const qwen = podSpec(run.recorded, "qwen-7b");
    expect(qwen.containers[0].resources.limits).toEqual({ "nvidia.com/gpu": "1" });
    expect(qwen.tolerations).toEqual([GPU_TOLERATION]);
    expect(qwen.nodeSelector).toEqual({ "shoestring/node-pool": "l4-x1" });

    const nomic = podSpec(run.recorded, "nomic-embed");
    expect(nomic.containers[0].image).toBe(VERSIONS.llamaCpp.cpuImage);
    expect(nomic.containers[0].resources).toEqual({ requests: { cpu: "1", memory: "2Gi" } });
    expect(nomic.tolerations).toBeUndefined();
    expect(nomic.nodeSelector).toEqual({ "shoestring/node-pool": "system" });
    expect(llamaArgProblems(nomic.containers[0].args)).toEqual([]);
  });

  it("runs two replicas of the 70B model with its weights on each node's disk, and one-replica models on gp3 claims", () => {
    const llama = byName(run.recorded, T.deployment, "llm-llama-70b-deployment").inputs.spec;
    expect(llama.replicas).toBe(2);
    expect(llama.template.spec.volumes).toContainEqual({ name: "model-cache", emptyDir: { sizeLimit: "100Gi" } });
    expect(llama.template.spec.containers[0].resources.requests["ephemeral-storage"]).toBe("100Gi");
    // 1800 s to load plus 10 s per GiB of the 67.7 GiB checkpoint to download, probed every 10 s.
    expect(llama.template.spec.containers[0].startupProbe.failureThreshold).toBe(248);
    const claims = ofType(run.recorded, T.pvc).map((c) => [c.name, c.inputs.spec.storageClassName, c.inputs.spec.resources.requests.storage]);
    expect(claims.sort()).toEqual([
      ["llm-nomic-embed-models", "gp3-encrypted", "20Gi"],
      ["llm-qwen-7b-models", "gp3-encrypted", "20Gi"],
    ]);
  });

  it("scales the router from the configured registry image between 2 and 6 replicas on CPU, its count left to the HPA", () => {
    const router = byName(run.recorded, T.deployment, "llm-router-deployment").inputs.spec;
    expect("replicas" in router).toBe(false);
    const container = router.template.spec.containers[0];
    expect(container.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/shoestring-router:0.1.0");
    // The HPA's utilization is a share of the CPU request: without one it cannot scale.
    expect(container.resources.requests).toEqual({ cpu: "250m", memory: "256Mi" });
    const hpa = byName(run.recorded, T.hpa, "llm-router-hpa").inputs;
    expect(hpa.metadata.namespace).toBe("shoestring");
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm-router-deployment-mock" },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    });
    expect(ofType(run.recorded, T.hpa)).toHaveLength(1);
    expect(ofType(run.recorded, "kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
  });

  it("installs metrics-server, which the HPA reads, as the EKS add-on at EKS's default version for the cluster", () => {
    const addons = ofType(run.recorded, T.addon).map((a) => a.inputs.addonName);
    expect(addons.sort()).toEqual(["aws-ebs-csi-driver", "metrics-server"]);
    const metrics = byName(run.recorded, T.addon, "llm-cluster-metrics-server").inputs;
    expect(metrics).toMatchObject({ clusterName: "llm-cluster-eks", addonName: "metrics-server", region: "us-east-1", resolveConflictsOnUpdate: "OVERWRITE" });
    expect(metrics.addonVersion).toBeUndefined();
    expect(metrics.serviceAccountRoleArn).toBeUndefined();
  });

  it("keeps every secret a secret: router keys, config, model server keys and Grafana's password", async () => {
    expect(leakedSecrets(run.recorded)).toEqual([]);
    for (const s of ofType(run.recorded, T.secret)) expect(containsSecret(s.inputs.stringData), s.name).toBe(true);
    for (const name of ["routerApiKey", "grafanaAdminPassword", "kubeconfig"]) expect(await pulumi.isSecret(run.exports[name]!), name).toBe(true);
  });

  it("exports the in-cluster URLs, the kubeconfig and the planner's verdict with the CPU model on the system nodes", () => {
    expect(run.outputs.routerUrl).toBe("http://llm-router.shoestring.svc:8080/v1");
    expect(run.outputs.routerApiKey).toBe("sk-router-PLAINTEXT-1");
    expect(run.outputs.grafanaUrl).toBe("http://kube-prometheus-stack-grafana.monitoring.svc");
    expect(run.outputs.namespace).toBe("shoestring");
    expect(run.outputs.kubeconfig).toContain("get-token");
    expect(run.outputs.modelEndpoints).toEqual({
      "llama-70b": "http://llm-llama-70b.shoestring.svc:8000/v1",
      "qwen-7b": "http://llm-qwen-7b.shoestring.svc:8000/v1",
      "nomic-embed": "http://llm-nomic-embed.shoestring.svc:8080/v1",
    });
    const plan = run.outputs.plan as { fits: boolean; gpusUsed: number; gpusAvailable: number; monthlyUsd: number; models: { name: string; placedOn: string; tp: number }[] };
    expect([plan.fits, plan.gpusUsed, plan.gpusAvailable]).toEqual([true, 9, 9]);
    expect(plan.monthlyUsd).toBeGreaterThan(15_000);
    expect(plan.models.map((m) => [m.name, m.placedOn, m.tp])).toEqual([
      ["llama-70b", "pool l40s-x4 (2× g6e.12xlarge)", 4],
      ["qwen-7b", "pool l4-x1 (1× g6.xlarge)", 1],
      ["nomic-embed", "system nodes", 0],
    ]);
  });
});

describe("the Kubernetes composition against the Docker one", () => {
  const { config } = loadStackByName("eks-cluster", { checkSecrets: false });

  it("gives every model the same engine settings as the Docker path at the same GPU count", () => {
    for (const model of config.models) {
      const gpus = model.engine === "vllm" ? 4 : 0;
      const docker = dockerServerArgs(model, { gpus, deviceIds: [] }, { provider: undefined!, network: "n", internalApiKey: "k", secrets: {} });
      const placement = { gpus, replicas: 1, cache: "ephemeral", cacheGi: 10, startupTimeoutSeconds: 1800 } as const;
      const k8s = modelServerArgs(model, placement, { provider: undefined!, namespace: "ns", internalApiKey: "k", storageClassName: undefined, secrets: {} });
      expect({ vllm: k8s.vllm, llamaCpp: k8s.llamaCpp }).toEqual({ vllm: docker.vllm, llamaCpp: docker.llamaCpp });
    }
  });

  it("gives the router the same models, routes, providers, cache and tenants as the Docker path", () => {
    const servers = config.models.map((m) => ({ endpoint: pulumi.output(`http://${m.name}/v1`), servedModelName: pulumi.output(m.name) }));
    const shared = { internalApiKey: "k", redisUrl: "redis://r" };
    const k8s = k8sRouterArgs(config, {}, { provider: undefined!, namespace: "ns", image: "i", servers, ...shared });
    const docker = routerArgs(config, {}, { provider: undefined!, network: "n", bindAddress: "", dependsOn: [], servers: servers as unknown as RouterWiring["servers"], ...shared });
    const routing = ["modelServers", "providers", "tiers", "aliases", "cloudOnlyOnFailure", "timeouts", "cache"] as const;
    for (const key of routing) expect(k8s[key], key).toEqual(docker[key]);
    expect(k8s.tenants).toHaveLength(0);
    expect(docker.tenants).toBeUndefined();
  });

  it("hands router.imagePullSecrets to the router, and nothing when unset", () => {
    const servers = config.models.map((m) => ({ endpoint: pulumi.output(`http://${m.name}/v1`), servedModelName: pulumi.output(m.name) }));
    const wiring = { provider: undefined!, namespace: "ns", image: "i", servers, internalApiKey: "k" };
    expect(k8sRouterArgs(config, {}, wiring).imagePullSecrets).toBeUndefined();
    const withPull = { ...config, router: { ...config.router, imagePullSecrets: ["ghcr-pull"] } };
    expect(k8sRouterArgs(withPull, {}, wiring).imagePullSecrets).toEqual(["ghcr-pull"]);
  });

  it("hands cache.semantic.index to the router's cache settings, binary when unset", () => {
    const servers = config.models.map((m) => ({ endpoint: pulumi.output(`http://${m.name}/v1`), servedModelName: pulumi.output(m.name) }));
    const wiring = { provider: undefined!, namespace: "ns", image: "i", servers, internalApiKey: "k", redisUrl: "redis://r" };
    expect(k8sRouterArgs(config, {}, wiring).cache?.semantic?.index).toBe("binary");
    const int8 = { ...config, cache: { ...config.cache, semantic: { ...config.cache.semantic, index: "int8" as const } } };
    expect(k8sRouterArgs(int8, {}, wiring).cache?.semantic?.index).toBe("int8");
  });
});

describe("K8sLlmStack refuses what it cannot build, before registering anything", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks();
  });

  it("refuses a GPU pool disk too small for the weights its replicas download", () => {
    const { config } = loadStackByName("eks-cluster", { checkSecrets: false });
    const target = config.target as Extract<typeof config.target, { kind: "eks" }>;
    const small = { ...config, target: { ...target, gpuNodePools: target.gpuNodePools.map((p, i) => (i === 0 ? { ...p, diskGiB: 100 } : p)) } };
    expect(() => new K8sLlmStack("llm", { config: small })).toThrow(
      "The stack's node disks are too small; nothing was created.\n" +
        `  - shoestring:target.gpuNodePools[0].diskGiB: model "llama-70b" runs 2 replicas, so every pod downloads its 100 GiB cache to the node's disk, ` +
        "which also holds ~40 GiB of images (got 100 GiB; needs at least 140). Fix: pulumi config set --path 'target.gpuNodePools[0].diskGiB' 140",
    );
    expect(recorded.resources).toEqual([]);
  });

  it("refuses a config built in code without a router image the cluster could pull", () => {
    const { config } = loadStackByName("eks-cluster", { checkSecrets: false });
    const { image: _image, ...router } = config.router;
    expect(() => new K8sLlmStack("llm", { config: { ...config, router } })).toThrow(
      "shoestring:router.image: required on target kind eks: the cluster pulls the router from a registry. " +
        "Fix: docker build -f images/router/Dockerfile -t <registry>/shoestring-router:<version> . && docker push <registry>/shoestring-router:<version>, then set router.image to it.",
    );
    expect(recorded.resources).toEqual([]);
  });

  it("refuses a Docker target, naming the composition root that builds it", () => {
    const { config } = loadStackByName("local", { checkSecrets: false });
    expect(() => new K8sLlmStack("llm", { config })).toThrow(
      'shoestring:target.kind: K8sLlmStack composes Kubernetes targets (eks, kubernetes); got "docker-local". Docker targets are built by LlmStack (createStack picks the right one).',
    );
    expect(recorded.resources).toEqual([]);
  });
});
