/**
 * @module First-boot script (EC2 user-data) of the `aws-gpu-vm` Docker host: a pure renderer, so
 * it can be linted with shellcheck and read in review without Pulumi.
 */

/** Login user of the Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu). */
export const DEFAULT_SSH_USER = "ubuntu";

/** Where model weights are cached, on the gp3 root volume (it survives reboots and stop/start). */
export const DEFAULT_MODEL_CACHE_DIR = "/opt/shoestring/models";

/** File the script writes as its last step; the host counts as ready once it exists. */
export const USER_DATA_DONE_MARKER = "/var/lib/shoestring/user-data.done";

/** Options of {@link renderUserData}. */
export interface UserDataOptions {
  /**
   * Login user that Docker over SSH connects as; the script adds it to the `docker` group.
   * Must already exist on the AMI.
   * @default "ubuntu" ({@link DEFAULT_SSH_USER})
   */
  sshUser?: string;
  /**
   * Absolute directory for model weights on the root volume; created `root:docker`, mode 0775,
   * for model servers to bind-mount.
   * @default "/opt/shoestring/models" ({@link DEFAULT_MODEL_CACHE_DIR})
   */
  modelCacheDir?: string;
  /**
   * OpenSSH public keys (`ssh-ed25519 AAAA… comment`) appended to the user's `authorized_keys`,
   * for hosts launched without an EC2 key pair. Public keys only: user-data is not secret.
   * @default []
   */
  sshAuthorizedKeys?: readonly string[];
  /**
   * File the script writes as its very last step; readiness checks wait for it.
   * @default "/var/lib/shoestring/user-data.done" ({@link USER_DATA_DONE_MARKER})
   */
  doneMarker?: string;
}

/** One invalid option: which field, and why (value, limit, fix). */
export interface UserDataIssue {
  /** Option name, e.g. `sshUser` or `sshAuthorizedKeys[1]`. */
  path: string;
  /** What is wrong, the value against the rule, and how to fix it. */
  reason: string;
}

// useradd's default NAME_REGEX (Debian/Ubuntu adduser.conf) with its 32-character limit.
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
// Plain absolute path segments only: the value is embedded in a shell script.
const SAFE_DIR = /^(\/[A-Za-z0-9._-]+)+$/;
// Directories whose owner and mode the script must never change.
const SYSTEM_DIRS = new Set(
  ["/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/mnt", "/media", "/opt", "/proc", "/root", "/run", "/sbin", "/snap", "/srv", "/sys", "/tmp", "/usr", "/usr/local", "/var", "/var/lib"],
);
const PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n']*)?$/;

/** Every problem with the options, empty when they are valid. Never echoes key material. */
export function checkUserDataOptions(opts: UserDataOptions): UserDataIssue[] {
  const issues: UserDataIssue[] = [];
  const user = opts.sshUser ?? DEFAULT_SSH_USER;
  if (!USER_NAME.test(user)) {
    issues.push({
      path: "sshUser",
      reason: `not a valid Linux user name (got ${JSON.stringify(user)}; expected ${USER_NAME.source}). Use the AMI's login user, e.g. "ubuntu".`,
    });
  }
  const dir = opts.modelCacheDir ?? DEFAULT_MODEL_CACHE_DIR;
  const marker = opts.doneMarker ?? USER_DATA_DONE_MARKER;
  if (!isPlainAbsolutePath(marker)) {
    issues.push({ path: "doneMarker", reason: notPlainPath(marker, USER_DATA_DONE_MARKER) });
  }
  if (!isPlainAbsolutePath(dir)) {
    issues.push({ path: "modelCacheDir", reason: notPlainPath(dir, DEFAULT_MODEL_CACHE_DIR) });
  } else if (SYSTEM_DIRS.has(dir)) {
    issues.push({
      path: "modelCacheDir",
      reason: `a system directory (got "${dir}"; the script would chown it root:docker and chmod it 0775). Use a dedicated directory such as "${DEFAULT_MODEL_CACHE_DIR}".`,
    });
  }
  (opts.sshAuthorizedKeys ?? []).forEach((key, i) => {
    if (!PUBLIC_KEY.test(key.trim())) {
      const kind = /PRIVATE KEY/.test(key) ? "a PRIVATE key (never put one in user-data)" : "not one OpenSSH public key line";
      issues.push({
        path: `sshAuthorizedKeys[${i}]`,
        reason: `${kind}; expected "<type> <base64> [comment]" with type ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521, as in ~/.ssh/id_ed25519.pub.`,
      });
    }
  });
  return issues;
}

function isPlainAbsolutePath(path: string): boolean {
  const segments = path.split("/");
  return SAFE_DIR.test(path) && !segments.includes("..") && !segments.includes(".");
}

function notPlainPath(path: string, example: string): string {
  return `not a plain absolute path (got ${JSON.stringify(path)}; expected /segment/… of letters, digits, '.', '_' and '-', no '.' or '..' segments). Use e.g. "${example}".`;
}

// Values are checked above to hold no quote, so single quotes keep them literal.
const quote = (value: string) => `'${value}'`;

