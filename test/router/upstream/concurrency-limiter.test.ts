import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "../../../images/router/src/upstream/concurrency-limiter";

describe("ConcurrencyLimiter", () => {
  it("grants slots up to maxInFlight without queueing", () => {
    const l = new ConcurrencyLimiter(2, 1);
    expect(l.tryAcquire()).toBe(true);
    expect(l.tryAcquire()).toBe(true);
    expect(l.tryAcquire()).toBe(false);
    expect(l.inFlight).toBe(2);
  });

  it("queues up to maxQueue and refuses at once beyond it", async () => {
    const l = new ConcurrencyLimiter(1, 1);
    expect(await l.acquire(1000)).toBe("acquired");
    const waiting = l.acquire(1000);
    expect(l.queued).toBe(1);
    expect(await l.acquire(1000)).toBe("queue-full");
    l.release();
    expect(await waiting).toBe("acquired");
    expect(l.inFlight).toBe(1);
    expect(l.queued).toBe(0);
  });

  it("hands slots to waiters in arrival order", async () => {
    const l = new ConcurrencyLimiter(1, 5);
    l.tryAcquire();
    const order: number[] = [];
    const all = [1, 2, 3].map((n) => l.acquire(1000).then(() => { order.push(n); l.release(); }));
    l.release();
    await Promise.all(all);
    expect(order).toEqual([1, 2, 3]);
    expect(l.inFlight).toBe(0);
  });

  it("gives up on a queued wait after the timeout and keeps counts right", async () => {
    const l = new ConcurrencyLimiter(1, 2);
    l.tryAcquire();
    expect(await l.acquire(20)).toBe("queue-timeout");
    expect(l.queued).toBe(0);
    l.release();
    expect(l.inFlight).toBe(0);
    expect(l.tryAcquire()).toBe(true);
  });

  it("stops waiting when the signal aborts", async () => {
    const l = new ConcurrencyLimiter(1, 2);
    l.tryAcquire();
    const ac = new AbortController();
    const p = l.acquire(5000, ac.signal);
    ac.abort();
    expect(await p).toBe("aborted");
    expect(l.queued).toBe(0);
  });
});
