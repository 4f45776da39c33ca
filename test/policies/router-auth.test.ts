import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configHasKeys, routerAuth, routerAuthViolations } from "../../policies/router-auth";
import { policyInput, recordStack, runPolicies } from "./_harness";

const ROOT = join(__dirname, "..", "..");
const FIX = "Set router.auth.enabled: true with router.auth.apiKeysSecret naming a stack secret (pulumi config set --secret <name> <key>).";

describe("policy shoestring-router-auth", () => {
  it("catches the router of a stack with router.auth.enabled false", async () => {
    const resources = await recordStack(join(ROOT, "test", "policies", "fixtures", "Pulumi.no-auth.yaml"));
    const run = await runPolicies([routerAuth], resources);
    expect(run.skipped).toEqual([]);
    expect(run.violations).toEqual([
      {
        policy: "shoestring-router-auth",
        resource: "llm-router-container",
        message: `Router container "llm-router-container" has a config with no tenant keys: it would serve anyone who can reach it (expected at least one API key). ${FIX}`,
      },
    ]);
  });

  it("catches a Kubernetes router config Secret without tenants, base64 data included", async () => {
    const resources = await recordStack(join(ROOT, "stacks", "Pulumi.k8s.yaml"));
    const bad = resources.map((r) =>
      r.name === "llm-router-config" ? { ...r, inputs: { ...r.inputs, stringData: { "config.yaml": "backends: []\n" } } } : r,
    );
    expect((await runPolicies([routerAuth], bad)).violations.map((v) => v.message)).toEqual([
      `Router config Secret "llm-router-config" has no tenant keys: the router would serve anyone who can reach it (expected at least one API key). ${FIX}`,
    ]);
    const labels = { "app.kubernetes.io/component": "router" };
    const encoded = policyInput("kubernetes:core/v1:Secret", "cfg", { metadata: { labels }, data: { "config.yaml": Buffer.from("tenants: []\n").toString("base64") } });
    expect(routerAuthViolations(encoded)).toHaveLength(1);
  });

  it("accepts a router with the quick-start API key env var, and a router container without any config", () => {
    const labels = [{ label: "shoestring.component", value: "router" }];
    const quick = policyInput("docker:index/container:Container", "r", { labels, envs: ["SHOESTRING_ROUTER_API_KEY=k"] });
    expect(routerAuthViolations(quick)).toEqual([]);
    const bare = policyInput("docker:index/container:Container", "r", { labels, envs: ["SHOESTRING_ROUTER_PORT=8080"] });
    expect(routerAuthViolations(bare)).toEqual([
      `Router container "r" sets no SHOESTRING_ROUTER_CONFIG_YAML and no SHOESTRING_ROUTER_API_KEY: it would serve anyone who can reach it (expected at least one API key). ${FIX}`,
    ]);
  });

  it("reads tenants with keys as auth on, and empty or malformed configs as off", () => {
    expect(configHasKeys("tenants:\n  - id: default\n    keys: [sha256:ab]\n")).toBe(true);
    expect(configHasKeys("tenants:\n  - id: default\n    keys: []\n")).toBe(false);
    expect(configHasKeys("tenants: [")).toBe(false);
    expect(configHasKeys("")).toBe(false);
  });
});
