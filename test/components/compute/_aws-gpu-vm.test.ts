import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { DockerHost, renderUserData, type AwsGpuVmHostArgs } from "../../../components/compute";
import { byName, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";

const T = {
  component: "shoestring:index:DockerHost",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  instance: "aws:ec2/instance:Instance",
  ready: "pulumi-nodejs:dynamic/shoestring:HostReady",
  provider: "pulumi:providers:docker",
};
const BASE_OPTS = ["-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes"];
const SSM_PROXY =
  "ProxyCommand=aws ssm start-session --target %h --document-name AWS-StartSSHSession --parameters portNumber=%p --region us-east-1";
const EGRESS = [
  { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "all outbound" },
];

// What the stack config passes (its region default included).
const base: AwsGpuVmHostArgs = { kind: "aws-gpu-vm", region: "us-east-1", instanceType: "g6e.xlarge", routerPort: 8080, keyPairName: "ops" };

describe("DockerHost on aws-gpu-vm", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks({
      // Unsorted on purpose: the component must pick the same subnet whatever order AWS answers in.
      calls: (a) => (a.token === "aws:ec2/getSubnets:getSubnets" ? { ids: ["subnet-0bbb", "subnet-0aaa"] } : undefined),
    });
  });

  /** Builds a host, waits for everything it registers, and returns it with the invokes it made. */
  async function build(name: string, overrides: Partial<AwsGpuVmHostArgs> = {}) {
    const before = recorded.calls.length;
    const host = new DockerHost(name, { ...base, ...overrides } as AwsGpuVmHostArgs);
    await unwrap(pulumi.all([host.host, host.gpuCount, host.address]));
    await settle();
    expectRegistered(recorded);
    const calls = recorded.calls.slice(before);
    const call = (token: string) => calls.filter((c) => c.token === token).map((c) => c.inputs);
    return { host, call, inputs: (type: string, role: string) => byName(recorded, type, `${name}-${role}`).inputs };
  }

  it("makes a role, SSM attachment, profile, security group, instance, readiness gate and provider", async () => {
    const { inputs } = await build("gpu");
    const family = recorded.resources.filter((r) => r.name === "gpu" || r.name.startsWith("gpu-")).map((r) => `${r.type}::${r.name}`);
    expect(family.sort()).toEqual(
      [
        `${T.component}::gpu`,
        `${T.role}::gpu-role`,
        `${T.attachment}::gpu-ssm`,
        `${T.profile}::gpu-profile`,
        `${T.sg}::gpu-sg`,
        `${T.instance}::gpu-instance`,
        `${T.ready}::gpu-ready`,
        `${T.provider}::gpu-docker`,
      ].sort(),
    );
    expect(JSON.parse(inputs(T.role, "role").assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(inputs(T.attachment, "ssm").policyArn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    expect(inputs(T.profile, "profile").role).toBe("gpu-role");
  });

  it("boots the looked-up GPU AMI with IMDSv2 required, hop limit 2 and an encrypted gp3 root volume", async () => {
    const { call, inputs, host } = await build("vm", { volumeGiB: 500, volumeIops: 6000, volumeThroughputMiBps: 500, tags: { team: "ml" } });
    expect(call("aws:ec2/getAmi:getAmi")).toEqual([
      {
        region: "us-east-1",
        owners: ["amazon"],
        mostRecent: true,
        filters: [
          { name: "name", values: ["Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *"] },
          { name: "architecture", values: ["x86_64"] },
          { name: "state", values: ["available"] },
        ],
      },
    ]);
    const vm = inputs(T.instance, "instance");
    expect(vm.ami).toBe("ami-0123456789abcdef0");
    expect(vm.instanceType).toBe("g6e.xlarge");
    expect(vm.region).toBe("us-east-1");
    expect(vm.keyName).toBe("ops");
    expect(vm.iamInstanceProfile).toBe("vm-profile");
    expect(vm.vpcSecurityGroupIds).toEqual(["vm-sg-id"]);
    expect(vm.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 });
    expect(vm.rootBlockDevice).toEqual({
      volumeType: "gp3",
      volumeSize: 500,
      iops: 6000,
      throughput: 500,
      encrypted: true,
      deleteOnTermination: true,
      tags: { Name: "vm", team: "ml" },
    });
    expect(vm.tags).toEqual({ Name: "vm", team: "ml" });
    expect(vm.instanceMarketOptions).toBeUndefined();
    expect(vm.userData).toBe(renderUserData({ sshUser: "ubuntu", modelCacheDir: "/opt/shoestring/models" }));
    expect(await unwrap(pulumi.all([host.instanceId, host.publicIp, host.publicDns, host.modelCacheDir]))).toEqual([
      "vm-instance-id",
      "203.0.113.10",
      "ec2-203-0-113-10.compute-1.amazonaws.com",
      "/opt/shoestring/models",
    ]);
  });

  it("sizes the root volume at 200 GiB by default", async () => {
    const { inputs } = await build("disk");
    expect(inputs(T.instance, "instance").rootBlockDevice.volumeSize).toBe(200);
  });

  it("boots an explicit AMI without looking one up", async () => {
    const { call, inputs } = await build("pinned", { amiId: "ami-0fffffffffffffff0" });
    expect(call("aws:ec2/getAmi:getAmi")).toEqual([]);
    expect(inputs(T.instance, "instance").ami).toBe("ami-0fffffffffffffff0");
  });

  it.each([
    ["no CIDRs and no admin", {}, [], "127.0.0.1"],
    [
      "one allowed CIDR",
      { allowedCidrs: ["203.0.113.0/24"] },
      [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["203.0.113.0/24"], description: "router (OpenAI-compatible API)" }],
      "0.0.0.0",
    ],
    [
      "an admin CIDR only",
      { adminCidr: "198.51.100.7/32" },
      [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["198.51.100.7/32"], description: "SSH (admin, Docker over SSH)" }],
      "127.0.0.1",
    ],
    [
      "two CIDRs (one repeated), a domain and an admin: TLS only, the plain router port stays closed",
      { allowedCidrs: ["10.0.0.0/8", "192.168.1.0/24", "10.0.0.0/8"], domain: "llm.example.com", adminCidr: "198.51.100.7/32", routerPort: 9000 },
      [
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8", "192.168.1.0/24"], description: "router over TLS" },
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["198.51.100.7/32"], description: "SSH (admin, Docker over SSH)" },
      ],
      "0.0.0.0",
    ],
    [
      "a domain but no allowed CIDR",
      { domain: "llm.example.com" },
      [],
      "127.0.0.1",
    ],
    [
      "the whole internet, explicitly",
      { allowedCidrs: ["0.0.0.0/0"] },
      [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"], description: "router (OpenAI-compatible API)" }],
      "0.0.0.0",
    ],
  ] as const)("opens exactly the expected ports for %s", async (label, overrides, ingress, bindAddress) => {
    const name = `sg-${label.replace(/[^a-z]+/g, "-")}`;
    const { inputs, host } = await build(name, overrides as Partial<AwsGpuVmHostArgs>);
    const sg = inputs(T.sg, "sg");
    expect(sg.ingress ?? []).toEqual(ingress);
    expect(sg.egress).toEqual(EGRESS);
    expect(sg.vpcId).toBe("vpc-0123456789abcdef0");
    if (!JSON.stringify(overrides).includes("0.0.0.0/0")) expect(JSON.stringify(sg.ingress ?? [])).not.toContain("0.0.0.0/0");
    expect(await unwrap(host.bindAddress)).toBe(bindAddress);
  });

  it("requests a one-time spot instance only when spot is on", async () => {
    const on = await build("spot-on", { spot: true });
    expect(on.inputs(T.instance, "instance").instanceMarketOptions).toEqual({
      marketType: "spot",
      spotOptions: { spotInstanceType: "one-time", instanceInterruptionBehavior: "terminate" },
    });
    const off = await build("spot-off", { spot: false });
    expect(off.inputs(T.instance, "instance").instanceMarketOptions).toBeUndefined();
  });

  it("picks the lowest-sorted default subnet in an AZ that offers the instance type", async () => {
    const { call, inputs } = await build("net", { instanceType: "p5.48xlarge" });
    expect(call("aws:ec2/getVpc:getVpc")).toEqual([{ default: true, region: "us-east-1" }]);
    expect(call("aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings")).toEqual([
      { region: "us-east-1", locationType: "availability-zone", filters: [{ name: "instance-type", values: ["p5.48xlarge"] }] },
    ]);
    expect(call("aws:ec2/getSubnets:getSubnets")).toEqual([
      {
        region: "us-east-1",
        filters: [
          { name: "vpc-id", values: ["vpc-0123456789abcdef0"] },
          { name: "availability-zone", values: ["us-east-1a", "us-east-1b"] },
          { name: "default-for-az", values: ["true"] },
        ],
      },
    ]);
    expect(inputs(T.instance, "instance").subnetId).toBe("subnet-0aaa");
  });

  it("uses an explicit subnet and finds its VPC", async () => {
    const { call, inputs } = await build("subnet", { subnetId: "subnet-0123" });
    expect(call("aws:ec2/getSubnet:getSubnet")).toEqual([{ id: "subnet-0123", region: "us-east-1" }]);
    expect(call("aws:ec2/getSubnets:getSubnets")).toEqual([]);
    expect(call("aws:ec2/getVpc:getVpc")).toEqual([]);
    expect(inputs(T.instance, "instance").subnetId).toBe("subnet-0123");
    expect(inputs(T.sg, "sg").vpcId).toBe("vpc-0fedcba9876543210");
  });

  it("looks for any subnet of an explicit VPC, not only default ones", async () => {
    const { call, inputs } = await build("vpc", { vpcId: "vpc-0aaa", region: "eu-west-1" });
    expect(call("aws:ec2/getVpc:getVpc")).toEqual([]);
    expect(call("aws:ec2/getSubnets:getSubnets")[0]?.filters).toEqual([
      { name: "vpc-id", values: ["vpc-0aaa"] },
      { name: "availability-zone", values: ["us-east-1a", "us-east-1b"] },
    ]);
    expect(inputs(T.sg, "sg")).toMatchObject({ vpcId: "vpc-0aaa", region: "eu-west-1" });
    expect(inputs(T.instance, "instance").region).toBe("eu-west-1");
  });

  it("leaves the region to the AWS provider when none is given, and tells the SSM proxy which one that is", async () => {
    const { call, inputs, host } = await build("provider-region", { region: undefined });
    expect(call("aws:index/getRegion:getRegion")).toEqual([{}]);
    expect(call("aws:ec2/getAmi:getAmi")[0]?.region).toBeUndefined();
    expect(inputs(T.instance, "instance").region).toBeUndefined();
    expect(inputs(T.sg, "sg").region).toBeUndefined();
    expect(await unwrap(host.sshOpts)).toEqual([...BASE_OPTS, "-o", SSM_PROXY]);
  });

  it("reaches the VM through SSM by instance id when no admin CIDR opens SSH", async () => {
    const { host, inputs } = await build("ssm", { region: "us-east-1" });
    expect(await unwrap(host.host)).toBe("ssh://ubuntu@ssm-instance-id:22");
    const opts = [...BASE_OPTS, "-o", SSM_PROXY];
    expect(await unwrap(host.sshOpts)).toEqual(opts);
    expect(JSON.parse(inputs(T.provider, "docker").sshOpts)).toEqual(opts);
    expect(inputs(T.provider, "docker").host).toBe("ssh://ubuntu@ssm-instance-id:22");
    expect(inputs(T.ready, "ready")).toMatchObject({
      destination: "ssm-instance-id",
      user: "ubuntu",
      port: 22,
      sshOpts: opts,
      marker: "/var/lib/shoestring/user-data.done",
      timeoutSeconds: 900,
      intervalSeconds: 10,
    });
  });

  it("reaches the VM directly at its public IP, pinning the host key to the instance id", async () => {
    const { host, inputs } = await build("direct", { adminCidr: "198.51.100.7/32", identityFile: "/keys/ops.pem", readyTimeoutSeconds: 300 });
    const opts = [...BASE_OPTS, "-o", "HostKeyAlias=direct-instance-id", "-i", "/keys/ops.pem"];
    expect(await unwrap(pulumi.all([host.host, host.sshOpts, host.address]))).toEqual(["ssh://ubuntu@203.0.113.10:22", opts, "203.0.113.10"]);
    expect(inputs(T.provider, "docker").host).toBe("ssh://ubuntu@203.0.113.10:22");
    expect(inputs(T.ready, "ready")).toMatchObject({ destination: "203.0.113.10", sshOpts: opts, timeoutSeconds: 300 });
  });

  it("takes the GPU count from the instance catalog, or from gpuCount for an uncatalogued type", async () => {
    const big = await build("p5", { instanceType: "p5.48xlarge" });
    expect(await unwrap(pulumi.all([big.host.gpuCount, big.host.hasGpu]))).toEqual([8, true]);
    expect(big.inputs(T.instance, "instance").instanceType).toBe("p5.48xlarge");
    const custom = await build("g7", { instanceType: "g7.xlarge", gpuCount: 1 });
    expect(await unwrap(custom.host.gpuCount)).toBe(1);
    expect(custom.inputs(T.instance, "instance").instanceType).toBe("g7.xlarge");
  });

  it("installs extra public keys and a custom model cache through the user-data", async () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9wcw ops@laptop";
    const { inputs, host } = await build("keys", { keyPairName: undefined, sshAuthorizedKeys: [key], modelCacheDir: "/data/models" });
    const vm = inputs(T.instance, "instance");
    expect(vm.keyName).toBeUndefined();
    expect(vm.userData).toBe(renderUserData({ sshUser: "ubuntu", modelCacheDir: "/data/models", sshAuthorizedKeys: [key] }));
    expect(await unwrap(host.modelCacheDir)).toBe("/data/models");
  });

  it("refuses a VM nobody could log in to, and every other bad argument, at once, registering nothing", async () => {
    expect(
      () =>
        new DockerHost("bad-vm", {
          kind: "aws-gpu-vm",
          instanceType: "g6e.xlarg",
          routerPort: 8080,
          sshTransport: "direct",
          sshUser: "Ubuntu User",
          modelCacheDir: "/etc",
          readyTimeoutSeconds: 0,
        }),
    ).toThrow(
      [
        'Invalid arguments for DockerHost "bad-vm":',
        '  - instanceType: "g6e.xlarg" is not in the instance catalog, so its GPU count is unknown (nearest: g6e.xlarge, g6.xlarge, g6e.2xlarge). Fix the type, or set gpuCount.',
        "  - keyPairName: unset, and no sshAuthorizedKeys: the VM would trust no SSH key, so Docker over SSH cannot log in. Set keyPairName to an EC2 key pair whose private key you hold (ssh-agent, identityFile or privateKey), or add your public key to sshAuthorizedKeys.",
        '  - sshTransport: "direct" needs adminCidr (got none; the security group opens SSH only to adminCidr). Set adminCidr to your address, e.g. 198.51.100.7/32, or use sshTransport "ssm".',
        "  - readyTimeoutSeconds: must be a positive number of seconds (got 0). The default is 900.",
        '  - sshUser: not a valid Linux user name (got "Ubuntu User"; expected ^[a-z_][a-z0-9_-]{0,31}$). Use the AMI\'s login user, e.g. "ubuntu".',
        '  - modelCacheDir: a system directory (got "/etc"; the script would chown it root:docker and chmod it 0775). Use a dedicated directory such as "/opt/shoestring/models".',
      ].join("\n"),
    );
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("bad-vm"))).toEqual([]);
  });
});
