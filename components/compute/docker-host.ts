/**
 * @module `DockerHost`: where the stack's containers run. Gives every other Docker component a
 * `docker.Provider` plus facts about the host, for the three Docker target kinds.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { findInstance, INSTANCE_TYPES } from "../../src/planner/catalog/instances";
import { nearestNames } from "../../src/util/nearest";
import { createAwsGpuVm, resolveSshTransport } from "./_aws-gpu-vm";
import { identityFilePath, sshHostUrl, sshOptions, writeIdentityFile } from "./_ssh";
import {
  DEFAULT_BIND_ADDRESS,
  DEFAULT_GPU_COUNT,
  DEFAULT_KEY_DIR,
  DEFAULT_LOCAL_DOCKER_HOST,
  DEFAULT_SSH_PORT,
  type AwsGpuVmHostArgs,
  type DockerHostGpuArgs,
  type DockerLocalHostArgs,
  type DockerSshHostArgs,
  type SshIdentityArgs,
} from "./docker-host-args";
import { checkUserDataOptions } from "./user-data";

/** Arguments for {@link DockerHost}, chosen by `kind` like the stack config's `target`. */
export type DockerHostArgs = DockerLocalHostArgs | DockerSshHostArgs | AwsGpuVmHostArgs;

/** Facts every variant produces, before the provider is made. */
interface HostFacts {
  host: pulumi.Output<string>;
  sshOpts?: pulumi.Output<string[]>;
  address: pulumi.Output<string>;
  bindAddress: pulumi.Output<string>;
  gpuCount: pulumi.Output<number>;
  modelCacheDir?: string;
  dependsOn?: pulumi.Resource[];
}

/**
 * A Docker engine the stack deploys to: this machine's socket, a remote engine over SSH, or an EC2
 * GPU VM made here (GPU AMI, IMDSv2, encrypted gp3 root volume, SSM role, a security group that
 * opens only the router/TLS ports to `allowedCidrs` and SSH to `adminCidr`). SSH connections are
 * non-interactive (BatchMode) and pin host keys on first use. For a new VM the provider is only
 * configured once the VM's first-boot script has finished. The VM keeps its AMI and user-data
 * when newer ones appear; `pulumi up --replace` on the instance adopts them.
 * @example new DockerHost("edge", { kind: "docker-local", gpu: { type: "RTX-4090" } })
 */
export class DockerHost extends pulumi.ComponentResource {
  /** Docker provider for every container, network, volume and image on this host. */
  public readonly provider: docker.Provider;
  /** Docker daemon address, e.g. `unix:///var/run/docker.sock` or `ssh://ubuntu@203.0.113.10:22`. */
  public readonly host: pulumi.Output<string>;
  /** Options appended to `ssh` (none for a local socket): BatchMode, accept-new, `-i`, ProxyCommand. */
  public readonly sshOpts: pulumi.Output<string[]>;
  /** Host name or IP at which clients reach ports published on this host (`127.0.0.1` for a local socket). */
  public readonly address: pulumi.Output<string>;
  /** Address client-facing ports (router, TLS proxy) should publish on; `127.0.0.1` unless the host is meant to be reached from outside. */
  public readonly bindAddress: pulumi.Output<string>;
  /** NVIDIA GPUs on the host. */
  public readonly gpuCount: pulumi.Output<number>;
  /** True when `gpuCount > 0`. */
  public readonly hasGpu: pulumi.Output<boolean>;
  /** Host directory for model weights (the VM's root volume); undefined: use a Docker volume. */
  public readonly modelCacheDir: pulumi.Output<string | undefined>;
  /** EC2 instance id (`aws-gpu-vm` only). */
  public readonly instanceId: pulumi.Output<string | undefined>;
  /** Public IPv4 address (`aws-gpu-vm` in a public subnet only). */
  public readonly publicIp: pulumi.Output<string | undefined>;
  /** Public DNS name (`aws-gpu-vm` in a public subnet only). */
  public readonly publicDns: pulumi.Output<string | undefined>;

