import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { DEFAULT_FRESHNESS_CUES, StackConfigSchema, parseStackConfig } from "../../src/config";
import { unwrap, variantsOf, walkFields } from "../../src/config/schema-walk";
import { chatModel, embeddingModel, gpuConfig, minimalConfig, vllmModel } from "./minimal";

describe("StackConfigSchema", () => {
  it("describes every field, in every variant, list item and map value", () => {
    const fields: string[] = [];
    const undocumented: string[] = [];
    walkFields(StackConfigSchema, "", (field) => {
      const label = field.variant ? `${field.path} (${field.variant.key}: ${field.variant.value})` : field.path;
      fields.push(label);
      if (!unwrap(field.schema).description?.trim()) undocumented.push(label);
    });
    expect(undocumented).toEqual([]);
    // The walk reaches deep fields of every variant, so an empty list above means something.
    expect(fields).toEqual(
      expect.arrayContaining([
        "target.privateKeySecret (kind: docker-ssh)",
        "target.gpuNodePools[].desiredSize (kind: eks)",
        "models[].source.file (kind: gguf)",
        "models[].gpuLayers (engine: llamacpp)",
        "router.providers[].baseUrl (kind: openai-compatible)",
        "cache.bypass.freshnessCues",
        "monitoring.alerts.fallbackRatePercent",
        "planning.hoursPerMonth",
      ]),
    );
    expect(fields.length).toBeGreaterThan(100);
  });

  it("is strict at every level, so typos are rejected rather than ignored", () => {
    const loose: string[] = [];
    let objects = 0;
    walkFields(StackConfigSchema, "", (field) => {
      let inner = unwrap(field.schema).inner as z.ZodType & { def: { type: string; catchall?: z.ZodType; element?: z.ZodType } };
      if (inner.def.type === "array" && inner.def.element) inner = unwrap(inner.def.element).inner as typeof inner;
      const candidates = inner.def.type === "union" ? variantsOf(inner).map((v) => v.schema) : [inner];
      for (const object of candidates) {
        const def = object.def as { type: string; catchall?: z.ZodType };
        if (def.type !== "object") continue;
        objects += 1;
        if (def.catchall?.def.type !== "never") loose.push(field.path);
      }
    });
    expect(loose).toEqual([]);
    expect(objects).toBeGreaterThan(25);
  });

  it("applies the documented defaults to a minimal config", () => {
    const { config, secretNames } = parseStackConfig(minimalConfig());
    expect(secretNames).toEqual(["routerApiKeys"]);
    expect(config.target).toEqual({ kind: "docker-local", hostRamGiB: 16, hostMemoryBandwidthGBps: 50, bindAddress: "127.0.0.1" });
    expect(config.models[0]).toEqual({
      engine: "llamacpp",
      name: "qwen-1-5b",
      source: { kind: "gguf", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", file: "qwen2.5-1.5b-instruct-q4_k_m.gguf" },
      quantization: "Q4_K_M",
      maxModelLen: 8192,
      replicas: 1,
      gpusPerReplica: "auto",
      tier: 1,
      role: "chat",
      kvCacheDtype: "f16",
      gpuLayers: "all",
      parallelSlots: 4,
    });
    expect(config.router).toEqual({
      port: 8080,
      replicas: 1,
      autoscaling: { enabled: true, maxReplicas: 3, targetCpuPercent: 70 },
      auth: { enabled: true, apiKeysSecret: "routerApiKeys" },
      tiers: {},
      aliases: {},
      providers: [],
      fallback: { cloudOnlyOnFailure: true },
      timeouts: { requestMs: 300_000, connectMs: 5000 },
    });
    expect(config.cache).toEqual({
      enabled: true,
      redis: { maxMemoryMb: 256 },
      ttlSeconds: 86_400,
      exact: { enabled: true },
      semantic: { enabled: true, threshold: 0.95, embeddingModel: "nomic-embed", index: "binary" },
      bypass: { allowTemperatureAboveZero: false, freshnessCues: DEFAULT_FRESHNESS_CUES },
    });
    expect(config.monitoring).toEqual({
      enabled: true,
      retentionDays: 15,
      grafana: { publish: false, port: 3000 },
      alerts: { ttftP95Seconds: 2, errorRatePercent: 5, kvCacheUsagePercent: 90, queueDepth: 10, fallbackRatePercent: 20 },
    });
    expect(config.planning).toEqual({ utilization: 0.5, hoursPerMonth: 730 });
  });

  it("gives vLLM models their own defaults", () => {
    const { config } = parseStackConfig(gpuConfig({ models: [vllmModel(), embeddingModel()] }));
    expect(config.models[0]).toMatchObject({ engine: "vllm", kvCacheDtype: "auto", gpuMemoryUtilization: 0.9 });
    expect(config.models[0]).not.toHaveProperty("gpuLayers");
  });

  it("does not share default objects between parses", () => {
    const a = parseStackConfig(minimalConfig()).config;
    a.cache.bypass.freshnessCues.push("mutated");
    const b = parseStackConfig(minimalConfig()).config;
    expect(b.cache.bypass.freshnessCues).toEqual(DEFAULT_FRESHNESS_CUES);
    expect(DEFAULT_FRESHNESS_CUES).not.toContain("mutated");
  });

  it.each([
    ["q4_k_m", "Q4_K_M"],
    ["Q8_0", "Q8_0"],
    ["iq4_xs", "IQ4_XS"],
  ])("normalizes GGUF quantization %s to %s", (input, canonical) => {
    const model = chatModel({ quantization: input, source: { kind: "gguf", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", file: "model.gguf" } });
    const { config } = parseStackConfig(minimalConfig({ models: [model, embeddingModel()] }));
    expect(config.models[0]?.quantization).toBe(canonical);
  });

  it.each([
    ["AWQ", "awq"],
    ["FP8", "fp8"],
  ])("normalizes vLLM quantization %s to %s", (input, canonical) => {
    const model = vllmModel({ quantization: input, source: { kind: "hf", repo: "Qwen/Qwen2.5-7B-Instruct" } });
    const { config } = parseStackConfig(gpuConfig({ models: [model, embeddingModel()] }));
    expect(config.models[0]?.quantization).toBe(canonical);
  });

  it("accepts a config whose semantic cache is off without an embedding model", () => {
    const raw = minimalConfig({ models: [chatModel()], cache: { semantic: { enabled: false } } });
    expect(parseStackConfig(raw).config.cache.semantic).toEqual({ enabled: false, threshold: 0.95, index: "binary" });
  });

  it("accepts a config with auth off and no key secret", () => {
    const raw = minimalConfig({ router: { auth: { enabled: false } } });
    const { config, secretNames } = parseStackConfig(raw);
    expect(config.router.auth).toEqual({ enabled: false });
    expect(secretNames).toEqual([]);
  });
});
