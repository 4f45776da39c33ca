import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { listStacks, loadStackByName, parseStackConfig } from "../../src/config";

/** The ladder, smallest first, with the secrets each stack's users must set. */
const LADDER: Record<string, string[]> = {
  local: ["routerApiKeys"],
  edge: ["sshPrivateKey", "routerApiKeys"],
  "aws-gpu-vm": ["routerApiKeys", "openaiApiKey"],
  "eks-cluster": ["routerApiKeys"],
  k8s: ["routerApiKeys"],
};

type Path = (string | number)[];
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Paths of the scalar values (and lists of scalars) a file states; lists of maps are entered. */
function leaves(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value) && value.every(isMap)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (isMap(value)) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}

function get(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
}

function without(value: Record<string, unknown>, path: Path): Record<string, unknown> {
  const copy = structuredClone(value);
  delete (get(copy, path.slice(0, -1)) as Record<string | number, unknown>)[path[path.length - 1] as string | number];
  return copy;
}

/** The structured sections of a stack file, keys without the `shoestring:` prefix. */
function structured(name: string): Record<string, unknown> {
  const file = parse(readFileSync(`stacks/Pulumi.${name}.yaml`, "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k.replace(/^shoestring:/, ""), v]));
}

describe("stacks/", () => {
  it("holds exactly the five rungs of the ladder", () => {
    expect(listStacks("stacks")).toEqual(Object.keys(LADDER).sort());
  });

  // Secrets are set per user (`pulumi config set --secret`), so the checked-in files hold none.
  it.each(Object.entries(LADDER))("parses %s and resolves to the reviewed config", (name, secrets) => {
    const stack = loadStackByName(name, { checkSecrets: false });
    expect(stack.secretNames).toEqual(secrets);
    expect(stack.config).toMatchSnapshot();
  });

  it.each(Object.keys(LADDER))("%s points editors at the generated JSON Schema and holds no secret values", (name) => {
    const text = readFileSync(`stacks/Pulumi.${name}.yaml`, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../schemas/stack-config.schema.json");
    expect(text).not.toMatch(/secure:|encryptionsalt|sk-[A-Za-z0-9_-]{8,}/);
  });

  it.each(Object.keys(LADDER))("%s states no value that equals its default", (name) => {
    const raw = structured(name);
    const restated = leaves(raw).filter((path) => {
      let resolved: unknown;
      try {
        resolved = parseStackConfig(without(raw, path)).config;
      } catch {
        return false; // a required value: leaving it out breaks the stack
      }
      return JSON.stringify(get(resolved, path)) === JSON.stringify(get(raw, path));
    });
    expect(restated).toEqual([]);
  });
});
