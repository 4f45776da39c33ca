/**
 * @module What every Kubernetes object of the kit shares (internal): the recommended labels, the
 * selectors network policies and monitors rely on, GPU scheduling constants, hardened security
 * contexts and name checks. One place, so the components cannot drift apart.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { DNS_1123_SUBDOMAIN } from "../../src/config/_primitives";

// The GPU pools' taint, toleration and labels live with the pools; workloads use the same constants.
export { GPU_PRODUCT_LABEL, GPU_TOLERATION, NODE_POOL_LABEL } from "./gpu-node-pool-labels";

/** `app.kubernetes.io/component` values; network policies and monitors select on them. */
export const K8S_ROLES = { modelServer: "model-server", router: "router", cache: "cache" } as const;
/** One of {@link K8S_ROLES}. */
export type K8sRole = (typeof K8S_ROLES)[keyof typeof K8S_ROLES];

/** Label keys from the Kubernetes recommended set. @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/ */
export const LABELS = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
} as const;

/** `app.kubernetes.io/part-of` of every object the kit creates. */
export const PART_OF = "shoestring";

/**
 * The extended resource the NVIDIA device plugin advertises.
 * @see https://github.com/NVIDIA/k8s-device-plugin
 */
export const GPU_RESOURCE = "nvidia.com/gpu";

/**
 * Container hardening every pod gets: no privilege escalation, no Linux capabilities, the runtime's
 * seccomp profile (the Pod Security "restricted" profile, less the user, which is per image).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function hardenedContainer(extra: k8s.types.input.core.v1.SecurityContext = {}): k8s.types.input.core.v1.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
    ...extra,
  };
}

/**
 * @internal Labels of one component's objects. `app` is the software (`vllm`, `redis`, …), `name` the
 * component's logical name; `own` (the caller's labels) never override the kit's keys.
 */
export function k8sLabels(app: string, role: K8sRole, name: string, own: Record<string, string> = {}): Record<string, string> {
  return {
    ...own,
    [LABELS.name]: app,
    [LABELS.instance]: name,
    [LABELS.component]: role,
    [LABELS.partOf]: PART_OF,
    [LABELS.managedBy]: "pulumi",
  };
}

/** @internal The immutable selector of one component's pods: instance and role. */
export function selectorLabels(role: K8sRole, name: string): Record<string, string> {
  return { [LABELS.instance]: name, [LABELS.component]: role };
}

/** @internal Selects every pod of one role the kit runs in a namespace. */
export function roleSelector(role: K8sRole): Record<string, string> {
  return { [LABELS.component]: role, [LABELS.partOf]: PART_OF };
}

/** An RFC 1035 label: what a Service name must be (it becomes a DNS name). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** @internal The problem with a Service name, or undefined when it is valid. */
export function serviceNameIssue(propertyPath: string, value: string): pulumi.InputPropertyErrorDetails | undefined {
  if (DNS_1035_LABEL.test(value)) return undefined;
  return {
    propertyPath,
    reason:
      `Service name ${JSON.stringify(value)} is not an RFC 1035 label (allowed: 1-63 lowercase letters, digits and '-', ` +
      "starting with a letter and ending with a letter or digit). Set serviceName, or give the component a name such as llm-qwen-7b",
  };
}

/** @internal The problem with a Secret name that Kubernetes would refuse, or undefined. */
export function secretRefIssue(propertyPath: string, value: string): pulumi.InputPropertyErrorDetails | undefined {
  if (value.length <= 253 && DNS_1123_SUBDOMAIN.test(value)) return undefined;
  return {
    propertyPath,
    reason:
      `${JSON.stringify(value)} is not a Secret name (allowed: up to 253 lowercase letters, digits, '-' and '.', ` +
      "starting and ending with a letter or digit). Use the name shown by kubectl get secrets -n <namespace>",
  };
}

/** @internal The problem with a whole number outside [min, max], or undefined. */
export function wholeIssue(propertyPath: string, value: number, min: number, max: number, fix: string): pulumi.InputPropertyErrorDetails | undefined {
  if (Number.isInteger(value) && value >= min && value <= max) return undefined;
  return { propertyPath, reason: `out of range (got ${String(value)}; allowed: a whole number from ${min} to ${max}). ${fix}` };
}

/** @internal `http://<service>.<namespace>.svc:<port>`: resolvable from any namespace, whatever the cluster domain. */
export function serviceHost(service: string, namespace: string, port: number): string {
  return `${service}.${namespace}.svc:${port}`;
}

/**
 * @internal Spreads one component's pods over nodes and zones when it can, without refusing to
 * schedule when it cannot (one GPU node, one zone).
 */
export function softSpread(selector: Record<string, string>): k8s.types.input.core.v1.TopologySpreadConstraint[] {
  return ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: selector },
  }));
}
