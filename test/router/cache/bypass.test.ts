import { describe, expect, it } from "vitest";
import { bypassReason, compileFreshnessCues, mayStore, parseCacheControl } from "../../../images/router/src/cache/bypass";
import { cacheConfigSchema, DEFAULT_FRESHNESS_CUES, type CacheLookupContext } from "../../../images/router/src/cache";
import { chatCtx } from "./fixtures";

const config = cacheConfigSchema.parse({ redisUrl: "redis://127.0.0.1:6379" });
const cues = compileFreshnessCues(DEFAULT_FRESHNESS_CUES);
const reason = (ctx: CacheLookupContext, c = config) => bypassReason(ctx, c, cues);

describe("bypassReason", () => {
  it.each<[string, CacheLookupContext, string | undefined]>([
    ["a greedy single question", chatCtx("What is Redis?"), undefined],
    ["temperature above zero", chatCtx("Q", { body: { temperature: 0.2 } }), "temperature"],
    ["no temperature (server default samples)", chatCtx("Q", { body: { temperature: undefined } }), "temperature"],
    ["tools", chatCtx("Q", { body: { tools: [{ type: "function", function: { name: "f" } }] } }), "tools"],
    ["tool_choice", chatCtx("Q", { body: { tool_choice: "auto" } }), "tools"],
    ["legacy functions", chatCtx("Q", { body: { functions: [{ name: "f" }] } }), "tools"],
    ["a tool result in history", chatCtx("Q", { body: { messages: [{ role: "user", content: "Q" }, { role: "assistant", content: null, tool_calls: [{ id: "1" }] }, { role: "tool", content: "42", tool_call_id: "1" }] } }), "tools"],
    ["an empty tools array", chatCtx("Q", { body: { tools: [] } }), undefined],
    ["'today'", chatCtx("What happened today?"), "freshness"],
    ["'latest'", chatCtx("What is the LATEST version?"), "freshness"],
    ["'this week'", chatCtx("Any outages this  week?"), "freshness"],
    ["'right now' in an earlier user turn", chatCtx("", { body: { messages: [{ role: "user", content: "What time is it right now?" }, { role: "assistant", content: "…" }, { role: "user", content: "And?" }] } }), "freshness"],
    ["a cue only inside code", chatCtx("What does `datetime.now()` return?"), undefined],
    ["a cue inside another word", chatCtx("Is it nowhere documented? Explain knowledge"), undefined],
    ["a cue only in the system prompt", chatCtx("", { body: { messages: [{ role: "system", content: "Today is Monday." }, { role: "user", content: "Hi" }] } }), undefined],
    ["Cache-Control no-cache", chatCtx("Q", { cacheControl: "no-cache" }), "no-cache"],
    ["Cache-Control no-store", chatCtx("Q", { cacheControl: "max-age=0, No-Store" }), "no-cache"],
    ["chat without messages", chatCtx("Q", { body: { messages: [] } }), "unsupported"],
    ["a completions prompt", { tenant: "t", model: "small", kind: "completions", body: { prompt: "Once upon", temperature: 0 } }, undefined],
    ["a completions prompt with a cue", { tenant: "t", model: "small", kind: "completions", body: { prompt: ["news from yesterday"], temperature: 0 } }, "freshness"],
  ])("decides %s", (_name, ctx, expected) => {
    expect(reason(ctx)).toBe(expected);
  });

  it("allows sampled requests when the config says so", () => {
    const c = cacheConfigSchema.parse({ redisUrl: "redis://x:1", bypass: { allowTemperatureAboveZero: true } });
    expect(reason(chatCtx("Q", { body: { temperature: 0.9 } }), c)).toBeUndefined();
  });

  it("reports disabled for a model whose TTL is 0 and when the cache is off", () => {
    const c = cacheConfigSchema.parse({ redisUrl: "redis://x:1", ttlSecondsByModel: { secret: 0 } });
    expect(reason(chatCtx("Q", { model: "secret" }), c)).toBe("disabled");
    expect(reason(chatCtx("Q"), cacheConfigSchema.parse({}))).toBe("disabled");
    expect(reason(chatCtx("Q"), cacheConfigSchema.parse({ redisUrl: "redis://x:1", enabled: false }))).toBe("disabled");
  });

  it("uses custom freshness cues, including none", () => {
    expect(bypassReason(chatCtx("What is the weather forecast?"), config, compileFreshnessCues(["weather forecast"]))).toBe("freshness");
    expect(bypassReason(chatCtx("What happened today?"), config, compileFreshnessCues([]))).toBeUndefined();
  });
});

describe("mayStore", () => {
  it("stores after no-cache (a refresh) but never with no-store", () => {
    expect(mayStore(chatCtx("Q", { cacheControl: "no-cache" }), config, cues)).toBe(true);
    expect(mayStore(chatCtx("Q", { cacheControl: "no-cache, no-store" }), config, cues)).toBe(false);
    expect(mayStore(chatCtx("Q", { body: { temperature: 1 } }), config, cues)).toBe(false);
  });
});

describe("parseCacheControl", () => {
  it("reads directives case-insensitively and ignores the rest", () => {
    expect(parseCacheControl("max-age=0, NO-CACHE")).toEqual({ noCache: true, noStore: false });
    expect(parseCacheControl(undefined)).toEqual({ noCache: false, noStore: false });
  });
});
