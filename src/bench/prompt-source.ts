/** @module Prompts the bench sends: synthetic ones of a given length, or a JSONL dataset. */
import { readFileSync } from "node:fs";

/** One chat message. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** One prompt to send; `maxTokens` overrides the run's `--max-tokens` for it. */
export interface BenchPrompt {
  messages: ChatMessage[];
  maxTokens?: number;
}

const FILLER = [
  "explain", "how", "a", "cluster", "schedules", "batch", "jobs", "across", "nodes", "with", "limited",
  "memory", "and", "what", "happens", "when", "the", "queue", "grows", "faster", "than", "workers", "drain",
  "it", "during", "peak", "traffic", "hours", "in", "detail", "including", "trade", "offs",
];

/**
 * A synthetic prompt of about `promptTokens` tokens (at ~4 characters per token). Each starts with a
 * unique tag, so a response cache or prefix cache in front of the engine cannot serve it: the bench
 * measures the engine, not the cache.
 */
export function syntheticPrompt(tag: string, promptTokens: number): BenchPrompt {
  const targetChars = promptTokens * 4;
  const words: string[] = [`[${tag}]`];
  let length = words[0]?.length ?? 0;
  for (let i = 0; length < targetChars; i++) {
    const word = FILLER[(i * 7 + tag.length) % FILLER.length] ?? "the";
    words.push(word);
    length += word.length + 1;
  }
  return { messages: [{ role: "user", content: words.join(" ").slice(0, Math.max(targetChars, 1)) }] };
}

/**
 * Reads a JSONL dataset: one object per line with either `"prompt": "text"` or
 * `"messages": [{ "role", "content" }]`, and optionally `"max_tokens": n`. Blank lines are skipped.
 * Throws one Error listing every bad line (up to 10) with its number.
 */
export function loadDataset(path: string): BenchPrompt[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read dataset ${path}: ${(error as Error).message}; pass a readable .jsonl file to --dataset.`);
  }
  const prompts: BenchPrompt[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${path}:${i + 1}`;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${where}: not valid JSON (${(error as Error).message})`);
      return;
    }
    const prompt = parseRow(row);
    if (typeof prompt === "string") problems.push(`${where}: ${prompt}`);
    else prompts.push(prompt);
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join("\n  - ");
    const more = problems.length > 10 ? `\n  … and ${problems.length - 10} more` : "";
    throw new Error(
      `Dataset ${path} has ${problems.length} invalid line(s):\n  - ${shown}${more}\n` +
        'Each line must be {"prompt": "…"} or {"messages": [{"role": "user", "content": "…"}]}, optionally with "max_tokens".',
    );
  }
  if (prompts.length === 0) throw new Error(`Dataset ${path} has no prompts; add one JSON object per line.`);
  return prompts;
}

/** Returns the prompt, or a message saying what is wrong with the row. */
function parseRow(row: unknown): BenchPrompt | string {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return "each line must be a JSON object";
  const { prompt, messages, max_tokens: maxTokens } = row as Record<string, unknown>;
  if (maxTokens !== undefined && (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return `"max_tokens" must be an integer ≥ 1 (got ${JSON.stringify(maxTokens)})`;
  }
  const extra = maxTokens === undefined ? {} : { maxTokens };
  if (typeof prompt === "string" && prompt !== "") return { messages: [{ role: "user", content: prompt }], ...extra };
  if (Array.isArray(messages) && messages.length > 0) {
    const valid = messages.every(
      (m) => typeof m === "object" && m !== null && typeof (m as ChatMessage).role === "string" && typeof (m as ChatMessage).content === "string",
    );
    if (!valid) return '"messages" must be an array of {"role": string, "content": string}';
    return { messages: messages as ChatMessage[], ...extra };
  }
  return 'needs a non-empty "prompt" string or a non-empty "messages" array';
}
