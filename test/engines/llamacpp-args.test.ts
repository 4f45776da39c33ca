/** llamaCppCommand: exact command lines for the default stacks' models, each knob, and input errors. */
import { describe, expect, it } from "vitest";
import { llamaCppCommand, type LlamaCppServerInput } from "../../src/engines/llamacpp-args";
import { VERSIONS } from "../../src/versions";
import { errorOf, messageOf } from "./engine-errors";
import { llamaArgProblems } from "./flag-reference";

/** Qwen2.5-1.5B-Instruct Q4_K_M on a laptop CPU, 4 slots of 4096 tokens (model-sources.md §6 a). */
const QWEN_1_5B_CPU: LlamaCppServerInput = {
  servedModelName: "qwen-1-5b",
  repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
  file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
  contextSize: 16384,
  parallelSlots: 4,
  gpu: false,
};

/** nomic-embed-text-v1.5 Q8_0 embeddings on the CPU, 4 slots of 2048 tokens, mean pooling (§6 b). */
const NOMIC_EMBED_CPU: LlamaCppServerInput = {
  servedModelName: "nomic-embed",
  repo: "nomic-ai/nomic-embed-text-v1.5-GGUF",
  file: "nomic-embed-text-v1.5.Q8_0.gguf",
  role: "embeddings",
  pooling: "mean",
  contextSize: 8192,
  parallelSlots: 4,
  gpu: false,
};

/** bartowski/Qwen2.5-7B-Instruct-GGUF Q4_K_M on a 24 GB GPU (§6 c). */
const QWEN_7B_GPU: LlamaCppServerInput = {
  servedModelName: "qwen-7b",
  repo: "bartowski/Qwen2.5-7B-Instruct-GGUF",
  file: "Qwen2.5-7B-Instruct-Q4_K_M.gguf",
  contextSize: 32768,
  parallelSlots: 4,
  gpu: true,
};

const PREFIX = ["--host", "0.0.0.0", "--port", "8080"];

describe("llamaCppCommand for the default stacks' models", () => {
  it("serves Qwen2.5-1.5B GGUF on the CPU image with an explicit port, context and slots", () => {
    const cmd = llamaCppCommand(QWEN_1_5B_CPU);
    expect(cmd.args).toEqual([
      "--hf-repo",
      "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
      "--hf-file",
      "qwen2.5-1.5b-instruct-q4_k_m.gguf",
      "--alias",
      "qwen-1-5b",
      "--host",
      "0.0.0.0",
      "--port",
      "8080",
      "--ctx-size",
      "16384",
      "--parallel",
      "4",
      "--metrics",
    ]);
    expect(cmd).toMatchObject({
      image: VERSIONS.llamaCpp.cpuImage,
      port: 8080,
      healthPath: "/health",
      metricsPath: "/metrics",
      metricsNeedApiKey: false,
      env: {},
      secretEnv: [],
    });
  });

  it("serves nomic-embed GGUF as an embeddings server with mean pooling and a micro-batch that holds one slot", () => {
    expect(llamaCppCommand(NOMIC_EMBED_CPU).args).toEqual([
      "--hf-repo",
      "nomic-ai/nomic-embed-text-v1.5-GGUF",
      "--hf-file",
      "nomic-embed-text-v1.5.Q8_0.gguf",
      "--alias",
      "nomic-embed",
      "--host",
      "0.0.0.0",
      "--port",
      "8080",
      "--ctx-size",
      "8192",
      "--parallel",
      "4",
      "--embeddings",
      "--pooling",
      "mean",
      "--batch-size",
      "2048",
      "--ubatch-size",
      "2048",
      "--metrics",
    ]);
  });
});

