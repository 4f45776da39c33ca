/**
 * @module Per-key requests/min and tokens/min, in memory (per router replica: with N replicas a key gets up to
 * N× its limit). Sliding-window estimate from two fixed one-minute windows (Cloudflare's approach): O(1) memory
 * and time per key.
 */
import { RouterError } from "./errors";
import type { Caller } from "./auth";

const WINDOW_MS = 60_000;

class SlidingWindow {
  private start = 0;
  private prev = 0;
  private curr = 0;

  /** Estimated use over the last minute at `now`. */
  used(now: number): number {
    this.roll(now);
    return this.prev * (1 - (now - this.start) / WINDOW_MS) + this.curr;
  }

  add(n: number, now: number): void {
    this.roll(now);
    this.curr += n;
  }

  /** Seconds until the current window rolls over (an upper bound on the wait). */
  resetSec(now: number): number {
    return Math.max(1, Math.ceil((this.start + WINDOW_MS - now) / 1000));
  }

  private roll(now: number): void {
    if (now - this.start >= 2 * WINDOW_MS) {
      this.prev = 0;
      this.curr = 0;
      this.start = now - ((now - this.start) % WINDOW_MS);
    } else if (now - this.start >= WINDOW_MS) {
      this.prev = this.curr;
      this.curr = 0;
      this.start += WINDOW_MS;
    }
  }
}

/** Per-key request and token windows. */
export class RateLimiter {
  private readonly keys = new Map<string, { req: SlidingWindow; tok: SlidingWindow }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Admits one request for the caller or throws a 429 {@link RouterError} (`type` "requests" or "tokens", with
   * `Retry-After` and `x-ratelimit-*` headers). Counts the request when admitted.
   */
  admit(caller: Caller, promptTokens: number): void {
    const { rpm, tpm } = caller.limits ?? {};
    if (rpm === undefined && tpm === undefined) return;
    const t = this.now();
    const w = this.window(caller.keyId);
    if (rpm !== undefined) {
      const used = w.req.used(t);
      if (used + 1 > rpm) {
        const reset = w.req.resetSec(t);
        throw new RouterError("rate_limit_exceeded", `Rate limit reached for key ${caller.keyId} of tenant "${caller.tenant}" on requests per min (RPM): Limit ${rpm}, Used ${Math.ceil(used)}. Try again in ${reset}s, or ask the operator to raise tenants[].rpm.`, {
          type: "requests", retryAfterSec: reset,
          headers: ["x-ratelimit-limit-requests", String(rpm), "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", `${reset}s`],
        });
      }
    }
    if (tpm !== undefined) {
      const used = w.tok.used(t);
      if (used + promptTokens > tpm) {
        const reset = w.tok.resetSec(t);
        const hint = promptTokens > tpm ? ` This request alone needs about ${promptTokens} tokens, more than the whole limit; shorten it or ask the operator to raise tenants[].tpm.` : ` Try again in ${reset}s.`;
        throw new RouterError("rate_limit_exceeded", `Rate limit reached for key ${caller.keyId} of tenant "${caller.tenant}" on tokens per min (TPM): Limit ${tpm}, Used ${Math.ceil(used)}, Requested ${promptTokens}.${hint}`, {
          type: "tokens", retryAfterSec: reset,
          headers: ["x-ratelimit-limit-tokens", String(tpm), "x-ratelimit-remaining-tokens", String(Math.max(0, Math.floor(tpm - used))), "x-ratelimit-reset-tokens", `${reset}s`],
        });
      }
    }
    if (rpm !== undefined) w.req.add(1, t);
  }

  /** Charges the tokens a finished request used (prompt + completion) to the caller's key. */
  charge(caller: Caller, tokens: number): void {
    if (caller.limits?.tpm === undefined || tokens <= 0) return;
    this.window(caller.keyId).tok.add(tokens, this.now());
  }

  private window(keyId: string): { req: SlidingWindow; tok: SlidingWindow } {
    let w = this.keys.get(keyId);
    if (!w) {
      w = { req: new SlidingWindow(), tok: new SlidingWindow() };
      this.keys.set(keyId, w);
    }
    return w;
  }
}
