import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerHost, addressOfDockerHost } from "../../../components/compute";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";

const PROVIDER = "pulumi:providers:docker";
const COMPONENT = "shoestring:index:DockerHost";
const BASE_OPTS = ["-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes"];

// A syntactically valid, unencrypted OpenSSH key body (cipher "none"); never a real credential.
const magic = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), Buffer.from([0, 0, 0, 4]), Buffer.from("none")]);
const KEY_BODY = Buffer.concat([magic, Buffer.alloc(48, 7)]).toString("base64");
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\r\n${KEY_BODY}\r\n-----END OPENSSH PRIVATE KEY-----`;

/** Provider config reaches the engine JSON-encoded (as with the real CLI), so decode the list. */
const sshOptsOf = (inputs: Record<string, unknown>): unknown => JSON.parse(String(inputs.sshOpts));

/** Registrations whose logical name is `name` or starts with `name-`. */
const family = (rec: Recorded, name: string) =>
  rec.resources.filter((r) => r.name === name || r.name.startsWith(`${name}-`)).map((r) => `${r.type}::${r.name}`);

describe("DockerHost", () => {
  let recorded: Recorded;
  let keyDir: string;
  beforeAll(async () => {
    recorded = await installMocks();
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "shoestring-keys-"));
  });
  afterAll(() => fs.rmSync(keyDir, { recursive: true, force: true }));

  it("uses the local Docker socket with loopback facts and no GPU by default", async () => {
    const host = new DockerHost("local", { kind: "docker-local" });
    expect(await unwrap(host.host)).toBe("unix:///var/run/docker.sock");
    await settle();
    expectRegistered(recorded);
    expect(family(recorded, "local")).toEqual([`${COMPONENT}::local`, `${PROVIDER}::local-docker`]);
    const inputs = byName(recorded, PROVIDER, "local-docker").inputs;
    expect(inputs.host).toBe("unix:///var/run/docker.sock");
    expect(inputs.sshOpts).toBeUndefined();
    expect(await unwrap(pulumi.all([host.address, host.bindAddress, host.gpuCount, host.hasGpu, host.sshOpts]))).toEqual([
      "127.0.0.1",
      "127.0.0.1",
      0,
      false,
      [],
    ]);
    expect(await unwrap(pulumi.all([host.publicIp, host.instanceId, host.modelCacheDir]))).toEqual([undefined, undefined, undefined]);
  });

  it("honours an explicit local host, GPUs and bind address", async () => {
    const host = new DockerHost("tcp", {
      kind: "docker-local",
      host: "tcp://10.1.2.3:2376",
      gpu: { type: "RTX-4090", count: 2 },
      bindAddress: "0.0.0.0",
    });
    expect(await unwrap(pulumi.all([host.host, host.address, host.bindAddress, host.gpuCount, host.hasGpu]))).toEqual([
      "tcp://10.1.2.3:2376",
      "10.1.2.3",
      "0.0.0.0",
      2,
      true,
    ]);
    await settle();
    expectRegistered(recorded);
    expect(byName(recorded, PROVIDER, "tcp-docker").inputs.host).toBe("tcp://10.1.2.3:2376");
  });

  it("counts one GPU when gpu is given without a count", async () => {
    const host = new DockerHost("one-gpu", { kind: "docker-local", gpu: { type: "L4" } });
    expect(await unwrap(pulumi.all([host.gpuCount, host.hasGpu]))).toEqual([1, true]);
    await settle();
    expectRegistered(recorded);
    expect(family(recorded, "one-gpu")).toEqual([`${COMPONENT}::one-gpu`, `${PROVIDER}::one-gpu-docker`]);
  });

  it("reaches a remote engine as ssh://user@host:port with non-interactive options", async () => {
    const host = new DockerHost("remote", { kind: "docker-ssh", host: "gpu-box.lan", user: "deploy", port: 2222, gpu: { type: "L40S" } });
    expect(await unwrap(host.host)).toBe("ssh://deploy@gpu-box.lan:2222");
    await settle();
    expectRegistered(recorded);
    expect(family(recorded, "remote")).toEqual([`${COMPONENT}::remote`, `${PROVIDER}::remote-docker`]);
    const inputs = byName(recorded, PROVIDER, "remote-docker").inputs;
    expect(inputs.host).toBe("ssh://deploy@gpu-box.lan:2222");
    expect(sshOptsOf(inputs)).toEqual(BASE_OPTS);
    expect(await unwrap(pulumi.all([host.address, host.bindAddress, host.gpuCount]))).toEqual(["gpu-box.lan", "127.0.0.1", 1]);
  });

  it("defaults the SSH port to 22 and passes an identity file as -i", async () => {
    const host = new DockerHost("keyed", { kind: "docker-ssh", host: "10.0.0.5", user: "ops", identityFile: "/home/ops/.ssh/gpu" });
    expect(await unwrap(pulumi.all([host.host, host.sshOpts]))).toEqual([
      "ssh://ops@10.0.0.5:22",
      [...BASE_OPTS, "-i", "/home/ops/.ssh/gpu"],
    ]);
    await settle();
    expectRegistered(recorded);
    expect(sshOptsOf(byName(recorded, PROVIDER, "keyed-docker").inputs)).toEqual([...BASE_OPTS, "-i", "/home/ops/.ssh/gpu"]);
  });

  it("writes a secret private key to a 0600 file and passes only its path, never the key", async () => {
    const host = new DockerHost("secret", {
      kind: "docker-ssh",
      host: "gpu-box.lan",
      user: "deploy",
      privateKey: pulumi.secret(PRIVATE_KEY),
      keyDir,
    });
    const file = path.join(keyDir, "shoestring.test.secret.key");
    expect(await unwrap(host.sshOpts)).toEqual([...BASE_OPTS, "-i", file]);
    expect(await pulumi.isSecret(host.sshOpts)).toBe(false);
    await settle();
    expectRegistered(recorded);
    expect(fs.readFileSync(file, "utf8")).toBe(`${PRIVATE_KEY.replace(/\r\n/g, "\n")}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(keyDir).isDirectory()).toBe(true);
    const inputs = byName(recorded, PROVIDER, "secret-docker").inputs;
    expect(containsSecret(inputs)).toBe(false);
    const everything = JSON.stringify(recorded.resources.map((r) => unwrapSecrets(r.inputs)));
    expect(everything).not.toContain(KEY_BODY.slice(0, 40));
    expect(sshOptsOf(inputs)).toEqual([...BASE_OPTS, "-i", file]);
  });

  it("refuses contradictory or unsafe SSH arguments, listing every problem at once and registering nothing", async () => {
    const build = () =>
      new DockerHost("bad-ssh", {
        kind: "docker-ssh",
        host: "-oProxyCommand=sh",
        user: "de ploy",
        privateKey: pulumi.secret(PRIVATE_KEY),
        identityFile: "/tmp/key",
      });
    expect(build).toThrow(
      [
        'Invalid arguments for DockerHost "bad-ssh":',
        "  - privateKey: set together with identityFile (got both). Keep one: privateKey for a key held as a stack secret, identityFile for a key file on this machine.",
        `  - user: not a valid SSH user name (got "de ploy"; allowed: letters, digits, '.', '_', '-'). Use the remote account in the docker group.`,
        '  - host: not a host name or IP address (got "-oProxyCommand=sh"). Give the bare name, e.g. gpu-box.lan; user and port have their own fields.',
      ].join("\n"),
    );
    let caught: unknown;
    try {
      build();
    } catch (err) {
      caught = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(caught)).toBe(true);
    expect((caught as pulumi.InputPropertiesError).errors.map((e) => e.propertyPath)).toEqual(["privateKey", "user", "host"]);
    await settle();
    expect(family(recorded, "bad-ssh")).toEqual([]);
  });

  it.each([
    ["unix:///var/run/docker.sock", "127.0.0.1"],
    ["npipe:////./pipe/docker_engine", "127.0.0.1"],
    ["tcp://docker.internal:2376", "docker.internal"],
    ["ssh://me@[2001:db8::1]:22", "2001:db8::1"],
    ["ssh://me@box", "box"],
  ])("derives the client address of %s as %s", (host, address) => {
    expect(addressOfDockerHost(host)).toBe(address);
  });
});
