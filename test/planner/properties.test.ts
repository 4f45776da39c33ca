/** Invariants of the planner checked over random inputs (fast-check). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  kvBytesPerSequence,
  kvBytesPerToken,
  MODELS,
  planModel,
  planStack,
  PlannerError,
  requireQuantization,
  weightsPerGpuGiB,
  type ModelSpec,
} from "../../src/planner";
import { gpuBox } from "./_helpers";

const anyModel = fc.constantFrom(...MODELS.filter((m) => m.role === "chat"));
const anyGpu = fc.constantFrom("L4", "L40S", "A10G", "A100-80GB", "H100", "H200", "RTX-4090");
const anyVllmQuant = fc.constantFrom("bf16", "fp8", "awq");
const context = (m: ModelSpec, wanted: number) => Math.min(wanted, m.maxPositionEmbeddings);

describe("planner properties", () => {
  it("never needs less KV for more context", () => {
    const ctx = fc.integer({ min: 1, max: 200_000 });
    const extra = fc.integer({ min: 0, max: 200_000 });
    fc.assert(
      fc.property(anyModel, ctx, extra, fc.constantFrom(1, 2, 4, 8), (m, c, more, tp) => {
        expect(kvBytesPerSequence(m, c + more, { tp })).toBeGreaterThanOrEqual(kvBytesPerSequence(m, c, { tp }));
      }),
    );
  });

  it("never needs more weights or KV per GPU for more TP", () => {
    fc.assert(
      fc.property(anyModel, anyVllmQuant, fc.constantFrom(1, 2, 4), (m, q, tp) => {
        const quant = requireQuantization(q);
        expect(weightsPerGpuGiB(m, quant, tp * 2)).toBeLessThanOrEqual(weightsPerGpuGiB(m, quant, tp));
        expect(kvBytesPerToken(m, { tp: tp * 2 })).toBeLessThanOrEqual(kvBytesPerToken(m, { tp }));
      }),
    );
  });

  it("never allocates more GPUs than the hardware has", () => {
    const gpus = fc.integer({ min: 1, max: 8 });
    const replicas = fc.integer({ min: 1, max: 4 });
    fc.assert(
      fc.property(anyModel, anyGpu, gpus, replicas, anyVllmQuant, (m, g, n, r, q) => {
        try {
          const p = planModel({
            model: m, engine: "vllm", quantization: q, hardware: gpuBox(g, n), replicas: r, maxModelLen: context(m, 8192),
          });
          expect(p.gpusUsed).toBeLessThanOrEqual(n);
          expect(p.gpusUsed).toBe(p.tp * r);
        } catch (error) {
          // Too many replicas for the GPUs is a PlannerError, never a silent over-allocation.
          expect(error).toBeInstanceOf(PlannerError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("never lets a fitting stack use more GPUs than its instances have", () => {
    const entries = fc.array(fc.tuple(anyModel, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(entries, fc.integer({ min: 1, max: 3 }), (list, instances) => {
        const models = list.map(([m, replicas], i) => ({
          name: `m${i}`, model: m, engine: "vllm" as const, quantization: "fp8", replicas, maxModelLen: context(m, 4096),
        }));
        const s = planStack({ hardware: gpuBox("H100", 8), instances, models });
        if (s.fits) expect(s.gpusUsed).toBeLessThanOrEqual(8 * instances);
      }),
      { numRuns: 100 },
    );
  });

  it("never gives fewer KV tokens for a higher gpu_memory_utilization", () => {
    const gmu = fc.double({ min: 0.3, max: 0.98, noNaN: true });
    const more = fc.double({ min: 0, max: 0.3, noNaN: true });
    fc.assert(
      fc.property(anyModel, anyGpu, gmu, more, (m, g, u, extra) => {
        const kvTokens = (gpuMemoryUtilization: number) =>
          planModel({
            model: m, engine: "vllm", quantization: "awq", hardware: gpuBox(g), tp: 1,
            gpuMemoryUtilization, enforceEager: true, maxModelLen: context(m, 2048),
          }).kvTokens;
        expect(kvTokens(Math.min(1, u + extra))).toBeGreaterThanOrEqual(kvTokens(u));
      }),
    );
  });
});
