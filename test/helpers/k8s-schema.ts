/**
 * @module Validates every Kubernetes object a program registered under the mocks against the real API
 * schemas: kubernetes-models (core kinds, Kubernetes 1.27), @kubernetes-models/keda (ScaledObject),
 * @kubernetes-models/prometheus-operator (ServiceMonitor, PrometheusRule), and the vendored
 * LeaderWorkerSet CRD (test/fixtures/crds, through ajv). A kind with no schema FAILS: nothing passes
 * unchecked. See shared/reference/pulumi-testing.md §8 and toolbox.md §6.
 *
 * The schemas do not reject unknown fields (the API server prunes them), so on top the helper checks
 * what they miss and the API server would refuse: object names (RFC 1123) and label syntax.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { PodMonitor, PrometheusRule, ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import type * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { DaemonSet, Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { Job } from "kubernetes-models/batch/v1";
import { Ingress, IngressClass, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1";
import {
  ConfigMap,
  LimitRange,
  Namespace,
  PersistentVolumeClaim,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from "kubernetes-models/v1";
import { parse } from "yaml";
import { unwrapSecrets, type Recorded } from "./pulumi";

/** Anything with kubernetes-models' `validate()`; each model types its own data, hence `any`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Model = new (data: any) => { validate(): void };

/** `apiVersion/kind` → schema model. Add a kind here (with its package) before a component may emit it. */
const MODELS: Record<string, Model> = {
  "v1/ConfigMap": ConfigMap,
  "v1/LimitRange": LimitRange,
  "v1/Namespace": Namespace,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "v1/ResourceQuota": ResourceQuota,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/DaemonSet": DaemonSet,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "batch/v1/Job": Job,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/IngressClass": IngressClass,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "scheduling.k8s.io/v1/PriorityClass": PriorityClass,
  "storage.k8s.io/v1/StorageClass": StorageClass,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
  "monitoring.coreos.com/v1/PodMonitor": PodMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
};

/** Vendored CRDs validated with ajv: `apiVersion/kind` → file under test/fixtures/crds. */
const CRD_FILES: Record<string, string> = {
  "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet": "leaderworkerset.x-k8s.io_leaderworkersets.yaml",
};

/** Every `apiVersion/kind` the helper can check. */
export const VALIDATED_KINDS: readonly string[] = [...Object.keys(MODELS), ...Object.keys(CRD_FILES)].sort();

interface CrdVersion {
  name: string;
  storage?: boolean;
  schema: { openAPIV3Schema: object };
}
const crdValidators = new Map<string, (data: unknown) => string | undefined>();

function crdValidator(key: string, file: string): (data: unknown) => string | undefined {
  const cached = crdValidators.get(key);
  if (cached) return cached;
  // Parsing (1.3 MB) and compiling take ~1 s, so only files that emit the kind pay for it.
  const crd = parse(readFileSync(join(__dirname, "..", "fixtures", "crds", file), "utf8")) as { spec: { group: string; versions: CrdVersion[] } };
  const version = crd.spec.versions.find((v) => `${crd.spec.group}/${v.name}/` === key.slice(0, key.lastIndexOf("/") + 1));
  if (version === undefined) throw new Error(`${file} has no version for ${key}`);
  // strict:false for the x-kubernetes-* keywords; Kubernetes' own formats are not in ajv-formats.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("quantity", true);
  const validate = ajv.compile(version.schema.openAPIV3Schema);
  const check = (data: unknown): string | undefined =>
    validate(data) ? undefined : (validate.errors ?? []).map((e) => `data${e.instancePath} ${e.message ?? "is invalid"}`).join(", ");
  crdValidators.set(key, check);
  return check;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function labelProblems(where: string, labels: unknown): string[] {
  if (labels === undefined) return [];
  if (typeof labels !== "object" || labels === null) return [`${where} is not a map`];
  return Object.entries(labels).flatMap(([key, value]) => {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = key.slice(slash + 1);
    const problems: string[] = [];
    if (!LABEL_NAME.test(name) || (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))) problems.push(`${where} key ${JSON.stringify(key)} is not a label name`);
    if (typeof value !== "string" || value.length > 63 || !LABEL_VALUE.test(value)) problems.push(`${where}[${JSON.stringify(key)}] = ${JSON.stringify(value)} is not a label value`);
    return problems;
  });
}

