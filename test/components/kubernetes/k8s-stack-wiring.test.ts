/** The Kubernetes components wired as a stack: the labels, names and ports each one relies on are the ones the others set. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sAutoscaling } from "../../../components/kubernetes/k8s-autoscaling";
import { K8sModelServer } from "../../../components/kubernetes/k8s-model-server";
import { K8sMonitoringObjects } from "../../../components/kubernetes/k8s-monitoring-objects";
import { K8sNetworkPolicies } from "../../../components/kubernetes/k8s-network-policies";
import { K8sRedis } from "../../../components/kubernetes/k8s-redis";
import { K8sRouter } from "../../../components/kubernetes/k8s-router";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, expectRegistered, installMocks, ofType, settle, unwrap, type Recorded } from "../../helpers/pulumi";
import { LLAMA_70B, QWEN_1_5B, allowed, matches, type NetworkPolicyObject, type PolicyPod } from "./fixtures";

interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: { ports?: { containerPort: number }[] }[] };
}

describe("Kubernetes stack wiring", () => {
  let recorded: Recorded;
  let routerYaml: string;
  beforeAll(async () => {
    recorded = await installMocks();
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    const namespace = "shoestring";
    const llama = new K8sModelServer("llm-llama-70b", { provider, namespace, vllm: LLAMA_70B, maxReplicas: 2, modelCacheAccessMode: "ReadWriteMany" });
    const qwen = new K8sModelServer("llm-qwen", { provider, namespace, llamaCpp: QWEN_1_5B });
    const redis = new K8sRedis("llm-redis", { provider, namespace, password: pulumi.secret("redis-pass-0123456789") });
    const router = new K8sRouter("llm-router", {
      provider,
      namespace,
      image: "ghcr.io/acme/shoestring-router:0.1.0",
      modelServers: [
        { name: "llama-70b", endpoint: llama.endpoint, servedModelName: llama.servedModelName, tier: 2 },
        { name: "qwen", endpoint: qwen.endpoint, servedModelName: qwen.servedModelName, tier: 1 },
      ],
      cache: { redisUrl: redis.url },
    });
    new K8sNetworkPolicies("llm-netpol", { provider, namespace });
    new K8sAutoscaling("llm-autoscaling", {
      provider,
      namespace,
      serverAddress: "http://kps-prometheus.monitoring.svc:9090",
      servers: [{ server: llama.ref, minReplicas: 0, routerBackend: "llama-70b" }],
    });
    new K8sMonitoringObjects("llm-monitoring", { provider, namespace, modelServers: [llama.ref, qwen.ref], router: router.scrapeRef });
    routerYaml = await unwrap(router.configYaml);
    await settle();
  });

  it("points the router at each model server's Service and at Redis's Service", () => {
    expectRegistered(recorded);
    const config = parse(routerYaml) as { backends: { name: string; baseUrl: string }[]; cache: { redisUrl: string } };
    expect(config.backends.map((b) => [b.name, b.baseUrl])).toEqual([
      ["llama-70b", "http://llm-llama-70b.shoestring.svc:8000/v1"],
      ["qwen", "http://llm-qwen.shoestring.svc:8080/v1"],
    ]);
    expect(config.cache.redisUrl).toBe("redis://:redis-pass-0123456789@llm-redis.shoestring.svc:6379");
    for (const [service, port] of [["llm-llama-70b-service", 8000], ["llm-qwen-service", 8080], ["llm-redis-service", 6379]] as const) {
      const svc = byName(recorded, "kubernetes:core/v1:Service", service).inputs;
      expect(svc.spec.ports[0].port).toBe(port);
    }
  });

  it("lets the router reach every model server and Redis on their container ports, and nothing else in the namespace", () => {
    const policies = ofType(recorded, "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.inputs as unknown as NetworkPolicyObject);
    const template = (type: string, name: string) => byName(recorded, type, name).inputs.spec.template as PodTemplate;
    const pod = (t: PodTemplate): PolicyPod => ({ namespace: "shoestring", nsLabels: { "kubernetes.io/metadata.name": "shoestring" }, labels: t.metadata.labels });
    const port = (t: PodTemplate) => t.spec.containers[0]!.ports![0]!.containerPort;
    const router = template("kubernetes:apps/v1:Deployment", "llm-router-deployment");
    const servers = [template("kubernetes:apps/v1:Deployment", "llm-llama-70b-deployment"), template("kubernetes:apps/v1:Deployment", "llm-qwen-deployment")];
    const redis = template("kubernetes:apps/v1:StatefulSet", "llm-redis-statefulset");
    const ingress: PolicyPod = { namespace: "ingress-nginx", nsLabels: { "kubernetes.io/metadata.name": "ingress-nginx" }, labels: {} };
    const prometheus: PolicyPod = { namespace: "monitoring", nsLabels: { "kubernetes.io/metadata.name": "monitoring" }, labels: {} };
    for (const s of [...servers, redis]) expect(allowed(policies, pod(router), pod(s), port(s))).toBe(true);
    for (const s of servers) expect(allowed(policies, prometheus, pod(s), port(s))).toBe(true);
    expect(allowed(policies, ingress, pod(router), port(router))).toBe(true);
    expect(allowed(policies, ingress, pod(servers[0]!), port(servers[0]!))).toBe(false);
    expect(allowed(policies, pod(servers[1]!), pod(redis), port(redis))).toBe(false);
  });

  it("selects each Service with its ServiceMonitor and scales the Deployment it names", async () => {
    for (const [monitor, service] of [["llm-monitoring-llm-llama-70b", "llm-llama-70b-service"], ["llm-monitoring-llm-qwen", "llm-qwen-service"], ["llm-monitoring-llm-router", "llm-router-service"]]) {
      const sm = byName(recorded, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", monitor!).inputs.spec;
      const svc = byName(recorded, "kubernetes:core/v1:Service", service!).inputs;
      expect(matches(sm.selector.matchLabels, svc.metadata.labels)).toBe(true);
      expect(sm.endpoints[0].port).toBe(svc.spec.ports[0].name);
    }
    const so = byName(recorded, "kubernetes:keda.sh/v1alpha1:ScaledObject", "llm-autoscaling-llm-llama-70b").inputs.spec;
    expect(so.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "llm-llama-70b-deployment-mock" });
    expect(so.triggers[0].metadata.query).toBe('sum(vllm:num_requests_waiting{namespace="shoestring",service="llm-llama-70b"})');
    expect("replicas" in byName(recorded, "kubernetes:apps/v1:Deployment", "llm-llama-70b-deployment").inputs.spec).toBe(false);
  });

  it("emits only objects that validate against their schemas", () => {
    expect(expectValidK8sObjects(recorded)).toBe(25);
  });
});
