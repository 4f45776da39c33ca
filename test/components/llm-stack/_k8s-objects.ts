/** @module What the Kubernetes stack tests share: counting registrations and the objects that are not API objects. */
import type { Recorded } from "../../helpers/pulumi";

/** Pulumi types of the Kubernetes stacks, by role. */
export const K8S_TYPES = {
  deployment: "kubernetes:apps/v1:Deployment",
  release: "kubernetes:helm.sh/v3:Release",
  secret: "kubernetes:core/v1:Secret",
  scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
  provider: "pulumi:providers:kubernetes",
} as const;

/** Registrations `expectValidK8sObjects` must skip, with the reason. */
export const NOT_API_OBJECTS = { [K8S_TYPES.release]: "a Helm release (helm install), not an object the API server stores" };

/** The toleration of the GPU nodes' `nvidia.com/gpu` taint. */
export const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

/** How many resources of each type whose name starts with `prefix` were registered. */
export function countsOf(recorded: Recorded, prefix: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of recorded.resources) if (r.type.startsWith(prefix)) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}
