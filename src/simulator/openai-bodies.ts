/** @module Response bodies in the exact shapes the OpenAI API (and vLLM) send. @internal */

/** Token counts of one request. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** What every body of one response shares. */
export interface ResponseHead {
  id: string;
  created: number;
  model: string;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/** Non-stream `chat.completion`. */
export function chatCompletion(head: ResponseHead, content: string, finishReason: string, use: Usage) {
  return {
    id: head.id,
    object: "chat.completion",
    created: head.created,
    model: head.model,
    choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: finishReason }],
    usage: use,
  };
}

/**
 * One `chat.completion.chunk`. With `include_usage`, OpenAI sends `usage: null` on every chunk and
 * the totals on a last chunk whose `choices` is empty; `delta` is null for that usage-only chunk.
 */
export function chatChunk(
  head: ResponseHead,
  delta: { role?: "assistant"; content?: string } | null,
  finishReason: string | null,
  includeUsage: boolean,
  use: Usage | null = null,
) {
  return {
    id: head.id,
    object: "chat.completion.chunk",
    created: head.created,
    model: head.model,
    choices: delta === null ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: use } : {}),
  };
}

/** Non-stream `text_completion`. */
export function textCompletion(head: ResponseHead, text: string, finishReason: string, use: Usage) {
  return {
    id: head.id,
    object: "text_completion",
    created: head.created,
    model: head.model,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null }],
    usage: use,
  };
}

/** One streamed `text_completion` chunk; `text === null` makes the usage-only last chunk. */
export function textChunk(
  head: ResponseHead,
  text: string | null,
  finishReason: string | null,
  includeUsage: boolean,
  use: Usage | null = null,
) {
  return {
    id: head.id,
    object: "text_completion",
    created: head.created,
    model: head.model,
    choices: text === null ? [] : [{ index: 0, text, logprobs: null, finish_reason: finishReason, stop_reason: null }],
    ...(includeUsage ? { usage: use } : {}),
  };
}

/** `/v1/embeddings` list. */
export function embeddingList(model: string, embeddings: Array<number[] | string>, promptTokens: number) {
  return {
    object: "list",
    data: embeddings.map((embedding, index) => ({ object: "embedding", index, embedding })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** `/v1/models` with the one served model, with vLLM's extra `max_model_len`. */
export function modelList(model: string, created: number, maxModelLen: number) {
  return {
    object: "list",
    data: [{ id: model, object: "model", created, owned_by: "vllm", root: model, parent: null, max_model_len: maxModelLen }],
  };
}

/** One Server-Sent Event; the blank line that ends it is what SSE clients split on. */
export function sseEvent(payload: unknown): string {
  return `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
}
