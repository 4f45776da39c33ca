/**
 * @module Client API keys → tenants. Keys are stored only as SHA-256 digests; a presented key is hashed and
 * looked up by digest, then compared with `timingSafeEqual`. The lookup's timing depends only on the digest of
 * what the caller sent, which tells an attacker nothing about stored keys.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { ResolvedTenant } from "./config-load";
import { RouterError } from "./errors";

/** Who is calling. */
export interface Caller {
  /** Tenant id ("default" when auth is off). */
  tenant: string;
  /** Short id of the key (first 12 hex chars of its digest) for per-key limits and logs; "anonymous" when auth is off. */
  keyId: string;
  /** The tenant's limits, when auth is on. */
  limits?: { rpm?: number; tpm?: number };
}

const ANONYMOUS: Caller = Object.freeze({ tenant: "default", keyId: "anonymous" });

/** Resolves the `Authorization` header to a {@link Caller}. */
export class Authenticator {
  private readonly byDigest = new Map<string, { digest: Buffer; caller: Caller }>();

  constructor(tenants: readonly ResolvedTenant[]) {
    for (const t of tenants) {
      for (const digest of t.keyHashes) {
        const hex = digest.toString("hex");
        this.byDigest.set(hex, { digest, caller: { tenant: t.id, keyId: hex.slice(0, 12), limits: { rpm: t.rpm, tpm: t.tpm } } });
      }
    }
  }

  /** Whether any key is configured (auth on). */
  get enabled(): boolean {
    return this.byDigest.size > 0;
  }

  /** Returns the caller, or throws a 401 {@link RouterError} in the OpenAI shape. */
  authenticate(authorization: string | undefined): Caller {
    if (!this.enabled) return ANONYMOUS;
    const m = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) {
      throw new RouterError("missing_api_key", "You didn't provide an API key. Send it in the Authorization header as `Authorization: Bearer YOUR_KEY`.");
    }
    const key = m[1] as string;
    const digest = createHash("sha256").update(key, "utf8").digest();
    const hit = this.byDigest.get(digest.toString("hex"));
    if (!hit || !timingSafeEqual(hit.digest, digest)) {
      throw new RouterError("invalid_api_key", `Incorrect API key provided: ${maskKey(key)}. Ask the router operator for a key, or check which key your client sends.`);
    }
    return hit.caller;
  }
}

/** `sk-abcdef123456` → `sk-a****3456` (OpenAI shows keys like this in 401 messages). */
export function maskKey(key: string): string {
  if (key.length <= 8) return "****";
  return `${key.slice(0, 4)}****${key.slice(-4)}`;
}
