import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  identityFilePath,
  privateKeyProblem,
  sshHostUrl,
  sshOptions,
  ssmProxyCommand,
  writeIdentityFile,
} from "../../../components/compute/_ssh";

/** An OpenSSH private key block with the given cipher; the key bytes are filler, not a credential. */
function opensshKey(cipher: string, filler = 1): string {
  const name = Buffer.from(cipher, "latin1");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(name.length);
  const raw = Buffer.concat([Buffer.from("openssh-key-v1\0", "latin1"), len, name, Buffer.alloc(64, filler)]);
  const body = raw.toString("base64").match(/.{1,70}/g)?.join("\n") ?? "";
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

describe("SSH plumbing", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shoestring-ssh-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["deploy", "gpu-box.lan", 22, "ssh://deploy@gpu-box.lan:22"],
    ["ubuntu", "203.0.113.10", 2222, "ssh://ubuntu@203.0.113.10:2222"],
    ["ops", "2001:db8::5", 22, "ssh://ops@[2001:db8::5]:22"],
  ])("writes %s on %s port %i as %s", (user, host, port, url) => {
    expect(sshHostUrl(user, host, port)).toBe(url);
  });

  it("always runs ssh without prompts and pins host keys on first use", () => {
    expect(sshOptions({})).toEqual(["-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes"]);
    expect(
      sshOptions({ hostKeyAlias: "i-0abc", proxyCommand: ssmProxyCommand("eu-west-1"), identityFile: "/k/id", extra: ["-o", "ServerAliveInterval=30"] }),
    ).toEqual([
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      "BatchMode=yes",
      "-o",
      "HostKeyAlias=i-0abc",
      "-o",
      "ProxyCommand=aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region eu-west-1",
      "-i",
      "/k/id",
      "-o",
      "ServerAliveInterval=30",
    ]);
  });

  it("names the key file after project, stack and host, with unsafe characters replaced", () => {
    expect(identityFilePath("/keys", ["shoestring", "acme/prod", "gpu box"])).toBe("/keys/shoestring.acme_prod.gpu_box.key");
  });

  it.each([
    ["an unencrypted OpenSSH key", opensshKey("none"), undefined],
    ["a PEM RSA key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", undefined],
    ["a passphrase-protected OpenSSH key", opensshKey("aes256-ctr"), "is passphrase-protected (cipher aes256-ctr)"],
    [
      "an encrypted PEM key",
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIE\n-----END RSA PRIVATE KEY-----",
      "is passphrase-protected (PEM ENCRYPTED header)",
    ],
    ["an encrypted PKCS#8 key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED PRIVATE KEY-----", "is passphrase-protected (PEM ENCRYPTED header)"],
    [
      "a public key",
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9wcw ops@laptop",
      'is not a private key (it looks like a PUBLIC key; expected a PEM or OpenSSH block "-----BEGIN … PRIVATE KEY-----")',
    ],
    ["random text", "hunter2", 'is not a private key (got 7 characters; expected a PEM or OpenSSH block "-----BEGIN … PRIVATE KEY-----")'],
  ])("judges %s", (_label, key, problem) => {
    expect(privateKeyProblem(key)).toBe(problem);
  });

  it("writes the key with mode 0600 in a 0700 directory, normalising line endings and the final newline", () => {
    const file = path.join(dir, "nested", "p.s.h.key");
    const key = opensshKey("none").trim().replace(/\n/g, "\r\n");
    writeIdentityFile(file, key);
    expect(fs.readFileSync(file, "utf8")).toBe(opensshKey("none"));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["p.s.h.key"]);
  });

  it("leaves an unchanged key file alone and replaces a changed one", () => {
    const file = path.join(dir, "rotate.key");
    writeIdentityFile(file, opensshKey("none"));
    const before = fs.statSync(file).ino;
    writeIdentityFile(file, opensshKey("none"));
    expect(fs.statSync(file).ino).toBe(before);
    const rotated = opensshKey("none", 2);
    expect(rotated).not.toBe(opensshKey("none"));
    writeIdentityFile(file, rotated);
    expect(fs.readFileSync(file, "utf8")).toBe(rotated);
  });

  it("refuses to write a key ssh could not use without a terminal, and never echoes it", () => {
    const file = path.join(dir, "locked.key");
    const key = opensshKey("aes256-ctr");
    expect(() => writeIdentityFile(file, key)).toThrow(/^is passphrase-protected \(cipher aes256-ctr\)$/);
    expect(fs.existsSync(file)).toBe(false);
  });
});
