/**
 * @module Policy `shoestring-monthly-cost-ceiling` (a stack policy): the stack's monthly cost stays
 * under a ceiling from policy config — `maxMonthlyUsd` for every stack, `stacks.<name>` for one.
 * The cost is the planner's, read from the stack component's `plan` output; without one it is
 * estimated from EC2 instances and EKS node groups at on-demand prices. An unknown cost is never $0.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { findInstance } from "../src/planner/catalog/instances";
import { at, list, stackOfUrn, str, type PolicyInput } from "./_props";

/** Policy name, as reported and as the key in policy config. */
export const MONTHLY_COST_CEILING = "shoestring-monthly-cost-ceiling";

/** Component types whose `plan` output carries the planner's monthly cost. */
export const STACK_COMPONENT_TYPES: readonly string[] = ["shoestring:index:LlmStack", "shoestring:index:K8sLlmStack"];

/** Billed hours per month for the fallback estimate (Infracost's convention). */
export const DEFAULT_HOURS_PER_MONTH = 730;

/** Policy config. */
export interface MonthlyCostCeilingConfig {
  /** Ceiling in USD per month for any stack. @default - none: the policy does not apply */
  maxMonthlyUsd?: number;
  /** Ceilings per stack name, overriding maxMonthlyUsd. @default {} */
  stacks?: Record<string, number>;
  /** Report a stack whose cost is unknown (own hardware, unpriced instance). @default false */
  failWhenUnknown?: boolean;
  /** Hours per month for the fallback estimate. @default DEFAULT_HOURS_PER_MONTH */
  hoursPerMonth?: number;
}

/** The stack's monthly cost and where it came from; `usd` null when unknown. */
export interface StackCost {
  readonly usd: number | null;
  readonly source: string;
}

/** Reads the planner's cost, else estimates it from the compute resources. */
export function stackMonthlyCost(resources: readonly PolicyInput[], hoursPerMonth = DEFAULT_HOURS_PER_MONTH): StackCost {
  const stack = resources.find((r) => STACK_COMPONENT_TYPES.includes(r.type));
  const planned = stack === undefined ? undefined : at(stack.props, "plan.monthlyUsd");
  if (stack !== undefined && (typeof planned === "number" || planned === null)) {
    return { usd: planned, source: `the planner (${stack.type.split(":").pop()} "${stack.name}" output plan.monthlyUsd)` };
  }
  let usd = 0;
  let unknown = false;
  for (const r of resources) {
    const types = r.type === "aws:ec2/instance:Instance" ? [str(at(r.props, "instanceType"))] : r.type === "aws:eks/nodeGroup:NodeGroup" ? list(at(r.props, "instanceTypes")).map(String) : [];
    if (types.length === 0) continue;
    const count = r.type === "aws:eks/nodeGroup:NodeGroup" ? Number(at(r.props, "scalingConfig.desiredSize") ?? 1) : 1;
    const price = types[0] === undefined ? undefined : findInstance(types[0])?.usdPerHour;
    if (price === undefined || !Number.isFinite(count)) unknown = true;
    else usd += price * count * hoursPerMonth;
  }
  return { usd: unknown ? null : Math.round(usd * 100) / 100, source: "an estimate from EC2 instances and EKS node groups at on-demand prices" };
}

/** The ceiling problem of a stack, or none. */
export function costCeilingViolations(resources: readonly PolicyInput[], config: MonthlyCostCeilingConfig = {}): string[] {
  const stack = stackOfUrn(resources[0]?.urn ?? "");
  const ceiling = config.stacks?.[stack] ?? config.maxMonthlyUsd;
  if (ceiling === undefined) return [];
  const where = config.stacks?.[stack] !== undefined ? `stacks.${stack}` : "maxMonthlyUsd";
  const cost = stackMonthlyCost(resources, config.hoursPerMonth);
  if (cost.usd === null) {
    return config.failWhenUnknown
      ? [`Stack "${stack}": monthly cost is unknown (${cost.source}), so it cannot be shown to stay under the ceiling $${ceiling.toFixed(2)} (policy config ${where}). Give the hardware an hourly price, or set failWhenUnknown: false.`]
      : [];
  }
  if (cost.usd <= ceiling) return [];
  return [
    `Stack "${stack}": monthly cost $${cost.usd.toFixed(2)} exceeds the ceiling $${ceiling.toFixed(2)} by $${(cost.usd - ceiling).toFixed(2)} ` +
      `(cost from ${cost.source}; ceiling from policy config ${where}). Use fewer replicas, a smaller GPU instance or a 4-bit quantization (shoestring plan shows the options), or raise the ceiling.`,
  ];
}

/** The CrossGuard policy. */
export const monthlyCostCeiling: StackValidationPolicy = {
  name: MONTHLY_COST_CEILING,
  description: "The stack's planned monthly cost stays under the ceiling in policy config (maxMonthlyUsd, or stacks.<name>).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxMonthlyUsd: { type: "number", minimum: 0 },
      stacks: { type: "object", additionalProperties: { type: "number", minimum: 0 } },
      failWhenUnknown: { type: "boolean", default: false },
      hoursPerMonth: { type: "number", minimum: 1, maximum: 744, default: DEFAULT_HOURS_PER_MONTH },
    },
  },
  validateStack: (args, report) => {
    const config = args.getConfig<MonthlyCostCeilingConfig>();
    for (const message of costCeilingViolations(args.resources, config)) report(message);
  },
};
