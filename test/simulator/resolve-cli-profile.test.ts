import { describe, expect, it } from "vitest";
import { findGpu, findModel, planModel } from "../../src/planner";
import { DEFAULT_PROFILE, profileFromPlan, SimulatorOptionsError } from "../../src/simulator";
import { resolveCliProfile } from "../../src/simulator/resolve-cli-profile";

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SimulatorOptionsError) return error.issues;
    throw error;
  }
  throw new Error("expected a SimulatorOptionsError");
}

describe("resolveCliProfile (shoestring simulate --model/--gpu)", () => {
  it("uses the default profile and name without --model and --gpu, applying overrides", () => {
    expect(resolveCliProfile({ overrides: { decodeMsPerToken: 5 } })).toEqual({
      profile: { ...DEFAULT_PROFILE, decodeMsPerToken: 5 },
      modelName: "simulated-model",
      source: "defaults",
    });
  });

  it("turns the vLLM plan of a catalog model on a GPU into the profile, served under its HF repo", () => {
    const resolved = resolveCliProfile({ model: "qwen2.5-7b", gpu: "L4", overrides: { maxModelLen: 8192 } });
    const spec = findModel("qwen2.5-7b");
    const gpu = findGpu("L4");
    if (!spec || !gpu) throw new Error("catalog changed");
    const plan = planModel({ model: spec, engine: "vllm", quantization: "bf16", hardware: { kind: "gpu", gpu, gpusAvailable: 1 }, maxModelLen: 8192 });
    expect(resolved.profile).toEqual(profileFromPlan(plan, { overrides: { maxModelLen: 8192 } }));
    expect(resolved.modelName).toBe(spec.hfRepo);
    expect(resolved.source).toBe(`planner: qwen2.5-7b bf16 on 1× L4 (tp ${plan.tp}, context 8192)`);
    expect(resolved.profile.kvCacheTokens).toBe(plan.kvTokens);
  });

  it("lets timing flags override the planned numbers", () => {
    const resolved = resolveCliProfile({ model: "qwen2.5-7b", gpu: "L4", overrides: { maxModelLen: 8192, decodeMsPerToken: 3, maxNumSeqs: 16 } });
    expect(resolved.profile).toMatchObject({ decodeMsPerToken: 3, maxNumSeqs: 16, maxModelLen: 8192 });
  });

  it("suggests catalog names for unknown --model and --gpu, reporting both", () => {
    const issues = issuesOf(() => resolveCliProfile({ model: "qwen2.5-7", gpu: "h10", overrides: {} }));
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^--model "qwen2\.5-7" is not in the catalog; did you mean .*qwen2\.5-7b.*\?$/);
    expect(issues[1]).toMatch(/^--gpu "h10" is not in the catalog; did you mean .*H100.*\?$/);
  });

  it("asks for --model and --gpu together", () => {
    expect(issuesOf(() => resolveCliProfile({ gpu: "L4", overrides: {} }))).toEqual([
      "--model and --gpu go together (got only --gpu L4); e.g. --model qwen2.5-7b --gpu L4, or neither for the default profile",
    ]);
  });

  it("explains a model that does not fit, with the planner's reason and the flags to change", () => {
    const [issue] = issuesOf(() => resolveCliProfile({ model: "llama-3.1-70b", gpu: "L4", overrides: { maxModelLen: 8192 } }));
    expect(issue).toMatch(/^llama-3\.1-70b \(bf16\) does not fit on 1× L4: .+ Change --max-model-len, --quantization or --gpus\.$/);
  });
});
