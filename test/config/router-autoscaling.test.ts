import { describe, expect, it } from "vitest";
import { StackConfigError, StackConfigSchema, formatIssue, parseStackConfig } from "../../src/config";
import { ROUTER_MAX_REPLICAS_FACTOR } from "../../src/config/router";
import { unwrap, walkFields } from "../../src/config/schema-walk";
import { minimalConfig, thrown, vllmModel } from "./minimal";

const IMAGE = "ghcr.io/acme/shoestring-router:0.1.0";

/** A minimal Docker config whose router section is `router` (plus the auth key secret). */
function withRouter(router: Record<string, unknown>): Record<string, unknown> {
  return minimalConfig({ router: { auth: { apiKeysSecret: "routerApiKeys" }, ...router } });
}

/** The issue lines a config produces, without the header. */
function lines(raw: Record<string, unknown>): string[] {
  const error = thrown(() => parseStackConfig(raw));
  expect(error).toBeInstanceOf(StackConfigError);
  return (error as StackConfigError).issues.map(formatIssue);
}

describe("router.autoscaling in the stack config", () => {
  it("turns the CPU autoscaler on by default, up to three times the replicas at 70% CPU", () => {
    expect(ROUTER_MAX_REPLICAS_FACTOR).toBe(3);
    expect(parseStackConfig(withRouter({})).config.router.autoscaling).toEqual({ enabled: true, maxReplicas: 3, targetCpuPercent: 70 });
    expect(parseStackConfig(withRouter({ replicas: 4 })).config.router.autoscaling).toEqual({ enabled: true, maxReplicas: 12, targetCpuPercent: 70 });
  });

  it("defaults the maximum on a Kubernetes target from its replicas the same way", () => {
    const raw = minimalConfig({
      target: { kind: "kubernetes", gpu: { type: "L4", nodes: 2 } },
      models: [vllmModel()],
      router: { auth: { apiKeysSecret: "routerApiKeys" }, image: IMAGE, replicas: 2 },
      cache: { semantic: { enabled: false } },
    });
    expect(parseStackConfig(raw).config.router).toMatchObject({ replicas: 2, autoscaling: { enabled: true, maxReplicas: 6, targetCpuPercent: 70 } });
  });

  it("keeps an explicit maximum and CPU target, a maximum equal to the replicas included", () => {
    const set = { enabled: true, maxReplicas: 2, targetCpuPercent: 55 };
    expect(parseStackConfig(withRouter({ replicas: 2, autoscaling: set })).config.router.autoscaling).toEqual(set);
    const off = parseStackConfig(withRouter({ autoscaling: { enabled: false } })).config.router.autoscaling;
    expect(off).toEqual({ enabled: false, maxReplicas: 3, targetCpuPercent: 70 });
  });

  it("refuses a maximum below router.replicas, with the range and how to fix it", () => {
    expect(lines(withRouter({ replicas: 4, autoscaling: { maxReplicas: 2 } }))).toEqual([
      "shoestring:router.autoscaling.maxReplicas: fewer than router.replicas, the autoscaler's minimum (got 2; allowed: 4 to 100). " +
        "Fix: pulumi config rm --path 'router.autoscaling.maxReplicas' to use 3 × router.replicas (12), or set it to at least 4",
    ]);
  });

  it("lets a maximum below the replicas pass while the autoscaler is off, since nothing reads it", () => {
    const { config } = parseStackConfig(withRouter({ replicas: 4, autoscaling: { enabled: false, maxReplicas: 2 } }));
    expect(config.router.autoscaling).toEqual({ enabled: false, maxReplicas: 2, targetCpuPercent: 70 });
  });

  it("reports an out-of-range CPU target together with the range cross-check", () => {
    expect(lines(withRouter({ replicas: 4, autoscaling: { maxReplicas: 2, targetCpuPercent: 5 } }))).toEqual([
      "shoestring:router.autoscaling.targetCpuPercent: must be at least 10 (got 5; allowed: integer 10–100). Fix: pulumi config set --path 'router.autoscaling.targetCpuPercent' 10",
      "shoestring:router.autoscaling.maxReplicas: fewer than router.replicas, the autoscaler's minimum (got 2; allowed: 4 to 100). " +
        "Fix: pulumi config rm --path 'router.autoscaling.maxReplicas' to use 3 × router.replicas (12), or set it to at least 4",
    ]);
  });

  it("refuses a misspelt key and a maximum above 100, naming the limits", () => {
    expect(lines(withRouter({ autoscaling: { maxReplicas: 200, targetCPUPercent: 60 } }))).toEqual([
      "shoestring:router.autoscaling.maxReplicas: must be at most 100 (got 200; allowed: integer 1–100). Fix: pulumi config set --path 'router.autoscaling.maxReplicas' 100",
      "shoestring:router.autoscaling.targetCPUPercent: unknown key (got 60; allowed: enabled, maxReplicas, targetCpuPercent). " +
        "Fix: rename it to targetCpuPercent (pulumi config rm --path 'router.autoscaling.targetCPUPercent', then set 'router.autoscaling.targetCpuPercent')",
    ]);
  });

  it("documents each field, the computed default, metrics-server and the Docker targets that ignore it", () => {
    const docs: Record<string, string | undefined> = {};
    walkFields(StackConfigSchema, "", (field) => {
      if (field.path.startsWith("router.autoscaling")) docs[field.path] = unwrap(field.schema).description;
    });
    expect(Object.keys(docs).sort()).toEqual(["router.autoscaling", "router.autoscaling.enabled", "router.autoscaling.maxReplicas", "router.autoscaling.targetCpuPercent"]);
    expect(docs["router.autoscaling.enabled"]).toContain("metrics-server");
    expect(docs["router.autoscaling.enabled"]).toContain("Ignored on Docker targets");
    expect(docs["router.autoscaling.maxReplicas"]).toContain("Unset: 3 × replicas.");
  });
});
