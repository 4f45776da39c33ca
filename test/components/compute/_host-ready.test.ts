import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { _hostReadyProvider, probeArgs, probeCommand, waitForHost, type HostReadyInputs } from "../../../components/compute/_host-ready";

const MARKER = "/var/lib/shoestring/user-data.done";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "shoestring-ready-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * A fake `ssh` that answers attempt N with `codes[N]` (the last code repeats), printing `stderr`
 * on failures, and logs its argv one argument per line.
 */
function fakeSsh(name: string, codes: number[], stderr = "ssh: connect to host 203.0.113.10 port 22: Connection refused"): string {
  const bin = path.join(dir, name);
  fs.mkdirSync(bin);
  const script = [
    "#!/bin/bash",
    `count_file='${bin}/count'`,
    'n=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))',
    'echo "$n" >"$count_file"',
    `printf '%s\\n' "$@" >'${bin}/argv'`,
    `codes=(${codes.join(" ")})`,
    'idx=$(( n - 1 < ${#codes[@]} ? n - 1 : ${#codes[@]} - 1 ))',
    'code=${codes[$idx]}',
    `if [ "$code" != 0 ]; then echo '${stderr}' >&2; fi`,
    'exit "$code"',
  ].join("\n");
  fs.writeFileSync(path.join(bin, "ssh"), `${script}\n`, { mode: 0o755 });
  return bin;
}

const attempts = (bin: string) => Number(fs.readFileSync(path.join(bin, "count"), "utf8"));

const inputs = (overrides: Partial<HostReadyInputs> = {}): HostReadyInputs => ({
  destination: "203.0.113.10",
  user: "ubuntu",
  port: 22,
  sshOpts: ["-o", "BatchMode=yes", "-i", "/keys/ops"],
  marker: MARKER,
  timeoutSeconds: 5,
  intervalSeconds: 0.02,
  hint: "See the log.",
  ...overrides,
});

describe("waitForHost", () => {
  it("probes with Docker's ssh options plus a connect timeout, for the done-marker", () => {
    expect(probeCommand(MARKER)).toBe(
      "test -f '/var/lib/shoestring/user-data.done' && exit 0; if cloud-init status 2>/dev/null | grep -q 'status: error'; then exit 3; fi; exit 4",
    );
    expect(probeArgs(inputs())).toEqual([
      "-o",
      "BatchMode=yes",
      "-i",
      "/keys/ops",
      "-o",
      "ConnectTimeout=10",
      "-p",
      "22",
      "-l",
      "ubuntu",
      "203.0.113.10",
      probeCommand(MARKER),
    ]);
  });

  it("keeps polling while sshd is down and the script runs, and returns once the marker exists", async () => {
    const bin = fakeSsh("eventually", [255, 4, 0]);
    await waitForHost(inputs(), path.join(bin, "ssh"));
    expect(attempts(bin)).toBe(3);
    expect(fs.readFileSync(path.join(bin, "argv"), "utf8").trim().split("\n")).toEqual(probeArgs(inputs()));
  });

  it("gives up at once when cloud-init reports the first-boot script failed", async () => {
    const bin = fakeSsh("failed", [3]);
    await expect(waitForHost(inputs(), path.join(bin, "ssh"))).rejects.toThrow(
      "ubuntu@203.0.113.10: the first-boot script failed (cloud-init status: error). See the log.",
    );
    expect(attempts(bin)).toBe(1);
  });

  it("times out naming the last failure", async () => {
    const bin = fakeSsh("down", [255]);
    await expect(waitForHost(inputs({ timeoutSeconds: 0.1, intervalSeconds: 1 }), path.join(bin, "ssh"))).rejects.toThrow(
      "ubuntu@203.0.113.10: not ready after 0.1 s and 1 attempt(s) (last: ssh: connect to host 203.0.113.10 port 22: Connection refused). See the log.",
    );
  });

  it("times out saying the host was reachable when only the marker is missing", async () => {
    const bin = fakeSsh("slow", [4]);
    await expect(waitForHost(inputs({ timeoutSeconds: 0.1, intervalSeconds: 1 }), path.join(bin, "ssh"))).rejects.toThrow(
      `ubuntu@203.0.113.10: not ready after 0.1 s and 1 attempt(s) (last: reachable, but ${MARKER} is not there yet). See the log.`,
    );
  });

  it("says so when there is no ssh client", async () => {
    await expect(waitForHost(inputs(), path.join(dir, "missing", "ssh"))).rejects.toThrow(
      `ubuntu@203.0.113.10: cannot run "${path.join(dir, "missing", "ssh")}" (not found on PATH). Install the OpenSSH client where Pulumi runs.`,
    );
  });
});

describe("the HostReady dynamic provider", () => {
  it("serializes into self-contained code that waits for the host and replaces on any input change", async () => {
    // A local binding, as dynamic.Resource does (`() => provider`); the test's own import binding must not be captured.
    const local = _hostReadyProvider;
    const serialized = await pulumi.runtime.serializeFunction(() => local);
    expect(serialized.text).not.toMatch(/require\("@pulumi|__vite_ssr|__vi_import/);
    // Run the text the engine would store in state, with only Node's require, as the dynamic provider host does.
    const mod: { exports: Record<string, unknown> } = { exports: {} };
    new Function("exports", "module", "require", serialized.text)(mod.exports, mod, require);
    const provider = (mod.exports[serialized.exportName] as () => pulumi.dynamic.ResourceProvider)();
    const bin = fakeSsh("serialized", [4, 0]);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath ?? ""}`;
    try {
      expect(await provider.create(inputs())).toEqual({ id: "ubuntu@203.0.113.10", outs: inputs() });
    } finally {
      process.env.PATH = savedPath;
    }
    expect(attempts(bin)).toBe(2);
    expect(await provider.diff?.("id", inputs(), inputs({ destination: "203.0.113.11", timeoutSeconds: 60 }))).toEqual({
      changes: true,
      replaces: ["destination", "timeoutSeconds"],
    });
    expect(await provider.diff?.("id", inputs(), inputs())).toEqual({ changes: false, replaces: [] });
  });
});
