/** K8sAutoscaling under mocks: KEDA ScaledObjects on the engines' queues, scale to zero with a router wake-up, and errors. */
import * as k8s from "@pulumi/kubernetes";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sAutoscaling, queueQuery, wakeQuery } from "../../../components/kubernetes/k8s-autoscaling";
import { K8sModelServer } from "../../../components/kubernetes/k8s-model-server";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";
import { LLAMA_70B, QWEN_1_5B, errorsOf } from "./fixtures";

const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const PROMETHEUS = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090";

describe("K8sAutoscaling", () => {
  let recorded: Recorded;
  let provider: k8s.Provider;
  let vllm: K8sModelServer;
  let llama: K8sModelServer;
  let fixed: K8sModelServer;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    vllm = new K8sModelServer("llm-llama-70b", { provider, namespace: "llm", vllm: LLAMA_70B, maxReplicas: 4, modelCacheAccessMode: "ReadWriteMany" });
    llama = new K8sModelServer("llm-qwen", { provider, namespace: "llm", llamaCpp: QWEN_1_5B, maxReplicas: 2, ephemeralModelCache: true });
    fixed = new K8sModelServer("llm-fixed", { provider, namespace: "llm", llamaCpp: QWEN_1_5B });
  });

  it("writes the queue and wake-up queries for the Prometheus Operator's labels", () => {
    expect(queueQuery("vllm", "llm", "llm-llama-70b")).toBe('sum(vllm:num_requests_waiting{namespace="llm",service="llm-llama-70b"})');
    expect(queueQuery("llamacpp", "llm", "llm-qwen")).toBe('sum(llamacpp:requests_deferred{namespace="llm",service="llm-qwen"})');
    expect(wakeQuery("llm", "llama-70b")).toBe('clamp_max(sum(increase(shoestring_router_fallbacks_total{namespace="llm",from="llama-70b"}[2m])), 1)');
  });

  it("scales vLLM from zero on router demand and llama.cpp from one on its queue, one replica down at a time", async () => {
    const scaling = new K8sAutoscaling("llm-autoscaling", {
      provider,
      namespace: "llm",
      serverAddress: PROMETHEUS,
      servers: [
        { server: vllm.ref, minReplicas: 0, queueThreshold: 3, routerBackend: "llama-70b" },
        { server: llama.ref },
      ],
    });
    expect(await unwrap(scaling.scaledObjectNames)).toEqual(["llm-autoscaling-llm-llama-70b-mock", "llm-autoscaling-llm-qwen-mock"]);
    await settle();
    expectRegistered(recorded);
    const behavior = { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] } };
    const so = byName(recorded, SCALED_OBJECT, "llm-autoscaling-llm-llama-70b").inputs;
    expect(so.apiVersion).toBe("keda.sh/v1alpha1");
    expect(so.metadata.namespace).toBe("llm");
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm-llama-70b-deployment-mock" },
      pollingInterval: 15,
      cooldownPeriod: 600,
      minReplicaCount: 0,
      maxReplicaCount: 4,
      advanced: { horizontalPodAutoscalerConfig: { behavior } },
      triggers: [
        {
          type: "prometheus",
          name: "queue",
          metadata: { serverAddress: PROMETHEUS, query: queueQuery("vllm", "llm", "llm-llama-70b"), threshold: "3", activationThreshold: "0", ignoreNullValues: "true" },
        },
        {
          type: "prometheus",
          name: "router-demand",
          metadata: { serverAddress: PROMETHEUS, query: wakeQuery("llm", "llama-70b"), threshold: "1", activationThreshold: "0", ignoreNullValues: "true" },
        },
      ],
    });
    const qwen = byName(recorded, SCALED_OBJECT, "llm-autoscaling-llm-qwen").inputs.spec;
    expect([qwen.minReplicaCount, qwen.maxReplicaCount]).toEqual([1, 2]);
    expect(qwen.triggers.map((t: { name: string; metadata: { query: string; threshold: string } }) => [t.name, t.metadata.query, t.metadata.threshold])).toEqual([
      ["queue", queueQuery("llamacpp", "llm", "llm-qwen"), "5"],
    ]);
  });

  it("emits only objects that validate against the Kubernetes and KEDA schemas", async () => {
    await settle();
    expect(expectValidK8sObjects(recorded)).toBe(12);
  });

  it("refuses a server that sets its own replicas, a maximum beyond the server's, scale-to-zero with no wake-up and a server twice", () => {
    const e = errorsOf(
      () =>
        new K8sAutoscaling("bad", {
          provider,
          namespace: "llm",
          serverAddress: PROMETHEUS,
          servers: [{ server: fixed.ref }, { server: vllm.ref, maxReplicas: 8, minReplicas: 0 }, { server: vllm.ref }],
        }),
    );
    expect(e.message).toBe('Invalid arguments for K8sAutoscaling "bad"');
    expect(e.errors).toEqual([
      { propertyPath: "servers[0].server", reason: '"llm-fixed" sets its own replica count, which every pulumi up would reset over KEDA\'s. Give the K8sModelServer maxReplicas instead of replicas' },
      {
        propertyPath: "servers[1].maxReplicas",
        reason: 'out of range (got 8; allowed: a whole number from 1 to 4). "llm-llama-70b" was sized for 4 (its cache and disruption budget); raise the server\'s maxReplicas first',
      },
      {
        propertyPath: "servers[1].routerBackend",
        reason:
          'required with minReplicas 0 (got nothing): no pod reports a queue while "llm-llama-70b" is at zero, so it would never wake. Give the server\'s name in the router, or minReplicas 1',
      },
      { propertyPath: "servers[2].server", reason: '"llm-llama-70b" is already scaled by servers[1]; two ScaledObjects would fight. Remove one' },
    ]);
  });
});