/**
 * Checks one object (secrets unwrapped, `metadata.name` set) against its schema, its name and labels.
 * @throws Error naming the kind and every problem, also when no schema knows the kind.
 */
export function validateK8sObject(object: Record<string, unknown>): void {
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    throw new Error("has no apiVersion/kind: not a Kubernetes API object. Pass its Pulumi type in notApiObjects, with the reason");
  }
  const key = `${object.apiVersion}/${object.kind}`;
  const metadata = (object.metadata ?? {}) as { name?: unknown; labels?: unknown };
  const problems: string[] = [];
  const model = MODELS[key];
  const crd = CRD_FILES[key];
  if (model !== undefined) {
    try {
      new model(object).validate();
    } catch (err) {
      problems.push((err as Error).message);
    }
  } else if (crd !== undefined) {
    const problem = crdValidator(key, crd)(object);
    if (problem !== undefined) problems.push(problem);
  } else {
    throw new Error(`no schema for ${key}: add it to test/helpers/k8s-schema.ts (known: ${VALIDATED_KINDS.join(", ")})`);
  }
  if (typeof metadata.name !== "string" || metadata.name.length > 253 || !DNS_SUBDOMAIN.test(metadata.name)) {
    problems.push(`metadata.name ${JSON.stringify(metadata.name)} is not a DNS subdomain`);
  }
  problems.push(...labelProblems("metadata.labels", metadata.labels));
  const template = (object.spec as { template?: { metadata?: { labels?: unknown } } } | undefined)?.template;
  problems.push(...labelProblems("spec.template.metadata.labels", template?.metadata?.labels));
  if (problems.length > 0) throw new Error(`${key} ${JSON.stringify(metadata.name)}: ${problems.join("; ")}`);
}

/** One recorded Kubernetes object, ready for validation. */
export interface RecordedK8sObject {
  /** Pulumi type, e.g. `kubernetes:apps/v1:Deployment`. */
  type: string;
  /** Pulumi logical name. */
  name: string;
  /** The object as the API server would get it: secrets unwrapped, `metadata.name` as the provider names it. */
  object: Record<string, unknown>;
}

/** Every recorded `kubernetes:*` custom resource as an API object (autonamed ones get `<name>-mock`). */
export function recordedK8sObjects(recorded: Recorded): RecordedK8sObject[] {
  return recorded.resources
    .filter((r: pulumi.runtime.MockResourceArgs) => r.custom && r.type.startsWith("kubernetes:"))
    .map((r) => {
      const object = unwrapSecrets(r.inputs) as Record<string, unknown>;
      const metadata = (object.metadata ?? {}) as Record<string, unknown>;
      return { type: r.type, name: r.name, object: { ...object, metadata: { ...metadata, name: metadata.name ?? `${r.name}-mock` } } };
    });
}

/**
 * Validates every recorded Kubernetes object and returns how many were checked. `notApiObjects`
 * lists Pulumi types that are not API objects (e.g. `kubernetes:helm.sh/v3:Release`) with the reason;
 * everything else must validate.
 * @throws Error listing every object that failed, by Pulumi type and name.
 */
export function expectValidK8sObjects(recorded: Recorded, notApiObjects: Readonly<Record<string, string>> = {}): number {
  const objects = recordedK8sObjects(recorded).filter((o) => !Object.hasOwn(notApiObjects, o.type));
  const failures = objects.flatMap((o) => {
    try {
      validateK8sObject(o.object);
      return [];
    } catch (err) {
      return [`${o.type} ${o.name}: ${(err as Error).message}`];
    }
  });
  if (objects.length === 0) throw new Error("no Kubernetes objects were registered: were the mocks installed?");
  if (failures.length > 0) throw new Error(`invalid Kubernetes objects:\n  - ${failures.join("\n  - ")}`);
  return objects.length;
}
