import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { displayValue, flattenInputs, summarizeText } from "../../src/preview";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

describe("display values", () => {
  it("flattens nested inputs to sorted paths, with secrets and unknowns as leaves", () => {
    const flat = flattenInputs({
      ports: [{ internal: 8080, ip: "127.0.0.1" }],
      envs: secret(["KEY=hunter2"]),
      image: pulumi.unknown,
      labels: { "app.kubernetes.io/name": "vllm" },
      volumes: [],
      build: {},
      __provider: "serialized function text",
    });
    expect(flat).toEqual({
      build: "{}",
      envs: "[secret]",
      image: "(known after deploy)",
      'labels["app.kubernetes.io/name"]': "vllm",
      "ports[0].internal": "8080",
      "ports[0].ip": "127.0.0.1",
      volumes: "[]",
    });
    expect(JSON.stringify(flat)).not.toContain("hunter2");
  });

  it("summarizes long or multi-line text by size and hash, so config files diff as one line", () => {
    expect(summarizeText("short")).toBe("short");
    const yaml = "global:\n  scrape_interval: 15s\n";
    expect(summarizeText(yaml)).toMatch(/^<3 lines, 31 chars, sha256:[0-9a-f]{8}>$/);
    expect(summarizeText("x".repeat(101))).toMatch(/^<1 line, 101 chars, sha256:[0-9a-f]{8}>$/);
    expect(summarizeText(yaml)).not.toBe(summarizeText(yaml.replace("15s", "30s")));
  });

  it("shows secrets inside objects as [secret] and never their content", () => {
    expect(displayValue(secret("sk-live"))).toBe("[secret]");
    expect(displayValue({ a: secret("sk-live"), b: 1 })).toBe('{"a":"[secret]","b":1}');
    expect(displayValue(null)).toBe("null");
    expect(displayValue(true)).toBe("true");
  });
});
