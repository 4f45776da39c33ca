/** vllmCommand: exact command lines for the default stacks' models, each knob, and input errors. */
import { describe, expect, it } from "vitest";
import { vllmCommand, type VllmServerInput } from "../../src/engines/vllm-args";
import { VERSIONS } from "../../src/versions";
import { errorOf, messageOf } from "./engine-errors";
import { vllmArgProblems } from "./flag-reference";

/** Qwen/Qwen2.5-7B-Instruct-AWQ on one 24 GB GPU (model-sources.md §6 d). */
const QWEN_7B_AWQ: VllmServerInput = {
  servedModelName: "qwen-7b",
  repo: "Qwen/Qwen2.5-7B-Instruct-AWQ",
  quantization: "awq",
  maxModelLen: 8192,
  tensorParallelSize: 1,
  gpuMemoryUtilization: 0.9,
};

/** RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic on 4 GPUs (model-sources.md §6 e). */
const LLAMA_70B_FP8: VllmServerInput = {
  servedModelName: "llama-70b",
  repo: "RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic",
  quantization: "fp8",
  maxModelLen: 8192,
  tensorParallelSize: 4,
  gpuMemoryUtilization: 0.9,
};

describe("vllmCommand for the default stacks' models", () => {
  it("serves Qwen2.5-7B-Instruct-AWQ on one GPU with no --quantization (read from the checkpoint)", () => {
    const cmd = vllmCommand(QWEN_7B_AWQ);
    expect(cmd.args).toEqual([
      "Qwen/Qwen2.5-7B-Instruct-AWQ",
      "--served-model-name",
      "qwen-7b",
      "--host",
      "0.0.0.0",
      "--port",
      "8000",
      "--tensor-parallel-size",
      "1",
      "--max-model-len",
      "8192",
      "--gpu-memory-utilization",
      "0.9",
    ]);
    expect(cmd).toMatchObject({ image: VERSIONS.vllm.image, port: 8000, healthPath: "/health", metricsPath: "/metrics", metricsNeedApiKey: false });
    expect(cmd.env).toEqual({ VLLM_NO_USAGE_STATS: "1" });
    expect(cmd.secretEnv).toEqual([]);
  });

  it("serves Llama-3.3-70B FP8-dynamic on TP 4 without --quantization fp8, which would contradict its compressed-tensors config", () => {
    const cmd = vllmCommand({ ...LLAMA_70B_FP8, apiKey: true });
    expect(cmd.args).toEqual([
      "RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic",
      "--served-model-name",
      "llama-70b",
      "--host",
      "0.0.0.0",
      "--port",
      "8000",
      "--tensor-parallel-size",
      "4",
      "--max-model-len",
      "8192",
      "--gpu-memory-utilization",
      "0.9",
    ]);
    expect(cmd.secretEnv).toEqual(["VLLM_API_KEY"]);
    expect(vllmArgProblems(cmd.args)).toEqual([]);
  });
});

