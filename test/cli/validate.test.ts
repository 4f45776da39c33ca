import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

describe("shoestring validate", () => {
  it.each(["local", "edge", "aws-gpu-vm", "eks-cluster", "k8s"])("accepts the shipped %s stack", (stack) => {
    const result = runCli(["validate", "--stack", stack]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`✓ stacks/Pulumi.${stack}.yaml is valid and fits`);
  });

  it("lists secrets still to set as warnings, not errors", () => {
    const result = runCli(["validate", "--stack", "local"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Before `pulumi up`, set these secrets:");
    expect(result.stdout).toContain("pulumi config set --secret routerApiKeys <value>");
  });

  it("exits 1 and reports every schema problem at once", () => {
    const result = runCli(["validate", "--file", "test/fixtures/stacks/Pulumi.misplaced-keys.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("(7 problems)");
    expect(result.stderr).toContain("shoestring:modles: unknown config key");
  });

  it("exits 2 when the stack is valid but does not fit", () => {
    const result = runCli(["validate", "--file", "test/fixtures/stacks/Pulumi.too-big.yaml", "--json"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, fits: false });
  });

  it("prints the issues as JSON when asked", () => {
    const result = runCli(["validate", "--file", "test/fixtures/stacks/Pulumi.bad-names.yaml", "--json"]);
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout);
    expect(out.valid).toBe(false);
    expect(out.issues.map((i: { path: string }) => i.path)).toEqual([
      "shoestring:target.gpu.type",
      "shoestring:models[0].source.repo",
    ]);
  });

  it("refuses to guess between --stack and --file", () => {
    const result = runCli(["validate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("validate needs exactly one of --stack <name> or --file <path>");
  });
});
