/** @module Continuous-batching scheduler of the simulator: one timer loop drives every sequence. */
import type { SimulatorProfile } from "./simulator-options";

/** Why a sequence ended, as vLLM's `finished_reason` label spells it. */
export type FinishReason = "stop" | "length" | "abort";

/** What the caller asks the engine to run. */
export interface SequenceRequest {
  /** Prompt length in tokens (prefill work and KV use). */
  promptTokens: number;
  /** Tokens to generate; the sequence then ends with `finishReason`. */
  outputTokens: number;
  /** Reason reported when all `outputTokens` are out. */
  finishReason: "stop" | "length";
  /** Pause after the first token, in ms (failure injection); 0 for none. */
  stallMs: number;
  /** Called once per generated token, in order, with its 0-based index. */
  onToken(index: number): void;
  /** Called once when the sequence ends, normally or by {@link EngineScheduler.abort}. */
  onFinish(reason: FinishReason): void;
}

/** Timings of a finished sequence in ms, on the scheduler's logical clock. */
export interface FinishedSequence {
  reason: FinishReason;
  promptTokens: number;
  outputTokens: number;
  /** Tokens actually generated (less than `outputTokens` when aborted). */
  generatedTokens: number;
  queueMs: number;
  prefillMs: number;
  decodeMs: number;
  /** Time to first token; null when aborted before it. */
  ttftMs: number | null;
  e2eMs: number;
}

/** Hooks the metrics use; all optional. */
export interface SchedulerObserver {
  /** After each step: prompt tokens prefilled and tokens generated in it. */
  onIteration?(promptTokens: number, generationTokens: number): void;
  onInterTokenLatency?(ms: number): void;
  onFinish?(sequence: FinishedSequence): void;
}

interface Sequence {
  readonly request: SequenceRequest;
  readonly id: number;
  state: "waiting" | "prefill" | "decode" | "done";
  /** Prompt tokens prefilled so far (chunked prefill spreads them over steps). */
  prefilled: number;
  emitted: number;
  pausedUntil: number;
  readonly arrivedAt: number;
  admittedAt: number;
  firstTokenAt: number;
  lastTokenAt: number;
}

interface Step {
  endsAt: number;
  /** Sequences prefilling in this step, with the prompt tokens each gets. */
  prefill: Array<{ sequence: Sequence; tokens: number }>;
  decode: Sequence[];
}

/**
 * A late timer (a busy event loop, a loaded machine) is caught up step by step, which keeps the
 * configured average rate exact; past this lag the timeline restarts from now instead, so a long
 * pause (a debugger, a suspended process) does not end in a burst of thousands of tokens.
 */
const MAX_CATCH_UP_MS = 250;

/**
 * Emulates vLLM's engine loop. Each step decodes one token for every running sequence, then spends
 * what is left of the token budget (`maxNumBatchedTokens`, unlimited when unset) on prompts:
 * sequences already prefilling first, then waiting ones admitted FIFO while fewer than `maxNumSeqs`
 * run and their prompt + output fits the KV cache. A step lasts
 * `decodeMsPerToken × (1 + batchSlowdownPerSeq × (decoding − 1)) + prefillTokens / prefillTokensPerSecond`,
 * so prefill delays the batch's next token, by at most one budget's worth with chunked prefill.
 * A sequence's first token comes at the end of the step that finishes its prompt.
 * One timer serves all sequences, so hundreds of streams cost one wake-up per step.
 */
export class EngineScheduler {
  private readonly waiting: Sequence[] = [];
  private readonly running = new Set<Sequence>();
  private step: Step | undefined;
  private nextStartAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private reservedKv = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly profile: SimulatorProfile,
    private readonly observer: SchedulerObserver = {},
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Queues a sequence; returns its id for {@link abort}. */
  submit(request: SequenceRequest): number {
    const sequence: Sequence = {
      request,
      id: this.nextId++,
      state: "waiting",
      prefilled: 0,
      emitted: 0,
      pausedUntil: 0,
      arrivedAt: this.clock(),
      admittedAt: 0,
      firstTokenAt: 0,
      lastTokenAt: 0,
    };
    this.waiting.push(sequence);
    if (this.step === undefined) this.wakeSoon();
    return sequence.id;
  }

  /** Ends a sequence early (client gone, injected disconnect); frees its slot and KV. */
  abort(id: number): void {
    const index = this.waiting.findIndex((s) => s.id === id);
    if (index >= 0) {
      const [sequence] = this.waiting.splice(index, 1);
      if (sequence) this.finish(sequence, "abort", this.clock());
      return;
    }
    for (const sequence of this.running) {
      if (sequence.id === id) this.finish(sequence, "abort", this.clock());
    }
  }

  /** Sequences in the batch (prefilling or decoding). */
  get runningCount(): number {
    return this.running.size;
  }

  /** Sequences queued for a batch slot. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** KV-cache use in [0, 1]: prompt + generated tokens of running sequences over capacity. */
  get kvCacheUsage(): number {
    let used = 0;
    for (const s of this.running) used += s.prefilled + s.emitted;
    return Math.min(1, used / this.profile.kvCacheTokens);
  }

