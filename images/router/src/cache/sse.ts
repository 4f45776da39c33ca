/**
 * @module Replays a stored completion as a Server-Sent Events body the `openai` SDK accepts:
 * `data: <json>\n\n` framing (a single `\n` silently drops chunks in the SDK, toolbox.md §9) and a
 * closing `data: [DONE]\n\n`.
 */

/** Options for {@link completionToSse}. */
export interface CompletionToSseOptions {
  /** Emit `usage: null` on every chunk and a final `choices: []` chunk with the usage, like `stream_options.include_usage`. @default false */
  includeUsage?: boolean;
}

const frame = (obj: unknown): string => `data: ${JSON.stringify(obj)}\n\n`;

function choicesOf(completion: Record<string, unknown>): Record<string, unknown>[] {
  const choices = completion.choices;
  if (!Array.isArray(choices)) return [];
  return choices.filter((c): c is Record<string, unknown> => typeof c === "object" && c !== null);
}

function chatFrames(completion: Record<string, unknown>, base: Record<string, unknown>): string[] {
  const out: string[] = [];
  const choices = choicesOf(completion);
  choices.forEach((choice, i) => {
    const index = typeof choice.index === "number" ? choice.index : i;
    const message = (choice.message ?? {}) as Record<string, unknown>;
    const delta: Record<string, unknown> = { role: typeof message.role === "string" ? message.role : "assistant" };
    // Carry every text field (content, refusal, vLLM's reasoning_content/reasoning) so nothing is lost on replay.
    for (const [k, v] of Object.entries(message)) if (k !== "role" && (typeof v === "string" || v === null)) delta[k] = v;
    if (typeof delta.content !== "string") delta.content = "";
    out.push(frame({ ...base, choices: [{ index, delta, logprobs: choice.logprobs ?? null, finish_reason: null }] }));
  });
  choices.forEach((choice, i) => {
    const index = typeof choice.index === "number" ? choice.index : i;
    out.push(frame({ ...base, choices: [{ index, delta: {}, logprobs: null, finish_reason: choice.finish_reason ?? "stop" }] }));
  });
  return out;
}

function completionFrames(completion: Record<string, unknown>, base: Record<string, unknown>): string[] {
  const out: string[] = [];
  const choices = choicesOf(completion);
  choices.forEach((choice, i) => {
    const index = typeof choice.index === "number" ? choice.index : i;
    const text = typeof choice.text === "string" ? choice.text : "";
    out.push(frame({ ...base, choices: [{ index, text, logprobs: choice.logprobs ?? null, finish_reason: null }] }));
  });
  choices.forEach((choice, i) => {
    const index = typeof choice.index === "number" ? choice.index : i;
    out.push(frame({ ...base, choices: [{ index, text: "", logprobs: null, finish_reason: choice.finish_reason ?? "stop" }] }));
  });
  return out;
}

/**
 * Full SSE text for a stored `chat.completion` (as `chat.completion.chunk` frames) or
 * `text_completion` (as `text_completion` frames), ending with `data: [DONE]`.
 * @example
 * res.writeHead(200, { "content-type": "text/event-stream" }).end(completionToSse(hit.completion, { includeUsage: true }));
 */
export function completionToSse(completion: Record<string, unknown>, opts: CompletionToSseOptions = {}): string {
  const chat = completion.object !== "text_completion";
  const base: Record<string, unknown> = {
    id: completion.id,
    object: chat ? "chat.completion.chunk" : "text_completion",
    created: completion.created,
    model: completion.model,
  };
  if (completion.system_fingerprint !== undefined) base.system_fingerprint = completion.system_fingerprint;
  if (opts.includeUsage) base.usage = null;
  const frames = chat ? chatFrames(completion, base) : completionFrames(completion, base);
  if (opts.includeUsage) frames.push(frame({ ...base, choices: [], usage: completion.usage ?? null }));
  frames.push("data: [DONE]\n\n");
  return frames.join("");
}
