/** @module Options of the engine simulator: types, defaults (the one place they live) and validation. */

/**
 * Timing and capacity of the emulated engine. Numbers usually come from the planner through
 * {@link profileFromPlan}; tests use small fast profiles.
 */
export interface SimulatorProfile {
  /** Prompt tokens the engine prefills per second (compute bound), e.g. 8000. */
  prefillTokensPerSecond: number;
  /** Decode step time with one running sequence, in milliseconds per token (1000 / batch-1 tok/s). */
  decodeMsPerToken: number;
  /**
   * Fraction of `decodeMsPerToken` added per extra running sequence: a step with `n` sequences takes
   * `decodeMsPerToken × (1 + batchSlowdownPerSeq × (n − 1))`. 0 means perfectly free batching.
   */
  batchSlowdownPerSeq: number;
  /** Most sequences running at once; further requests wait in a FIFO queue. @see https://docs.vllm.ai/en/latest/configuration/engine_args.html (--max-num-seqs) */
  maxNumSeqs: number;
  /** Longest prompt + completion, in tokens; longer requests get vLLM's 400 error. (--max-model-len) */
  maxModelLen: number;
  /** KV-cache capacity in tokens, shared by running sequences; must be ≥ `maxModelLen`, as vLLM requires. */
  kvCacheTokens: number;
  /**
   * Token budget of one engine step (decode tokens + prompt chunks): set it to emulate chunked prefill,
   * which splits long prompts over steps so running streams keep flowing.
   * @default unlimited (a whole prompt prefills in one step)
   * @see https://docs.vllm.ai/en/latest/configuration/optimization.html (--max-num-batched-tokens)
   */
  maxNumBatchedTokens?: number;
}

/**
 * Failure injection. Rates are probabilities in [0, 1] drawn per request from the seeded generator,
 * so a given seed and request order always fail the same requests.
 */
export interface SimulatorFailures {
  /** Fraction of generation/embedding requests answered with HTTP 500 before any work. @default 0 */
  errorRate?: number;
  /** Tokens sent before the connection is cut (socket destroyed, no `[DONE]`). @default 1 */
  disconnectAfterTokens?: number;
  /** Fraction of generation requests that are cut. @default 1 when `disconnectAfterTokens` is set, else 0 */
  disconnectRate?: number;
  /** Pause, in ms, of a stalled stream after its first token (it keeps its batch slot). @default 1000 */
  stallMs?: number;
  /** Fraction of generation requests that stall. @default 1 when `stallMs` is set, else 0 */
  stallRate?: number;
  /** Delay, in ms, before every request is accepted (headers are not sent meanwhile). @default 0 */
  slowStartMs?: number;
}

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /** Timing and capacity of the emulated engine. */
  profile: SimulatorProfile;
  /** Served model name: the only id `/v1/models` lists and requests may name (vLLM --served-model-name). */
  modelName: string;
  /** Seed of the failure draws, ids and generated words; same seed + same requests → same answers. @default 0 */
  seed?: number;
  /** Milliseconds after `listen()` during which `/health` and the API answer 503, as while weights load. @default 0 */
  loadingMs?: number;
  /** Failure injection; can be changed later with `setFailures`. @default no failures */
  failures?: SimulatorFailures;
  /** Length of the vectors `/v1/embeddings` returns. @default 384 */
  embeddingDimensions?: number;
  /** When set, `/v1/*` requires `Authorization: Bearer <apiKey>` (as vLLM --api-key); `/health` and `/metrics` stay open. */
  apiKey?: string;
}

/** Failures with every default applied. @internal */
export type ResolvedFailures = Required<SimulatorFailures>;

/** Options with every default applied. @internal */
export interface ResolvedSimulatorOptions {
  profile: SimulatorProfile;
  modelName: string;
  seed: number;
  loadingMs: number;
  failures: ResolvedFailures;
  embeddingDimensions: number;
  apiKey: string | undefined;
}

/**
 * Profile used when no planner numbers are given: roughly an 8B model in bf16 on one 24 GB-class
 * GPU (≈50 tok/s at batch 1; shared/reference/planner-notes.md §3) with vLLM's default
 * --max-num-seqs 256; the KV cache (131072 tokens) is what limits long requests.
 */
export const DEFAULT_PROFILE: Readonly<SimulatorProfile> = Object.freeze({
  prefillTokensPerSecond: 8000,
  decodeMsPerToken: 20,
  batchSlowdownPerSeq: 0.02,
  maxNumSeqs: 256,
  maxModelLen: 8192,
  kvCacheTokens: 131072,
});

export const DEFAULT_SEED = 0;
export const DEFAULT_EMBEDDING_DIMENSIONS = 384;
export const DEFAULT_DISCONNECT_AFTER_TOKENS = 1;
export const DEFAULT_STALL_MS = 1000;
/** Largest embedding vector the simulator builds (OpenAI's largest model returns 3072). */
export const MAX_EMBEDDING_DIMENSIONS = 8192;

