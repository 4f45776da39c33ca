/**
 * @module What the policies read from a resource (internal): labels, the kit's component role,
 * env entries, pod containers. CrossGuard hands policies plain values (secrets unwrapped) behind a
 * proxy that throws `UnknownValueError` on any value unknown during preview; {@link known} reads
 * one such value and treats "unknown" as "cannot tell", so one unknown field does not stop a check.
 */

/** The part of a resource a check needs: CrossGuard's `ResourceValidationArgs` has these. */
export interface PolicyInput {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
}

/** The kit's component roles (Docker label `shoestring.component`, K8s `app.kubernetes.io/component`). */
export type Role = "model-server" | "router" | "cache" | "monitoring" | "gpu-exporter" | string;

/** Docker label and Kubernetes label that carry a role (components/_labels.ts, components/kubernetes/_k8s-common.ts). */
export const DOCKER_ROLE_LABEL = "shoestring.component";
export const K8S_ROLE_LABEL = "app.kubernetes.io/component";

/** Reads a value, or undefined when it is unknown during preview (the proxy throws). */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as Error)?.constructor?.name === "UnknownValueError") return undefined;
    throw error;
  }
}

/** A nested value by dotted path, undefined when missing or unknown. */
export function at(value: unknown, path: string): unknown {
  return known(() => {
    let cur: unknown = value;
    for (const part of path.split(".")) {
      if (cur === null || typeof cur !== "object") return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  });
}

/** The known elements of an array value (unknown elements skipped). */
export function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = known(() => value[i] as unknown);
    if (item !== undefined) out.push(item);
  }
  return out;
}

/** A string value, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The known string values of an object (labels, data, tags). */
export function stringEntries(value: unknown): Array<[string, string]> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const out: Array<[string, string]> = [];
  for (const key of known(() => Object.keys(value)) ?? []) {
    const v = known(() => (value as Record<string, unknown>)[key]);
    if (typeof v === "string") out.push([key, v]);
  }
  return out;
}

/** Labels of a Docker container (`[{label, value}]`) or a Kubernetes object (`metadata.labels`). */
export function labelsOf(r: PolicyInput): Record<string, string> {
  if (r.type === "docker:index/container:Container") {
    return Object.fromEntries(list(at(r.props, "labels")).flatMap((l) => (typeof at(l, "label") === "string" ? [[at(l, "label") as string, str(at(l, "value")) ?? ""]] : [])));
  }
  return Object.fromEntries(stringEntries(at(r.props, "metadata.labels")));
}

/** The kit's role of a resource, from its labels (or, for a Service, its selector). */
export function roleOf(r: PolicyInput): Role | undefined {
  const labels = labelsOf(r);
  const role = labels[DOCKER_ROLE_LABEL] ?? labels[K8S_ROLE_LABEL];
  if (role !== undefined) return role;
  return str(at(r.props, `spec.selector.${K8S_ROLE_LABEL}`)) ?? Object.fromEntries(stringEntries(at(r.props, "spec.selector")))[K8S_ROLE_LABEL];
}

/** Kubernetes object kinds whose pod template holds containers. */
const WORKLOAD_SPECS = ["spec.template.spec", "spec.jobTemplate.spec.template.spec", "spec.leaderWorkerTemplate.leaderTemplate.spec", "spec.leaderWorkerTemplate.workerTemplate.spec"];

/** Containers and init containers of a Kubernetes workload's pod templates. */
export function podContainers(r: PolicyInput): unknown[] {
  if (!r.type.startsWith("kubernetes:")) return [];
  const specs = [...WORKLOAD_SPECS.map((p) => at(r.props, p)), ...(r.type.endsWith(":Pod") ? [at(r.props, "spec")] : [])];
  return specs.flatMap((spec) => [...list(at(spec, "containers")), ...list(at(spec, "initContainers"))]);
}

/** One environment variable: literal value, or a reference (K8s `valueFrom`). */
export interface EnvEntry {
  readonly name: string;
  /** The literal value; undefined for references and unknown values. */
  readonly value: string | undefined;
  /** Where it is set, for messages. */
  readonly where: string;
}

/** Env entries of a Docker container (`NAME=value` strings) or of a K8s workload's containers. */
export function envEntries(r: PolicyInput): EnvEntry[] {
  if (r.type === "docker:index/container:Container") {
    return list(at(r.props, "envs")).flatMap((e) => {
      if (typeof e !== "string") return [];
      const eq = e.indexOf("=");
      return eq < 0 ? [] : [{ name: e.slice(0, eq), value: e.slice(eq + 1), where: "envs" }];
    });
  }
  return podContainers(r).flatMap((c) => {
    const container = str(at(c, "name")) ?? "?";
    return list(at(c, "env")).flatMap((e) => {
      const name = str(at(e, "name"));
      return name === undefined ? [] : [{ name, value: str(at(e, "value")), where: `container "${container}" env` }];
    });
  });
}

/** The stack name in a URN (`urn:pulumi:<stack>::<project>::…`). */
export function stackOfUrn(urn: string): string {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";
}
