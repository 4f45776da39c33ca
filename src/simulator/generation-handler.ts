/** @module Runs one chat/text completion through the scheduler and writes JSON or SSE back. */
import type { ServerResponse } from "node:http";
import type { EngineScheduler, FinishReason } from "./engine-scheduler";
import {
  chatChunk,
  chatCompletion,
  sseEvent,
  textChunk,
  textCompletion,
  usage,
  type ResponseHead,
} from "./openai-bodies";
import { createWordStream, naturalLength } from "./pseudo-text";
import type { GenerationRequest } from "./request-parsing";

/** Failure decisions drawn for one request. @internal */
export interface RequestFaults {
  /** Cut the connection after this many tokens; undefined for no cut. */
  disconnectAfterTokens: number | undefined;
  /** Pause after the first token, ms (0 for none). */
  stallMs: number;
}

/** What the handler needs from the simulator. @internal */
export interface GenerationContext {
  scheduler: EngineScheduler;
  seed: number;
  maxModelLen: number;
  head: ResponseHead;
  /** Called when an injected disconnect fires. */
  onDisconnect(): void;
}

/** Streams (or collects) the generated words of `request` into `res`. @internal */
export function runGeneration(request: GenerationRequest, res: ServerResponse, faults: RequestFaults, ctx: GenerationContext): void {
  const { head, scheduler } = ctx;
  const capped = request.maxTokens !== undefined;
  const outputTokens = request.maxTokens ?? Math.min(naturalLength(ctx.seed, request.promptText), ctx.maxModelLen - request.promptTokens);
  const nextWord = createWordStream(ctx.seed, request.promptText);
  const isChat = request.kind === "chat";
  const words: string[] = [];
  let done = false;

  if (faults.disconnectAfterTokens === 0) {
    ctx.onDisconnect();
    res.destroy();
    return;
  }
  if (request.stream) {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    res.flushHeaders();
  }

  let cutting = false;
  const onToken = (index: number): void => {
    const word = nextWord();
    words.push(word);
    cutting = faults.disconnectAfterTokens !== undefined && index + 1 >= faults.disconnectAfterTokens;
    if (request.stream) {
      const finish = index === outputTokens - 1 ? (capped ? "length" : "stop") : null;
      let events = "";
      if (isChat) {
        if (index === 0) events += sseEvent(chatChunk(head, { role: "assistant", content: "" }, null, request.includeUsage));
        events += sseEvent(chatChunk(head, { content: word }, finish, request.includeUsage));
      } else {
        events += sseEvent(textChunk(head, word, finish, request.includeUsage));
      }
      // An injected cut destroys the socket only once this token is flushed, so the client sees it.
      res.write(events, cutting ? () => res.destroy() : undefined);
    } else if (cutting) {
      res.destroy();
    }
    if (cutting) {
      ctx.onDisconnect();
      scheduler.abort(id);
    }
  };

  const onFinish = (reason: FinishReason): void => {
    done = true;
    if (reason === "abort") {
      if (!cutting && !res.destroyed) res.destroy();
      return;
    }
    const use = usage(request.promptTokens, words.length);
    if (request.stream) {
      if (request.includeUsage) {
        res.write(sseEvent(isChat ? chatChunk(head, null, null, true, use) : textChunk(head, null, null, true, use)));
      }
      res.end(sseEvent("[DONE]"));
      return;
    }
    const body = isChat ? chatCompletion(head, words.join(""), reason, use) : textCompletion(head, words.join(""), reason, use);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const id = scheduler.submit({
    promptTokens: request.promptTokens,
    outputTokens,
    finishReason: capped ? "length" : "stop",
    stallMs: faults.stallMs,
    onToken,
    onFinish,
  });
  // A client that goes away frees its batch slot, as vLLM aborts the request.
  res.on("close", () => {
    if (!done) scheduler.abort(id);
  });
}
