import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadStackFromPulumiConfig } from "../../src/config/pulumi-config";
import { minimalConfig, thrown } from "./minimal";

function setConfig(sections: Record<string, unknown>, secrets: Record<string, string> = {}): void {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(sections)) values[`shoestring:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  for (const [key, value] of Object.entries(secrets)) values[`shoestring:${key}`] = value;
  pulumi.runtime.setAllConfig(values, Object.keys(secrets).map((k) => `shoestring:${k}`));
}

function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("loadStackFromPulumiConfig", () => {
  beforeAll(async () => {
    await pulumi.runtime.setMocks({
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    });
  });
  beforeEach(() => pulumi.runtime.setAllConfig({}));

  it("returns the validated config and the referenced secrets as secret outputs", async () => {
    setConfig(minimalConfig(), { routerApiKeys: "key-1,key-2", spare: "unused" });
    const { config, secrets } = loadStackFromPulumiConfig();
    expect(config.cache.semantic.threshold).toBe(0.95);
    expect(Object.keys(secrets)).toEqual(["routerApiKeys"]);
    const keys = secrets.routerApiKeys;
    expect(keys).toBeDefined();
    expect(await pulumi.isSecret(keys!)).toBe(true);
    expect(await unwrap(keys!)).toBe("key-1,key-2");
  });

  it("throws a RunError listing every problem, including unset secrets and misspelled sections", () => {
    setConfig({ ...minimalConfig({ target: { kind: "docker-lokal" } }), modles: [] }, { openaiApiKey: "sk" });
    const error = thrown(() => loadStackFromPulumiConfig());
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^Invalid stack configuration( in stack \S+)? \(3 problems\):\n/);
    expect(error.message.split("\n").slice(1)).toEqual([
      `  - shoestring:target.kind: unknown kind (got "docker-lokal"; allowed: docker-local, docker-ssh, aws-gpu-vm, eks, kubernetes). Fix: pulumi config set --path 'target.kind' docker-local`,
      `  - shoestring:router.auth.apiKeysSecret: secret is not set in this stack (got "routerApiKeys"; allowed: openaiApiKey). Fix: pulumi config set --secret routerApiKeys <value>`,
      "  - shoestring:modles: unknown config section (allowed: target, models, router, cache, monitoring, planning). Fix: rename it to shoestring:models, or remove it: pulumi config rm shoestring:modles",
      "  (Checks between sections, such as routes to models, run once the problems above are fixed.)",
    ]);
  });

  it("refuses a section given as plain text", () => {
    setConfig({ ...minimalConfig(), target: "docker-local" }, { routerApiKeys: "k" });
    expect(thrown(() => loadStackFromPulumiConfig()).message).toContain(
      `  - shoestring:target: must be a YAML map or list (got "docker-local"). Fix: set its fields with pulumi config set --path 'target.<field>' <value>`,
    );
  });
});
