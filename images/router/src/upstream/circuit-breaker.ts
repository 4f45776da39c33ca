/**
 * @module Per-backend circuit breaker: rolling error ratio with a minimum request count, a cooldown, and a
 * single half-open probe (routers.md §7.3: LiteLLM ≥50 % with ≥5 req/min and 5 s cooldown, Helicone 10 % over
 * 60 s with ≥20, Portkey cooldown ≥30 s with minimum_requests). A 429 with `Retry-After` parks the backend for
 * that long without counting as a failure of the model server.
 */

/** Breaker settings (config `breaker`). */
export interface BreakerOptions {
  /** Failure share in the window that opens the breaker (0–1]. */
  errorRatio: number;
  /** Requests in the window before it may open. */
  minRequests: number;
  /** Rolling window in ms. */
  windowMs: number;
  /** Open time before a half-open probe, in ms. */
  cooldownMs: number;
}

/** closed: traffic flows; open: rejected until cooldown ends; half-open: one probe decides. */
export type BreakerState = "closed" | "open" | "half-open";

const BUCKETS = 10;

/** A rolling-window circuit breaker for one backend. */
export class CircuitBreaker {
  private readonly ok = new Array<number>(BUCKETS).fill(0);
  private readonly fail = new Array<number>(BUCKETS).fill(0);
  private bucketStart = 0;
  private bucketIdx = 0;
  private readonly bucketMs: number;
  private openedAt = 0;
  private probeInFlight = false;
  private parkedUntil = 0;
  /** Current state (read-only outside). */
  state: BreakerState = "closed";

  constructor(
    private readonly opts: BreakerOptions,
    private readonly now: () => number = Date.now,
    private readonly onChange: (s: BreakerState) => void = () => {},
  ) {
    this.bucketMs = Math.max(1, Math.floor(opts.windowMs / BUCKETS));
  }

  /**
   * Whether a request may go to this backend now. In half-open state exactly one caller gets `true` (the probe)
   * until {@link record} is called for it.
   */
  allow(): boolean {
    const t = this.now();
    if (t < this.parkedUntil) return false;
    if (this.state === "closed") return true;
    if (this.state === "open") {
      if (t - this.openedAt < this.opts.cooldownMs) return false;
      this.set("half-open");
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** Milliseconds until {@link allow} may return true again (0 when it may now). */
  retryInMs(): number {
    const t = this.now();
    const parked = Math.max(0, this.parkedUntil - t);
    if (this.state === "open") return Math.max(parked, this.opts.cooldownMs - (t - this.openedAt), 0);
    return parked;
  }

  /** Records the outcome of a request that {@link allow} let through. */
  record(success: boolean): void {
    if (this.state === "half-open") {
      this.probeInFlight = false;
      if (success) {
        this.reset();
        this.set("closed");
      } else {
        this.trip();
      }
      return;
    }
    this.roll();
    if (success) this.ok[this.bucketIdx]! += 1;
    else this.fail[this.bucketIdx]! += 1;
    if (!success && this.state === "closed") {
      let ok = 0;
      let fail = 0;
      for (let i = 0; i < BUCKETS; i++) { ok += this.ok[i]!; fail += this.fail[i]!; }
      const total = ok + fail;
      if (total >= this.opts.minRequests && fail / total >= this.opts.errorRatio) this.trip();
    }
  }

  /** Releases a half-open probe slot without an outcome (e.g. the client went away first). */
  release(): void {
    if (this.state === "half-open") this.probeInFlight = false;
  }

  /** Upstream said 429 with `Retry-After`: skip this backend for that long (not a failure). */
  park(ms: number): void {
    this.parkedUntil = Math.max(this.parkedUntil, this.now() + ms);
    if (this.state === "half-open") this.probeInFlight = false;
  }

  private trip(): void {
    this.openedAt = this.now();
    this.probeInFlight = false;
    this.set("open");
  }

  private reset(): void {
    this.ok.fill(0);
    this.fail.fill(0);
    this.bucketStart = this.now();
  }

  /** Advances the ring so that stale buckets are zeroed. */
  private roll(): void {
    const t = this.now();
    if (this.bucketStart === 0) { this.bucketStart = t; return; }
    let steps = Math.floor((t - this.bucketStart) / this.bucketMs);
    if (steps <= 0) return;
    if (steps >= BUCKETS) { this.ok.fill(0); this.fail.fill(0); this.bucketStart = t; this.bucketIdx = 0; return; }
    this.bucketStart += steps * this.bucketMs;
    while (steps-- > 0) {
      this.bucketIdx = (this.bucketIdx + 1) % BUCKETS;
      this.ok[this.bucketIdx] = 0;
      this.fail[this.bucketIdx] = 0;
    }
  }

  private set(s: BreakerState): void {
    if (this.state !== s) {
      this.state = s;
      this.onChange(s);
    }
  }
}
