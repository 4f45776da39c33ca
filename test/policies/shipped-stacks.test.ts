import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { POLICY_PACK_NAME, SHOESTRING_POLICIES } from "../../policies/all-policies";
import { configHasKeys, ROUTER_SECRET_CONFIG_KEY } from "../../policies/router-auth";
import { ROUTER_CONFIG_KEY } from "../../components/kubernetes/k8s-router";
import { listStacks } from "../../src/config";
import type { RecordedResource } from "../../src/preview";
import { recordStack, runPolicies } from "./_harness";
import * as pulumi from "@pulumi/pulumi";

const ROOT = join(__dirname, "..", "..");
const STACKS = listStacks(join(ROOT, "stacks"));

describe("the policy pack on the shipped stacks", () => {
  const recorded = new Map<string, RecordedResource[]>();
  beforeAll(async () => {
    for (const stack of STACKS) recorded.set(stack, await recordStack(join(ROOT, "stacks", `Pulumi.${stack}.yaml`)));
  });

  it("covers the five shipped stacks", () => {
    expect(STACKS).toEqual(["aws-gpu-vm", "edge", "eks-cluster", "k8s", "local"]);
    for (const stack of STACKS) expect(recorded.get(stack)!.length, stack).toBeGreaterThan(20);
  });

  it.each(STACKS)("is silent on %s, and no policy was skipped for an unknown value", async (stack) => {
    const run = await runPolicies(SHOESTRING_POLICIES, recorded.get(stack)!, { "shoestring-monthly-cost-ceiling": { maxMonthlyUsd: 20_000, failWhenUnknown: false } });
    expect(run.violations).toEqual([]);
    expect(run.skipped).toEqual([]);
  });

  it("reads each Docker stack's router config and finds its API keys (the auth check is not vacuous)", () => {
    for (const stack of ["local", "edge", "aws-gpu-vm"]) {
      const router = recorded.get(stack)!.find((r) => r.name === "llm-router-container")!;
      const envs = pulumi.runtime.unwrapRpcSecret(router.inputs.envs) as string[];
      const yaml = envs.find((e) => e.startsWith("SHOESTRING_ROUTER_CONFIG_YAML="))!.slice("SHOESTRING_ROUTER_CONFIG_YAML=".length);
      expect(configHasKeys(yaml), stack).toBe(true);
    }
  });

  it("reads each Kubernetes stack's router config Secret and finds its API keys", () => {
    expect(ROUTER_SECRET_CONFIG_KEY).toBe(ROUTER_CONFIG_KEY);
    for (const stack of ["k8s", "eks-cluster"]) {
      const secret = recorded.get(stack)!.find((r) => r.name === "llm-router-config")!;
      const data = pulumi.runtime.unwrapRpcSecret(secret.inputs.stringData) as Record<string, string>;
      expect(configHasKeys(data[ROUTER_CONFIG_KEY]!), stack).toBe(true);
    }
  });
});

describe("the policy pack's files", () => {
  it("has unique, prefixed policy names", () => {
    const names = SHOESTRING_POLICIES.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      "shoestring-no-public-ingress",
      "shoestring-router-auth",
      "shoestring-secrets-not-plain",
      "shoestring-images-pinned",
      "shoestring-gpu-instance-allowlist",
      "shoestring-monthly-cost-ceiling",
    ]);
    expect(POLICY_PACK_NAME).toBe("shoestring-guardrails");
  });

  it("is a nodejs pack whose package.json version follows the kit's", () => {
    expect(parse(readFileSync(join(ROOT, "policies", "PulumiPolicy.yaml"), "utf8"))).toMatchObject({ runtime: "nodejs" });
    const pack = JSON.parse(readFileSync(join(ROOT, "policies", "package.json"), "utf8")) as { version: string; type?: string };
    const kit = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(pack.version).toBe(kit.version);
    // The CLI loads packs with CommonJS require (pulumi-testing.md §4).
    expect(pack.type).toBeUndefined();
  });

  it("ships an example config that every policy's configSchema accepts", () => {
    const example = JSON.parse(readFileSync(join(ROOT, "policies", "config.example.json"), "utf8")) as Record<string, object>;
    const ajv = new Ajv({ strict: false });
    for (const [name, config] of Object.entries(example)) {
      const policy = SHOESTRING_POLICIES.find((p) => p.name === name);
      expect(policy, name).toBeDefined();
      const schema = { type: "object", ...policy!.configSchema, additionalProperties: false };
      expect(ajv.validate(schema, config), `${name}: ${ajv.errorsText()}`).toBe(true);
    }
  });
});
