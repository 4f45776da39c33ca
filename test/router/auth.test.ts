import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Authenticator, maskKey } from "../../images/router/src/auth";
import { RouterError } from "../../images/router/src/errors";

const digest = (k: string) => createHash("sha256").update(k).digest();

describe("Authenticator", () => {
  const auth = new Authenticator([
    { id: "team-a", keyHashes: [digest("sk-team-a-key-1")], rpm: 10 },
    { id: "team-b", keyHashes: [digest("sk-team-b-key-1"), digest("sk-team-b-key-2")] },
  ]);

  it("lets everyone in as tenant default when no keys are configured", () => {
    expect(new Authenticator([]).authenticate(undefined)).toEqual({ tenant: "default", keyId: "anonymous" });
  });

  it("maps a key to its tenant with a short key id and the tenant's limits", () => {
    const c = auth.authenticate("Bearer sk-team-b-key-2");
    expect(c.tenant).toBe("team-b");
    expect(c.keyId).toBe(digest("sk-team-b-key-2").toString("hex").slice(0, 12));
    expect(auth.authenticate("bearer sk-team-a-key-1").limits).toEqual({ rpm: 10, tpm: undefined });
  });

  it("refuses a missing key with the OpenAI 401 wording", () => {
    expect(() => auth.authenticate(undefined)).toThrow(new RouterError("missing_api_key", "You didn't provide an API key. Send it in the Authorization header as `Authorization: Bearer YOUR_KEY`."));
  });

  it("refuses a wrong key and masks it in the message", () => {
    try {
      auth.authenticate("Bearer sk-wrong-key-123456");
      expect.unreachable();
    } catch (e) {
      expect((e as RouterError).code).toBe("invalid_api_key");
      expect((e as RouterError).status).toBe(401);
      expect((e as RouterError).message).toBe("Incorrect API key provided: sk-w****3456. Ask the router operator for a key, or check which key your client sends.");
    }
  });

  it("masks short keys completely", () => {
    expect(maskKey("abc")).toBe("****");
  });
});
