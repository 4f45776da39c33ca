/**
 * @module Arguments of {@link DockerHost}: one variant per Docker target kind of the stack config
 * (`src/config/target.ts`, fields mapped 1:1 where they exist), and every default in one block.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as os from "node:os";
import * as path from "node:path";

/** Docker socket of this machine. */
export const DEFAULT_LOCAL_DOCKER_HOST = "unix:///var/run/docker.sock";
/** SSH port of a remote Docker host. */
export const DEFAULT_SSH_PORT = 22;
/** Address client-facing ports publish on: loopback, so nothing listens publicly unless asked. */
export const DEFAULT_BIND_ADDRESS = "127.0.0.1";
/** GPUs on a host whose `gpu` is given without a count. */
export const DEFAULT_GPU_COUNT = 1;
/** Where private keys given as secrets are written for `ssh -i`. */
export const DEFAULT_KEY_DIR = path.join(os.homedir(), ".shoestring", "ssh");
/** Root volume size in GiB (the stack config's default); images and model weights live on it. */
export const DEFAULT_VOLUME_GIB = 200;
/** Owner of the GPU AMI. */
export const DEFAULT_AMI_OWNER = "amazon";
/**
 * Name filter of the GPU AMI: NVIDIA driver, Docker and NVIDIA container toolkit preinstalled,
 * x86_64; the DLAMI x86 base AMIs list G4dn, G5, G6, Gr6, G6e, P4d/P4de, P5/P5e/P5en and P6 as
 * supported (release notes, 2026). Names end in a build date, e.g. `… (Ubuntu 22.04) 20261101`.
 * @see https://docs.aws.amazon.com/dlami/latest/devguide/
 */
export const DEFAULT_AMI_NAME_FILTER = "Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *";
/** How long `pulumi up` waits for a new VM's first-boot script, in seconds. */
export const DEFAULT_READY_TIMEOUT_SECONDS = 900;
/** Seconds between readiness probes. */
export const DEFAULT_READY_INTERVAL_SECONDS = 10;

/** GPUs of a Docker host (`target.gpu`). */
export interface DockerHostGpuArgs {
  /** GPU model as in the planner's catalog, e.g. `RTX-4090`, `L40S`. */
  type: pulumi.Input<string>;
  /** Number of identical GPUs. @default 1 */
  count?: pulumi.Input<number>;
}

/**
 * How `ssh` authenticates. Docker's provider runs the system `ssh` client, which reads keys from
 * files or an agent only, so a key held as a Pulumi secret (`privateKey`) is written to
 * `<keyDir>/<project>.<stack>.<name>.key` (mode 0600, directory 0700) on every preview/up and
 * passed as `-i`. The key never enters a resource input or output; only its path does. With
 * neither `privateKey` nor `identityFile`, `ssh` uses ssh-agent and `~/.ssh` (keep the key in
 * `ssh-add`): that is also what `pulumi destroy`/`refresh` fall back to on a machine where the key
 * file was never written, since they do not run the program.
 */
export interface SshIdentityArgs {
  /**
   * Unencrypted private key (PEM or OpenSSH), as a secret: the value of the stack secret named by
   * `target.privateKeySecret`. Passphrase-protected keys are refused (BatchMode cannot prompt):
   * load those with `ssh-add` and leave this unset. Exclusive with `identityFile`.
   * @default - none: ssh-agent and the default `~/.ssh` keys
   */
  privateKey?: pulumi.Input<string>;
  /** Path of a private key file already on the machine running Pulumi (`ssh -i`). Exclusive with `privateKey`. */
  identityFile?: pulumi.Input<string>;
  /** Directory `privateKey` is written to. @default "~/.shoestring/ssh" ({@link DEFAULT_KEY_DIR}) */
  keyDir?: string;
}

/** `target.kind: docker-local`: this machine's Docker engine. */
export interface DockerLocalHostArgs {
  /** Discriminator. */
  kind: "docker-local";
  /**
   * Docker daemon address. Set it for rootless Docker, Colima or Podman, e.g.
   * `unix:///run/user/1000/docker.sock`.
   * @default "unix:///var/run/docker.sock" ({@link DEFAULT_LOCAL_DOCKER_HOST})
   */
  host?: pulumi.Input<string>;
  /** GPUs of this machine (`target.gpu`). @default - none: a CPU-only host */
  gpu?: DockerHostGpuArgs;
  /** Address the router and Grafana publish on (`target.bindAddress`). @default "127.0.0.1" */
  bindAddress?: pulumi.Input<string>;
}