describe("vllmCommand knobs", () => {
  it("gives 16-bit repos an explicit --dtype: bfloat16 for bf16, half for fp16", () => {
    const base = { ...QWEN_7B_AWQ, repo: "Qwen/Qwen2.5-7B-Instruct" };
    expect(vllmCommand({ ...base, quantization: "bf16" }).args.slice(-2)).toEqual(["--dtype", "bfloat16"]);
    expect(vllmCommand({ ...base, quantization: "fp16" }).args.slice(-2)).toEqual(["--dtype", "half"]);
  });

  it("quantizes a 16-bit repo to FP8 while loading only when asked", () => {
    const cmd = vllmCommand({ ...QWEN_7B_AWQ, repo: "Qwen/Qwen2.5-7B-Instruct", quantization: "fp8", quantizeOnLoad: true });
    expect(cmd.args.slice(-2)).toEqual(["--quantization", "fp8"]);
    for (const q of ["awq", "gptq", "w8a8", "mxfp4", "fp8"] as const) {
      expect(vllmCommand({ ...QWEN_7B_AWQ, quantization: q }).args).not.toContain("--quantization");
    }
  });

  it("passes --kv-cache-dtype only when it is not auto", () => {
    expect(vllmCommand({ ...QWEN_7B_AWQ, kvCacheDtype: "auto" }).args).not.toContain("--kv-cache-dtype");
    expect(vllmCommand({ ...QWEN_7B_AWQ, kvCacheDtype: "fp8" }).args.slice(-2)).toEqual(["--kv-cache-dtype", "fp8"]);
  });

  it("runs embedding models on the pooling runner instead of the removed --task embed", () => {
    const cmd = vllmCommand({ ...QWEN_7B_AWQ, role: "embeddings", quantization: "bf16", repo: "Qwen/Qwen3-Embedding-0.6B" });
    expect(cmd.args.slice(-4)).toEqual(["--dtype", "bfloat16", "--runner", "pooling"]);
    expect(cmd.args).not.toContain("--task");
  });

  it("emits the optional scheduler and cache knobs in their v0.22 forms", () => {
    const cmd = vllmCommand({ ...QWEN_7B_AWQ, maxNumSeqs: 64, enforceEager: true, enablePrefixCaching: false, revision: "abc123" });
    expect(cmd.args.slice(13)).toEqual([
      "--revision",
      "abc123",
      "--tokenizer-revision",
      "abc123",
      "--max-num-seqs",
      "64",
      "--enforce-eager",
      "--no-enable-prefix-caching",
    ]);
    expect(vllmCommand({ ...QWEN_7B_AWQ, enablePrefixCaching: true }).args.at(-1)).toBe("--enable-prefix-caching");
    expect(vllmCommand({ ...QWEN_7B_AWQ, enforceEager: false }).args).not.toContain("--enforce-eager");
  });

  it("honours a custom port and host, and reports the same port", () => {
    const cmd = vllmCommand({ ...QWEN_7B_AWQ, port: 9000, host: "127.0.0.1" });
    expect(cmd.args.slice(3, 7)).toEqual(["--host", "127.0.0.1", "--port", "9000"]);
    expect(cmd.port).toBe(9000);
  });

  it("names the HF token and API key as secret env vars and never puts them in args or env", () => {
    const cmd = vllmCommand({ ...LLAMA_70B_FP8, hfToken: true, apiKey: true });
    expect(cmd.secretEnv).toEqual(["HF_TOKEN", "VLLM_API_KEY"]);
    expect(cmd.args.join(" ")).not.toMatch(/api-key|hf-token|HF_TOKEN|VLLM_API_KEY/);
    expect(Object.keys(cmd.env)).not.toContain("HF_TOKEN");
    expect(Object.keys(cmd.env)).not.toContain("VLLM_API_KEY");
  });
});

describe("vllmCommand input errors", () => {
  it("lists every invalid field at once, with value, limit and fix", () => {
    const bad = { ...QWEN_7B_AWQ, quantizeOnLoad: true, tensorParallelSize: 0, gpuMemoryUtilization: 1.5 };
    expect(messageOf(() => vllmCommand(bad))).toBe(
      [
        'Invalid vLLM server input for "qwen-7b" (3 problems):',
        "  - quantizeOnLoad: vLLM can only quantize to fp8 while loading, not to awq (got true; allowed: true only with quantization fp8). Fix: use a pre-quantized awq repo with quantizeOnLoad unset, or set quantization to fp8",
        "  - tensorParallelSize: must be a whole number of GPUs (got 0; allowed: a whole number, 1 or more). Fix: set the GPUs per replica, e.g. 1, 2, 4 or 8",
        "  - gpuMemoryUtilization: must be a share of GPU memory (got 1.5; allowed: more than 0, at most 1). Fix: use a fraction such as 0.9",
      ].join("\n"),
    );
  });

  it("rejects names, repos and values from untyped config that would break the command line", () => {
    const bad = {
      ...QWEN_7B_AWQ,
      servedModelName: "my model",
      repo: "not-a-repo",
      quantization: "int3",
      kvCacheDtype: "fp4",
      port: 70000,
      maxModelLen: 8192.5,
      revision: "main; rm -rf /",
    } as unknown as VllmServerInput;
    const error = errorOf(() => vllmCommand(bad));
    expect(error.issues.map((i) => `${i.field}: ${i.problem}`)).toEqual([
      "servedModelName: is not a single model name",
      "repo: is not a Hugging Face repo id",
      "port: is not a TCP port",
      "quantization: is not a known value",
      "kvCacheDtype: is not a known value",
      "maxModelLen: must be a whole number of tokens",
      "revision: is not a git revision",
    ]);
    expect(error.issues[3]?.allowed).toBe("bf16, fp16, fp8, w8a8, awq, gptq, mxfp4");
  });
});
