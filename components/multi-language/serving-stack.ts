/**
 * @module `ServingStack`: the multi-language face of `createStack` — a whole serving stack (Docker
 * host, EKS or an existing cluster) from the stack config given as a plain map, for Python, Go, C#
 * and YAML programs that have no stack files.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, StackConfigError, formatIssue, parseStackConfig, type StackConfig } from "../../src/config";
import { createStack } from "../create-stack";
import type { PlanSummary } from "../_stack-wiring";
import { planOrRefuse } from "../_stack-plan";

/** One model of {@link ServingPlan}. */
export interface ServingPlanModel {
  /** The model's `name` in the config. */
  name: string;
  /** Where its replica runs (a GPU, a node pool, or the CPU). */
  placedOn: string;
  /** Tensor-parallel size (GPUs one replica shards over). */
  tp: number;
  /** Weights per replica, GiB. */
  weightsGiB: number;
  /** KV cache per replica, GiB. */
  kvCacheGiB: number;
  /** Tokens the KV cache holds. */
  kvTokens: number;
  /** Requests one replica serves at once at full context. */
  maxConcurrency: number;
  /** Estimated decode throughput, tokens/s. */
  tokensPerSecond: number;
}

/** The planner's verdict the stack was built on. */
export interface ServingPlan {
  /** Whether the models fit the hardware (always true once built: a stack that does not fit is refused). */
  fits: boolean;
  /** Estimated monthly cost in USD; unset when the hardware has no known price. */
  monthlyUsd?: number;
  /** GPUs the models use. */
  gpusUsed: number;
  /** GPUs the target has. */
  gpusAvailable: number;
  /** Estimated decode throughput of the whole stack, tokens/s. */
  tokensPerSecond: number;
  /** Per model. */
  models: ServingPlanModel[];
}

/** Arguments for {@link ServingStack}. */
export interface ServingStackArgs {
  /**
   * The stack config: the sections of a stack file's `shoestring:*` keys (`target`, `models`,
   * `router`, `cache`, `monitoring`, `planning`) as one map, with or without the `shoestring:`
   * prefix. Validated like a stack file, every problem at once; plain values only (secrets go in
   * `secrets`). See docs/config-reference.md.
   */
  // `any`: the schema's pulumi.json#/Any, so every language passes its own plain map; the zod schema checks it.
  config: { [section: string]: any };
  /** Values of the secrets the config names in its `*Secret` fields, by name (API keys, HF tokens, SSH key, TLS). @default {} */
  secrets?: { [name: string]: pulumi.Input<string> };
  /** Router image to run instead of the config's `router.image` (required on Kubernetes targets). @default - the config's */
  routerImage?: pulumi.Input<string>;
  /** Directory `models[].modelConfig` paths are relative to. @default - the working directory */
  baseDir?: string;
}

/**
 * A complete serving stack — model servers, router, Redis cache, monitoring — on the target the
 * config names, refused before anything is registered when it does not fit its hardware. Wraps the
 * TypeScript `createStack` (`LlmStack` for Docker targets, `K8sLlmStack` for Kubernetes ones).
 */
export class ServingStack extends pulumi.ComponentResource {
  /** OpenAI-compatible base URL clients use (ends in `/v1`). */
  public readonly routerUrl: pulumi.Output<string>;
  /** First accepted router API key (secret); unset when auth is off. */
  public readonly routerApiKey: pulumi.Output<string | undefined>;
  /** Grafana URL; unset when monitoring is off. */
  public readonly grafanaUrl: pulumi.Output<string | undefined>;
  /** Grafana admin password (secret); unset when monitoring is off. */
  public readonly grafanaAdminPassword: pulumi.Output<string | undefined>;
  /** Each model server's base URL on the stack's private network, by model name. */
  public readonly modelEndpoints: pulumi.Output<{ [model: string]: string }>;
  /** The planner's verdict: GPUs, memory, concurrency, tokens/s, cost. */
  public readonly plan: pulumi.Output<ServingPlan>;
  /** kubeconfig of the cluster (secret), Kubernetes targets only. */
  public readonly kubeconfig: pulumi.Output<string | undefined>;
  /** Namespace of the workloads, Kubernetes targets only. */
  public readonly namespace: pulumi.Output<string | undefined>;

