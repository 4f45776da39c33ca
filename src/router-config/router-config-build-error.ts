/**
 * @module `RouterConfigBuildError`: every problem in a {@link RouterConfigSpec}, thrown once, each
 * naming the spec field path (STYLE R5, R6). Messages never contain a client key.
 */

/** One problem in the spec. */
export interface RouterConfigBuildIssue {
  /** Spec field path, e.g. `tiers.1[0]` or `cache.semantic.embeddingModel`. */
  readonly path: string;
  /** What is wrong, the value against what is allowed, and the fix. */
  readonly message: string;
}

/**
 * Thrown by `buildRouterConfig` with every problem found; `message` lists them one per line.
 * @example
 * try { buildRouterConfig(spec); } catch (e) { if (e instanceof RouterConfigBuildError) console.error(e.issues); }
 */
export class RouterConfigBuildError extends Error {
  /** Every problem, in spec order. */
  readonly issues: readonly RouterConfigBuildIssue[];

  constructor(issues: readonly RouterConfigBuildIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super([`Invalid router config (${count}):`, ...issues.map((i) => `  - ${i.path}: ${i.message}`)].join("\n"));
    this.name = "RouterConfigBuildError";
    this.issues = issues;
  }
}
