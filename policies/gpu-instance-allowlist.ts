/**
 * @module Policy `shoestring-gpu-instance-allowlist`: GPU machines only of the types an organisation
 * allows (policy config `allowedInstanceTypes`); by default, the GPU instance types the planner
 * knows an on-demand price for, so nothing unpriced or unplanned is launched. Checks EC2 instances,
 * EKS node groups and launch templates; non-GPU types (system nodes) are not this policy's business.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { INSTANCES } from "../src/planner/catalog/instances";
import { at, list, str, type PolicyInput } from "./_props";

/** Policy name, as reported and as the key in policy config. */
export const GPU_INSTANCE_ALLOWLIST = "shoestring-gpu-instance-allowlist";

/** The planner's GPU instance types that have an on-demand price (src/planner/catalog/instances.ts). */
export const DEFAULT_ALLOWED_GPU_INSTANCES: readonly string[] = INSTANCES.filter((i) => i.usdPerHour !== undefined).map((i) => i.instanceType);

/** AWS accelerated families with NVIDIA GPUs: g*, gr*, p* (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing). */
const GPU_FAMILY = /^(g\d+[a-z]*|gr\d+[a-z]*|p\d+[a-z]*)([.-]|$)/;

/** Policy config. */
export interface GpuInstanceAllowlistConfig {
  /** GPU instance types that may be launched. @default DEFAULT_ALLOWED_GPU_INSTANCES */
  allowedInstanceTypes?: string[];
}

/** True for a GPU instance type (by the catalog or the family name). */
export function isGpuInstanceType(type: string): boolean {
  return INSTANCES.some((i) => i.instanceType === type) || GPU_FAMILY.test(type);
}

function instanceTypesOf(r: PolicyInput): string[] {
  switch (r.type) {
    case "aws:ec2/instance:Instance":
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return [str(at(r.props, "instanceType"))].filter((t): t is string => t !== undefined);
    case "aws:eks/nodeGroup:NodeGroup":
      return list(at(r.props, "instanceTypes")).filter((t): t is string => typeof t === "string");
    default:
      return [];
  }
}

/** Every GPU instance type of one resource that is not allowed. */
export function gpuAllowlistViolations(r: PolicyInput, config: GpuInstanceAllowlistConfig = {}): string[] {
  const allowed = config.allowedInstanceTypes ?? DEFAULT_ALLOWED_GPU_INSTANCES;
  const source = config.allowedInstanceTypes ? "policy config allowedInstanceTypes" : "the planner's priced GPU instances";
  return instanceTypesOf(r)
    .filter((t) => isGpuInstanceType(t) && !allowed.includes(t))
    .map((t) => {
      const shown = allowed.length > 12 ? `${allowed.slice(0, 12).join(", ")}, … (${allowed.length} types)` : allowed.join(", ") || "none";
      return (
        `${r.type.split(":").pop()} "${r.name}" uses GPU instance type "${t}", which is not allowed (${source}: ${shown}). ` +
        `Pick an allowed type (shoestring gpus lists them with prices), or add "${t}" to allowedInstanceTypes.`
      );
    });
}

/** The CrossGuard policy. */
export const gpuInstanceAllowlist: ResourceValidationPolicy = {
  name: GPU_INSTANCE_ALLOWLIST,
  description: "GPU instances (EC2, EKS node groups, launch templates) only of allowed types.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowedInstanceTypes: { type: "array", items: { type: "string" } } } },
  validateResource: (args, report) => {
    for (const message of gpuAllowlistViolations(args, args.getConfig<GpuInstanceAllowlistConfig>())) report(message);
  },
};
