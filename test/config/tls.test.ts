import { describe, expect, it } from "vitest";
import { parseStackConfig, StackConfigError } from "../../src/config";
import { minimalConfig, thrown } from "./minimal";

const issuesOf = (raw: Record<string, unknown>) => (thrown(() => parseStackConfig(raw)) as StackConfigError).issues;

describe("router TLS in stack config", () => {
  it("refuses a Docker router bound beyond localhost without TLS", () => {
    const issues = issuesOf(minimalConfig({ target: { kind: "docker-local", bindAddress: "0.0.0.0" } }));
    expect(issues).toEqual([
      expect.objectContaining({
        path: "shoestring:target.bindAddress",
        value: "0.0.0.0",
        message: "the router would be reachable beyond localhost over plain HTTP",
      }),
    ]);
  });

  it("refuses an AWS VM open to CIDRs without TLS", () => {
    const raw = minimalConfig({ target: { kind: "aws-gpu-vm", instanceType: "g6e.xlarge", keyPairName: "shoestring", allowedCidrs: ["198.51.100.0/24"] } });
    expect(issuesOf(raw).map((i) => i.path)).toContain("shoestring:target.allowedCidrs");
  });

  it("accepts an exposed router with an automatic certificate for a domain", () => {
    const raw = minimalConfig({ target: { kind: "docker-local", bindAddress: "0.0.0.0", tls: { domain: "llm.example.com" } } });
    expect(parseStackConfig(raw).config.target).toMatchObject({ tls: { domain: "llm.example.com" } });
  });

  it("wants a supplied certificate and its key together", () => {
    const raw = minimalConfig({
      target: { kind: "docker-local", bindAddress: "0.0.0.0", tls: { domain: "llm.example.com", certificateSecret: "tlsCert" } },
    });
    expect(issuesOf(raw)).toEqual([
      expect.objectContaining({
        path: "shoestring:target.tls.privateKeySecret",
        message: "a supplied certificate needs both certificateSecret and privateKeySecret",
      }),
    ]);
  });

  it("keeps a localhost router plain HTTP without asking for TLS", () => {
    expect(parseStackConfig(minimalConfig()).config.target).not.toHaveProperty("tls");
  });
});
