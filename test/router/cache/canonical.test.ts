import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, exactKey, semanticTarget } from "../../../images/router/src/cache/canonical";
import { embeddingText, normalizeWhitespace } from "../../../images/router/src/cache/normalize";
import type { CacheLookupContext } from "../../../images/router/src/cache";
import { chatCtx } from "./fixtures";

/** Rebuilds a JSON value with its object keys in reverse order (same meaning, different bytes). */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse().map(([k, v]) => [k, reorder(v)]));
}

const params = fc.record(
  {
    temperature: fc.constantFrom(0, 0.2, 1),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    max_tokens: fc.integer({ min: 1, max: 4096 }),
    stop: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    seed: fc.integer(),
    n: fc.integer({ min: 1, max: 4 }),
    presence_penalty: fc.double({ min: -2, max: 2, noNaN: true }),
    logit_bias: fc.dictionary(fc.integer({ min: 0, max: 50_000 }).map(String), fc.integer({ min: -100, max: 100 })),
    response_format: fc.constantFrom({ type: "text" }, { type: "json_object" }),
    user: fc.string({ maxLength: 8 }),
  },
  { requiredKeys: [] },
);

describe("exactKey", () => {
  it("is invariant to object key order at every level", () => {
    fc.assert(
      fc.property(params, fc.string({ maxLength: 40 }), (p, text) => {
        const body = { model: "m", messages: [{ role: "user", content: text, name: "u" }], ...p };
        const a: CacheLookupContext = { tenant: "t", model: "m", kind: "chat", body };
        const b: CacheLookupContext = { tenant: "t", model: "m", kind: "chat", body: reorder(body) as Record<string, unknown> };
        return exactKey(a) === exactKey(b);
      }),
    );
  });

  it("changes whenever any generation parameter changes", () => {
    fc.assert(
      fc.property(params, params, (p, q) => {
        fc.pre(canonicalJson(p) !== canonicalJson(q));
        const base = { model: "m", messages: [{ role: "user", content: "hi" }] };
        return exactKey({ tenant: "t", model: "m", kind: "chat", body: { ...base, ...p } }) !== exactKey({ tenant: "t", model: "m", kind: "chat", body: { ...base, ...q } });
      }),
    );
  });

  it.each([
    ["tenant", { tenant: "other" }],
    ["model", { model: "large" }],
    ["kind", { kind: "completions" as const }],
    ["unknown vLLM parameter", { body: { top_k: 5 } }],
    ["end user", { body: { user: "bob" } }],
    ["system prompt", { body: { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Q" }] } }],
    ["message name", { body: { messages: [{ role: "user", content: "Q", name: "alice" }] } }],
    ["letter case", { body: { messages: [{ role: "user", content: "q" }] } }],
  ])("differs when the %s differs", (_name, over) => {
    expect(exactKey(chatCtx("Q", over))).not.toBe(exactKey(chatCtx("Q")));
  });

  it.each([
    ["stream", { stream: true, stream_options: { include_usage: true } }],
    ["model field in the body (the resolved model is used)", { model: "alias" }],
  ])("ignores the transport-only %s", (_name, body) => {
    expect(exactKey(chatCtx("Q", { body }))).toBe(exactKey(chatCtx("Q")));
  });

  it("is prefixed and versioned", () => {
    expect(exactKey(chatCtx("Q"))).toMatch(/^shoestring:cache:v1:x:[0-9a-f]{64}$/);
  });
});

describe("normalizeWhitespace", () => {
  it.each([
    ["  What is   Redis?  ", "What is Redis?"],
    ["line one   \r\nline two", "line one\nline two"],
    ["a\n\n\n\nb", "a\n\nb"],
    ["keep\tthe tab", "keep\tthe tab"],
    ["  indented\n    code-like line", "indented\n    code-like line"],
    ["fix:\n```py\nif x:\n    y()   \n```", "fix:\n```py\nif x:\n    y()   \n```"],
    ["run `a   b` now", "run `a   b` now"],
    ['say "two   spaces"', 'say "two   spaces"'],
  ])("normalizes %j to %j", (input, expected) => {
    expect(normalizeWhitespace(input)).toBe(expected);
  });
});

describe("embeddingText", () => {
  it.each([
    ["Is Port 6379 OPEN by default?!", "is port 6379 open by default"],
    ["What does `getUser` return?", "what does `getUser` return"],
    ['Translate "Hello World".', 'translate "Hello World"'],
    ["Two\nlines\n\nhere.", "two lines here"],
  ])("turns %j into %j", (input, expected) => {
    expect(embeddingText(input)).toBe(expected);
  });
});

describe("semanticTarget", () => {
  const target = (ctx: CacheLookupContext) => semanticTarget(ctx, "emb/model");

  it("puts paraphrases of the last user message in the same scope", () => {
    const a = target(chatCtx("Is port 6379 open?"));
    const b = target(chatCtx("By default, is 6379 open?"));
    expect(a.ok && b.ok && a.scope === b.scope).toBe(true);
    expect(a).toMatchObject({ ok: true, guardText: "Is port 6379 open?", embedText: "is port 6379 open", userTurns: 1 });
  });

  it.each([
    ["tenant", { tenant: "b" }],
    ["model", { model: "large" }],
    ["temperature", { body: { temperature: 0.5 } }],
    ["max_tokens", { body: { max_tokens: 10 } }],
    ["system prompt", { body: { messages: [{ role: "system", content: "French only." }, { role: "user", content: "Q" }] } }],
  ])("moves to another scope when the %s differs", (_name, over) => {
    const a = target(chatCtx("Q"));
    const b = target(chatCtx("Q", over));
    expect(a.ok && b.ok && a.scope !== b.scope).toBe(true);
  });

  it("moves to another scope when the embedder differs", () => {
    const a = semanticTarget(chatCtx("Q"), "emb/a");
    const b = semanticTarget(chatCtx("Q"), "emb/b");
    expect(a.ok && b.ok && a.scope !== b.scope).toBe(true);
  });

  it.each([
    ["an image part", [{ role: "user", content: [{ type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: "data:," } }] }]],
    ["an assistant last message", [{ role: "user", content: "Q" }, { role: "assistant", content: "A" }]],
    ["an empty user message", [{ role: "user", content: "   " }]],
  ])("is not eligible for %s", (_name, messages) => {
    expect(target(chatCtx("", { body: { messages } }))).toEqual({ ok: false, reason: "unsupported" });
  });

  it("counts user turns", () => {
    const messages = [{ role: "user", content: "a" }, { role: "assistant", content: "b" }, { role: "user", content: "c" }];
    expect(target(chatCtx("", { body: { messages } }))).toMatchObject({ ok: true, userTurns: 2 });
  });
});
