/** @module Engine simulator: an OpenAI-compatible, vLLM-timed fake upstream for tests and `shoestring simulate`. */
export { createSimulator, type Simulator, type SimulatorStats } from "./create-simulator";
export {
  DEFAULT_PROFILE,
  DEFAULT_EMBEDDING_DIMENSIONS,
  SimulatorOptionsError,
  type SimulatorFailures,
  type SimulatorOptions,
  type SimulatorProfile,
} from "./simulator-options";
export { profileFromPlan, type PlanTiming, type ProfileFromPlanOptions } from "./profile-from-plan";
export { embedText, cosineSimilarity } from "./hashed-embedding";
export { estimateTokens } from "./pseudo-text";