/**
 * Renders the bash first-boot script of a GPU Docker host. It installs nothing: the Deep Learning
 * Base OSS AMI ships the NVIDIA driver, Docker and the NVIDIA container toolkit, and the script
 * fails with a clear message when a custom AMI lacks them. It registers the NVIDIA runtime with
 * Docker, adds the SSH user to the `docker` group, installs extra authorized keys, creates the
 * model cache directory on the root volume (no extra volume is formatted or mounted), checks the
 * GPUs and finally writes {@link USER_DATA_DONE_MARKER}. Output goes to
 * `/var/log/cloud-init-output.log`.
 * @throws Error listing every invalid option (see {@link checkUserDataOptions}).
 * @example renderUserData({ sshUser: "ubuntu", modelCacheDir: "/opt/shoestring/models" })
 */
export function renderUserData(opts: UserDataOptions = {}): string {
  const issues = checkUserDataOptions(opts);
  if (issues.length > 0) {
    throw new Error(`renderUserData: invalid options:\n${issues.map((i) => `  - ${i.path}: ${i.reason}`).join("\n")}`);
  }
  const user = opts.sshUser ?? DEFAULT_SSH_USER;
  const dir = opts.modelCacheDir ?? DEFAULT_MODEL_CACHE_DIR;
  const keys = (opts.sshAuthorizedKeys ?? []).map((k) => k.trim());
  const lines = [
    "#!/bin/bash",
    "# Shoestring Docker host, first boot (EC2 user-data, run once as root by cloud-init).",
    "# Log: /var/log/cloud-init-output.log. It installs, formats and mounts nothing.",
    "set -euo pipefail",
    "",
    `SSH_USER=${quote(user)}`,
    `MODEL_CACHE_DIR=${quote(dir)}`,
    `DONE_MARKER=${quote(opts.doneMarker ?? USER_DATA_DONE_MARKER)}`,
    "",
    "log() {",
    "  printf 'shoestring-user-data: %s\\n' \"$*\"",
    "}",
    "",
    "fail() {",
    '  log "ERROR: $*"',
    "  exit 1",
    "}",
    "",
    "for cmd in docker nvidia-ctk nvidia-smi; do",
    '  if ! command -v "${cmd}" >/dev/null 2>&1; then',
    '    fail "${cmd} not found: this AMI lacks Docker, the NVIDIA driver or the NVIDIA container toolkit. Use the Deep Learning Base OSS Nvidia Driver GPU AMI, or an AMI that has all three."',
    "  fi",
    "done",
    'if ! id "${SSH_USER}" >/dev/null 2>&1; then',
    '  fail "user ${SSH_USER} does not exist on this AMI. Set sshUser to the AMI\'s login user."',
    "fi",
    "",
    'log "registering the NVIDIA runtime with Docker"',
    "nvidia-ctk runtime configure --runtime=docker",
    "systemctl enable docker.service",
    "systemctl restart docker.service",
    "for ((i = 0; i < 60; i++)); do",
    "  if docker info >/dev/null 2>&1; then",
    "    break",
    "  fi",
    "  sleep 2",
    "done",
    'docker info >/dev/null || fail "the Docker daemon did not come up; see journalctl -u docker.service"',
    "",
    'log "adding ${SSH_USER} to the docker group"',
    'usermod -aG docker "${SSH_USER}"',
    ...authorizedKeysBlock(keys),
    "",
    'log "preparing the model cache ${MODEL_CACHE_DIR} on the root volume"',
    'install -d -m 0775 -o root -g docker "${MODEL_CACHE_DIR}"',
    "",
    'log "checking the GPUs"',
    'nvidia-smi -L || fail "nvidia-smi sees no GPU: check that the instance type has NVIDIA GPUs and the driver loaded"',
    "",
    'install -d -m 0755 "$(dirname "${DONE_MARKER}")"',
    'date -u +%Y-%m-%dT%H:%M:%SZ >"${DONE_MARKER}"',
    'log "ready"',
  ];
  return `${lines.join("\n")}\n`;
}

function authorizedKeysBlock(keys: readonly string[]): string[] {
  if (keys.length === 0) return [];
  return [
    "",
    'log "adding ' + String(keys.length) + ' authorized key(s) for ${SSH_USER}"',
    'ssh_home="$(getent passwd "${SSH_USER}" | cut -d: -f6)"',
    'ssh_group="$(id -gn "${SSH_USER}")"',
    'install -d -m 0700 -o "${SSH_USER}" -g "${ssh_group}" "${ssh_home}/.ssh"',
    // A quoted heredoc delimiter: nothing inside is expanded by the shell.
    "cat >>\"${ssh_home}/.ssh/authorized_keys\" <<'SHOESTRING_AUTHORIZED_KEYS'",
    ...keys,
    "SHOESTRING_AUTHORIZED_KEYS",
    'chown "${SSH_USER}:${ssh_group}" "${ssh_home}/.ssh/authorized_keys"',
    'chmod 0600 "${ssh_home}/.ssh/authorized_keys"',
  ];
}
