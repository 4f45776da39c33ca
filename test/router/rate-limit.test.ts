import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../images/router/src/rate-limit";
import { RouterError } from "../../images/router/src/errors";

const caller = (rpm?: number, tpm?: number) => ({ tenant: "t", keyId: "k1", limits: { rpm, tpm } });

describe("RateLimiter", () => {
  it("admits up to rpm requests per minute, then answers 429 with Retry-After", () => {
    let t = 0;
    const rl = new RateLimiter(() => t);
    for (let i = 0; i < 3; i++) rl.admit(caller(3), 1);
    let err: RouterError | undefined;
    try { rl.admit(caller(3), 1); } catch (e) { err = e as RouterError; }
    expect(err?.status).toBe(429);
    expect(err?.opts.type).toBe("requests");
    expect(err?.opts.retryAfterSec).toBe(60);
    expect(err?.message).toBe('Rate limit reached for key k1 of tenant "t" on requests per min (RPM): Limit 3, Used 3. Try again in 60s, or ask the operator to raise tenants[].rpm.');
    t = 120_000;
    expect(() => rl.admit(caller(3), 1)).not.toThrow();
  });

  it("weights the previous minute by how much of it still overlaps the window", () => {
    let t = 0;
    const rl = new RateLimiter(() => t);
    for (let i = 0; i < 10; i++) rl.admit(caller(10), 1);
    t = 60_000 + 30_000;
    // Half of the previous minute still counts: 5 used, 5 left.
    for (let i = 0; i < 5; i++) rl.admit(caller(10), 1);
    expect(() => rl.admit(caller(10), 1)).toThrow(RouterError);
  });

  it("refuses when charged tokens reach tpm", () => {
    const rl = new RateLimiter(() => 0);
    rl.admit(caller(undefined, 1000), 100);
    rl.charge(caller(undefined, 1000), 950);
    try { rl.admit(caller(undefined, 1000), 100); expect.unreachable(); } catch (e) {
      expect((e as RouterError).opts.type).toBe("tokens");
      expect((e as RouterError).message).toBe('Rate limit reached for key k1 of tenant "t" on tokens per min (TPM): Limit 1000, Used 950, Requested 100. Try again in 60s.');
    }
  });

  it("explains when one request is larger than the whole token limit", () => {
    const rl = new RateLimiter(() => 0);
    expect(() => rl.admit(caller(undefined, 100), 500)).toThrow(/This request alone needs about 500 tokens, more than the whole limit/);
  });

  it("keeps keys apart", () => {
    const rl = new RateLimiter(() => 0);
    rl.admit(caller(1), 1);
    expect(() => rl.admit({ tenant: "t", keyId: "k2", limits: { rpm: 1 } }, 1)).not.toThrow();
  });

  it("does nothing for callers without limits", () => {
    const rl = new RateLimiter(() => 0);
    for (let i = 0; i < 1000; i++) rl.admit({ tenant: "default", keyId: "anonymous" }, 1_000_000);
  });
});