  constructor(name: string, args: ServingStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const { config, secretNames } = parseConfig(name, args);
    // Refuse a stack that does not fit before anything is registered, this component included.
    planOrRefuse(config, args.baseDir);
    super("shoestring:index:ServingStack", name, {}, opts);
    const stack = createStack(
      name,
      {
        config,
        secrets: secretsByName(args.secrets, secretNames),
        ...(args.routerImage !== undefined ? { routerImage: args.routerImage } : {}),
        ...(args.baseDir !== undefined ? { baseDir: args.baseDir } : {}),
      },
      { parent: this },
    );
    this.routerUrl = stack.routerUrl;
    this.routerApiKey = stack.routerApiKey;
    this.grafanaUrl = stack.grafanaUrl;
    this.grafanaAdminPassword = stack.grafanaAdminPassword;
    this.modelEndpoints = stack.modelEndpoints;
    this.plan = stack.plan.apply(servingPlan);
    this.kubeconfig = "kubeconfig" in stack ? stack.kubeconfig : pulumi.output(undefined);
    this.namespace = "namespace" in stack ? stack.namespace.apply((ns): string | undefined => ns) : pulumi.output(undefined);
    this.registerOutputs({
      routerUrl: this.routerUrl,
      routerApiKey: this.routerApiKey,
      grafanaUrl: this.grafanaUrl,
      grafanaAdminPassword: this.grafanaAdminPassword,
      modelEndpoints: this.modelEndpoints,
      plan: this.plan,
      kubeconfig: this.kubeconfig,
      namespace: this.namespace,
    });
  }
}

function hasOutputs(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
  if (Array.isArray(value)) return value.some(hasOutputs);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasOutputs);
  return false;
}

/** The validated config, or an `InputPropertiesError` naming every problem as `config.<path>`. */
function parseConfig(name: string, args: ServingStackArgs): { config: StackConfig; secretNames: string[] } {
  const header = `Invalid arguments for ServingStack "${name}"`;
  if (hasOutputs(args.config)) {
    const reason = "holds outputs or promises; the stack is planned before anything is created, so give plain values, and pass secret values in secrets";
    throw new pulumi.InputPropertiesError({ message: `${header}:\n  - config: ${reason}`, errors: [{ propertyPath: "config", reason }] });
  }
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw = Object.fromEntries(Object.entries(args.config).map(([k, v]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, v]));
  // Secret names can be checked only when the map itself is plain (a secret map arrives as one output).
  const known = args.secrets !== undefined && !pulumi.Output.isInstance(args.secrets) ? Object.keys(args.secrets) : undefined;
  try {
    return parseStackConfig(raw, { source: `ServingStack "${name}"`, ...(known !== undefined ? { secrets: known } : {}) });
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    const errors = err.issues.map((issue) => ({
      propertyPath: `config.${issue.path.startsWith(prefix) ? issue.path.slice(prefix.length) : issue.path}`,
      reason: formatIssue(issue).slice(issue.path.length + 2),
    }));
    throw new pulumi.InputPropertiesError({ message: `${header}:\n${errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`).join("\n")}`, errors });
  }
}

/** One secret output per referenced name, whether the map is plain or (from another language) one output. */
function secretsByName(secrets: ServingStackArgs["secrets"], names: readonly string[]): Record<string, pulumi.Output<string>> {
  if (secrets === undefined) return {};
  if (!pulumi.Output.isInstance(secrets)) return Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, pulumi.secret(v)]));
  const all = secrets as pulumi.Output<Record<string, string>>;
  return Object.fromEntries(
    names.map((n) => [
      n,
      pulumi.secret(
        all.apply((m) => {
          const value = m[n];
          if (value === undefined) throw new Error(`ServingStack: secret "${n}" is named in the config but missing from secrets. Add it to secrets.`);
          return value;
        }),
      ),
    ]),
  );
}

/** The plan output in schema-friendly form (no nulls). */
function servingPlan(p: PlanSummary): ServingPlan {
  const { monthlyUsd, ...rest } = p;
  return { ...rest, ...(monthlyUsd === null ? {} : { monthlyUsd }), models: p.models.map((m) => ({ ...m })) };
}
