import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

describe("shoestring models and gpus", () => {
  it("lists every catalog model with its repo", () => {
    const result = runCli(["models"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/llama-3\.1-70b\s+chat\s+70\.55B/);
    expect(result.stdout).toContain("nomic-ai/nomic-embed-text-v1.5");
  });

  it("prints the model catalog as JSON with a source on every row", () => {
    const models = JSON.parse(runCli(["models", "--json"]).stdout) as Array<{ id: string; source: string }>;
    expect(models.length).toBeGreaterThanOrEqual(24);
    expect(models.every((m) => m.source.startsWith("http"))).toBe(true);
  });

  it("lists GPUs and priced instances, and says where prices come from", () => {
    const result = runCli(["gpus"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/g6e\.xlarge\s+1× L40S/);
    expect(result.stdout).toMatch(/p5e\.48xlarge.*no on-demand price/);
    expect(result.stdout).toContain("Prices: us-east-1 on-demand Linux, snapshot");
  });
});

describe("shoestring --help", () => {
  it.each(["plan", "validate", "models", "gpus", "simulate", "bench"])("documents %s", (command) => {
    const result = runCli([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`shoestring ${command}`);
  });

  it("lists the commands at the top level", () => {
    const result = runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["plan", "validate", "models", "gpus", "simulate", "bench"]) expect(result.stdout).toContain(command);
  });

  it("rejects an unknown command with a hint", () => {
    const result = runCli(["plann"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Unknown command `plann`");
  });
});
