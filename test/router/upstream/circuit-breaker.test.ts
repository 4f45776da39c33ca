import { describe, expect, it } from "vitest";
import { CircuitBreaker, type BreakerState } from "../../../images/router/src/upstream/circuit-breaker";

const opts = { errorRatio: 0.5, minRequests: 4, windowMs: 10_000, cooldownMs: 1_000 };

function make() {
  let t = 1_000;
  const changes: BreakerState[] = [];
  const b = new CircuitBreaker(opts, () => t, (s) => changes.push(s));
  return { b, changes, advance: (ms: number) => { t += ms; } };
}

describe("CircuitBreaker", () => {
  it("stays closed below the minimum request count even when every request fails", () => {
    const { b } = make();
    for (let i = 0; i < 3; i++) { expect(b.allow()).toBe(true); b.record(false); }
    expect(b.state).toBe("closed");
  });

  it("opens when the error ratio reaches the threshold with enough requests", () => {
    const { b, changes } = make();
    b.record(true); b.record(true); b.record(false); b.record(false);
    expect(b.state).toBe("open");
    expect(changes).toEqual(["open"]);
    expect(b.allow()).toBe(false);
    expect(b.retryInMs()).toBe(1_000);
  });

  it("stays closed while failures are below the ratio", () => {
    const { b } = make();
    for (let i = 0; i < 6; i++) b.record(true);
    for (let i = 0; i < 5; i++) b.record(false);
    expect(b.state).toBe("closed");
  });

  it("lets exactly one half-open probe through after the cooldown and closes on its success", () => {
    const { b, changes, advance } = make();
    for (let i = 0; i < 4; i++) b.record(false);
    advance(999);
    expect(b.allow()).toBe(false);
    advance(1);
    expect(b.allow()).toBe(true);
    expect(b.state).toBe("half-open");
    expect(b.allow()).toBe(false);
    b.record(true);
    expect(b.state).toBe("closed");
    expect(changes).toEqual(["open", "half-open", "closed"]);
    expect(b.allow()).toBe(true);
  });

  it("re-opens for a full cooldown when the half-open probe fails", () => {
    const { b, advance } = make();
    for (let i = 0; i < 4; i++) b.record(false);
    advance(1_000);
    expect(b.allow()).toBe(true);
    b.record(false);
    expect(b.state).toBe("open");
    advance(500);
    expect(b.allow()).toBe(false);
    advance(500);
    expect(b.allow()).toBe(true);
  });

  it("forgets failures older than the window", () => {
    const { b, advance } = make();
    b.record(false); b.record(false); b.record(false);
    advance(11_000);
    b.record(false);
    expect(b.state).toBe("closed");
  });

  it("frees the probe slot when a half-open probe is released without an outcome", () => {
    const { b, advance } = make();
    for (let i = 0; i < 4; i++) b.record(false);
    advance(1_000);
    expect(b.allow()).toBe(true);
    b.release();
    expect(b.allow()).toBe(true);
  });

  it("parks a rate-limited backend for its Retry-After without opening", () => {
    const { b, advance } = make();
    b.park(2_000);
    expect(b.allow()).toBe(false);
    expect(b.state).toBe("closed");
    expect(b.retryInMs()).toBe(2_000);
    advance(2_000);
    expect(b.allow()).toBe(true);
  });
});
