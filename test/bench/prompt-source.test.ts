import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDataset } from "../../src/bench";
import { syntheticPrompt } from "../../src/bench/prompt-source";
import { estimateTokens } from "../../src/simulator";

const dir = mkdtempSync(join(tmpdir(), "shoestring-dataset-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("prompt sources", () => {
  it("builds synthetic prompts of the requested size that differ per tag", () => {
    const a = syntheticPrompt("run-1", 300);
    const b = syntheticPrompt("run-2", 300);
    const text = a.messages[0]?.content ?? "";
    expect(estimateTokens(text)).toBe(300);
    expect(text.startsWith("[run-1] ")).toBe(true);
    expect(a.messages[0]?.content).not.toBe(b.messages[0]?.content);
  });

  it("reads prompt and messages lines, skipping blank lines", () => {
    const path = file("ok.jsonl", '{"prompt":"hi","max_tokens":5}\n\n{"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"yo"}]}\n');
    expect(loadDataset(path)).toEqual([
      { messages: [{ role: "user", content: "hi" }], maxTokens: 5 },
      { messages: [{ role: "system", content: "be brief" }, { role: "user", content: "yo" }] },
    ]);
  });

  it("lists every bad line with its number and the expected shape", () => {
    const path = file("bad.jsonl", '{"prompt":"ok"}\nnot json\n{"messages":[]}\n{"prompt":"x","max_tokens":0}\n');
    expect(() => loadDataset(path)).toThrow(
      `Dataset ${path} has 3 invalid line(s):\n` +
        `  - ${path}:2: not valid JSON (Unexpected token 'o', "not json" is not valid JSON)\n` +
        `  - ${path}:3: needs a non-empty "prompt" string or a non-empty "messages" array\n` +
        `  - ${path}:4: "max_tokens" must be an integer ≥ 1 (got 0)\n` +
        'Each line must be {"prompt": "…"} or {"messages": [{"role": "user", "content": "…"}]}, optionally with "max_tokens".',
    );
  });

  it("explains a missing file and an empty one", () => {
    expect(() => loadDataset(join(dir, "nope.jsonl"))).toThrow(/^Cannot read dataset .*nope\.jsonl: ENOENT.*; pass a readable \.jsonl file to --dataset\.$/);
    const empty = file("empty.jsonl", "\n\n");
    expect(() => loadDataset(empty)).toThrow(`Dataset ${empty} has no prompts; add one JSON object per line.`);
  });
});
