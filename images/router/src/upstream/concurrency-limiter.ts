/**
 * @module Bounded in-flight requests per backend with a bounded FIFO queue. A full queue is an immediate
 * "no" (the caller tries the next target or answers 503 with Retry-After) so load never piles up unbounded.
 */

/** Result of {@link ConcurrencyLimiter.acquire}. */
export type AcquireResult = "acquired" | "queue-full" | "queue-timeout" | "aborted";

interface Waiter {
  resolve: (r: AcquireResult) => void;
  timer: NodeJS.Timeout;
  settled: boolean;
}

/** Counts in-flight requests and parks excess ones in a bounded queue. */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private head = 0;

  constructor(
    private readonly maxInFlight: number,
    private readonly maxQueue: number,
  ) {}

  /** Requests holding a slot. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiters.length - this.head;
  }

  /** Takes a slot now if one is free (the hot path: no promise, no timer). */
  tryAcquire(): boolean {
    if (this.active < this.maxInFlight && this.queued === 0) {
      this.active++;
      return true;
    }
    return false;
  }

  /** Whether a call to {@link acquire} would queue rather than be refused. */
  canQueue(): boolean {
    return this.queued < this.maxQueue;
  }

  /** Waits for a slot for at most `timeoutMs`; refuses at once when the queue is full. */
  acquire(timeoutMs: number, signal?: AbortSignal): Promise<AcquireResult> {
    if (this.tryAcquire()) return Promise.resolve("acquired");
    if (!this.canQueue()) return Promise.resolve("queue-full");
    return new Promise<AcquireResult>((resolve) => {
      const w: Waiter = {
        settled: false,
        resolve: (r) => {
          if (w.settled) return;
          w.settled = true;
          clearTimeout(w.timer);
          signal?.removeEventListener("abort", onAbort);
          resolve(r);
        },
        timer: setTimeout(() => { this.drop(w); w.resolve("queue-timeout"); }, timeoutMs),
      };
      const onAbort = (): void => { this.drop(w); w.resolve("aborted"); };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  /** Returns a slot; hands it straight to the oldest waiter if any. */
  release(): void {
    while (this.head < this.waiters.length) {
      const w = this.waiters[this.head++]!;
      if (w.settled) continue;
      this.compact();
      w.resolve("acquired");
      return;
    }
    this.compact();
    this.active = Math.max(0, this.active - 1);
  }

  private drop(w: Waiter): void {
    const i = this.waiters.indexOf(w, this.head);
    if (i !== -1) this.waiters.splice(i, 1);
  }

  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.waiters.length) {
      this.waiters.splice(0, this.head);
      this.head = 0;
    }
    if (this.head === this.waiters.length) {
      this.waiters.length = 0;
      this.head = 0;
    }
  }
}
