import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../../images/router/src/cache/circuit-breaker";

describe("CircuitBreaker", () => {
  it("opens after the threshold, refuses during the cooldown, admits one probe, then closes on success", () => {
    let now = 0;
    const cb = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
    expect(cb.tryAcquire()).toBe(true);
    expect([cb.onFailure(), cb.onFailure(), cb.onFailure()]).toEqual([false, false, true]);
    expect(cb.current).toBe("open");
    expect(cb.tryAcquire()).toBe(false);
    now = 1000;
    expect(cb.current).toBe("half-open");
    expect(cb.tryAcquire()).toBe(true);
    expect(cb.tryAcquire()).toBe(false);
    expect(cb.onSuccess()).toBe(true);
    expect(cb.current).toBe("closed");
    expect(cb.onSuccess()).toBe(false);
  });

  it("re-opens when the probe fails", () => {
    let now = 0;
    const cb = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: () => now });
    cb.onFailure();
    now = 100;
    expect(cb.tryAcquire()).toBe(true);
    cb.onFailure();
    expect(cb.current).toBe("open");
    now = 150;
    expect(cb.tryAcquire()).toBe(false);
  });
});
