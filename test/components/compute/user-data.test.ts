import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderUserData, type UserDataOptions } from "../../../components/compute";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9wcw ops@laptop";
const RSA_KEY_WITH_SHELL_IN_COMMENT = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 $(touch pwned) `id` ;reboot";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "shoestring-userdata-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs shellcheck with every optional check on a rendered script; a missing shellcheck fails the test. */
function shellcheck(script: string): { status: number | null; output: string } {
  const file = path.join(tmp, `user-data-${Math.random().toString(36).slice(2)}.sh`);
  fs.writeFileSync(file, script);
  const run = spawnSync("shellcheck", ["-s", "bash", "-o", "all", "-f", "gcc", file], { encoding: "utf8" });
  if (run.error) {
    throw new Error(
      `shellcheck could not run (${run.error.message}). Install it (Debian: apt-get install shellcheck; .ci/run does): this test lints the EC2 user-data and is never skipped.`,
    );
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Fake root-only tools that log their argv; install -d creates its directory so later steps work. */
function stubBin(dir: string, log: string, home: string, omit: string[] = [], failing: string[] = []): string {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  const stubs: Record<string, string> = {
    docker: "",
    "nvidia-ctk": "",
    "nvidia-smi": 'echo "GPU 0: NVIDIA L40S (UUID: GPU-0)"',
    systemctl: "",
    usermod: "",
    chown: "",
    chmod: "",
    install: 'mkdir -p "${*: -1}"',
    getent: `echo "ubuntu:x:1000:1000::${home}:/bin/bash"`,
    id: 'if [ "$1" = "-gn" ]; then echo ubuntu; fi',
  };
  for (const [name, body] of Object.entries(stubs)) {
    if (omit.includes(name)) continue;
    const exit = failing.includes(name) ? "exit 9" : "exit 0";
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >>'${log}'\n${body}\n${exit}\n`, { mode: 0o755 });
  }
  return bin;
}

/** Renders with paths under a fresh sandbox and runs the script with stubbed system tools. */
function runInSandbox(opts: UserDataOptions, stub: { omit?: string[]; failing?: string[] } = {}) {
  const dir = fs.mkdtempSync(path.join(tmp, "run"));
  const log = path.join(dir, "calls.log");
  const home = path.join(dir, "home");
  const marker = path.join(dir, "state", "done");
  const cache = path.join(dir, "models");
  const script = renderUserData({ ...opts, modelCacheDir: cache, doneMarker: marker });
  fs.writeFileSync(path.join(dir, "user-data.sh"), script);
  const bin = stubBin(dir, log, home, stub.omit, stub.failing);
  const run = spawnSync("bash", [path.join(dir, "user-data.sh")], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir },
    timeout: 10_000,
  });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  return { run, calls, dir, home, marker, cache };
}

describe("renderUserData", () => {
  it.each([
    ["the defaults", {}],
    ["a custom user, cache directory and two keys", { sshUser: "ec2-user", modelCacheDir: "/data/models", sshAuthorizedKeys: [KEY, RSA_KEY_WITH_SHELL_IN_COMMENT] }],
  ] as const)("passes shellcheck with every optional check for %s", (_label, opts) => {
    expect(shellcheck(renderUserData(opts))).toEqual({ status: 0, output: "" });
  });

  it("is a strict bash script that installs, formats and mounts nothing", () => {
    const script = renderUserData();
    expect(script.split("\n").slice(0, 4)).toEqual([
      "#!/bin/bash",
      "# Shoestring Docker host, first boot (EC2 user-data, run once as root by cloud-init).",
      "# Log: /var/log/cloud-init-output.log. It installs, formats and mounts nothing.",
      "set -euo pipefail",
    ]);
    expect(script).toContain("SSH_USER='ubuntu'\nMODEL_CACHE_DIR='/opt/shoestring/models'\nDONE_MARKER='/var/lib/shoestring/user-data.done'\n");
    expect(script).toContain("nvidia-ctk runtime configure --runtime=docker\n");
    expect(script).not.toMatch(/\b(mkfs|mount|fdisk|apt-get|apt|yum|curl|wget|pip)\b/);
    expect(script).not.toContain("authorized_keys");
  });

  it("configures Docker for the GPUs, grants the user Docker, prepares the cache, then marks itself done", () => {
    const { run, calls, marker, cache, home } = runInSandbox({ sshAuthorizedKeys: [KEY, RSA_KEY_WITH_SHELL_IN_COMMENT] });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(calls).toEqual([
      "id ubuntu",
      "nvidia-ctk runtime configure --runtime=docker",
      "systemctl enable docker.service",
      "systemctl restart docker.service",
      "docker info",
      "docker info",
      "usermod -aG docker ubuntu",
      "getent passwd ubuntu",
      "id -gn ubuntu",
      `install -d -m 0700 -o ubuntu -g ubuntu ${home}/.ssh`,
      `chown ubuntu:ubuntu ${home}/.ssh/authorized_keys`,
      `chmod 0600 ${home}/.ssh/authorized_keys`,
      `install -d -m 0775 -o root -g docker ${cache}`,
      "nvidia-smi -L",
      `install -d -m 0755 ${path.dirname(marker)}`,
    ]);
    expect(fs.readFileSync(path.join(home, ".ssh", "authorized_keys"), "utf8")).toBe(`${KEY}\n${RSA_KEY_WITH_SHELL_IN_COMMENT}\n`);
    expect(fs.existsSync(path.join(path.dirname(marker), "..", "pwned"))).toBe(false);
    expect(fs.readFileSync(marker, "utf8")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("shoestring-user-data: ready");
  });

  it("stops before changing anything when the AMI lacks the NVIDIA container toolkit", () => {
    const { run, calls, marker } = runInSandbox({}, { omit: ["nvidia-ctk"] });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      "shoestring-user-data: ERROR: nvidia-ctk not found: this AMI lacks Docker, the NVIDIA driver or the NVIDIA container toolkit. Use the Deep Learning Base OSS Nvidia Driver GPU AMI, or an AMI that has all three.\n",
    );
    expect(calls).toEqual([]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("never marks a host without working GPUs as ready", () => {
    const { run, marker } = runInSandbox({}, { failing: ["nvidia-smi"] });
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split("\n").at(-1)).toBe(
      "shoestring-user-data: ERROR: nvidia-smi sees no GPU: check that the instance type has NVIDIA GPUs and the driver loaded",
    );
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("refuses options that could break or inject into the script, naming each one", () => {
    expect(() =>
      renderUserData({
        sshUser: "root; reboot",
        modelCacheDir: "/opt/../etc",
        doneMarker: "relative/done",
        sshAuthorizedKeys: [KEY, "ssh-ed25519 AAAA\nreboot", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----"],
      }),
    ).toThrow(
      [
        "renderUserData: invalid options:",
        '  - sshUser: not a valid Linux user name (got "root; reboot"; expected ^[a-z_][a-z0-9_-]{0,31}$). Use the AMI\'s login user, e.g. "ubuntu".',
        `  - doneMarker: not a plain absolute path (got "relative/done"; expected /segment/… of letters, digits, '.', '_' and '-', no '.' or '..' segments). Use e.g. "/var/lib/shoestring/user-data.done".`,
        `  - modelCacheDir: not a plain absolute path (got "/opt/../etc"; expected /segment/… of letters, digits, '.', '_' and '-', no '.' or '..' segments). Use e.g. "/opt/shoestring/models".`,
        '  - sshAuthorizedKeys[1]: not one OpenSSH public key line; expected "<type> <base64> [comment]" with type ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521, as in ~/.ssh/id_ed25519.pub.',
        '  - sshAuthorizedKeys[2]: a PRIVATE key (never put one in user-data); expected "<type> <base64> [comment]" with type ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521, as in ~/.ssh/id_ed25519.pub.',
      ].join("\n"),
    );
  });

  it("refuses to take over a system directory as the model cache", () => {
    expect(() => renderUserData({ modelCacheDir: "/var/lib" })).toThrow(
      'modelCacheDir: a system directory (got "/var/lib"; the script would chown it root:docker and chmod it 0775). Use a dedicated directory such as "/opt/shoestring/models".',
    );
  });
});
