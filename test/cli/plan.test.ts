import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

const STACKS = ["local", "edge", "aws-gpu-vm", "eks-cluster", "k8s"];

describe("shoestring plan --stack", () => {
  it.each(STACKS)("plans the shipped %s stack, exits 0 and says it fits", (stack) => {
    const result = runCli(["plan", "--stack", stack]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Stack ${stack} (stacks/Pulumi.${stack}.yaml)`);
    expect(result.stdout).toContain("✓ fits");
  });

  it("prints one JSON object with totals and a plan per model", () => {
    const result = runCli(["plan", "--stack", "aws-gpu-vm", "--json"]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan).toMatchObject({ stack: "aws-gpu-vm", fits: true, gpusUsed: 1, gpusAvailable: 1 });
    // g6e.xlarge on-demand $1.861/h × 730 h + 200 GiB gp3 × $0.08.
    expect(plan.monthlyUsd).toBeCloseTo(1.861 * 730 + 200 * 0.08, 0);
    expect(plan.models[0]).toMatchObject({ name: "qwen-14b", engine: "vllm", quantization: "awq", tp: 1 });
    expect(plan.priceSnapshot.region).toBe("us-east-1");
  });

  it("exits 2 and prints vLLM's refusal when a stack does not fit", () => {
    const result = runCli(["plan", "--file", "test/fixtures/stacks/Pulumi.too-big.yaml"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("✗ llama-70b: No available memory for the cache blocks.");
  });

  it("exits 1 and lists every unknown name with the nearest valid ones", () => {
    const result = runCli(["plan", "--file", "test/fixtures/stacks/Pulumi.bad-names.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("(2 problems)");
    expect(result.stderr).toContain(
      'shoestring:target.gpu.type: unknown GPU (got "RTX-409"; allowed: RTX-4090, RTX-3090, RTX-4060)',
    );
    expect(result.stderr).toContain("shoestring:models[0].source.repo: the planner does not know this repo's architecture");
  });

  it("names the existing stacks when the stack does not exist", () => {
    const result = runCli(["plan", "--stack", "nope"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("local");
    expect(result.stderr).toContain("eks-cluster");
  });
});

describe("shoestring plan --model", () => {
  const json = (args: string[]) => {
    const result = runCli(["plan", ...args, "--json"]);
    return { code: result.code, plan: JSON.parse(result.stdout), stderr: result.stderr };
  };

  it("prints the fields machines rely on", () => {
    const { code, plan } = json(["--model", "qwen2.5-7b", "--quant", "awq", "--gpu", "l4", "--max-model-len", "16384"]);
    expect(code).toBe(0);
    for (const field of ["fits", "reason", "tp", "weightsGiB", "kvCacheGiB", "kvTokens", "maxConcurrency", "tokensPerSecond", "monthlyUsd"]) {
      expect(plan).toHaveProperty(field);
    }
    expect(plan).toMatchObject({ fits: true, tp: 1, gpu: "L4", instanceType: "g6.xlarge", maxModelLen: 16384 });
    expect(plan.maxConcurrency).toBe(Math.floor(plan.kvTokens / 16384));
  });

  it("picks the smallest tensor-parallel size that fits a 70B FP8 model on H100s", () => {
    const { code, plan } = json(["--model", "llama-3.1-70b", "--quant", "fp8", "--gpu", "H100", "--max-model-len", "32768"]);
    expect(code).toBe(0);
    expect(plan.tp).toBe(2);
    expect(plan.weightsGiB).toBeCloseTo(67.67 / 2, 1);
  });

  it("plans a model outside the catalog from its Hugging Face config.json", () => {
    const { code, plan } = json([
      "--model-config",
      "test/planner/fixtures/qwen2.5-1.5b-instruct.config.json",
      "--model",
      "my-qwen",
      "--quant",
      "bf16",
      "--gpu",
      "L4",
    ]);
    expect(code).toBe(0);
    expect(plan.model).toBe("my-qwen");
    // Qwen2.5-1.5B: 1.54B params, tied embeddings → about 2.9 GiB in bf16.
    expect(plan.weightsTotalGiB).toBeGreaterThan(2.8);
    expect(plan.weightsTotalGiB).toBeLessThan(3.0);
  });

  it("exits 2 with vLLM's message when one GPU cannot hold a 70B FP8 model", () => {
    const result = runCli(["plan", "--model", "llama-3.1-70b", "--quant", "fp8", "--gpu", "H100", "--tp", "1"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("To serve at least one request with the model's max seq len (131072)");
    expect(result.stdout).toContain("→ More GPUs: 64 attention heads allow TP 2, 4, 8.");
  });

  it.each([
    [["--model", "qwen2.5-7", "--quant", "awq", "--gpu", "L4"], '--model: unknown model "qwen2.5-7" (did you mean qwen2.5-7b, qwen2.5-72b, qwen2.5-14b?)'],
    [["--model", "qwen2.5-7b", "--quant", "awq", "--gpu", "H10"], '--gpu: unknown GPU "H10" (did you mean H100, A10G, H200?)'],
    [["--model", "qwen2.5-7b", "--quant", "awk", "--gpu", "L4"], '--quant: unknown quantization "awk" (got "awk"; did you mean awq, F16, fp8?)'],
    [["--model", "qwen2.5-7b", "--quant", "awq", "--gpu", "L4", "--engine", "llamacpp"], '--quant: "awq" is a Hugging Face checkpoint format that llama.cpp cannot load'],
    [["--model", "qwen2.5-7b", "--quant", "Q4_K_M", "--gpu", "L4", "--engine", "vllm"], '--quant: "Q4_K_M" is a GGUF type'],
    [["--model", "llama-3.1-8b", "--quant", "bf16", "--gpu", "H100", "--tp", "3"], "--tp: Total number of attention heads (32) must be divisible by tensor parallel size (3)"],
    [["--model", "llama-3.1-8b", "--quant", "bf16", "--gpu", "H100", "--tp", "16", "--gpus", "8"], "--tp: 1 replica(s) × 16 GPU(s) need 16 GPUs but the hardware has 8"],
    [["--model", "llama-3.1-8b", "--quant", "bf16", "--gpu", "H100", "--max-model-len", "lots"], '--max-model-len: expected an integer ≥ 1, got "lots".'],
    [["--model", "llama-3.1-8b", "--gpu", "H100"], "plan --model also needs --quant"],
  ])("exits 1 on bad input %j", (args, message) => {
    const result = runCli(["plan", ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
  });
});
