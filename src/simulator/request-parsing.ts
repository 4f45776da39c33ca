/** @module Validates OpenAI request bodies the way vLLM does and turns them into engine work. */
import { ApiError, badRequest } from "./api-error";
import { estimateTokens } from "./pseudo-text";

/** A validated chat or text completion request. */
export interface GenerationRequest {
  kind: "chat" | "completion";
  /** Prompt text the token estimate and the generated words derive from. */
  promptText: string;
  promptTokens: number;
  /** `max_completion_tokens ?? max_tokens`; undefined lets the answer end naturally. */
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
}

/** A validated embeddings request. */
export interface EmbeddingRequest {
  inputs: string[];
  tokenCounts: number[];
  encoding: "float" | "base64";
  dimensions: number;
}

/** Limits the parser checks against. */
export interface ParseLimits {
  modelName: string;
  maxModelLen: number;
  embeddingDimensions: number;
}

type Body = Record<string, unknown>;

function asBody(body: unknown): Body {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest("The request body must be a JSON object.");
  }
  return body as Body;
}

function checkModel(body: Body, limits: ParseLimits): void {
  // vLLM accepts a missing model (it serves one) but answers 404 for any other name.
  if (body.model !== undefined && body.model !== limits.modelName) {
    throw new ApiError(404, `The model \`${String(body.model)}\` does not exist.`, "NotFoundError", "model");
  }
}

function optionalPositiveInt(body: Body, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw badRequest(`${field} must be an integer ≥ 1 (got ${JSON.stringify(value)}).`, field);
  }
  return value;
}

function messageText(message: unknown, index: number): string {
  if (typeof message !== "object" || message === null || typeof (message as Body).role !== "string") {
    throw badRequest(`messages[${index}] must be an object with a string "role".`, "messages");
  }
  const { role, content } = message as Body;
  if (content === undefined || content === null) return `${String(role)}:`;
  if (typeof content === "string") return `${String(role)}: ${content}`;
  if (Array.isArray(content)) {
    const texts = content.map((part) => (typeof part === "object" && part !== null && typeof (part as Body).text === "string" ? (part as Body).text : ""));
    return `${String(role)}: ${texts.join("\n")}`;
  }
  throw badRequest(`messages[${index}].content must be a string, an array of parts or null.`, "messages");
}

function completionPrompt(prompt: unknown): { text: string; tokens: number } {
  if (typeof prompt === "string") return { text: prompt, tokens: estimateTokens(prompt) };
  if (Array.isArray(prompt) && prompt.length > 0 && prompt.every((t) => Number.isInteger(t))) {
    return { text: prompt.join(" "), tokens: prompt.length };
  }
  if (Array.isArray(prompt) && prompt.length === 1) return completionPrompt(prompt[0]);
  if (Array.isArray(prompt) && prompt.length > 1) {
    throw badRequest(`The simulator takes one prompt per request (got ${prompt.length}); send them as separate requests.`, "prompt");
  }
  throw badRequest("prompt must be a string, an array of token ids, or a one-element array of those.", "prompt");
}

/** Parses `/v1/chat/completions` and `/v1/completions` bodies; throws {@link ApiError} on invalid input. */
export function parseGenerationRequest(kind: "chat" | "completion", raw: unknown, limits: ParseLimits): GenerationRequest {
  const body = asBody(raw);
  checkModel(body, limits);
  let promptText: string;
  let promptTokens: number;
  if (kind === "chat") {
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      throw badRequest("messages must be a non-empty array.", "messages");
    }
    promptText = body.messages.map(messageText).join("\n");
    promptTokens = Math.max(1, estimateTokens(promptText));
  } else {
    ({ text: promptText, tokens: promptTokens } = completionPrompt(body.prompt));
  }
  const n = body.n ?? 1;
  if (n !== 1) throw badRequest(`The simulator supports n=1 only (got n=${JSON.stringify(n)}).`, "n");
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    throw badRequest(`stream must be a boolean (got ${JSON.stringify(body.stream)}).`, "stream");
  }
  const stream = body.stream === true;
  const options = body.stream_options;
  if (options !== undefined && options !== null && !stream) {
    throw badRequest("Stream options can only be defined when `stream=True`.", "stream_options");
  }
  const includeUsage = stream && typeof options === "object" && options !== null && (options as Body).include_usage === true;
  const maxTokens = optionalPositiveInt(body, "max_completion_tokens") ?? optionalPositiveInt(body, "max_tokens");
  const { maxModelLen } = limits;
  if (promptTokens >= maxModelLen) {
    throw badRequest(
      `This model's maximum context length is ${maxModelLen} tokens. However, your request has ${promptTokens} input tokens. ` +
        "Please reduce the length of the input messages.",
    );
  }
  if (maxTokens !== undefined && promptTokens + maxTokens > maxModelLen) {
    throw badRequest(
      `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${promptTokens + maxTokens} tokens ` +
        `(${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
    );
  }
  return { kind, promptText, promptTokens, maxTokens, stream, includeUsage };
}

/** Parses a `/v1/embeddings` body; throws {@link ApiError} on invalid input. */
export function parseEmbeddingRequest(raw: unknown, limits: ParseLimits): EmbeddingRequest {
  const body = asBody(raw);
  checkModel(body, limits);
  const input = body.input;
  let inputs: Array<string | number[]>;
  if (typeof input === "string") inputs = [input];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => Number.isInteger(x))) inputs = [input as number[]];
  else if (Array.isArray(input) && input.length > 0) inputs = input as Array<string | number[]>;
  else throw badRequest("input must be a string, an array of strings, or token-id arrays, and not empty.", "input");
  const texts: string[] = [];
  const tokenCounts: number[] = [];
  inputs.forEach((item, i) => {
    if (typeof item === "string") {
      texts.push(item);
      tokenCounts.push(estimateTokens(item));
    } else if (Array.isArray(item) && item.every((x) => Number.isInteger(x))) {
      texts.push(item.join(" "));
      tokenCounts.push(item.length);
    } else {
      throw badRequest(`input[${i}] must be a string or an array of token ids.`, "input");
    }
    const tokens = tokenCounts[i] ?? 0;
    if (tokens > limits.maxModelLen) {
      throw badRequest(
        `This model's maximum context length is ${limits.maxModelLen} tokens. However, input[${i}] has ${tokens} tokens. Please shorten it.`,
        "input",
      );
    }
  });
  const encoding = body.encoding_format ?? "float";
  if (encoding !== "float" && encoding !== "base64") {
    throw badRequest(`encoding_format must be "float" or "base64" (got ${JSON.stringify(encoding)}).`, "encoding_format");
  }
  const dimensions = body.dimensions ?? limits.embeddingDimensions;
  if (typeof dimensions !== "number" || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > limits.embeddingDimensions) {
    throw badRequest(
      `dimensions must be an integer from 1 to ${limits.embeddingDimensions} (got ${JSON.stringify(dimensions)}).`,
      "dimensions",
    );
  }
  return { inputs: texts, tokenCounts, encoding, dimensions };
}
