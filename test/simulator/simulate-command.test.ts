import { runCommand } from "citty";
import { afterEach, describe, expect, it, vi } from "vitest";
import simulateCommand, { simulatorOptionsFromArgs } from "../../src/cli/commands/simulate";
import { CliError } from "../../src/cli/errors";
import { DEFAULT_PROFILE } from "../../src/simulator";

afterEach(() => vi.restoreAllMocks());

describe("shoestring simulate", () => {
  it("serves until SIGTERM, printing its URL as JSON, then closes", async () => {
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const done = runCommand(simulateCommand, { rawArgs: ["--port", "0", "--json", "--decode-ms", "1", "--served-model-name", "tiny"] });
    await vi.waitFor(() => expect(out).toContain("\n"), { timeout: 5000 });
    const { url, model, profile } = JSON.parse(out) as { url: string; model: string; profile: typeof DEFAULT_PROFILE };
    expect(model).toBe("tiny");
    expect(profile).toEqual({ ...DEFAULT_PROFILE, decodeMsPerToken: 1 });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    process.emit("SIGTERM");
    await done;
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("maps flags to options: timing overrides, failures, loading and key", () => {
    const { options, port, host } = simulatorOptionsFromArgs({
      port: "0", host: "127.0.0.1", seed: "9", "decode-ms": "12.5", "max-seqs": "32", "error-rate": "0.2",
      "disconnect-after": "5", stall: "2s", "slow-start": "250ms", loading: "1s", "api-key": "k", json: false,
    } as Parameters<typeof simulatorOptionsFromArgs>[0]);
    expect(port).toBe(0);
    expect(host).toBe("127.0.0.1");
    expect(options).toEqual({
      profile: { ...DEFAULT_PROFILE, decodeMsPerToken: 12.5, maxNumSeqs: 32 },
      modelName: "simulated-model",
      seed: 9,
      loadingMs: 1000,
      apiKey: "k",
      failures: { errorRate: 0.2, disconnectAfterTokens: 5, stallMs: 2000, slowStartMs: 250 },
    });
  });

  it("reports every invalid flag at once", () => {
    expect(() =>
      simulatorOptionsFromArgs({ port: "http", "kv-tokens": "100", "max-model-len": "4096", "stall-rate": "2" } as Parameters<typeof simulatorOptionsFromArgs>[0]),
    ).toThrow(
      new CliError(
        "shoestring simulate: invalid flags:\n" +
          '  - --port must be an integer from 0 to 65535 (got "http"); e.g. --port 8000\n' +
          '  - --stall-rate must be a number from 0 to 1 (got "2"); e.g. --stall-rate 0.5\n' +
          "  - profile.kvCacheTokens (100) is smaller than profile.maxModelLen (4096); vLLM refuses to start in that case: lower maxModelLen or raise kvCacheTokens",
      ),
    );
  });
});