/** `target.kind: docker-ssh`: a remote Docker engine reached over SSH. */
export interface DockerSshHostArgs extends SshIdentityArgs {
  /** Discriminator. */
  kind: "docker-ssh";
  /** Host name or IP address of the Docker host (`target.host`). */
  host: pulumi.Input<string>;
  /** SSH user, a member of the host's `docker` group (`target.user`). */
  user: pulumi.Input<string>;
  /** SSH port (`target.port`). @default 22 */
  port?: pulumi.Input<number>;
  /** GPUs of the remote host (`target.gpu`). @default - none: a CPU-only host */
  gpu?: DockerHostGpuArgs;
  /** Address the router and Grafana publish on, on the remote host (`target.bindAddress`). @default "127.0.0.1" */
  bindAddress?: pulumi.Input<string>;
}

/** `target.kind: aws-gpu-vm`: one EC2 GPU instance made by the kit, then Docker over SSH to it. */
export interface AwsGpuVmHostArgs extends SshIdentityArgs {
  /** Discriminator. */
  kind: "aws-gpu-vm";
  /** AWS region (`target.region`). @default - the AWS provider's region */
  region?: pulumi.Input<string>;
  /** EC2 GPU instance type, e.g. `g6e.xlarge` (`target.instanceType`). */
  instanceType: pulumi.Input<string>;
  /**
   * GPUs of `instanceType`. Only needed for a type missing from the planner's instance catalog.
   * @default - from the catalog (`src/planner/catalog/instances.ts`)
   */
  gpuCount?: pulumi.Input<number>;
  /**
   * One-time spot instance (`target.spot`): cheaper, but AWS may reclaim it at two minutes' notice;
   * it is then terminated and the next `pulumi up` creates a new one.
   * @default false
   */
  spot?: pulumi.Input<boolean>;
  /** Encrypted gp3 root volume size in GiB; images and model weights live on it (`target.volumeGiB`). @default 200 */
  volumeGiB?: pulumi.Input<number>;
  /** gp3 IOPS (3000–16000). @default - the gp3 baseline, 3000 */
  volumeIops?: pulumi.Input<number>;
  /** gp3 throughput in MiB/s (125–1000); raise it to load large models faster. @default - the gp3 baseline, 125 */
  volumeThroughputMiBps?: pulumi.Input<number>;
  /** IPv4 CIDRs allowed to reach the router port, and 443 when `domain` is set (`target.allowedCidrs`). @default [] (nothing) */
  allowedCidrs?: pulumi.Input<pulumi.Input<string>[]>;
  /** IPv4 CIDR allowed to SSH to the VM (`target.adminCidr`). @default - no SSH ingress */
  adminCidr?: pulumi.Input<string>;
  /** Existing EC2 key pair installed for `sshUser` (`target.keyPairName`). @default - none */
  keyPairName?: pulumi.Input<string>;
  /** DNS name served over TLS by the router's proxy (`target.domain`); opens 443. @default - no TLS port */
  domain?: pulumi.Input<string>;
  /** Port the router publishes on the VM (`router.port`). */
  routerPort: pulumi.Input<number>;
  /** AMI to boot instead of the looked-up GPU AMI; it must have Docker, the NVIDIA driver and `nvidia-ctk`. @default - the newest {@link DEFAULT_AMI_NAME_FILTER} */
  amiId?: pulumi.Input<string>;
  /** Subnet of the VM. @default - a default subnet of the VPC in an AZ that offers `instanceType` */
  subnetId?: pulumi.Input<string>;
  /** VPC of the VM and its security group. @default - the subnet's VPC, else the region's default VPC */
  vpcId?: pulumi.Input<string>;
  /** Login user of the AMI; added to the `docker` group. @default "ubuntu" */
  sshUser?: string;
  /** OpenSSH public keys installed for `sshUser` by the first-boot script (public keys only). @default [] */
  sshAuthorizedKeys?: string[];
  /**
   * How SSH reaches the VM. `direct`: to its public (else private) IP, which needs `adminCidr`;
   * that IP changes if the VM is stopped and started. `ssm`: through AWS Systems Manager to the
   * stable instance id, no inbound port; needs the AWS CLI v2, the Session Manager plugin and
   * `ssm:StartSession` where Pulumi runs. Either way the host key is pinned per instance id.
   * @default - "direct" when `adminCidr` is set, else "ssm"
   */
  sshTransport?: "direct" | "ssm";
  /** Model weights directory on the root volume, for model servers to mount. @default "/opt/shoestring/models" */
  modelCacheDir?: string;
  /** How long `pulumi up` waits for the VM's first-boot script, in seconds. @default 900 */
  readyTimeoutSeconds?: number;
  /** Tags on every AWS resource, merged over `{ Name: <name> }`. @default {} */
  tags?: Record<string, string>;
}
