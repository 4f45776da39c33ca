/** @module A consecutive-failure circuit breaker, so a dead or stalled Redis costs ~0 per request. */

/** Settings for {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a single probe is allowed. */
  cooldownMs: number;
  /** Clock in ms. */
  now: () => number;
}

/** `closed`: calls go through; `open`: calls are skipped; `half-open`: one probe is in flight. */
export type CircuitState = "closed" | "open" | "half-open";

/**
 * Closed → open after `failureThreshold` consecutive failures; open → half-open after `cooldownMs`,
 * letting exactly one call through; its success closes the circuit, its failure re-opens it.
 */
export class CircuitBreaker {
  private state: CircuitState = "closed";
  private failures = 0;
  private openedAt = 0;
  private readonly opts: CircuitBreakerOptions;

  constructor(opts: CircuitBreakerOptions) {
    this.opts = opts;
  }

  /** Current state (after applying the cooldown). */
  get current(): CircuitState {
    if (this.state === "open" && this.opts.now() - this.openedAt >= this.opts.cooldownMs) return "half-open";
    return this.state;
  }

  /** Whether a call may go out now. In half-open it admits one probe and then refuses until it settles. */
  tryAcquire(): boolean {
    if (this.state === "closed") return true;
    if (this.state === "half-open") return false;
    if (this.opts.now() - this.openedAt < this.opts.cooldownMs) return false;
    this.state = "half-open";
    return true;
  }

  /** Records a success; returns true when it ends a failure streak (the caller reports "recovered"). */
  onSuccess(): boolean {
    const recovered = this.failures > 0 || this.state !== "closed";
    this.failures = 0;
    this.state = "closed";
    return recovered;
  }

  /** Records a failure; returns true when this failure opened the circuit. */
  onFailure(): boolean {
    this.failures++;
    if (this.state === "half-open" || (this.state === "closed" && this.failures >= this.opts.failureThreshold)) {
      const opened = this.state === "closed";
      this.state = "open";
      this.openedAt = this.opts.now();
      return opened;
    }
    return false;
  }
}