/** Thrown when simulator options are invalid; `issues` lists every problem found, one per entry. */
export class SimulatorOptionsError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid simulator options:\n  - ${issues.join("\n  - ")}`);
    this.name = "SimulatorOptionsError";
  }
}

type Check = (issues: string[], path: string, value: unknown, hint: string) => void;

const positive: Check = (issues, path, value, hint) => {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    issues.push(`${path} must be a number > 0 (got ${String(value)}); ${hint}`);
  }
};
const nonNegative: Check = (issues, path, value, hint) => {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    issues.push(`${path} must be a number ≥ 0 (got ${String(value)}); ${hint}`);
  }
};
const positiveInt: Check = (issues, path, value, hint) => {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    issues.push(`${path} must be an integer ≥ 1 (got ${String(value)}); ${hint}`);
  }
};
const rate: Check = (issues, path, value, hint) => {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    issues.push(`${path} must be a probability between 0 and 1 (got ${String(value)}); ${hint}`);
  }
};

/** Validates a profile, pushing one message per problem into `issues`. @internal */
export function checkProfile(profile: SimulatorProfile, issues: string[]): void {
  positive(issues, "profile.prefillTokensPerSecond", profile.prefillTokensPerSecond, "e.g. 8000 prompt tokens/s");
  positive(issues, "profile.decodeMsPerToken", profile.decodeMsPerToken, "e.g. 20 (= 50 tok/s at batch 1)");
  nonNegative(issues, "profile.batchSlowdownPerSeq", profile.batchSlowdownPerSeq, "e.g. 0.02 (2% slower per extra sequence)");
  positiveInt(issues, "profile.maxNumSeqs", profile.maxNumSeqs, "e.g. 64");
  positiveInt(issues, "profile.maxModelLen", profile.maxModelLen, "e.g. 8192");
  positiveInt(issues, "profile.kvCacheTokens", profile.kvCacheTokens, "e.g. 65536");
  if (profile.maxNumBatchedTokens !== undefined) {
    positiveInt(issues, "profile.maxNumBatchedTokens", profile.maxNumBatchedTokens, "e.g. 2048 (vLLM's chunked-prefill budget)");
    if (Number.isInteger(profile.maxNumBatchedTokens) && profile.maxNumBatchedTokens < profile.maxNumSeqs) {
      issues.push(
        `profile.maxNumBatchedTokens (${profile.maxNumBatchedTokens}) is smaller than profile.maxNumSeqs (${profile.maxNumSeqs}); ` +
          "vLLM refuses that: raise maxNumBatchedTokens or lower maxNumSeqs",
      );
    }
  }
  if (Number.isInteger(profile.kvCacheTokens) && Number.isInteger(profile.maxModelLen) && profile.kvCacheTokens < profile.maxModelLen) {
    issues.push(
      `profile.kvCacheTokens (${profile.kvCacheTokens}) is smaller than profile.maxModelLen (${profile.maxModelLen}); ` +
        "vLLM refuses to start in that case: lower maxModelLen or raise kvCacheTokens",
    );
  }
}

/** Applies failure defaults and validates; pushes problems into `issues`. @internal */
export function resolveFailures(failures: SimulatorFailures, issues: string[], path = "failures"): ResolvedFailures {
  const resolved: ResolvedFailures = {
    errorRate: failures.errorRate ?? 0,
    disconnectAfterTokens: failures.disconnectAfterTokens ?? DEFAULT_DISCONNECT_AFTER_TOKENS,
    disconnectRate: failures.disconnectRate ?? (failures.disconnectAfterTokens === undefined ? 0 : 1),
    stallMs: failures.stallMs ?? DEFAULT_STALL_MS,
    stallRate: failures.stallRate ?? (failures.stallMs === undefined ? 0 : 1),
    slowStartMs: failures.slowStartMs ?? 0,
  };
  rate(issues, `${path}.errorRate`, resolved.errorRate, "0.1 fails one request in ten");
  rate(issues, `${path}.disconnectRate`, resolved.disconnectRate, "1 cuts every stream");
  rate(issues, `${path}.stallRate`, resolved.stallRate, "1 stalls every stream");
  if (!Number.isInteger(resolved.disconnectAfterTokens) || resolved.disconnectAfterTokens < 0) {
    issues.push(
      `${path}.disconnectAfterTokens must be an integer ≥ 0 (got ${String(resolved.disconnectAfterTokens)}); ` +
        "0 cuts the connection before the first token",
    );
  }
  nonNegative(issues, `${path}.stallMs`, resolved.stallMs, "e.g. 5000 to trip a 2 s stream idle timeout");
  nonNegative(issues, `${path}.slowStartMs`, resolved.slowStartMs, "e.g. 3000 to trip a 1 s connect timeout");
  return resolved;
}

/** Applies every default and validates all options at once, throwing one {@link SimulatorOptionsError}. @internal */
export function resolveSimulatorOptions(options: SimulatorOptions): ResolvedSimulatorOptions {
  const issues: string[] = [];
  checkProfile(options.profile, issues);
  if (typeof options.modelName !== "string" || options.modelName.trim() === "") {
    issues.push(`modelName must be a non-empty string (got ${JSON.stringify(options.modelName)}); e.g. "Qwen/Qwen2.5-7B-Instruct"`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) issues.push(`seed must be an integer (got ${String(seed)}); e.g. 42`);
  const loadingMs = options.loadingMs ?? 0;
  nonNegative(issues, "loadingMs", loadingMs, "0 means ready at once");
  const embeddingDimensions = options.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  if (!Number.isInteger(embeddingDimensions) || embeddingDimensions < 1 || embeddingDimensions > MAX_EMBEDDING_DIMENSIONS) {
    issues.push(
      `embeddingDimensions must be an integer from 1 to ${MAX_EMBEDDING_DIMENSIONS} (got ${String(embeddingDimensions)}); ` +
        "384 matches small sentence-embedding models",
    );
  }
  if (options.apiKey !== undefined && options.apiKey === "") {
    issues.push('apiKey must not be empty when set (got ""); leave it undefined to disable authentication');
  }
  const failures = resolveFailures(options.failures ?? {}, issues);
  if (issues.length > 0) throw new SimulatorOptionsError(issues);
  return {
    profile: { ...options.profile },
    modelName: options.modelName,
    seed,
    loadingMs,
    failures,
    embeddingDimensions,
    apiKey: options.apiKey,
  };
}
