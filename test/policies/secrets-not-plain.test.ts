import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { credentialKind, plainSecretViolations, secretsNotPlain } from "../../policies/secrets-not-plain";
import type { RecordedResource } from "../../src/preview";
import { policyInput, recordStack, runPolicies } from "./_harness";

const ROOT = join(__dirname, "..", "..");
// Shaped like real credentials, made up for these tests.
const OPENAI = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123456789";
const AWS = "AKIAABCDEFGHIJKLMNOP";

describe("policy shoestring-secrets-not-plain", () => {
  let k8s: RecordedResource[];
  beforeAll(async () => {
    k8s = await recordStack(join(ROOT, "stacks", "Pulumi.k8s.yaml"));
  });

  it("catches a crafted Kubernetes stack whose model server gets an API key as a literal env value", async () => {
    const bad = k8s.map((r) => {
      if (r.name !== "llm-qwen-7b-deployment") return r;
      const spec = JSON.parse(JSON.stringify(r.inputs.spec)) as { template: { spec: { containers: Array<{ env?: unknown[] }> } } };
      spec.template.spec.containers[0]!.env = [...(spec.template.spec.containers[0]!.env ?? []), { name: "OPENAI_API_KEY", value: OPENAI }];
      return { ...r, inputs: { ...r.inputs, spec } };
    });
    const run = await runPolicies([secretsNotPlain], bad);
    expect(run.violations).toHaveLength(1);
    expect(run.violations[0]!.message).toMatch(/^container "[a-z0-9-]+" env OPENAI_API_KEY of "llm-qwen-7b-deployment" is a literal value: anyone who can read the workload sees it\. Use valueFrom\.secretKeyRef to a Secret\.$/);
    expect(JSON.stringify(run.violations)).not.toContain(OPENAI);
  });

  it("catches credentials in labels, ConfigMaps, command lines and EC2 user data, without echoing them", () => {
    const label = policyInput("docker:index/container:Container", "c", { labels: [{ label: "owner-key", value: OPENAI }] });
    expect(plainSecretViolations(label)).toEqual([
      'Container "c" label owner-key holds what looks like an OpenAI/Anthropic-style API key (value not shown): it is stored and shown in plain text. Move it to a Pulumi secret / Kubernetes Secret and reference it.',
    ]);
    const configMap = policyInput("kubernetes:core/v1:ConfigMap", "cm", { data: { "tls.key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n" } });
    expect(plainSecretViolations(configMap)[0]).toContain('ConfigMap "cm" data key tls.key holds what looks like a private key (value not shown)');
    const userData = policyInput("aws:ec2/instance:Instance", "vm", { userData: `#!/bin/bash\nexport AWS_ACCESS_KEY_ID=${AWS}\n` });
    expect(plainSecretViolations(userData)[0]).toContain('Instance "vm" userData holds what looks like an AWS access key id');
    const flag = policyInput("docker:index/container:Container", "llama", { command: ["--model", "/m.gguf", "--api-key", "hunter2-but-long"] });
    expect(plainSecretViolations(flag)).toEqual([
      'Container "llama" passes --api-key with a literal value on its command line (visible in ps and docker/kubectl inspect). Pass it through an env var set from a secret.',
    ]);
    for (const v of [label, configMap, userData, flag].flatMap(plainSecretViolations)) expect(v).not.toMatch(/sk-proj|AKIA|hunter2|MIIE/);
  });

  it("lets a secret flag read an env var, and flags default passwords and keys under innocent names", () => {
    const redis = policyInput("docker:index/container:Container", "redis", { command: ["sh", "-c", 'exec redis-server --requirepass "$REDIS_PASSWORD"'] });
    expect(plainSecretViolations(redis)).toEqual([]);
    const grafana = policyInput("docker:index/container:Container", "grafana", { envs: ["GF_SECURITY_ADMIN_PASSWORD=admin"] });
    expect(plainSecretViolations(grafana)).toEqual([
      'envs GF_SECURITY_ADMIN_PASSWORD of "grafana" is set to a well-known default (value not shown). Generate one (random.RandomPassword) and keep it secret.',
    ]);
    const hidden = policyInput("docker:index/container:Container", "app", { envs: [`UPSTREAM=${OPENAI}`, "OPENAI_API_KEY=anything"] });
    expect(plainSecretViolations(hidden)).toEqual([
      'envs UPSTREAM of "app" holds what looks like an OpenAI/Anthropic-style API key under a name that does not say secret (value not shown). Rename it and set it from a secret.',
    ]);
  });

  it("recognises the usual credential shapes and nothing ordinary", () => {
    expect(credentialKind(OPENAI)).toBe("an OpenAI/Anthropic-style API key");
    expect(credentialKind(AWS)).toBe("an AWS access key id");
    expect(credentialKind(`ghp_${"a".repeat(36)}`)).toBe("a GitHub token");
    expect(credentialKind(`hf_${"A".repeat(34)}`)).toBe("a Hugging Face token");
    for (const ordinary of ["redis:7.4.11-alpine", "sk-router", "Qwen/Qwen2.5-7B-Instruct-AWQ", "sha256:0123456789abcdef"]) expect(credentialKind(ordinary)).toBeUndefined();
  });
});
