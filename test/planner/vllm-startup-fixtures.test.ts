/**
 * Accuracy against public vLLM startup logs (test/fixtures/vllm-startup): weights within ±3%, KV
 * within ±5% or 1 GiB, and refusing exactly the configurations vLLM refused.
 */
import { describe, expect, it } from "vitest";
import fixtureFile from "../fixtures/vllm-startup/vllm-startup.json";
import { findGpu, findModel, planModel, PlannerError, type GpuSpec, type VllmProfileId } from "../../src/planner";

interface Fixture {
  id: string;
  source: string;
  profile: VllmProfileId;
  model: string;
  quantization: string;
  gpu: string;
  cudaTotalGiB: number;
  tp: number;
  gpusAvailable?: number;
  gpuMemoryUtilization: number;
  maxModelLen: number;
  kvCacheDtype: string;
  measured?: { weightsGiB: number; kvCacheGiB: number; kvTokens?: number };
  refused?: { message: string; error?: string };
}

const fixtures = fixtureFile.fixtures as Fixture[];
const accepted = fixtures.filter((f) => !f.refused);
const refused = fixtures.filter((f) => f.refused);

function plan(f: Fixture) {
  const catalogGpu = findGpu(f.gpu);
  if (!catalogGpu) throw new Error(`fixture ${f.id}: unknown GPU ${f.gpu}`);
  // The fixture's logged total is the ground truth for that machine (WSL, drivers and ECC differ).
  const gpu: GpuSpec = { ...catalogGpu, cudaVisibleGiB: f.cudaTotalGiB };
  const model = findModel(f.model);
  if (!model) throw new Error(`fixture ${f.id}: unknown model ${f.model}`);
  return planModel({
    model,
    engine: "vllm",
    quantization: f.quantization,
    hardware: { kind: "gpu", gpu, gpusAvailable: f.gpusAvailable ?? f.tp },
    tp: f.tp,
    maxModelLen: f.maxModelLen,
    gpuMemoryUtilization: f.gpuMemoryUtilization,
    kvCacheDtype: f.kvCacheDtype,
    vllmProfile: f.profile,
  });
}

/** vLLM's sentence verbatim, except the token count it computed ("stored in KV cache (N)"). */
function refusalPattern(message: string): RegExp {
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/KV cache \\\(\d+\\\)/, "KV cache \\(\\d+\\)")}`);
}

describe("vLLM startup fixtures", () => {
  it("has at least 12 fixtures, 4 of them refusals, each with a source", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const f of fixtures) expect(f.source).toMatch(/^https:\/\//);
  });

  it.each(accepted.map((f) => [f.id, f] as const))("reproduces %s within tolerance", (_id, f) => {
    const p = plan(f);
    const m = f.measured!;
    expect(p.fits, p.reason).toBe(true);
    expect(Math.abs(p.weightsGiB - m.weightsGiB) / m.weightsGiB).toBeLessThanOrEqual(0.03);
    const kvError = Math.abs(p.kvCacheGiB - m.kvCacheGiB);
    expect(kvError <= 1 || kvError / m.kvCacheGiB <= 0.05, `KV ${p.kvCacheGiB} vs ${m.kvCacheGiB}`).toBe(true);
    if (m.kvTokens !== undefined) {
      const tokenError = Math.abs(p.kvTokens - m.kvTokens);
      expect(tokenError <= m.kvTokens * 0.05 || tokenError * (p.kvCacheGiB / p.kvTokens) <= 1).toBe(true);
    }
  });

  it.each(refused.map((f) => [f.id, f] as const))("refuses %s like vLLM did", (_id, f) => {
    const expected = f.refused!;
    if (expected.error === "PlannerError") {
      expect(() => plan(f)).toThrow(PlannerError);
      expect(() => plan(f)).toThrow(expected.message);
      return;
    }
    const p = plan(f);
    expect(p.fits).toBe(false);
    expect(p.reason).toMatch(refusalPattern(expected.message));
    if (f.measured) expect(Math.abs(p.weightsGiB - f.measured.weightsGiB) / f.measured.weightsGiB).toBeLessThanOrEqual(0.03);
  });
});
