import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ALLOWED_GPU_INSTANCES, gpuAllowlistViolations, gpuInstanceAllowlist, isGpuInstanceType } from "../../policies/gpu-instance-allowlist";
import { costCeilingViolations, monthlyCostCeiling, stackMonthlyCost } from "../../policies/monthly-cost-ceiling";
import { findInstance } from "../../src/planner";
import type { RecordedResource } from "../../src/preview";
import { policyInput, recordStack, resource, runPolicies } from "./_harness";

const ROOT = join(__dirname, "..", "..");
const CEILING = "shoestring-monthly-cost-ceiling";

describe("policy shoestring-gpu-instance-allowlist", () => {
  let eks: RecordedResource[];
  beforeAll(async () => {
    eks = await recordStack(join(ROOT, "stacks", "Pulumi.eks-cluster.yaml"));
  });

  it("catches a GPU node pool outside the allowlist in policy config, and not the CPU system nodes", async () => {
    const run = await runPolicies([gpuInstanceAllowlist], eks, { "shoestring-gpu-instance-allowlist": { allowedInstanceTypes: ["g6.xlarge"] } });
    expect(run.violations).toEqual([
      {
        policy: "shoestring-gpu-instance-allowlist",
        resource: "llm-pool-l40s-x4-nodes",
        message:
          'NodeGroup "llm-pool-l40s-x4-nodes" uses GPU instance type "g6e.12xlarge", which is not allowed (policy config allowedInstanceTypes: g6.xlarge). ' +
          'Pick an allowed type (shoestring gpus lists them with prices), or add "g6e.12xlarge" to allowedInstanceTypes.',
      },
    ]);
  });

  it("allows the planner's priced GPU types by default and refuses an unpriced one", () => {
    expect(DEFAULT_ALLOWED_GPU_INSTANCES).toContain("g6e.xlarge");
    expect(DEFAULT_ALLOWED_GPU_INSTANCES).not.toContain("p5e.48xlarge");
    const vm = policyInput("aws:ec2/instance:Instance", "vm", { instanceType: "p5e.48xlarge" });
    expect(gpuAllowlistViolations(vm)[0]).toContain('uses GPU instance type "p5e.48xlarge", which is not allowed (the planner\'s priced GPU instances: g4dn.xlarge,');
    expect(gpuAllowlistViolations(policyInput("aws:ec2/instance:Instance", "vm", { instanceType: "g6e.xlarge" }))).toEqual([]);
    expect(isGpuInstanceType("t3.large")).toBe(false);
    expect(isGpuInstanceType("p6-b200.48xlarge")).toBe(true);
    expect(isGpuInstanceType("g7e.2xlarge")).toBe(true);
  });
});

describe("policy shoestring-monthly-cost-ceiling", () => {
  let vm: RecordedResource[];
  let local: RecordedResource[];
  beforeAll(async () => {
    vm = await recordStack(join(ROOT, "stacks", "Pulumi.aws-gpu-vm.yaml"));
    local = await recordStack(join(ROOT, "stacks", "Pulumi.local.yaml"));
  });

  it("catches the GPU VM stack over a $1,000 ceiling, with the planner's cost", async () => {
    const run = await runPolicies([monthlyCostCeiling], vm, { [CEILING]: { maxMonthlyUsd: 1000 } });
    expect(run.violations).toEqual([
      {
        policy: CEILING,
        resource: undefined,
        message:
          'Stack "aws-gpu-vm": monthly cost $1374.53 exceeds the ceiling $1000.00 by $374.53 (cost from the planner (LlmStack "llm" output plan.monthlyUsd); ' +
          "ceiling from policy config maxMonthlyUsd). Use fewer replicas, a smaller GPU instance or a 4-bit quantization (shoestring plan shows the options), or raise the ceiling.",
      },
    ]);
  });

  it("prefers a per-stack ceiling, and does not apply without one", async () => {
    expect((await runPolicies([monthlyCostCeiling], vm, { [CEILING]: { maxMonthlyUsd: 1000, stacks: { "aws-gpu-vm": 1500 } } })).violations).toEqual([]);
    expect((await runPolicies([monthlyCostCeiling], vm, { [CEILING]: { stacks: { other: 1 } } })).violations).toEqual([]);
    expect((await runPolicies([monthlyCostCeiling], vm)).violations).toEqual([]);
  });

  it("never takes an unknown cost for $0: silent by default, reported with failWhenUnknown", async () => {
    expect((await runPolicies([monthlyCostCeiling], local, { [CEILING]: { maxMonthlyUsd: 1 } })).violations).toEqual([]);
    const strict = await runPolicies([monthlyCostCeiling], local, { [CEILING]: { maxMonthlyUsd: 1, failWhenUnknown: true } });
    expect(strict.violations.map((v) => v.message)).toEqual([
      'Stack "local": monthly cost is unknown (the planner (LlmStack "llm" output plan.monthlyUsd)), so it cannot be shown to stay under the ceiling $1.00 (policy config maxMonthlyUsd). Give the hardware an hourly price, or set failWhenUnknown: false.',
    ]);
  });

  it("estimates from instances and node groups when no stack component reports a plan", () => {
    const resources = [
      resource("aws:ec2/instance:Instance", "vm", { instanceType: "g6e.xlarge" }, { stack: "s" }),
      resource("aws:eks/nodeGroup:NodeGroup", "pool", { instanceTypes: ["g6.xlarge"], scalingConfig: { desiredSize: 2 } }, { stack: "s" }),
      resource("aws:eks/nodeGroup:NodeGroup", "system", { instanceTypes: ["t3.large"], scalingConfig: { desiredSize: 2 } }, { stack: "s" }),
    ].map((r) => policyInput(r.type, r.name, r.inputs, "s"));
    const hourly = findInstance("g6e.xlarge")!.usdPerHour! + findInstance("g6.xlarge")!.usdPerHour! * 2;
    expect(stackMonthlyCost(resources.slice(0, 2))).toEqual({ usd: Math.round(hourly * 730 * 100) / 100, source: "an estimate from EC2 instances and EKS node groups at on-demand prices" });
    // t3.large has no price in the GPU catalog: the estimate is unknown, not low.
    expect(stackMonthlyCost(resources).usd).toBeNull();
    expect(costCeilingViolations(resources.slice(0, 2), { maxMonthlyUsd: 100 })[0]).toMatch(/^Stack "s": monthly cost \$\d+\.\d\d exceeds the ceiling \$100\.00/);
  });
});