describe("llamaCppCommand knobs", () => {
  it("runs the CUDA image and offloads every layer as -ngl 999, valid in every build", () => {
    const cmd = llamaCppCommand(QWEN_7B_GPU);
    expect(cmd.image).toBe(VERSIONS.llamaCpp.cudaImage);
    expect(cmd.args.slice(6)).toEqual([...PREFIX, "--ctx-size", "32768", "--parallel", "4", "--n-gpu-layers", "999", "--metrics"]);
    expect(llamaCppCommand({ ...QWEN_7B_GPU, gpuLayers: 20 }).args).toContain("20");
    expect(llamaCppCommand({ ...QWEN_7B_GPU, gpuLayers: 0 }).args.slice(-3)).toEqual(["--n-gpu-layers", "0", "--metrics"]);
  });

  it("leaves -ngl out on the CPU image, where there is nothing to offload to", () => {
    expect(llamaCppCommand({ ...QWEN_1_5B_CPU, gpuLayers: "all" }).args).not.toContain("--n-gpu-layers");
    expect(llamaCppCommand({ ...QWEN_1_5B_CPU, gpuLayers: 0 }).args).not.toContain("--n-gpu-layers");
  });

  it("quantizes K and V together and turns flash attention on, which a quantized V cache needs", () => {
    const cmd = llamaCppCommand({ ...QWEN_7B_GPU, kvCacheDtype: "q8_0" });
    expect(cmd.args.slice(16)).toEqual(["--flash-attn", "on", "--cache-type-k", "q8_0", "--cache-type-v", "q8_0", "--metrics"]);
    expect(llamaCppCommand({ ...QWEN_7B_GPU, kvCacheDtype: "q8_0", flashAttn: "auto" }).args).toContain("auto");
    expect(llamaCppCommand({ ...QWEN_7B_GPU, kvCacheDtype: "f16" }).args).not.toContain("--cache-type-k");
    expect(llamaCppCommand({ ...QWEN_7B_GPU, kvCacheDtype: "bf16" }).args).not.toContain("--flash-attn");
  });

  it("passes flash attention as a value, never as the bare pre-2025-09 flag", () => {
    const args = llamaCppCommand({ ...QWEN_7B_GPU, flashAttn: "off" }).args;
    expect(args[args.indexOf("--flash-attn") + 1]).toBe("off");
  });

  it("leaves pooling to the GGUF's metadata when none is given", () => {
    const args = llamaCppCommand({ ...NOMIC_EMBED_CPU, pooling: undefined }).args;
    expect(args).toContain("--embeddings");
    expect(args).not.toContain("--pooling");
  });

  it("sets threads, a custom port and optional metrics", () => {
    const cmd = llamaCppCommand({ ...QWEN_1_5B_CPU, threads: 4, port: 9931, metrics: false });
    expect(cmd.args.slice(6)).toEqual(["--host", "0.0.0.0", "--port", "9931", "--ctx-size", "16384", "--parallel", "4", "--threads", "4"]);
    expect(cmd.port).toBe(9931);
  });

  it("names the API key env without _ARG_, keeps keys out of args, and says /metrics then needs the key", () => {
    const cmd = llamaCppCommand({ ...QWEN_7B_GPU, apiKey: true, hfToken: true });
    expect(cmd.secretEnv).toEqual(["HF_TOKEN", "LLAMA_API_KEY"]);
    expect(cmd.metricsNeedApiKey).toBe(true);
    expect(cmd.args.join(" ")).not.toMatch(/api-key|hf-token|-hft|HF_TOKEN|LLAMA_API_KEY/);
    expect(cmd.env).toEqual({});
    expect(llamaCppCommand({ ...QWEN_7B_GPU, apiKey: true, metrics: false }).metricsNeedApiKey).toBe(false);
  });

  it("produces only flags the pinned build knows", () => {
    expect(llamaArgProblems(llamaCppCommand({ ...QWEN_7B_GPU, kvCacheDtype: "q4_0", threads: 8, apiKey: true }).args)).toEqual([]);
  });
});

describe("llamaCppCommand input errors", () => {
  it("lists every invalid field at once, with value, limit and fix", () => {
    const bad = { ...QWEN_1_5B_CPU, gpuLayers: 20, kvCacheDtype: "q8_0", flashAttn: "off", pooling: "cls" } as const;
    expect(messageOf(() => llamaCppCommand(bad))).toBe(
      [
        'Invalid llama.cpp server input for "qwen-1-5b" (3 problems):',
        '  - gpuLayers: offloads layers but gpu is false (the CPU image has no GPU backend) (got 20; allowed: 0 or "all" when gpu is false). Fix: set gpu to true, or gpuLayers to 0',
        '  - flashAttn: a quantized KV cache (q8_0) needs flash attention (got "off"; allowed: on or auto with a quantized KV cache). Fix: leave flashAttn unset, or use kvCacheDtype f16',
        '  - pooling: only applies to an embeddings server (got "cls"; allowed: unset unless role is "embeddings"). Fix: set role to "embeddings", or remove pooling',
      ].join("\n"),
    );
  });

  it("refuses a context smaller than the slot count and a file that is not a GGUF in the repo", () => {
    const error = errorOf(() => llamaCppCommand({ ...QWEN_1_5B_CPU, file: "../etc/passwd.gguf", contextSize: 2, parallelSlots: 4 }));
    expect(error.issues.map((i) => [i.field, i.value, i.allowed])).toEqual([
      ["file", "../etc/passwd.gguf", "a relative path ending in .gguf (for split files, the -00001-of-0000N part)"],
      ["contextSize", 2, "a whole number, 4 or more"],
    ]);
  });

  it("rejects values from untyped config that the build would refuse or misread", () => {
    const bad = {
      ...QWEN_7B_GPU,
      servedModelName: "qwen,7b",
      kvCacheDtype: "q3_k",
      flashAttn: true,
      gpuLayers: "auto",
      pooling: "none",
      role: "rerank",
      threads: 0,
      gpu: "yes",
    } as unknown as LlamaCppServerInput;
    expect(errorOf(() => llamaCppCommand(bad)).issues.map((i) => `${i.field}: ${i.problem}`)).toEqual([
      "servedModelName: is not a single model name",
      "role: is not a known value",
      "gpu: must say whether a GPU is used",
      "gpuLayers: must be a whole number of layers",
      "kvCacheDtype: is not a known value",
      "flashAttn: is not a known value",
      "pooling: is not a known value",
      "threads: must be a whole number of CPU threads",
    ]);
  });
});
