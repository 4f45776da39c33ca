import { describe, expect, it } from "vitest";
import { TierClassifier } from "../../../images/router/src/routing/tier-classifier";
import { DEFAULT_TIER_KEYWORDS } from "../../../images/router/src/config-schema";

const classifier = new TierClassifier({ keywords: DEFAULT_TIER_KEYWORDS, defaultTier: 2, longPromptTokens: 4000, codeTier: 3 });
const chat = (text: string) => ({ messages: [{ role: "system", content: "You summarize." }, { role: "user", content: text }] });

describe("TierClassifier", () => {
  it("sends extraction and formatting to tier 1", () => {
    expect(classifier.classify(chat("Extract the email addresses from this text as JSON"), "chat", 50)).toEqual({ tier: 1, reason: "keyword:extract" });
  });

  it("sends summarizing and translating to tier 2", () => {
    expect(classifier.classify(chat("Translate this paragraph into German"), "chat", 50).tier).toBe(2);
    expect(classifier.classify(chat("TL;DR of the meeting notes below"), "chat", 50).tier).toBe(2);
  });

  it("sends analysis and code to tier 3", () => {
    expect(classifier.classify(chat("Debug why this function leaks memory"), "chat", 50).tier).toBe(3);
    expect(classifier.classify(chat("what does this do?\n```js\nx()\n```"), "chat", 50)).toEqual({ tier: 3, reason: "code-block" });
  });

  it("uses only the last user message, not the system prompt", () => {
    expect(classifier.classify(chat("hello there"), "chat", 10)).toEqual({ tier: 2, reason: "default" });
  });

  it("breaks a tie towards the higher tier", () => {
    expect(classifier.classify(chat("summarize and analyze"), "chat", 10).tier).toBe(3);
  });

  it("matches whole words only", () => {
    expect(classifier.classify(chat("scan the barcode"), "chat", 10).reason).toBe("default");
  });

  it("raises a long tier-1 prompt to tier 2", () => {
    expect(classifier.classify(chat("extract the dates"), "chat", 5000)).toEqual({ tier: 2, reason: "long-prompt" });
  });

  it("classifies completion prompts", () => {
    expect(classifier.classify({ prompt: "Format this as CSV" }, "completions", 10).tier).toBe(1);
  });

  it("reads text parts of multimodal content", () => {
    expect(classifier.classify({ messages: [{ role: "user", content: [{ type: "text", text: "Refactor this module" }] }] }, "chat", 10).tier).toBe(3);
  });
});
