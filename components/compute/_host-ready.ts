/**
 * @module Readiness gate of a freshly created Docker host (internal). EC2 reports an instance
 * "running" long before sshd is up and its first-boot script has registered the NVIDIA runtime and
 * added the SSH user to the `docker` group; a Docker provider configured at that moment fails the
 * first `pulumi up`. This dynamic resource polls the host over the same SSH options Docker will
 * use until the script's done-marker exists, so the provider is only configured on a ready host.
 *
 * The provider below is serialized into the stack's state by Pulumi: its functions may reference
 * only each other, literals and `require` (no imported bindings, no exported constants).
 */
import * as pulumi from "@pulumi/pulumi";

/** Plain inputs of {@link HostReady}. */
export interface HostReadyInputs {
  /** SSH destination: an address, or an instance id when a ProxyCommand carries the connection. */
  destination: string;
  /** Login user. */
  user: string;
  /** SSH port. */
  port: number;
  /** Options passed to `ssh` before the destination (the ones Docker's provider uses). */
  sshOpts: string[];
  /** File whose existence means the first-boot script finished. */
  marker: string;
  /** Give up after this many seconds. */
  timeoutSeconds: number;
  /** Seconds between attempts. */
  intervalSeconds: number;
  /** Where to look when the host never gets ready, appended to the error. */
  hint: string;
}

/** Remote command: 0 when ready, 3 when cloud-init reports an error (no point waiting), else 4. */
export function probeCommand(marker: string): string {
  return `test -f '${marker}' && exit 0; if cloud-init status 2>/dev/null | grep -q 'status: error'; then exit 3; fi; exit 4`;
}

/** The `ssh` argv of one readiness probe. */
export function probeArgs(inputs: HostReadyInputs): string[] {
  return [
    ...inputs.sshOpts,
    "-o",
    "ConnectTimeout=10",
    "-p",
    String(inputs.port),
    "-l",
    inputs.user,
    inputs.destination,
    probeCommand(inputs.marker),
  ];
}

interface ProbeResult {
  code: number | string | null;
  detail: string;
}

function runProbe(ssh: string, args: string[]): Promise<ProbeResult> {
  // Required here, not imported: the serialized provider must not capture module bindings.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cp = require("node:child_process") as typeof import("node:child_process");
  return new Promise((resolve) => {
    cp.execFile(ssh, args, { timeout: 60_000, encoding: "utf8" }, (err, _stdout, stderr) => {
      const lastLine = String(stderr).trim().split("\n").pop() ?? "";
      if (!err) resolve({ code: 0, detail: "" });
      else resolve({ code: err.code ?? null, detail: lastLine !== "" ? lastLine : err.message });
    });
  });
}

/**
 * Polls the host until the done-marker exists. Throws at once when cloud-init reports an error or
 * `ssh` is missing, and after `timeoutSeconds` otherwise, naming the last failure.
 */
export async function waitForHost(inputs: HostReadyInputs, ssh = "ssh"): Promise<void> {
  const target = `${inputs.user}@${inputs.destination}`;
  const deadline = Date.now() + inputs.timeoutSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    const result = await runProbe(ssh, probeArgs(inputs));
    if (result.code === 0) return;
    if (result.code === "ENOENT") {
      throw new Error(`${target}: cannot run "${ssh}" (not found on PATH). Install the OpenSSH client where Pulumi runs.`);
    }
    if (result.code === 3) {
      throw new Error(`${target}: the first-boot script failed (cloud-init status: error). ${inputs.hint}`);
    }
    const last = result.code === 4 ? `reachable, but ${inputs.marker} is not there yet` : result.detail;
    if (Date.now() + inputs.intervalSeconds * 1000 > deadline) {
      throw new Error(
        `${target}: not ready after ${inputs.timeoutSeconds} s and ${attempt} attempt(s) (last: ${last}). ${inputs.hint}`,
      );
    }
    await new Promise((r) => setTimeout(r, inputs.intervalSeconds * 1000));
  }
}

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: HostReadyInputs) {
    await waitForHost(inputs);
    return { id: `${inputs.user}@${inputs.destination}`, outs: inputs };
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const keys = ["destination", "user", "port", "sshOpts", "marker", "timeoutSeconds", "intervalSeconds", "hint"];
    const replaces = keys.filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    return { changes: replaces.length > 0, replaces };
  },
};

/** Exposed for the test that runs the serialized provider on its own. @internal */
export const _hostReadyProvider = provider;

/** Completes once the host answers over SSH and its first-boot script has finished. @internal */
export class HostReady extends pulumi.dynamic.Resource {
  /** The SSH destination that was found ready. `declare`: a class field would overwrite the output set by super(). */
  declare public readonly destination: pulumi.Output<string>;

  constructor(
    name: string,
    args: { [K in keyof HostReadyInputs]: pulumi.Input<HostReadyInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(provider, name, { ...args }, opts, "shoestring", "HostReady");
  }
}
