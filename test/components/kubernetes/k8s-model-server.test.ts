/** K8sModelServer under mocks: exact pod specs (GPU limits, tolerations, probes, shm, cache), Service, PDB, LWS, secrets and errors. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sModelServer } from "../../../components/kubernetes/k8s-model-server";
import { VLLM_MULTI_NODE_SCRIPT } from "../../../components/kubernetes/k8s-model-server-pod";
import { llamaCppCommand } from "../../../src/engines/llamacpp-args";
import { vllmCommand } from "../../../src/engines/vllm-args";
import { VERSIONS } from "../../../src/versions";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";
import { API_KEY, HF_TOKEN, LLAMA_70B, QWEN_1_5B, errorsOf, visibleInputs } from "./fixtures";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const SECRET = "kubernetes:core/v1:Secret";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const LWS = "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet";
const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

function children(recorded: Recorded, prefix: string): string[] {
  return recorded.resources.filter((r) => r.name === prefix || r.name.startsWith(`${prefix}-`)).map((r) => `${r.type} ${r.name}`).sort();
}

describe("K8sModelServer", () => {
  let recorded: Recorded;
  let provider: k8s.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
  });

  it("runs vLLM 70B on 2 GPUs with the GPU toleration, a 30-minute startup budget, 4 GiB of shm and secrets from a Secret", async () => {
    const server = new K8sModelServer("llm-llama-70b", {
      provider,
      namespace: "llm",
      vllm: LLAMA_70B,
      apiKey: pulumi.secret(API_KEY),
      hfToken: pulumi.secret(HF_TOKEN),
      storageClassName: "gp3",
      modelCacheSizeGi: 200,
      gpuProduct: "NVIDIA-H100-80GB-HBM3",
      nodePool: "h100",
    });
    expect(await unwrap(server.endpoint)).toBe("http://llm-llama-70b.llm.svc:8000/v1");
    expect(await unwrap(pulumi.all([server.servedModelName, server.healthPath, server.metricsPort, server.metricsPath, server.metricsNeedApiKey, server.secretName]))).toEqual([
      "llama-70b",
      "/health",
      8000,
      "/metrics",
      false,
      "llm-llama-70b-secrets-mock",
    ]);
    await settle();
    expectRegistered(recorded);
    expect(children(recorded, "llm-llama-70b")).toEqual([
      `${PVC} llm-llama-70b-models`,
      `${SECRET} llm-llama-70b-secrets`,
      `${DEPLOYMENT} llm-llama-70b-deployment`,
      `${SERVICE} llm-llama-70b-service`,
      "shoestring:index:K8sModelServer llm-llama-70b",
    ].sort());

    const dep = byName(recorded, DEPLOYMENT, "llm-llama-70b-deployment");
    expect(dep.provider).toContain("pulumi:providers:kubernetes::cluster");
    expect(dep.inputs.metadata).toMatchObject({ namespace: "llm", annotations: { "pulumi.com/skipAwait": "true" } });
    const selector = { "app.kubernetes.io/instance": "llm-llama-70b", "app.kubernetes.io/component": "model-server" };
    expect(dep.inputs.spec.replicas).toBe(1);
    expect(dep.inputs.spec.selector).toEqual({ matchLabels: selector });
    expect(dep.inputs.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(dep.inputs.spec.progressDeadlineSeconds).toBe(2400);
    expect(dep.inputs.spec.template.metadata.labels).toEqual({
      "app.kubernetes.io/name": "vllm",
      "app.kubernetes.io/instance": "llm-llama-70b",
      "app.kubernetes.io/component": "model-server",
      "app.kubernetes.io/part-of": "shoestring",
      "app.kubernetes.io/managed-by": "pulumi",
    });
    const pod = dep.inputs.spec.template.spec;
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.tolerations).toEqual([GPU_TOLERATION]);
    expect(pod.nodeSelector).toEqual({ "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3", "shoestring/node-pool": "h100" });
    expect(pod.topologySpreadConstraints.map((t: { topologyKey: string; whenUnsatisfiable: string }) => `${t.topologyKey} ${t.whenUnsatisfiable}`)).toEqual([
      "kubernetes.io/hostname ScheduleAnyway",
      "topology.kubernetes.io/zone ScheduleAnyway",
    ]);
    expect(pod.volumes).toEqual([
      { name: "model-cache", persistentVolumeClaim: { claimName: "llm-llama-70b-models-mock" } },
      { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "4096Mi" } },
    ]);
    const c = pod.containers[0];
    const expected = vllmCommand({ ...LLAMA_70B, apiKey: true, hfToken: true });
    expect(c.name).toBe("server");
    expect(c.image).toBe(VERSIONS.vllm.image);
    expect(c.args).toEqual(expected.args);
    expect(c.command).toBeUndefined();
    expect(c.ports).toEqual([{ name: "http", containerPort: 8000, protocol: "TCP" }]);
    expect(c.env).toEqual([
      { name: "VLLM_NO_USAGE_STATS", value: "1" },
      { name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "llm-llama-70b-secrets-mock", key: "HF_TOKEN" } } },
      { name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: "llm-llama-70b-secrets-mock", key: "VLLM_API_KEY" } } },
    ]);
    expect(c.resources).toEqual({ requests: { cpu: "2", memory: "8Gi" }, limits: { "nvidia.com/gpu": "2" } });
    expect(c.volumeMounts).toEqual([
      { name: "model-cache", mountPath: "/root/.cache" },
      { name: "dshm", mountPath: "/dev/shm" },
    ]);
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
    const httpGet = { path: "/health", port: "http" };
    expect(c.startupProbe).toEqual({ httpGet, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 180 });
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30 * 60);
    expect(c.readinessProbe).toEqual({ httpGet, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe).toEqual({ httpGet, periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 4 });

    expect(byName(recorded, PVC, "llm-llama-70b-models").inputs.spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      storageClassName: "gp3",
      resources: { requests: { storage: "200Gi" } },
    });
    const svc = byName(recorded, SERVICE, "llm-llama-70b-service").inputs;
    expect(svc.metadata.name).toBe("llm-llama-70b");
    expect(svc.spec).toEqual({ type: "ClusterIP", selector, ports: [{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }] });

    const secret = byName(recorded, SECRET, "llm-llama-70b-secrets").inputs;
    expect(containsSecret(secret.stringData)).toBe(true);
    expect(pulumi.runtime.unwrapRpcSecret(secret.stringData)).toEqual({ HF_TOKEN, VLLM_API_KEY: API_KEY });
    for (const r of recorded.resources.filter((x) => x.name.startsWith("llm-llama-70b"))) {
      expect(visibleInputs(r.inputs)).not.toContain(API_KEY);
      expect(visibleInputs(r.inputs)).not.toContain(HF_TOKEN);
    }
    expect(recorded.resources.some((r) => r.type === PDB && r.name.startsWith("llm-llama-70b"))).toBe(false);
  });

  it("runs a GGUF on the CPU image with no GPU limit, toleration, shm or Secret, and passes the scrape key for llama.cpp", async () => {
    const cpu = new K8sModelServer("llm-qwen-cpu", { provider, namespace: "llm", llamaCpp: QWEN_1_5B, cpu: "4", memoryGi: 4, memoryLimitGi: 6 });
    const keyed = new K8sModelServer("llm-qwen-gpu", { provider, namespace: "llm", llamaCpp: QWEN_1_5B, gpus: 1, apiKey: pulumi.secret(API_KEY) });
    expect(await unwrap(cpu.endpoint)).toBe("http://llm-qwen-cpu.llm.svc:8080/v1");
    expect(await unwrap(keyed.metricsNeedApiKey)).toBe(true);
    await settle();
    expect(children(recorded, "llm-qwen-cpu")).toEqual([
      `${DEPLOYMENT} llm-qwen-cpu-deployment`,
      `${PVC} llm-qwen-cpu-models`,
      `${SERVICE} llm-qwen-cpu-service`,
      "shoestring:index:K8sModelServer llm-qwen-cpu",
    ]);
    const pod = byName(recorded, DEPLOYMENT, "llm-qwen-cpu-deployment").inputs.spec.template.spec;
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.volumes).toEqual([{ name: "model-cache", persistentVolumeClaim: { claimName: "llm-qwen-cpu-models-mock" } }]);
    const c = pod.containers[0];
    expect(c.image).toBe(VERSIONS.llamaCpp.cpuImage);
    expect(c.args).toEqual(llamaCppCommand({ ...QWEN_1_5B, gpu: false }).args);
    expect(c.env).toEqual([]);
    expect(c.resources).toEqual({ requests: { cpu: "4", memory: "4Gi" }, limits: { memory: "6Gi" } });

    const gpuPod = byName(recorded, DEPLOYMENT, "llm-qwen-gpu-deployment").inputs.spec.template.spec;
    expect(gpuPod.containers[0].image).toBe(VERSIONS.llamaCpp.cudaImage);
    expect(gpuPod.containers[0].resources.limits).toEqual({ "nvidia.com/gpu": "1" });
    expect(gpuPod.tolerations).toEqual([GPU_TOLERATION]);
    expect(keyed.ref.metricsAuth?.key).toBe("LLAMA_API_KEY");
    expect(await unwrap(keyed.ref.metricsAuth!.secretName)).toBe("llm-qwen-gpu-secrets-mock");
    expect(cpu.ref.metricsAuth).toBeUndefined();
  });

  it("leaves the replica count to the autoscaler, shares a ReadWriteMany cache and adds a disruption budget", async () => {
    const server = new K8sModelServer("llm-scaled", {
      provider,
      namespace: "llm",
      vllm: { ...LLAMA_70B, tensorParallelSize: 1 },
      maxReplicas: 4,
      modelCacheAccessMode: "ReadWriteMany",
      storageClassName: "efs",
      waitForReady: true,
      maxSurge: 1,
    });
    await unwrap(server.serviceName);
    await settle();
    const dep = byName(recorded, DEPLOYMENT, "llm-scaled-deployment").inputs;
    expect("replicas" in dep.spec).toBe(false);
    expect(dep.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(dep.metadata.annotations).toEqual({ "pulumi.com/timeoutSeconds": "2400" });
    expect(byName(recorded, PVC, "llm-scaled-models").inputs.spec.accessModes).toEqual(["ReadWriteMany"]);
    expect(byName(recorded, PDB, "llm-scaled-pdb").inputs.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/instance": "llm-scaled", "app.kubernetes.io/component": "model-server" } },
    });
    expect(server.ref).toMatchObject({ instance: "llm-scaled", engine: "vllm", autoscaled: true, maxReplicas: 4, metricsPortName: "http", metricsPath: "/metrics" });
    expect(server.ref.workload).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment" });
    expect(await unwrap(server.ref.workload.name)).toBe("llm-scaled-deployment-mock");
  });

  it("spans two 8-GPU nodes per replica as a LeaderWorkerSet with Ray, a claim per pod and a leader-only Service", async () => {
    const server = new K8sModelServer("llm-405b", {
      provider,
      namespace: "llm",
      vllm: { ...LLAMA_70B, tensorParallelSize: 8 },
      nodesPerReplica: 2,
      hfToken: pulumi.secret(HF_TOKEN),
      storageClassName: "gp3",
    });
    await unwrap(server.endpoint);
    await settle();
    expect(children(recorded, "llm-405b")).toEqual([
      `${LWS} llm-405b-lws`,
      `${SECRET} llm-405b-secrets`,
      `${SERVICE} llm-405b-service`,
      "shoestring:index:K8sModelServer llm-405b",
    ].sort());
    const spec = byName(recorded, LWS, "llm-405b-lws").inputs.spec;
    expect(spec.replicas).toBe(1);
    expect(spec.leaderWorkerTemplate.size).toBe(2);
    expect(spec.leaderWorkerTemplate.restartPolicy).toBe("RecreateGroupOnPodRestart");
    expect(spec.leaderWorkerTemplate.volumeClaimTemplates).toEqual([
      { metadata: { name: "model-cache" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "100Gi" } } } },
    ]);
    const leader = spec.leaderWorkerTemplate.leaderTemplate.spec;
    const worker = spec.leaderWorkerTemplate.workerTemplate.spec;
    const serve = vllmCommand({ ...LLAMA_70B, tensorParallelSize: 8, hfToken: true }).args.join(" ");
    expect(leader.containers[0].command).toEqual([
      "sh",
      "-c",
      `bash ${VLLM_MULTI_NODE_SCRIPT} leader --ray_cluster_size=$LWS_GROUP_SIZE; exec vllm serve ${serve} --pipeline-parallel-size 2 --distributed-executor-backend ray`,
    ]);
    expect(leader.containers[0].resources.limits).toEqual({ "nvidia.com/gpu": "8" });
    expect(leader.containers[0].startupProbe.failureThreshold).toBe(180);
    expect(worker.containers[0].command).toEqual(["sh", "-c", `exec bash ${VLLM_MULTI_NODE_SCRIPT} worker --ray_address=$LWS_LEADER_ADDRESS`]);
    expect(worker.containers[0].startupProbe).toBeUndefined();
    expect(worker.containers[0].env).toEqual([
      { name: "VLLM_NO_USAGE_STATS", value: "1" },
      { name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "llm-405b-secrets-mock", key: "HF_TOKEN" } } },
    ]);
    for (const p of [leader, worker]) {
      expect(p.tolerations).toEqual([GPU_TOLERATION]);
      expect(p.volumes).toEqual([{ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "16384Mi" } }]);
    }
    expect(byName(recorded, SERVICE, "llm-405b-service").inputs.spec.selector).toEqual({
      "app.kubernetes.io/instance": "llm-405b",
      "app.kubernetes.io/component": "model-server",
      "leaderworkerset.sigs.k8s.io/worker-index": "0",
    });
    expect(server.ref.workload).toMatchObject({ apiVersion: "leaderworkerset.x-k8s.io/v1", kind: "LeaderWorkerSet" });
  });

  it("emits only objects that validate against the Kubernetes, and LeaderWorkerSet, schemas", async () => {
    await settle();
    expect(expectValidK8sObjects(recorded)).toBe(18);
  });

  it("refuses impossible arguments with every problem at once, before registering anything", async () => {
    const e = errorsOf(
      () =>
        new K8sModelServer("Bad_Name", {
          provider,
          namespace: "llm",
          vllm: { ...LLAMA_70B, maxModelLen: 0 },
          gpus: 4,
          replicas: 2,
          maxReplicas: 3,
          memoryLimitGi: 2,
          startupTimeoutSeconds: 5,
        }),
    );
    expect(e.message).toBe('Invalid arguments for K8sModelServer "Bad_Name"');
    expect(e.errors).toEqual([
      { propertyPath: "vllm.tensorParallelSize", reason: "shards across 2 GPUs but each pod gets 4. Make gpus and tensorParallelSize equal" },
      {
        propertyPath: "serviceName",
        reason:
          "Service name \"Bad_Name\" is not an RFC 1035 label (allowed: 1-63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit). Set serviceName, or give the component a name such as llm-qwen-7b",
      },
      { propertyPath: "replicas", reason: "conflicts with maxReplicas (got 2 and 3): an autoscaler owns the count. Remove replicas" },
      {
        propertyPath: "modelCacheAccessMode",
        reason:
          'a ReadWriteOnce claim attaches to one node, but this server may run 3 pods. Set modelCacheAccessMode "ReadWriteMany" with an RWX storageClassName (EFS, Filestore, NFS), existingModelCacheClaim, or ephemeralModelCache: true',
      },
      { propertyPath: "memoryLimitGi", reason: "must be at least memoryGi (8) and above /dev/shm (8192 MiB), which counts against it (got 2). Raise it or leave it unset" },
      { propertyPath: "startupTimeoutSeconds", reason: "out of range (got 5; allowed: a whole number from 10 to 86400). Leave it unset for 1800" },
      {
        propertyPath: "vllm.maxModelLen",
        reason: "maxModelLen: must be a whole number of tokens (got 0; allowed: a whole number, 1 or more). Fix: set the context length the planner chose, e.g. 8192",
      },
    ]);
    await settle();
    expect(recorded.resources.some((r) => r.name.startsWith("Bad_Name"))).toBe(false);
  });

  it("refuses a multi-node llama.cpp server, vLLM without a GPU, and two cache sources at once", () => {
    expect(errorsOf(() => new K8sModelServer("llm-a", { provider, namespace: "llm", llamaCpp: QWEN_1_5B, nodesPerReplica: 2 })).errors).toEqual([
      { propertyPath: "nodesPerReplica", reason: "only vLLM spans nodes (got 2 with llamaCpp). Use 1, or serve the model with vLLM" },
    ]);
    expect(errorsOf(() => new K8sModelServer("llm-b", { provider, namespace: "llm", vllm: LLAMA_70B, gpus: 0 })).errors).toEqual([
      { propertyPath: "gpus", reason: "vLLM needs a GPU (got 0). Set gpus to the tensor parallel size, or serve a GGUF with llamaCpp on the CPU" },
    ]);
    expect(
      errorsOf(() => new K8sModelServer("llm-c", { provider, namespace: "llm", vllm: LLAMA_70B, ephemeralModelCache: true, existingModelCacheClaim: "shared" })).errors,
    ).toEqual([{ propertyPath: "ephemeralModelCache", reason: "conflicts with existingModelCacheClaim (got both). Keep one of them" }]);
  });
});
