/**
 * @module Runs CrossGuard policies over recorded registrations the way the analyzer does
 * (@pulumi/policy server.js): secrets unwrapped, unknowns behind `unknownCheckingProxy` (a policy
 * reading one is skipped, as "can't run during preview"), config per policy name.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Policies, PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { runProgram, stackProgramInput, type RecordedResource } from "../../src/preview";

// Exported at runtime but @internal (stripped from the .d.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T; unknownObjectValue: string };

/** One reported violation. */
export interface Violation {
  policy: string;
  /** Resource name; undefined for stack-level violations without a URN. */
  resource?: string;
  message: string;
}

/** What a run of the policies found. */
export interface PolicyRun {
  violations: Violation[];
  /** Policy/resource pairs that read a value unknown during preview. */
  skipped: string[];
}

/** A recorded value as the analyzer hands it over: plain secrets, the proxy's unknown sentinel. */
function analyzerValue(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return analyzerValue(pulumi.runtime.unwrapRpcSecret(value));
  if (pulumi.isUnknown(value)) return proxy.unknownObjectValue;
  if (Array.isArray(value)) return value.map(analyzerValue);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, analyzerValue(v)]));
  return value;
}

function propsOf(r: RecordedResource, side: "inputs" | "state"): Record<string, unknown> {
  const raw = side === "state" && !r.custom ? (r.outputs ?? {}) : r.inputs;
  return proxy.unknownCheckingProxy(analyzerValue(raw) as Record<string, unknown>);
}

function isUnknownError(error: unknown): boolean {
  return (error as Error)?.constructor?.name === "UnknownValueError";
}

/** Runs every policy over the resources; `config` is keyed by policy name, like --policy-pack-config. */
export async function runPolicies(policies: Policies, resources: readonly RecordedResource[], config: Record<string, object> = {}): Promise<PolicyRun> {
  const run: PolicyRun = { violations: [], skipped: [] };
  const notApplicable = (reason?: string): never => {
    throw Object.assign(new Error(reason ?? "not applicable"), { notApplicable: true });
  };
  for (const policy of policies) {
    const getConfig = <T extends object>() => ({ ...(config[policy.name] ?? {}) }) as T;
    if ("validateResource" in policy && policy.validateResource) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const r of resources) {
        const args = {
          type: r.type,
          props: propsOf(r, "inputs"),
          urn: r.urn,
          name: r.name,
          opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: {} },
          stackTags: new Map(),
          isType: () => false,
          asType: () => undefined,
          getConfig,
          notApplicable,
        } as unknown as ResourceValidationArgs;
        for (const validate of validations) {
          try {
            await validate(args, (message) => run.violations.push({ policy: policy.name, resource: r.name, message }));
          } catch (error) {
            if (isUnknownError(error)) run.skipped.push(`${policy.name} ${r.name}`);
            else if (!(error as { notApplicable?: boolean }).notApplicable) throw error;
          }
        }
      }
    }
    if ("validateStack" in policy) {
      const byUrn = new Map(resources.map((r) => [r.urn, r]));
      const policyResources = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: propsOf(r, "state"), dependencies: [], propertyDependencies: {} }));
      const args = { resources: policyResources as unknown as PolicyResource[], stackTags: new Map(), getConfig, notApplicable } as unknown as StackValidationArgs;
      try {
        await policy.validateStack(args, (message, urn) => run.violations.push({ policy: policy.name, resource: urn ? byUrn.get(urn)?.name : undefined, message }));
      } catch (error) {
        if (isUnknownError(error)) run.skipped.push(`${policy.name} (stack)`);
        else if (!(error as { notApplicable?: boolean }).notApplicable) throw error;
      }
    }
  }
  return run;
}

/** The registrations of a stack file's program, as `shoestring preview` records them. */
export async function recordStack(file: string): Promise<RecordedResource[]> {
  const run = await runProgram(stackProgramInput(file));
  if (run.error !== undefined) throw new Error(`program failed for ${file}: ${run.error}`);
  return run.resources;
}

/** A hand-made registration, for crafted bad stacks. */
export function resource(type: string, name: string, inputs: Record<string, unknown>, opts: { stack?: string; outputs?: Record<string, unknown> } = {}): RecordedResource {
  const custom = !type.startsWith("shoestring:");
  return { type, name, urn: `urn:pulumi:${opts.stack ?? "test"}::shoestring::${type}::${name}`, custom, inputs, ...(opts.outputs ? { outputs: opts.outputs } : {}) };
}

/** A hand-made resource as a policy's pure check function takes it (`props` as the analyzer gives them). */
export function policyInput(type: string, name: string, props: Record<string, unknown>, stack = "test") {
  return { type, name, urn: `urn:pulumi:${stack}::shoestring::${type}::${name}`, props };
}
