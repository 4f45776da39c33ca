/** K8sNetworkPolicies under mocks: exact policies, and who may reach whom once they apply (a matchLabels-only evaluator). */
import * as k8s from "@pulumi/kubernetes";
import { beforeAll, describe, expect, it } from "vitest";
import { K8sNetworkPolicies } from "../../../components/kubernetes/k8s-network-policies";
import { expectValidK8sObjects } from "../../helpers/k8s-schema";
import { byName, expectRegistered, installMocks, ofType, settle, unwrap, type Recorded } from "../../helpers/pulumi";
import { allowed, errorsOf, type NetworkPolicyObject as Policy, type PolicyPod as Pod } from "./fixtures";

const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

const ns = (name: string) => ({ namespace: name, nsLabels: { "kubernetes.io/metadata.name": name } });
const stackPod = (component: string) => ({ ...ns("llm"), labels: { "app.kubernetes.io/component": component, "app.kubernetes.io/part-of": "shoestring", "app.kubernetes.io/instance": `x-${component}` } });
const ROUTER = stackPod("router");
const SERVER = stackPod("model-server");
const REDIS = stackPod("cache");
const STRANGER = { ...ns("llm"), labels: { app: "debug-shell" } };
const INGRESS = { ...ns("ingress-nginx"), labels: { "app.kubernetes.io/name": "ingress-nginx" } };
const PROMETHEUS = { ...ns("monitoring"), labels: { "app.kubernetes.io/name": "prometheus" } };
const OTHER = { ...ns("team-b"), labels: { app: "client" } };

describe("K8sNetworkPolicies", () => {
  let recorded: Recorded;
  let provider: k8s.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
  });

  it("denies all ingress in the namespace, then opens exactly the stack's paths", async () => {
    const netpol = new K8sNetworkPolicies("llm-netpol", { provider, namespace: "llm" });
    expect(await unwrap(netpol.policyNames)).toEqual(["llm-netpol-default-deny-mock", "llm-netpol-router-mock", "llm-netpol-model-servers-mock", "llm-netpol-cache-mock"]);
    await settle();
    expectRegistered(recorded);
    expect(ofType(recorded, NETPOL).map((r) => r.name).sort()).toEqual(["llm-netpol-cache", "llm-netpol-default-deny", "llm-netpol-model-servers", "llm-netpol-router"]);
    expect(byName(recorded, NETPOL, "llm-netpol-default-deny").inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
    expect(byName(recorded, NETPOL, "llm-netpol-cache").inputs.spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/component": "cache", "app.kubernetes.io/part-of": "shoestring" } },
      ingress: [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/component": "router", "app.kubernetes.io/part-of": "shoestring" } } }], ports: [{ protocol: "TCP", port: 6379 }] }],
      policyTypes: ["Ingress"],
    });
    const policies = ofType(recorded, NETPOL).map((r) => r.inputs as unknown as Policy);
    const reach = (from: Pod, to: Pod, port: number) => allowed(policies, from, to, port);

    expect(reach(INGRESS, ROUTER, 8080)).toBe(true);
    expect(reach(INGRESS, SERVER, 8000)).toBe(false);
    expect(reach(INGRESS, REDIS, 6379)).toBe(false);
    expect(reach(OTHER, ROUTER, 8080)).toBe(false);
    expect(reach(STRANGER, ROUTER, 8080)).toBe(false);
    expect(reach(ROUTER, SERVER, 8000)).toBe(true);
    expect(reach(ROUTER, SERVER, 8080)).toBe(true);
    expect(reach(ROUTER, SERVER, 22)).toBe(false);
    expect(reach(ROUTER, REDIS, 6379)).toBe(true);
    expect(reach(STRANGER, SERVER, 8000)).toBe(false);
    expect(reach(STRANGER, REDIS, 6379)).toBe(false);
    expect(reach(SERVER, REDIS, 6379)).toBe(false);
    expect(reach(PROMETHEUS, ROUTER, 8080)).toBe(true);
    expect(reach(PROMETHEUS, SERVER, 8000)).toBe(true);
    expect(reach(PROMETHEUS, REDIS, 6379)).toBe(false);
    // Ray and NCCL inside a multi-node group use ports chosen at run time.
    expect(reach(SERVER, SERVER, 6379)).toBe(true);
    expect(reach(SERVER, SERVER, 29500)).toBe(true);
  });

  it("follows the given ingress controller, Prometheus namespace and ports", async () => {
    new K8sNetworkPolicies("llm-netpol-custom", {
      provider,
      namespace: "llm",
      ingressNamespaceLabels: { "kubernetes.io/metadata.name": "traefik" },
      ingressPodLabels: { "app.kubernetes.io/name": "traefik" },
      prometheusNamespaceLabels: { team: "observability" },
      routerPort: 9090,
      modelServerPorts: [8000],
    });
    await settle();
    const policies = ofType(recorded, NETPOL).filter((r) => r.name.startsWith("llm-netpol-custom")).map((r) => r.inputs as unknown as Policy);
    const traefik = { ...ns("traefik"), labels: { "app.kubernetes.io/name": "traefik" } };
    const traefikOther = { ...ns("traefik"), labels: { "app.kubernetes.io/name": "whoami" } };
    const obs = { namespace: "obs", nsLabels: { team: "observability" }, labels: {} };
    expect(allowed(policies, traefik, ROUTER, 9090)).toBe(true);
    expect(allowed(policies, traefik, ROUTER, 8080)).toBe(false);
    expect(allowed(policies, traefikOther, ROUTER, 9090)).toBe(false);
    expect(allowed(policies, INGRESS, ROUTER, 9090)).toBe(false);
    expect(allowed(policies, obs, SERVER, 8000)).toBe(true);
    expect(allowed(policies, ROUTER, SERVER, 8080)).toBe(false);
  });

  it("emits only objects that validate against the Kubernetes schemas", async () => {
    await settle();
    expect(expectValidK8sObjects(recorded)).toBe(8);
  });

  it("refuses ports outside 1-65535 and an empty model server port list", () => {
    expect(errorsOf(() => new K8sNetworkPolicies("bad", { provider, namespace: "llm", routerPort: 0, modelServerPorts: [] }))).toEqual({
      message: 'Invalid arguments for K8sNetworkPolicies "bad"',
      errors: [
        { propertyPath: "routerPort", reason: "out of range (got 0; allowed: a whole number from 1 to 65535). Give a TCP port" },
        { propertyPath: "modelServerPorts", reason: "empty (got []); nothing could reach the model servers. Leave it unset for [8000, 8080]" },
      ],
    });
  });
});
