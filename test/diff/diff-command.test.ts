import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

const SIDES = ["--base", "test/diff/fixtures/base", "--head", "test/diff/fixtures/head"];

describe("shoestring diff", () => {
  it("prints the PR comment for two directories and exits 0", () => {
    const result = runCli(["diff", ...SIDES, "--stack", "gpu-vm"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[0]).toBe("<!-- shoestring-diff -->");
    expect(result.stdout).toContain("Monthly cost will **increase by $278.19 (+20.2%)** 📈");
  });

  it("exits 3 when --fail-on-increase is exceeded, after printing the comment", () => {
    const result = runCli(["diff", ...SIDES, "--stack", "gpu-vm", "--fail-on-increase", "10"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("| `gpu-vm` | $1,374.53 → $1,652.72 | +$278.19 (+20.2%) |");
    expect(result.stderr).toBe(
      "Monthly cost rises by more than 10% (--fail-on-increase):\n  gpu-vm: +20.2% ($1374.53 → $1652.72 per month)\nReduce the cost, or raise the threshold if the increase is intended.\n",
    );
    expect(runCli(["diff", ...SIDES, "--stack", "gpu-vm", "--fail-on-increase", "25"]).code).toBe(0);
  });

  it("prints Infracost-shaped JSON with the threshold check", () => {
    const result = runCli(["diff", ...SIDES, "--stack", "gpu-vm", "--format", "json", "--fail-on-increase", "50"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ version: "0.2", diffTotalMonthlyCost: "278.19", failOnIncrease: { thresholdPercent: 50, exceeded: [], unchecked: [] } });
    expect(json.projects[0].name).toBe("gpu-vm");
  });

  it("refuses bad flags with one clear line and exit 1", () => {
    const cases: Array<[string[], string]> = [
      [["--format", "html"], '--format: unknown format "html" (expected one of markdown, json).\n'],
      [["--fail-on-increase", "ten"], '--fail-on-increase: expected a number ≥ 0, got "ten".\n'],
      [["--stack", "gpu-vm", "--all"], "Give --stack <name> or --all, not both.\n"],
      [["--marker", "a b"], "--marker: \"a b\" may only hold letters, digits, '.', '_', ':' and '-' (it goes inside an HTML comment).\n"],
    ];
    for (const [flags, message] of cases) {
      const result = runCli(["diff", ...SIDES, ...flags]);
      expect(result.code, flags.join(" ")).toBe(1);
      expect(result.stderr).toBe(message);
    }
    const missing = runCli(["diff", "--head", "."]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--base");
  });
});
