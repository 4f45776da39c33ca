import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

describe("shoestring preview", () => {
  it("lists the local stack's resources as a tree with key settings and the planner's totals, exit 0", () => {
    const result = runCli(["preview", "--stack", "local"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Preview of stack local (stacks/Pulumi.local.yaml), target docker-local: 28 resources would be created");
    expect(result.stdout).toMatch(/\n  llm-router\s+shoestring:index:RouterService\s*\n/);
    expect(result.stdout).toMatch(/\n    llm-router-container\s+docker:index\/container:Container\s+image shoestring-router:[^ ]+ · ports 127\.0\.0\.1:8080→8080\/tcp\n/);
    expect(result.stdout).toContain("Totals (planner): price unknown · GPUs 0/0 ·");
    expect(result.stdout).toContain("  · price: this machine, CPU only: own hardware: no hourly price");
  });

  it("prints one JSON object with status, resources, models and totals", () => {
    const result = runCli(["preview", "--stack", "aws-gpu-vm", "--json"]);
    expect(result.code).toBe(0);
    const preview = JSON.parse(result.stdout);
    expect(preview).toMatchObject({ stack: "aws-gpu-vm", target: "aws-gpu-vm", status: "ok", totals: { gpusUsed: 1, hoursPerMonth: 730 } });
    expect(preview.resources.find((r: { name: string }) => r.name === "llm-host-instance").keySettings["instance type"]).toBe("g6e.xlarge");
    expect(preview.models.map((m: { name: string }) => m.name)).toEqual(["qwen-14b"]);
  });

  it("exits 2 for a stack that does not fit, with the refusal on stderr", () => {
    const result = runCli(["preview", "--file", "test/fixtures/stacks/Pulumi.too-big.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("target aws-gpu-vm: refused, nothing would be created");
    expect(result.stderr).toMatch(/^The stack does not fit its hardware; nothing was created\.\nllama-70b: No available memory for the cache blocks\./);
  });

  it("exits 1 for an invalid stack file, and for a stack that does not exist", () => {
    const invalid = runCli(["preview", "--file", "test/fixtures/stacks/Pulumi.bad-names.yaml"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('shoestring:target.gpu.type: unknown GPU (got "RTX-409"; allowed: RTX-4090, RTX-3090, RTX-4060)');
    const missing = runCli(["preview", "--stack", "prod"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Stack "prod" not found');
    expect(missing.stderr).toContain("allowed: aws-gpu-vm, edge, eks-cluster, k8s, local");
  });

  it("exits 1 unless exactly one of --stack and --file is given", () => {
    const result = runCli(["preview"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("preview needs exactly one of --stack <name> or --file <path>. Example: shoestring preview --stack edge\n");
  });
});
