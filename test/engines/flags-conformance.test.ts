/**
 * Every flag the generators emit, over a matrix of realistic inputs and random valid ones, exists in
 * the flag reference of the release the pinned image runs, takes a valid value, and is not removed
 * or deprecated. The generators' own vocabularies match the reference choices exactly.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  LLAMACPP_FLASH_ATTN,
  LLAMACPP_KV_CACHE_DTYPES,
  LLAMACPP_POOLING,
  LLAMA_API_KEY_ENV,
  llamaCppCommand,
  type LlamaCppServerInput,
} from "../../src/engines/llamacpp-args";
import { HF_TOKEN_ENV } from "../../src/engines/model-server-command";
import { VLLM_API_KEY_ENV, VLLM_KV_CACHE_DTYPES, vllmCommand, type VllmServerInput } from "../../src/engines/vllm-args";
import { KV_CACHE_DTYPES, VLLM_QUANTIZATIONS } from "../../src/planner/catalog/quantizations";
import {
  LLAMA_DEPRECATED_ENV,
  VLLM_REF,
  llamaArgProblems,
  llamaChoices,
  llamaFlagEnv,
  vllmArgProblems,
  vllmChoices,
} from "./flag-reference";

const QUANTIZATIONS = VLLM_QUANTIZATIONS.map((q) => q.id);
const ROLES = ["chat", "embeddings"] as const;
const TP_SIZES = [1, 2, 4, 8];

function vllmMatrix(): VllmServerInput[] {
  const inputs: VllmServerInput[] = [];
  for (const quantization of QUANTIZATIONS) {
    for (const role of ROLES) {
      for (const tensorParallelSize of TP_SIZES) {
        for (const kvCacheDtype of ["auto", "fp8", "fp8_e5m2"] as const) {
          inputs.push({
            servedModelName: "m",
            repo: "RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic",
            quantization,
            quantizeOnLoad: quantization === "fp8" && tensorParallelSize === 2,
            role,
            tensorParallelSize,
            kvCacheDtype,
            maxModelLen: 32768,
            gpuMemoryUtilization: 0.92,
            maxNumSeqs: tensorParallelSize === 8 ? 512 : undefined,
            enforceEager: tensorParallelSize === 1,
            enablePrefixCaching: tensorParallelSize === 4 ? false : undefined,
            revision: tensorParallelSize === 8 ? "0123abcd" : undefined,
            apiKey: true,
            hfToken: true,
          });
        }
      }
    }
  }
  return inputs;
}

function llamaMatrix(): LlamaCppServerInput[] {
  const inputs: LlamaCppServerInput[] = [];
  for (const gpu of [false, true]) {
    for (const kvCacheDtype of LLAMACPP_KV_CACHE_DTYPES) {
      for (const role of ROLES) {
        inputs.push({
          servedModelName: "m",
          repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF",
          file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
          role,
          pooling: role === "embeddings" ? "cls" : undefined,
          contextSize: 16384,
          parallelSlots: 4,
          gpu,
          gpuLayers: gpu ? (kvCacheDtype === "q4_0" ? 20 : "all") : 0,
          kvCacheDtype,
          flashAttn: kvCacheDtype === "f32" ? "off" : kvCacheDtype === "bf16" ? "auto" : undefined,
          threads: gpu ? undefined : 4,
          apiKey: true,
          hfToken: true,
        });
      }
    }
  }
  return inputs;
}

describe("vLLM command lines against vllm-flags.json", () => {
  it.each(vllmMatrix().map((input) => [`${input.quantization} ${input.role} tp${input.tensorParallelSize} kv=${input.kvCacheDtype}`, input] as const))(
    "emits only v0.22.0 flags for %s",
    (_name, input) => {
      expect(vllmArgProblems(vllmCommand(input).args)).toEqual([]);
    },
  );

  it.each(VLLM_KV_CACHE_DTYPES.map((d) => [d]))("accepts kv-cache dtype %s as the reference does", (kvCacheDtype) => {
    const input = vllmMatrix()[0] as VllmServerInput;
    expect(vllmArgProblems(vllmCommand({ ...input, kvCacheDtype }).args)).toEqual([]);
  });

  it("emits only valid flags for any valid input", () => {
    const input = fc.record({
      servedModelName: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
      repo: fc.constantFrom("Qwen/Qwen2.5-7B-Instruct-AWQ", "openai/gpt-oss-20b", "Qwen/Qwen3-32B-FP8"),
      quantization: fc.constantFrom(...QUANTIZATIONS),
      kvCacheDtype: fc.option(fc.constantFrom(...VLLM_KV_CACHE_DTYPES), { nil: undefined }),
      maxModelLen: fc.integer({ min: 1, max: 1_048_576 }),
      tensorParallelSize: fc.integer({ min: 1, max: 16 }),
      gpuMemoryUtilization: fc.double({ min: 0.01, max: 1, noNaN: true }),
      port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      role: fc.option(fc.constantFrom(...ROLES), { nil: undefined }),
      maxNumSeqs: fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined }),
      enforceEager: fc.option(fc.boolean(), { nil: undefined }),
      enablePrefixCaching: fc.option(fc.boolean(), { nil: undefined }),
      apiKey: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(input, (i) => {
        expect(vllmArgProblems(vllmCommand(i).args)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("offers exactly the reference's --kv-cache-dtype choices, a superset of what the stack config accepts", () => {
    expect([...VLLM_KV_CACHE_DTYPES]).toEqual(vllmChoices("--kv-cache-dtype"));
    expect(VLLM_KV_CACHE_DTYPES).toEqual(expect.arrayContaining(Object.keys(KV_CACHE_DTYPES.vllm)));
  });

  it("uses the env var names the reference gives for the API key", () => {
    expect(VLLM_REF.flag_syntax.env).toContain(`${VLLM_API_KEY_ENV} mirrors --api-key`);
    expect(VLLM_REF.flag_syntax.env).toContain(HF_TOKEN_ENV);
  });
});

describe("llama.cpp command lines against llamacpp-flags.json", () => {
  it.each(llamaMatrix().map((input) => [`${input.gpu ? "gpu" : "cpu"} ${input.role} kv=${input.kvCacheDtype}`, input] as const))(
    "emits only flags of the pinned build for %s",
    (_name, input) => {
      const cmd = llamaCppCommand(input);
      expect(llamaArgProblems(cmd.args)).toEqual([]);
      expect(Object.keys(cmd.env).filter((name) => LLAMA_DEPRECATED_ENV.includes(name))).toEqual([]);
    },
  );

  it("emits only valid flags for any valid input", () => {
    const input = fc
      .record({
        servedModelName: fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/),
        repo: fc.constantFrom("Qwen/Qwen2.5-1.5B-Instruct-GGUF", "nomic-ai/nomic-embed-text-v1.5-GGUF"),
        file: fc.constantFrom("qwen2.5-1.5b-instruct-q4_k_m.gguf", "nomic-embed-text-v1.5.Q8_0.gguf"),
        parallelSlots: fc.integer({ min: 1, max: 64 }),
        perSlot: fc.integer({ min: 1, max: 131_072 }),
        gpu: fc.boolean(),
        layers: fc.oneof(fc.constant("all" as const), fc.integer({ min: 0, max: 999 })),
        kvCacheDtype: fc.option(fc.constantFrom(...LLAMACPP_KV_CACHE_DTYPES), { nil: undefined }),
        role: fc.option(fc.constantFrom(...ROLES), { nil: undefined }),
        pooling: fc.option(fc.constantFrom(...LLAMACPP_POOLING), { nil: undefined }),
        flashAttn: fc.option(fc.constantFrom("on", "auto") as fc.Arbitrary<"on" | "auto">, { nil: undefined }),
        threads: fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
        metrics: fc.option(fc.boolean(), { nil: undefined }),
        apiKey: fc.option(fc.boolean(), { nil: undefined }),
      })
      .map(({ perSlot, layers, ...i }): LlamaCppServerInput => ({
        ...i,
        contextSize: perSlot * i.parallelSlots,
        gpuLayers: i.gpu ? layers : 0,
        pooling: i.role === "embeddings" ? i.pooling : undefined,
      }));
    fc.assert(
      fc.property(input, (i) => {
        expect(llamaArgProblems(llamaCppCommand(i).args)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("offers exactly the reference's cache-type and flash-attn choices, and only pooling types /v1/embeddings accepts", () => {
    expect([...LLAMACPP_KV_CACHE_DTYPES]).toEqual(llamaChoices("--cache-type-k"));
    expect([...LLAMACPP_KV_CACHE_DTYPES]).toEqual(llamaChoices("--cache-type-v"));
    expect([...LLAMACPP_FLASH_ATTN]).toEqual(llamaChoices("--flash-attn"));
    expect(llamaChoices("--pooling")).toEqual(expect.arrayContaining([...LLAMACPP_POOLING]));
    expect(LLAMACPP_POOLING).not.toContain("none");
    expect(LLAMACPP_KV_CACHE_DTYPES).toEqual(expect.arrayContaining(Object.keys(KV_CACHE_DTYPES.llamacpp)));
  });

  it("uses the env var names the reference gives for the API key and the HF token", () => {
    expect(llamaFlagEnv("--api-key")).toBe(LLAMA_API_KEY_ENV);
    expect(llamaFlagEnv("--hf-token")).toBe(HF_TOKEN_ENV);
  });
});
