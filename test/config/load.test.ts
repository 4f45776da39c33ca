import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StackConfigError, listStacks, loadStackByName, loadStackFile } from "../../src/config";
import { thrown } from "./minimal";

const FIXTURES = "test/fixtures/stacks";
const fixture = (name: string) => `${FIXTURES}/Pulumi.${name}.yaml`;

describe("loadStackFile", () => {
  it("loads a stack, keeps other namespaces out, and lists the referenced secrets", () => {
    const stack = loadStackFile(fixture("valid-with-secrets"));
    expect(stack.stack).toBe("valid-with-secrets");
    expect(stack.file).toBe(fixture("valid-with-secrets"));
    expect(stack.secretNames).toEqual(["routerApiKeys"]);
    expect(stack.config.models[0]?.quantization).toBe("Q4_K_M");
    expect(stack.config.router.tiers).toEqual({ "1": ["qwen-1-5b"] });
    expect(Object.keys(stack.config)).toEqual(["target", "models", "router", "cache", "monitoring", "planning"]);
  });

  it("reports YAML syntax errors with file, line and column", () => {
    const path = fixture("yaml-syntax");
    expect(thrown(() => loadStackFile(path)).message).toBe(
      [
        `Invalid stack configuration in ${path} (2 problems):`,
        `  - ${path}:4:1: YAML syntax error: All mapping items must start at the same column. Fix: correct the YAML at that line (indent with spaces, close brackets and quotes)`,
        `  - ${path}:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix: correct the YAML at that line (indent with spaces, close brackets and quotes)`,
      ].join("\n"),
    );
  });

  it("reports referenced secrets that are not set, with the nearest that are", () => {
    const path = fixture("missing-secret");
    expect(thrown(() => loadStackFile(path)).message).toBe(
      [
        `Invalid stack configuration in ${path} (2 problems):`,
        `  - shoestring:router.auth.apiKeysSecret: secret is not set in this stack (got "routerApiKeys"; allowed: openaiApiKey). Fix: pulumi config set --secret routerApiKeys <value>`,
        `  - shoestring:router.providers[0].apiKeySecret: secret is not set in this stack (got "openaiKey"; allowed: openaiApiKey). Fix: pulumi config set --secret openaiKey <value>`,
      ].join("\n"),
    );
  });

  it("skips the secret check on request, for stacks whose secrets are set per user", () => {
    expect(loadStackFile(fixture("missing-secret"), { checkSecrets: false }).secretNames).toEqual(["routerApiKeys", "openaiKey"]);
  });

  it("reports misplaced keys, secrets in the wrong place and plaintext secrets", () => {
    const path = fixture("misplaced-keys");
    const error = thrown(() => loadStackFile(path)) as StackConfigError;
    expect(error.message).toBe(
      [
        `Invalid stack configuration in ${path} (7 problems):`,
        "  - confg: unknown stack file key (allowed: config, secretsprovider, encryptedkey, encryptionsalt, environment). Fix: rename it to config, or remove it",
        "  - target: config keys must be namespaced. Fix: rename it to shoestring:target",
        "  - shoestring:router.auth.apiKeys: secrets cannot sit inside structured config. Fix: store it as its own key (pulumi config set --secret <name> <value>) and put the name in the matching *Secret field",
        "  - shoestring:cache: a config section cannot be a secret (got a secure (encrypted) value). Fix: store secrets as their own keys and reference them from *Secret fields",
        "  - shoestring:cache.semantic.embeddingModel: required while the semantic cache is enabled, and no model has role embeddings. Fix: add a model with role embeddings, or set cache.semantic.enabled false",
        "  - shoestring:openaiApiKey: secret stored in plain text (got <redacted>). Fix: pulumi config set --secret openaiApiKey <value>",
        "  - shoestring:modles: unknown config key (allowed: target, models, router, cache, monitoring, planning, or a secret set with pulumi config set --secret). Fix: rename it to shoestring:models",
      ].join("\n"),
    );
    expect(error.message).not.toContain("sk-plaintext");
  });

  it("says when the file does not exist", () => {
    expect(thrown(() => loadStackFile(fixture("nope"))).message).toBe(
      [
        `Cannot read stack file ${fixture("nope")}:`,
        `  - ${fixture("nope")}: file does not exist. Fix: check the path; stack files are named Pulumi.<stack>.yaml`,
      ].join("\n"),
    );
  });
});

describe("loadStackByName", () => {
  const dir = mkdtempSync(join(tmpdir(), "shoestring-stacks-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the existing stacks when the name is unknown", () => {
    expect(thrown(() => loadStackByName("lokal")).message).toBe(
      [
        'Stack "lokal" not found:',
        `  - stacks/Pulumi.lokal.yaml: no such stack file (got "lokal"; allowed: aws-gpu-vm, edge, eks-cluster, k8s, local). Fix: use one of those, or create stacks/Pulumi.lokal.yaml`,
      ].join("\n"),
    );
  });

  it("loads from another directory and names an empty one", () => {
    writeFileSync(join(dir, "Pulumi.mini.yaml"), "config:\n  shoestring:target: { kind: docker-local }\n");
    writeFileSync(join(dir, "README.md"), "not a stack\n");
    expect(listStacks(dir)).toEqual(["mini"]);
    const error = thrown(() => loadStackByName("mini", { dir })) as StackConfigError;
    expect(error.issues.map((i) => i.path)).toEqual(["shoestring:models"]);
    const empty = mkdtempSync(join(dir, "empty-"));
    expect(thrown(() => loadStackByName("x", { dir: empty })).message).toContain(`(got "x"; allowed: no Pulumi.<name>.yaml in ${empty})`);
  });
});
