import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StackConfigError, formatIssue, parseStackConfig } from "../../src/config";
import { minimalConfig } from "./minimal";

type Json = Record<string, unknown>;

/** Sets `value` at a path of `root` chosen by `picks`, creating nothing: only existing spots change. */
function mutate(root: Json, picks: number[], value: unknown): Json {
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (const [i, pick] of picks.entries()) {
    if (typeof node !== "object" || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[pick % keys.length] as string;
    const child = (node as Json)[key];
    if (i === picks.length - 1 || typeof child !== "object" || child === null) {
      (node as Json)[key] = value;
      break;
    }
    node = child;
  }
  return copy;
}

function outcome(raw: unknown): "ok" | "invalid" {
  try {
    parseStackConfig(raw as Json);
    return "ok";
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    // Every issue must render to one line with a path: nothing raw from zod, no crash while formatting.
    for (const issue of error.issues) {
      expect(formatIssue(issue)).not.toMatch(/\n|Invalid input|Invalid option|Too small|Too big/);
      expect(issue.path).toMatch(/^shoestring(:|$)/);
    }
    return "invalid";
  }
}

describe("parseStackConfig on arbitrary input", () => {
  it("answers with a StackConfigError, never a crash, for any JSON value", () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (raw) => void outcome(raw)), { numRuns: 300 });
  });

  it("answers with a StackConfigError when a discriminator is an object whose toString is not a function", () => {
    // Found by the property below (seed -1422610643): String({ toString: {} }) throws a TypeError.
    const config = minimalConfig();
    const kind = (config.target as Json).kind;
    expect(typeof kind).toBe("string");
    expect(outcome({ ...config, target: { ...(config.target as Json), kind: { toString: {} } } })).toBe("invalid");
    expect(outcome(mutate(minimalConfig(), [0, 0], { toString: {} }))).toBe("invalid");
  });

  it("answers with a StackConfigError, never a crash, when any field of a valid config is replaced", () => {
    const anyValue = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constant({ secure: "v1:x" }), fc.constant("shoestring:x"));
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), anyValue, (picks, value) => void outcome(mutate(minimalConfig(), picks, value))),
      { numRuns: 500 },
    );
  });
});