  /** Stops the loop and aborts every sequence (server shutdown). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    const now = this.clock();
    for (const s of [...this.waiting, ...this.running]) this.finish(s, "abort", now);
    this.waiting.length = 0;
  }

  private wakeSoon(): void {
    // setImmediate groups requests arriving in the same I/O turn into one step, like vLLM's busy loop.
    if (this.immediate === undefined && !this.closed) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.tick();
      });
    }
  }

  private tick(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.clock();
    if (this.step !== undefined) {
      if (this.step.endsAt > now) return this.arm(this.step.endsAt - now);
      this.complete(this.step);
      this.nextStartAt = now - this.step.endsAt > MAX_CATCH_UP_MS ? now : this.step.endsAt;
      this.step = undefined;
    }
    for (;;) {
      const startAt = this.nextStartAt ?? now;
      const step = this.begin(startAt);
      if (step === undefined) {
        this.nextStartAt = undefined;
        const resumeAt = this.earliestResume();
        if (resumeAt !== undefined) this.arm(resumeAt - now);
        return;
      }
      if (step.endsAt > now) {
        this.step = step;
        return this.arm(step.endsAt - now);
      }
      this.complete(step);
      this.nextStartAt = step.endsAt;
    }
  }

  private arm(delayMs: number): void {
    // Timers count whole milliseconds: rounding up never wakes before the step ends (an early wake
    // would re-arm with a sub-millisecond delay); any lateness is caught up by the logical clock.
    this.timer = setTimeout(() => this.tick(), Math.max(1, Math.ceil(delayMs)));
  }

  private begin(startAt: number): Step | undefined {
    const { maxNumSeqs, kvCacheTokens, maxNumBatchedTokens } = this.profile;
    const decode = [...this.running].filter((s) => s.state === "decode" && s.pausedUntil <= startAt);
    // vLLM counts each decoding sequence's token against the step's budget before any prompt.
    let budget = (maxNumBatchedTokens ?? Number.POSITIVE_INFINITY) - decode.length;
    const prefill: Step["prefill"] = [];
    const take = (sequence: Sequence): void => {
      const tokens = Math.min(sequence.request.promptTokens - sequence.prefilled, budget);
      prefill.push({ sequence, tokens });
      budget -= tokens;
    };
    for (const s of this.running) {
      if (budget <= 0) break;
      if (s.state === "prefill") take(s);
    }
    while (budget > 0 && this.waiting.length > 0 && this.running.size < maxNumSeqs) {
      const head = this.waiting[0] as Sequence;
      const need = head.request.promptTokens + head.request.outputTokens;
      if (this.reservedKv + need > kvCacheTokens && this.running.size > 0) break;
      this.waiting.shift();
      head.state = "prefill";
      head.admittedAt = startAt;
      this.reservedKv += need;
      this.running.add(head);
      take(head);
    }
    if (prefill.length === 0 && decode.length === 0) return undefined;
    const { decodeMsPerToken, batchSlowdownPerSeq, prefillTokensPerSecond } = this.profile;
    const decodeMs = decode.length > 0 ? decodeMsPerToken * (1 + batchSlowdownPerSeq * (decode.length - 1)) : 0;
    const prefillTokens = prefill.reduce((sum, p) => sum + p.tokens, 0);
    const prefillMs = (prefillTokens / prefillTokensPerSecond) * 1000;
    return { endsAt: startAt + decodeMs + prefillMs, prefill, decode };
  }

  private complete(step: Step): void {
    const at = step.endsAt;
    let promptTokens = 0;
    let generationTokens = 0;
    for (const { sequence: s, tokens } of step.prefill) {
      if (s.state !== "prefill") continue;
      s.prefilled += tokens;
      promptTokens += tokens;
      if (s.prefilled < s.request.promptTokens) continue;
      s.state = "decode";
      s.firstTokenAt = at;
      if (s.request.stallMs > 0) s.pausedUntil = at + s.request.stallMs;
      generationTokens += 1;
      this.emit(s, at);
    }
    for (const s of step.decode) {
      if (s.state !== "decode") continue;
      this.observer.onInterTokenLatency?.(at - s.lastTokenAt);
      generationTokens += 1;
      this.emit(s, at);
    }
    this.observer.onIteration?.(promptTokens, generationTokens);
  }

  private emit(sequence: Sequence, at: number): void {
    const index = sequence.emitted++;
    sequence.lastTokenAt = at;
    sequence.request.onToken(index);
    // onToken may have aborted the sequence (injected disconnect).
    if (sequence.state !== "done" && sequence.emitted >= sequence.request.outputTokens) {
      this.finish(sequence, sequence.request.finishReason, at);
    }
  }

  private earliestResume(): number | undefined {
    let earliest: number | undefined;
    for (const s of this.running) {
      if (s.state === "decode" && (earliest === undefined || s.pausedUntil < earliest)) earliest = s.pausedUntil;
    }
    return earliest;
  }

  private finish(sequence: Sequence, reason: FinishReason, at: number): void {
    if (sequence.state === "done") return;
    const admitted = sequence.state !== "waiting";
    sequence.state = "done";
    if (this.running.delete(sequence)) {
      this.reservedKv -= sequence.request.promptTokens + sequence.request.outputTokens;
    }
    const started = sequence.emitted > 0;
    const admittedAt = admitted ? sequence.admittedAt : at;
    this.observer.onFinish?.({
      reason,
      promptTokens: sequence.request.promptTokens,
      outputTokens: sequence.request.outputTokens,
      generatedTokens: sequence.emitted,
      queueMs: admittedAt - sequence.arrivedAt,
      prefillMs: started ? sequence.firstTokenAt - admittedAt : at - admittedAt,
      decodeMs: started ? sequence.lastTokenAt - sequence.firstTokenAt : 0,
      ttftMs: started ? sequence.firstTokenAt - sequence.arrivedAt : null,
      e2eMs: at - sequence.arrivedAt,
    });
    sequence.request.onFinish(reason);
  }
}
