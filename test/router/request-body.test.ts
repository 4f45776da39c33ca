import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkBody, parseJsonObject } from "../../images/router/src/request-body";
import { RouterError } from "../../images/router/src/errors";

const err = (f: () => unknown): RouterError => {
  try { f(); } catch (e) { return e as RouterError; }
  throw new Error("expected an error");
};

describe("request body checks", () => {
  it("accepts a minimal chat body and reports model and stream", () => {
    expect(checkBody("chat", { model: "m", messages: [{ role: "user", content: "hi" }], stream: true })).toEqual({ model: "m", stream: true });
  });

  it("names the missing model", () => {
    const e = err(() => checkBody("chat", { messages: [] }));
    expect(e.message).toBe('model: required (got nothing). Set it to a model name from GET /v1/models, or "auto".');
    expect(e.opts.param).toBe("model");
  });

  it("names the field and the wrong type", () => {
    expect(err(() => checkBody("chat", { model: 3, messages: [] })).message).toBe("model: expected a non-empty string (got number 3).");
    expect(err(() => checkBody("chat", { model: "m", messages: [{ role: "user", content: 5 }] })).message)
      .toBe("messages[0].content: expected a string, an array of content parts, or null (got number 5).");
    expect(err(() => checkBody("chat", { model: "m", messages: [{ role: "user", content: "x" }], temperature: "hot" })).message)
      .toBe("temperature: expected a number (got string).");
    expect(err(() => checkBody("chat", { model: "m", messages: [{ role: "user", content: "x" }], max_tokens: 1.5 })).opts.param).toBe("max_tokens");
    expect(err(() => checkBody("chat", { model: "m", messages: [{ role: "user", content: "x" }], stream: "yes" })).message).toBe("stream: expected a boolean (got string).");
  });

  it("checks prompts and embedding inputs", () => {
    expect(checkBody("completions", { model: "m", prompt: ["a", "b"] }).model).toBe("m");
    expect(checkBody("completions", { model: "m", prompt: [[1, 2], [3]] }).stream).toBe(false);
    expect(err(() => checkBody("completions", { model: "m", prompt: { a: 1 } })).opts.param).toBe("prompt");
    expect(err(() => checkBody("embeddings", { model: "m" })).message).toBe("input: required (got nothing).");
  });

  it("answers malformed JSON with invalid_json and non-objects with invalid_request", () => {
    expect(err(() => parseJsonObject(Buffer.from("{nope"))).code).toBe("invalid_json");
    expect(err(() => parseJsonObject(Buffer.from("[1]"))).message).toBe("The request body must be a JSON object (got an array).");
  });

  it("never throws anything but a RouterError on arbitrary JSON", () => {
    fc.assert(fc.property(fc.jsonValue(), fc.constantFrom("chat", "completions", "embeddings" as const), (v, kind) => {
      try {
        const obj = parseJsonObject(Buffer.from(JSON.stringify(v)));
        checkBody(kind, obj);
      } catch (e) {
        expect(e).toBeInstanceOf(RouterError);
        expect((e as RouterError).status).toBe(400);
      }
    }), { numRuns: 500 });
  });
});
