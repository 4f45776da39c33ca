/**
 * @module SSH plumbing of the SSH-based Docker hosts (internal): the `ssh://` URL, the
 * non-interactive options Docker's provider appends to its `ssh` command, and the identity file a
 * private key held as a Pulumi secret is written to (Docker's provider takes no key material).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Options every connection gets. BatchMode: fail instead of prompting (a deployment has no
 * terminal). accept-new: trust a host's key on first contact, then refuse if it ever changes.
 */
export const BASE_SSH_OPTS: readonly string[] = ["-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes"];

/** `ssh://user@host:port`, with IPv6 literals bracketed. */
export function sshHostUrl(user: string, host: string, port: number): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `ssh://${user}@${h}:${port}`;
}

/** What {@link sshOptions} adds to {@link BASE_SSH_OPTS}. */
export interface SshOptionsInput {
  /** Private key file (`-i`). */
  identityFile?: string;
  /** Name the host key is stored under in known_hosts instead of the address. */
  hostKeyAlias?: string;
  /** Command that carries the connection (`ProxyCommand`), e.g. an SSM session. */
  proxyCommand?: string;
  /** Options appended last, verbatim. */
  extra?: readonly string[];
}

/** The argv-style option list (`["-o", "K=V", …]`) Docker's provider appends to `ssh`. */
export function sshOptions(input: SshOptionsInput): string[] {
  return [
    ...BASE_SSH_OPTS,
    ...(input.hostKeyAlias === undefined ? [] : ["-o", `HostKeyAlias=${input.hostKeyAlias}`]),
    ...(input.proxyCommand === undefined ? [] : ["-o", `ProxyCommand=${input.proxyCommand}`]),
    ...(input.identityFile === undefined ? [] : ["-i", input.identityFile]),
    ...(input.extra ?? []),
  ];
}

/**
 * ProxyCommand for SSH over AWS Systems Manager: no inbound port, `%h` is the instance id. Needs
 * the AWS CLI v2 and the Session Manager plugin where Pulumi runs.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-getting-started-enable-ssh-connections.html
 */
export function ssmProxyCommand(region: string | undefined): string {
  const base = "aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p";
  return region === undefined ? base : `${base} --region ${region}`;
}

/** `<keyDir>/<project>.<stack>.<name>.key`, each part reduced to file-name-safe characters. */
export function identityFilePath(keyDir: string, parts: readonly string[]): string {
  const safe = parts.map((p) => p.replace(/[^A-Za-z0-9._-]/g, "_")).join(".");
  return path.join(keyDir, `${safe}.key`);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]+-----END \1PRIVATE KEY-----/;
const OPENSSH_MAGIC = "openssh-key-v1\0";

/** Why `key` cannot be used by a non-interactive `ssh -i`, or undefined. Never quotes the key. */
export function privateKeyProblem(key: string): string | undefined {
  const block = PEM_BLOCK.exec(key);
  if (!block) {
    const hint = /^(ssh-|ecdsa-)/.test(key.trim()) ? "it looks like a PUBLIC key" : `got ${key.length} characters`;
    return `is not a private key (${hint}; expected a PEM or OpenSSH block "-----BEGIN … PRIVATE KEY-----")`;
  }
  if (/ENCRYPTED/.test(block[0].slice(0, 200))) return "is passphrase-protected (PEM ENCRYPTED header)";
  if (block[1] === "OPENSSH ") {
    const body = block[0].split("\n").filter((l) => !l.startsWith("-----")).join("");
    const raw = Buffer.from(body.replace(/\s+/g, ""), "base64");
    if (raw.subarray(0, OPENSSH_MAGIC.length).toString("latin1") !== OPENSSH_MAGIC) {
      return "is not a valid OpenSSH private key (bad header)";
    }
    const len = raw.readUInt32BE(OPENSSH_MAGIC.length);
    const cipher = raw.subarray(OPENSSH_MAGIC.length + 4, OPENSSH_MAGIC.length + 4 + len).toString("latin1");
    if (cipher !== "none") return `is passphrase-protected (cipher ${cipher})`;
  }
  return undefined;
}

/**
 * Writes a private key to `file` (mode 0600, directory 0700) for `ssh -i`, atomically, and only
 * when the content changed. Line endings are normalised and a final newline added: OpenSSH
 * rejects a key without one ("invalid format"), a common result of pasting keys into secrets.
 * @throws Error when the key is unusable without a terminal (see {@link privateKeyProblem}).
 */
export function writeIdentityFile(file: string, privateKey: string): void {
  const problem = privateKeyProblem(privateKey);
  if (problem !== undefined) throw new Error(problem);
  const content = `${privateKey.replace(/\r\n?/g, "\n").trim()}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === content) {
    fs.chmodSync(file, 0o600);
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  // `mode` only applies when the file is created; a leftover temp file keeps its own.
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
