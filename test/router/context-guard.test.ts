import { describe, expect, it } from "vitest";
import { applyContextGuard, estimatePromptTokens, type ContextGuardOptions } from "../../images/router/src/context-guard";
import { RouterError } from "../../images/router/src/errors";

const opts: ContextGuardOptions = { overflow: "reject", warnRatio: 0.8, charsPerToken: 4 };
const msg = (role: string, chars: number) => ({ role, content: "x".repeat(chars) });
type T = { name: string; ctx?: number };
const guard = (body: Record<string, unknown>, targets: T[], o = opts) =>
  applyContextGuard({ body, kind: "chat", model: "m", targets, contextOf: (t) => t.ctx }, o);

describe("context guard", () => {
  it("estimates chars / 4 plus 4 tokens per message and 3 for the reply primer", () => {
    expect(estimatePromptTokens({ messages: [msg("user", 400)] }, "chat", 4)).toBe(3 + 4 + 100);
    expect(estimatePromptTokens({ prompt: "y".repeat(40) }, "completions", 4)).toBe(10);
    expect(estimatePromptTokens({ prompt: [1, 2, 3] }, "completions", 4)).toBe(3);
  });

  it("passes a prompt that fits and warns above 80% of the context", () => {
    const ok = guard({ messages: [msg("user", 400)] }, [{ name: "a", ctx: 1000 }]);
    expect(ok).toMatchObject({ warn: false, promptTokens: 107 });
    const warn = guard({ messages: [msg("user", 3400)] }, [{ name: "a", ctx: 1000 }]);
    expect(warn.warn).toBe(true);
  });

  it("skips targets that are too small and keeps larger ones in order", () => {
    const d = guard({ messages: [msg("user", 8000)] }, [{ name: "small", ctx: 1000 }, { name: "big", ctx: 100_000 }, { name: "unknown" }]);
    expect(d.targets.map((t) => t.name)).toEqual(["big", "unknown"]);
  });

  it("counts max_tokens against the context", () => {
    const d = guard({ messages: [msg("user", 400)], max_tokens: 950 }, [{ name: "small", ctx: 1000 }, { name: "big", ctx: 2000 }]);
    expect(d.targets.map((t) => t.name)).toEqual(["big"]);
  });

  it("rejects with a 400 naming the estimate, the limit and the fix", () => {
    let err: unknown;
    try { guard({ messages: [msg("user", 8000)] }, [{ name: "a", ctx: 1000 }]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(RouterError);
    const e = err as RouterError;
    expect(e.status).toBe(400);
    expect(e.code).toBe("context_length_exceeded");
    expect(e.message).toBe('Prompt too long for model "m": about 2007 tokens estimated, but the largest context window among its targets is 1000 tokens. Shorten the conversation, lower max_tokens, or start the router with --context-overflow trim-oldest.');
  });

  it("trims the oldest turns, keeps the system prompt and the last message", () => {
    const messages = [msg("system", 40), msg("user", 2000), { role: "assistant", content: "a".repeat(2000) }, msg("user", 400)];
    const d = guard({ messages }, [{ name: "a", ctx: 300 }], { ...opts, overflow: "trim-oldest" });
    expect(d.trimmedMessages?.map((m) => (m as { role: string }).role)).toEqual(["system", "user"]);
    expect((d.trimmedMessages?.[1] as { content: string }).content.length).toBe(400);
    expect(d.dropped).toBe(2);
  });

  it("drops a tool result whose assistant call was trimmed", () => {
    const messages = [msg("system", 4), { role: "assistant", content: null, tool_calls: [{ id: "1", function: { name: "f", arguments: "x".repeat(3000) } }] }, { role: "tool", content: "r", tool_call_id: "1" }, msg("user", 40)];
    const d = guard({ messages }, [{ name: "a", ctx: 200 }], { ...opts, overflow: "trim-oldest" });
    expect(d.trimmedMessages?.map((m) => (m as { role: string }).role)).toEqual(["system", "user"]);
  });

  it("still rejects when the last message alone does not fit", () => {
    expect(() => guard({ messages: [msg("user", 100), msg("user", 8000)] }, [{ name: "a", ctx: 1000 }], { ...opts, overflow: "trim-oldest" }))
      .toThrow(/largest context window among its targets is 1000 tokens\. Shorten the prompt or lower max_tokens/);
  });
});
