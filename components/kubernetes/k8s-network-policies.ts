/**
 * @module `K8sNetworkPolicies`: default-deny ingress for the stack's namespace, then exactly the paths
 * the stack needs — ingress controller → router, router → model servers and Redis, Prometheus →
 * metrics ports, and model server ↔ model server (multi-node groups).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_LLAMACPP_PORT } from "../../src/engines/llamacpp-args";
import { DEFAULT_VLLM_PORT } from "../../src/engines/vllm-args";
import { REDIS_PORT } from "../cache/redis-cache";
import { DEFAULT_ROUTER_PORT } from "../routing/router-service-args";
import { K8S_ROLES, LABELS, PART_OF, roleSelector, wholeIssue } from "./_k8s-common";

type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** Arguments for {@link K8sNetworkPolicies}. */
export interface K8sNetworkPoliciesArgs {
  /**
   * Kubernetes provider of the cluster: {@link Cluster}.provider, or any existing `k8s.Provider`.
   * @default - the Kubernetes provider given in this component's resource options
   * (`provider`/`providers`) or inherited from its parent, else the ambient kubeconfig
   */
  provider?: k8s.Provider;
  /** The stack's namespace: the policies apply to every pod in it. */
  namespace: pulumi.Input<string>;
  /**
   * Labels of the ingress controller's namespace; only its pods reach the router. A controller on the
   * host network is seen as node traffic and matches no namespace: allow the nodes' CIDR yourself.
   * @default { "kubernetes.io/metadata.name": "ingress-nginx" }
   */
  ingressNamespaceLabels?: Record<string, string>;
  /** Labels of the ingress controller's pods in that namespace. @default - every pod there */
  ingressPodLabels?: Record<string, string>;
  /** Labels of Prometheus' namespace; its pods may scrape the router and model servers. @default { "kubernetes.io/metadata.name": "monitoring" } */
  prometheusNamespaceLabels?: Record<string, string>;
  /** The router's port. @default 8080 */
  routerPort?: number;
  /** Ports the model servers serve (and expose metrics) on. @default [8000, 8080] (vLLM, llama.cpp) */
  modelServerPorts?: number[];
  /** Extra labels on every policy. @default {} */
  labels?: Record<string, string>;
}

/** @see K8sNetworkPoliciesArgs.ingressNamespaceLabels */
export const DEFAULT_INGRESS_NAMESPACE_LABELS: Readonly<Record<string, string>> = { "kubernetes.io/metadata.name": "ingress-nginx" };
/** @see K8sNetworkPoliciesArgs.prometheusNamespaceLabels */
export const DEFAULT_PROMETHEUS_NAMESPACE_LABELS: Readonly<Record<string, string>> = { "kubernetes.io/metadata.name": "monitoring" };

/**
 * Locks down ingress to the stack's pods: everything is denied, then only the router is reachable from
 * the ingress controller, only the router reaches the model servers and Redis, and only Prometheus
 * scrapes. Egress is left open (model downloads, cloud providers, DNS).
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 *
 * @example
 * new K8sNetworkPolicies("llm-netpol", { provider, namespace: "shoestring",
 *   ingressNamespaceLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } });
 */
export class K8sNetworkPolicies extends pulumi.ComponentResource {
  /** Names of the policies, default-deny first. */
  public readonly policyNames: pulumi.Output<string[]>;

  constructor(name: string, args: K8sNetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    const routerPort = args.routerPort ?? DEFAULT_ROUTER_PORT;
    const serverPorts = args.modelServerPorts ?? [DEFAULT_VLLM_PORT, DEFAULT_LLAMACPP_PORT];
    const errors = [routerPort, ...serverPorts]
      .map((p, i) => wholeIssue(i === 0 ? "routerPort" : `modelServerPorts[${i - 1}]`, p, 1, 65535, "Give a TCP port"))
      .filter((e) => e !== undefined);
    if (serverPorts.length === 0) errors.push({ propertyPath: "modelServerPorts", reason: "empty (got []); nothing could reach the model servers. Leave it unset for [8000, 8080]" });
    if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for K8sNetworkPolicies "${name}"`, errors });
    super("shoestring:index:K8sNetworkPolicies", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const metadata = { namespace: args.namespace, labels: { ...args.labels, [LABELS.partOf]: PART_OF, [LABELS.managedBy]: "pulumi" } };
    const tcp = (ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));
    const prometheus: Peer = { namespaceSelector: { matchLabels: { ...(args.prometheusNamespaceLabels ?? DEFAULT_PROMETHEUS_NAMESPACE_LABELS) } } };
    const ingressController: Peer = {
      namespaceSelector: { matchLabels: { ...(args.ingressNamespaceLabels ?? DEFAULT_INGRESS_NAMESPACE_LABELS) } },
      ...(args.ingressPodLabels !== undefined ? { podSelector: { matchLabels: args.ingressPodLabels } } : {}),
    };
    const pods = (role: (typeof K8S_ROLES)[keyof typeof K8S_ROLES]): Peer => ({ podSelector: { matchLabels: roleSelector(role) } });

    const policy = (role: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
      new k8s.networking.v1.NetworkPolicy(`${name}-${role}`, { metadata, spec: { ...spec, policyTypes: ["Ingress"] } }, childOpts);
    const policies = [
      // No ingress rules: every pod in the namespace refuses connections unless a policy below allows them.
      policy("default-deny", { podSelector: {} }),
      policy("router", {
        podSelector: { matchLabels: roleSelector(K8S_ROLES.router) },
        ingress: [{ from: [ingressController, prometheus], ports: tcp([routerPort]) }],
      }),
      policy("model-servers", {
        podSelector: { matchLabels: roleSelector(K8S_ROLES.modelServer) },
        ingress: [
          { from: [pods(K8S_ROLES.router), prometheus], ports: tcp(serverPorts) },
          // Leader and workers of a multi-node group talk Ray and NCCL on ports chosen at run time.
          { from: [pods(K8S_ROLES.modelServer)] },
        ],
      }),
      policy("cache", {
        podSelector: { matchLabels: roleSelector(K8S_ROLES.cache) },
        ingress: [{ from: [pods(K8S_ROLES.router)], ports: tcp([REDIS_PORT]) }],
      }),
    ];
    this.policyNames = pulumi.all(policies.map((p) => p.metadata.name));
    this.registerOutputs({ policyNames: this.policyNames });
  }
}
