/** @module Turns planner numbers into a simulator profile, so `simulate` behaves like the planned engine. */
import { checkProfile, DEFAULT_PROFILE, SimulatorOptionsError, type SimulatorProfile } from "./simulator-options";

/** The planner fields the simulator needs (a subset of what `planModel` returns). */
export interface PlanTiming {
  /**
   * Decode tokens per second. With `tokensPerSecondPerSequence` it is the aggregate at the plan's
   * full batch (planModel's meaning); without it, the speed of one sequence at batch 1.
   */
  tokensPerSecond: number;
  /** Decode tokens per second one sequence sees at the plan's full batch (planModel). */
  tokensPerSecondPerSequence?: number;
  /** Prompt tokens prefilled per second (all replicas together when `replicas` is given). */
  prefillTokensPerSecond: number;
  /** Max-length sequences one replica holds at once (kvTokens / maxModelLen in planModel). */
  maxConcurrency: number;
  /** KV-cache capacity of one replica, tokens. */
  kvTokens: number;
  /** Context per sequence, tokens. */
  maxModelLen?: number;
  /** Replicas the totals cover; the simulator emulates one of them. @default 1 */
  replicas?: number;
}

/** Choices the plan does not carry; explicit values here win over the plan. */
export interface ProfileFromPlanOptions {
  /** Context window, tokens. @default plan.maxModelLen, else min(kvTokens, 8192) */
  maxModelLen?: number;
  /** Fraction of decode time added per extra running sequence. @default 0.02 */
  batchSlowdownPerSeq?: number;
  /**
   * vLLM --max-num-seqs. @default max(plan.maxConcurrency, 256): vLLM's default; the planner's
   * maxConcurrency counts max-length sequences, and the simulator's KV-cache admission already
   * holds back long requests, so it is not a batch cap.
   */
  maxNumSeqs?: number;
  /** Overrides of any profile field (e.g. from `--decode-ms`); applied last. */
  overrides?: Partial<SimulatorProfile>;
}

/**
 * Builds a {@link SimulatorProfile} from planner output for one replica.
 *
 * The plan's decode speed is reproduced at its own batch `B = tokensPerSecond / tokensPerSecondPerSequence`
 * (B = 1 when the per-sequence speed is not given): the step time there is `1000 / perSequence` ms, and
 * the batch-1 step is that divided by `1 + batchSlowdownPerSeq × (B − 1)`. So the simulator's
 * aggregate at B sequences equals the plan's, and smaller batches are faster per sequence.
 * `kvCacheTokens = kvTokens`. Throws {@link SimulatorOptionsError} naming every invalid field.
 *
 * @example
 * const profile = profileFromPlan(planModel(request), { maxNumSeqs: 128 });
 */
export function profileFromPlan(plan: PlanTiming, opts: ProfileFromPlanOptions = {}): SimulatorProfile {
  const issues: string[] = [];
  const replicas = plan.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) issues.push(`plan.replicas must be an integer ≥ 1 (got ${String(replicas)})`);
  if (!(plan.tokensPerSecond > 0)) {
    issues.push(`plan.tokensPerSecond must be > 0 (got ${String(plan.tokensPerSecond)}); the plan has no decode speed (does the model fit?)`);
  }
  const perSequence = plan.tokensPerSecondPerSequence;
  if (perSequence !== undefined && !(perSequence > 0)) {
    issues.push(`plan.tokensPerSecondPerSequence must be > 0 (got ${String(perSequence)})`);
  }
  if (issues.length > 0) throw new SimulatorOptionsError(issues);

  const aggregatePerReplica = plan.tokensPerSecond / replicas;
  const batch = perSequence === undefined ? 1 : Math.max(1, aggregatePerReplica / perSequence);
  const stepMsAtBatch = 1000 / (perSequence ?? aggregatePerReplica);
  const slowdown = opts.batchSlowdownPerSeq ?? DEFAULT_PROFILE.batchSlowdownPerSeq;
  const kvCacheTokens = Math.floor(plan.kvTokens);
  const profile: SimulatorProfile = {
    prefillTokensPerSecond: plan.prefillTokensPerSecond / replicas,
    decodeMsPerToken: stepMsAtBatch / (1 + slowdown * (batch - 1)),
    batchSlowdownPerSeq: slowdown,
    maxNumSeqs: opts.maxNumSeqs ?? Math.max(Math.floor(plan.maxConcurrency), DEFAULT_PROFILE.maxNumSeqs),
    maxModelLen: opts.maxModelLen ?? plan.maxModelLen ?? Math.min(kvCacheTokens, DEFAULT_PROFILE.maxModelLen),
    kvCacheTokens,
    ...opts.overrides,
  };
  checkProfile(profile, issues);
  if (issues.length > 0) throw new SimulatorOptionsError(issues);
  return profile;
}