  constructor(name: string, args: DockerHostArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): invalid arguments register nothing.
    const errors = dockerHostArgsErrors(args);
    if (errors.length > 0) {
      const lines = errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`).join("\n");
      throw new pulumi.InputPropertiesError({ message: `Invalid arguments for DockerHost "${name}":\n${lines}`, errors });
    }
    super("shoestring:index:DockerHost", name, {}, opts);
    const none = pulumi.output(undefined as string | undefined);
    let facts: HostFacts;
    this.instanceId = none;
    this.publicIp = none;
    this.publicDns = none;
    switch (args.kind) {
      case "docker-local":
        facts = localFacts(args);
        break;
      case "docker-ssh":
        facts = sshFacts(name, args, identityFile(name, args));
        break;
      case "aws-gpu-vm": {
        const vm = createAwsGpuVm(name, args, identityFile(name, args), this);
        facts = { ...vm, dependsOn: [vm.ready] };
        this.instanceId = vm.instance.id;
        this.publicIp = vm.instance.publicIp;
        this.publicDns = vm.instance.publicDns;
        break;
      }
    }
    this.provider = new docker.Provider(
      `${name}-docker`,
      { host: facts.host, sshOpts: facts.sshOpts },
      { parent: this, dependsOn: facts.dependsOn },
    );
    this.host = facts.host;
    this.sshOpts = facts.sshOpts ?? pulumi.output([]);
    this.address = facts.address;
    this.bindAddress = facts.bindAddress;
    this.gpuCount = facts.gpuCount;
    this.hasGpu = facts.gpuCount.apply((n) => n > 0);
    this.modelCacheDir = pulumi.output(facts.modelCacheDir);
    this.registerOutputs({
      provider: this.provider,
      host: this.host,
      sshOpts: this.sshOpts,
      address: this.address,
      bindAddress: this.bindAddress,
      gpuCount: this.gpuCount,
      hasGpu: this.hasGpu,
      modelCacheDir: this.modelCacheDir,
      instanceId: this.instanceId,
      publicIp: this.publicIp,
      publicDns: this.publicDns,
    });
  }
}

function gpuCountOf(gpu: DockerHostGpuArgs | undefined): pulumi.Output<number> {
  return gpu === undefined ? pulumi.output(0) : pulumi.output(gpu.count ?? DEFAULT_GPU_COUNT);
}

function localFacts(args: DockerLocalHostArgs): HostFacts {
  const host = pulumi.output(args.host ?? DEFAULT_LOCAL_DOCKER_HOST);
  return {
    host,
    address: host.apply(addressOfDockerHost),
    bindAddress: pulumi.output(args.bindAddress ?? DEFAULT_BIND_ADDRESS),
    gpuCount: gpuCountOf(args.gpu),
  };
}

function sshFacts(name: string, args: DockerSshHostArgs, identity: pulumi.Output<string | undefined>): HostFacts {
  const port = args.port ?? DEFAULT_SSH_PORT;
  return {
    host: pulumi.all([args.user, args.host, port]).apply(([user, host, p]) => sshHostUrl(user, host, p)),
    sshOpts: identity.apply((identityFile) => sshOptions({ identityFile })),
    address: pulumi.output(args.host),
    bindAddress: pulumi.output(args.bindAddress ?? DEFAULT_BIND_ADDRESS),
    gpuCount: gpuCountOf(args.gpu),
  };
}

/** The host part of a Docker daemon URL; loopback for sockets and pipes. */
export function addressOfDockerHost(host: string): string {
  const match = /^(?:tcp|ssh|http|https):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(host);
  return match?.[1]?.replace(/^\[|\]$/g, "") ?? "127.0.0.1";
}

/**
 * The `-i` path for `ssh`: `identityFile` as given, or `privateKey` written to the key directory
 * (see {@link SshIdentityArgs}). Only the path leaves this function, never secret-marked.
 */
function identityFile(name: string, args: SshIdentityArgs): pulumi.Output<string | undefined> {
  if (args.identityFile !== undefined) return pulumi.output(args.identityFile);
  if (args.privateKey === undefined) return pulumi.output(undefined);
  const file = identityFilePath(args.keyDir ?? DEFAULT_KEY_DIR, [pulumi.getProject(), pulumi.getStack(), name]);
  const written = pulumi.output(args.privateKey).apply((key) => {
    try {
      writeIdentityFile(file, key);
    } catch (err) {
      throw new Error(
        `DockerHost "${name}": privateKey ${(err as Error).message}. Store an unencrypted key in the stack secret, or load the key with ssh-add and leave privateKey unset.`,
      );
    }
    return file as string | undefined;
  });
  return pulumi.unsecret(written);
}

const SSH_USER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;
// No leading '-': ssh would read the host as an option.
const HOST_NAME = /^[A-Za-z0-9:][A-Za-z0-9.:-]*$/;

/** Cross-field problems types cannot express, all at once (STYLE R5). Plain values only. */
export function dockerHostArgsErrors(args: DockerHostArgs): pulumi.InputPropertyErrorDetails[] {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const add = (propertyPath: string, reason: string) => errors.push({ propertyPath, reason });
  if (args.kind === "docker-local") return errors;
  if (args.privateKey !== undefined && args.identityFile !== undefined) {
    add("privateKey", "set together with identityFile (got both). Keep one: privateKey for a key held as a stack secret, identityFile for a key file on this machine.");
  }
  if (args.kind === "docker-ssh") {
    if (typeof args.user === "string" && !SSH_USER.test(args.user)) {
      add("user", `not a valid SSH user name (got ${JSON.stringify(args.user)}; allowed: letters, digits, '.', '_', '-'). Use the remote account in the docker group.`);
    }
    if (typeof args.host === "string" && !HOST_NAME.test(args.host)) {
      add("host", `not a host name or IP address (got ${JSON.stringify(args.host)}). Give the bare name, e.g. gpu-box.lan; user and port have their own fields.`);
    }
    return errors;
  }
  if (typeof args.instanceType === "string" && args.gpuCount === undefined && findInstance(args.instanceType) === undefined) {
    const near = nearestNames(args.instanceType, INSTANCE_TYPES).join(", ");
    add("instanceType", `"${args.instanceType}" is not in the instance catalog, so its GPU count is unknown (nearest: ${near}). Fix the type, or set gpuCount.`);
  }
  if (args.keyPairName === undefined && (args.sshAuthorizedKeys ?? []).length === 0 && args.amiId === undefined) {
    add("keyPairName", "unset, and no sshAuthorizedKeys: the VM would trust no SSH key, so Docker over SSH cannot log in. Set keyPairName to an EC2 key pair whose private key you hold (ssh-agent, identityFile or privateKey), or add your public key to sshAuthorizedKeys.");
  }
  if (resolveSshTransport(args) === "direct" && args.adminCidr === undefined) {
    add("sshTransport", `"direct" needs adminCidr (got none; the security group opens SSH only to adminCidr). Set adminCidr to your address, e.g. 198.51.100.7/32, or use sshTransport "ssm".`);
  }
  if (args.readyTimeoutSeconds !== undefined && !(Number.isFinite(args.readyTimeoutSeconds) && args.readyTimeoutSeconds > 0)) {
    add("readyTimeoutSeconds", `must be a positive number of seconds (got ${args.readyTimeoutSeconds}). The default is 900.`);
  }
  for (const issue of checkUserDataOptions({ sshUser: args.sshUser, modelCacheDir: args.modelCacheDir, sshAuthorizedKeys: args.sshAuthorizedKeys })) {
    add(issue.path, issue.reason);
  }
  return errors;
}
