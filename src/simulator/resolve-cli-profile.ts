/** @module Picks the simulator profile for `shoestring simulate`: planner numbers, defaults, then flag overrides. */
import { findGpu, findModel, GPU_IDS, modelNames, planModel, PlannerError } from "../planner";
import { nearestNames } from "../util/nearest";
import { profileFromPlan } from "./profile-from-plan";
import { checkProfile, DEFAULT_PROFILE, SimulatorOptionsError, type SimulatorProfile } from "./simulator-options";

/** Model name served when no catalog model is given. */
export const DEFAULT_SIMULATED_MODEL_NAME = "simulated-model";

/** What the CLI passes in. */
export interface CliProfileRequest {
  /** Catalog model id or Hugging Face repo (`--model`). */
  model?: string;
  /** Catalog GPU (`--gpu`). */
  gpu?: string;
  /** GPUs on the box; the planner picks the tensor-parallel size up to it. @default 1 */
  gpus?: number;
  /** Weight format for the plan, e.g. "awq", "fp8". @default the checkpoint's own (bf16, or fp16 without BF16 support) */
  quantization?: string;
  /** Explicit timing flags; they win over planned and default values (`maxModelLen` also sizes the plan). */
  overrides: Partial<SimulatorProfile>;
}

/** The chosen profile, the served name, and where the numbers came from (for the CLI banner). */
export interface CliProfile {
  profile: SimulatorProfile;
  modelName: string;
  /** e.g. "planner: qwen2.5-7b bf16 on 1× L4 (tp 1)", or "defaults". */
  source: string;
}

/**
 * With `--model` and `--gpu`, plans the model with vLLM (`planModel`) and turns the plan into a
 * profile ({@link profileFromPlan}), serving the model under its Hugging Face repo name, as
 * `vllm serve <repo>` does. Without them, {@link DEFAULT_PROFILE}. Flag overrides apply last.
 * Throws {@link SimulatorOptionsError} listing every problem (unknown names come with suggestions).
 */
export function resolveCliProfile(request: CliProfileRequest): CliProfile {
  const { model, gpu, overrides } = request;
  const issues: string[] = [];
  if (model === undefined && gpu === undefined) {
    const profile: SimulatorProfile = { ...DEFAULT_PROFILE, ...overrides };
    checkProfile(profile, issues);
    if (issues.length > 0) throw new SimulatorOptionsError(issues);
    return { profile, modelName: DEFAULT_SIMULATED_MODEL_NAME, source: "defaults" };
  }
  if (model === undefined || gpu === undefined) {
    throw new SimulatorOptionsError([
      `--model and --gpu go together (got ${model === undefined ? `only --gpu ${gpu}` : `only --model ${model}`}); ` +
        "e.g. --model qwen2.5-7b --gpu L4, or neither for the default profile",
    ]);
  }
  const spec = findModel(model);
  if (spec === undefined) issues.push(`--model "${model}" is not in the catalog; did you mean ${nearestNames(model, modelNames()).join(", ")}?`);
  const gpuSpec = findGpu(gpu);
  if (gpuSpec === undefined) issues.push(`--gpu "${gpu}" is not in the catalog; did you mean ${nearestNames(gpu, GPU_IDS).join(", ")}?`);
  if (spec?.role === "embeddings") {
    issues.push(`--model ${spec.id} is an embeddings model; the simulator emulates chat engines: pick a chat model or drop --model`);
  }
  if (spec === undefined || gpuSpec === undefined || issues.length > 0) throw new SimulatorOptionsError(issues);

  const quantization = request.quantization ?? spec.nativeQuantization ?? (gpuSpec.supportsBf16 ? "bf16" : "fp16");
  const gpus = request.gpus ?? 1;
  let plan;
  try {
    plan = planModel({
      model: spec,
      engine: "vllm",
      quantization,
      hardware: { kind: "gpu", gpu: gpuSpec, gpusAvailable: gpus },
      ...(overrides.maxModelLen === undefined ? {} : { maxModelLen: overrides.maxModelLen }),
    });
  } catch (error) {
    if (error instanceof PlannerError) throw new SimulatorOptionsError([`planner: ${error.message}`]);
    throw error;
  }
  if (!plan.fits) {
    const reason = plan.reason.replace(/\.?$/, ".");
    const hints = plan.suggestions.length > 0 ? ` Planner suggestions: ${plan.suggestions.map((h) => h.replace(/\.$/, "")).join("; ")}.` : "";
    throw new SimulatorOptionsError([
      `${spec.id} (${plan.quantization}) does not fit on ${gpus}× ${gpuSpec.id}: ${reason}${hints} ` +
        "Change --max-model-len, --quantization or --gpus.",
    ]);
  }
  const profile = profileFromPlan(plan, { overrides });
  return {
    profile,
    modelName: spec.hfRepo,
    source: `planner: ${spec.id} ${plan.quantization} on ${gpus}× ${gpuSpec.id} (tp ${plan.tp}, context ${plan.maxModelLen})`,
  };
}
