/**
 * @module Resolves the client's `model` to a ranked chain of targets: a configured model (alias), "auto" (tier
 * chains, picked by header or classifier), or a passthrough backend for any other name. Chains are built once
 * at start; resolving is a Map lookup.
 */
import type { RouterConfig } from "../config-load";
import type { TargetConfig } from "../config-schema";
import { TIER_HEADER } from "../config";
import { RouterError } from "../errors";
import type { Backend } from "../upstream/backend";
import { TierClassifier, type Tier } from "./tier-classifier";

/** One place a request can be sent. */
export interface RouteTarget {
  /** The backend. */
  backend: Backend;
  /** Model name sent to it. */
  model: string;
  /** Context window (target, else logical model, else backend). */
  contextTokens?: number;
}

/** The routing decision for one request. */
export interface Route {
  /** Logical model label: the alias, `auto:tier-N`, or the passthrough model name. */
  model: string;
  /** Tier for model "auto". */
  tier?: Tier;
  /** How the tier was picked. */
  tierSource?: "header" | "classifier";
  /** Classifier reason (logs). */
  tierReason?: string;
  /** Ranked targets. */
  targets: readonly RouteTarget[];
}

/** Model name that triggers tier routing. */
export const AUTO_MODEL = "auto";

/** Builds chains at start and resolves each request's model. */
export class RouteResolver {
  private readonly models = new Map<string, readonly RouteTarget[]>();
  private readonly tiers = new Map<Tier, readonly RouteTarget[]>();
  private readonly classifier: TierClassifier;
  private readonly passthrough: Backend | undefined;
  private readonly passthroughCache = new Map<string, readonly RouteTarget[]>();

  constructor(config: RouterConfig, backends: ReadonlyMap<string, Backend>) {
    const build = (targets: readonly TargetConfig[], modelContext?: number): RouteTarget[] =>
      targets.map((t) => {
        const backend = backends.get(t.backend) as Backend;
        return { backend, model: t.model, contextTokens: t.contextTokens ?? modelContext ?? backend.contextTokens };
      });
    for (const m of config.models) this.models.set(m.name, build(m.targets, m.contextTokens));
    const configured = ([1, 2, 3] as const).filter((t) => config.tiers[`${t}`] !== undefined);
    for (const t of [1, 2, 3] as const) {
      // A missing tier borrows the next higher configured one, else the next lower.
      const src = configured.find((c) => c >= t) ?? [...configured].reverse().find((c) => c < t);
      const chain = src === undefined ? undefined : config.tiers[`${src}`];
      if (chain) this.tiers.set(t, build(chain));
    }
    const r = config.routing;
    this.classifier = new TierClassifier({ keywords: r.classifier.keywords, defaultTier: r.defaultTier, longPromptTokens: r.classifier.longPromptTokens, codeTier: r.classifier.codeTier });
    this.passthrough = r.passthroughBackend === undefined ? undefined : backends.get(r.passthroughBackend);
  }

  /** Configured model names (plus "auto" when tiers exist) for `/v1/models`. */
  modelNames(): string[] {
    return [...this.models.keys(), ...(this.tiers.size > 0 ? [AUTO_MODEL] : [])];
  }

  /** The passthrough backend, if any. */
  get passthroughBackend(): Backend | undefined {
    return this.passthrough;
  }

  /**
   * Resolves a model name. `tierHeader` is the raw `x-shoestring-tier` value; it applies to model "auto".
   * Throws 404 `model_not_found` or 400 for a bad header.
   */
  resolve(model: string, tierHeader: string | undefined, body: Record<string, unknown>, kind: "chat" | "completions" | "embeddings", promptTokens: number): Route {
    const alias = this.models.get(model);
    if (alias) return { model, targets: alias };
    if (model === AUTO_MODEL && this.tiers.size > 0 && kind !== "embeddings") {
      let tier: Tier;
      let source: "header" | "classifier";
      let reason: string | undefined;
      if (tierHeader !== undefined) {
        const n = Number(tierHeader.trim());
        if (n !== 1 && n !== 2 && n !== 3) {
          throw new RouterError("invalid_request", `Header ${TIER_HEADER} must be 1, 2 or 3 (got ${JSON.stringify(tierHeader)}). Remove it to let the router classify the prompt.`, { param: TIER_HEADER });
        }
        tier = n;
        source = "header";
      } else {
        const d = this.classifier.classify(body, kind, promptTokens);
        tier = d.tier;
        reason = d.reason;
        source = "classifier";
      }
      return { model: `${AUTO_MODEL}:tier-${tier}`, tier, tierSource: source, tierReason: reason, targets: this.tiers.get(tier) as readonly RouteTarget[] };
    }
    if (this.passthrough) {
      let targets = this.passthroughCache.get(model);
      if (!targets) {
        targets = [{ backend: this.passthrough, model, contextTokens: this.passthrough.contextTokens }];
        // Client-chosen names: keep the memo bounded.
        if (this.passthroughCache.size < 1000) this.passthroughCache.set(model, targets);
      }
      return { model, targets };
    }
    const known = this.modelNames();
    throw new RouterError("model_not_found", `The model "${model}" does not exist on this router. Available: ${known.length > 0 ? known.join(", ") : "none"} (GET /v1/models lists them).`, { param: "model" });
  }
}
