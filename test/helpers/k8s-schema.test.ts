/** The Kubernetes schema helper itself: it must catch what the API server would refuse, and never pass a kind it cannot check. */
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { VALIDATED_KINDS, expectValidK8sObjects, validateK8sObject } from "./k8s-schema";
import { installMocks, settle } from "./pulumi";

const deployment = (spec: Record<string, unknown>, labels: Record<string, string> = { app: "x" }) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", labels },
  spec: { selector: { matchLabels: { app: "x" } }, template: { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "nginx:1.27.0" }] } }, ...spec },
});

describe("validateK8sObject", () => {
  it("accepts a valid Deployment and refuses a string replica count", () => {
    expect(() => validateK8sObject(deployment({ replicas: 2 }))).not.toThrow();
    expect(() => validateK8sObject(deployment({ replicas: "2" }))).toThrow('apps/v1/Deployment "web": data/spec/replicas must be integer');
  });

  it("refuses a kind it has no schema for instead of passing it", () => {
    expect(() => validateK8sObject({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toThrow(
      "no schema for example.com/v1/Widget: add it to test/helpers/k8s-schema.ts",
    );
  });

  it("refuses names and labels the API server would refuse, which the schemas do not check", () => {
    expect(() => validateK8sObject({ ...deployment({}), metadata: { name: "Bad_Name" } })).toThrow('metadata.name "Bad_Name" is not a DNS subdomain');
    expect(() => validateK8sObject(deployment({}, { model: "Qwen/Qwen2.5-7B" }))).toThrow('metadata.labels["model"] = "Qwen/Qwen2.5-7B" is not a label value');
  });

  it("checks ScaledObjects, ServiceMonitors and LeaderWorkerSets against their CRD schemas", () => {
    expect(() =>
      validateK8sObject({ apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", metadata: { name: "s" }, spec: { scaleTargetRef: { name: "d" }, minReplicaCount: "0", triggers: [] } }),
    ).toThrow("data/spec/minReplicaCount must be integer");
    expect(() =>
      validateK8sObject({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "m" }, spec: { selector: {}, endpoints: [{ interval: "soon" }] } }),
    ).toThrow("data/spec/endpoints/0/interval must match pattern");
    const lws = { apiVersion: "leaderworkerset.x-k8s.io/v1", kind: "LeaderWorkerSet", metadata: { name: "l" } };
    expect(() => validateK8sObject({ ...lws, spec: { leaderWorkerTemplate: { size: 2, workerTemplate: { spec: { containers: [{ name: "w", image: "x:1" }] } } } } })).not.toThrow();
    expect(() => validateK8sObject({ ...lws, spec: { leaderWorkerTemplate: { size: "2", workerTemplate: { spec: { containers: [{ image: "x:1" }] } } } } })).toThrow(
      "data/spec/leaderWorkerTemplate/size must be integer, data/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0 must have required property 'name'",
    );
    expect(VALIDATED_KINDS).toContain("leaderworkerset.x-k8s.io/v1/LeaderWorkerSet");
  });
});

describe("expectValidK8sObjects", () => {
  it("lists every invalid recorded object, and exempts only the types it is told are not API objects", async () => {
    const recorded = await installMocks();
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    new k8s.core.v1.ConfigMap("ok", { metadata: { namespace: "n" }, data: { a: "b" } }, { provider });
    new k8s.core.v1.Service("svc", { metadata: { name: "svc", namespace: "n" }, spec: { ports: [{ port: "http" as unknown as number }] } }, { provider });
    new k8s.helm.v3.Release("chart", { chart: "nginx", repositoryOpts: { repo: "https://example.invalid" } }, { provider });
    await settle();
    const serviceProblem = 'kubernetes:core/v1:Service svc: v1/Service "svc": data/spec/ports/0/port must be integer';
    expect(() => expectValidK8sObjects(recorded)).toThrow(
      "invalid Kubernetes objects:\n" +
        "  - kubernetes:helm.sh/v3:Release chart: has no apiVersion/kind: not a Kubernetes API object. Pass its Pulumi type in notApiObjects, with the reason\n" +
        `  - ${serviceProblem}`,
    );
    expect(() => expectValidK8sObjects(recorded, { "kubernetes:helm.sh/v3:Release": "a Helm release, not an API object" })).toThrow(
      `invalid Kubernetes objects:\n  - ${serviceProblem}`,
    );
  });
});
