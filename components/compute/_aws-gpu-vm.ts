/**
 * @module The EC2 side of an `aws-gpu-vm` {@link DockerHost} (internal): GPU AMI lookup, network
 * choice, IAM role for SSM, security group, the instance, and the readiness gate Docker waits on.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { findInstance } from "../../src/planner/catalog/instances";
import { HostReady } from "./_host-ready";
import { ingressRules, SSH_PORT } from "./_ingress-rules";
import { sshHostUrl, sshOptions, ssmProxyCommand } from "./_ssh";
import {
  DEFAULT_AMI_NAME_FILTER,
  DEFAULT_AMI_OWNER,
  DEFAULT_BIND_ADDRESS,
  DEFAULT_READY_INTERVAL_SECONDS,
  DEFAULT_READY_TIMEOUT_SECONDS,
  DEFAULT_VOLUME_GIB,
  type AwsGpuVmHostArgs,
} from "./docker-host-args";
import { DEFAULT_MODEL_CACHE_DIR, DEFAULT_SSH_USER, USER_DATA_DONE_MARKER, renderUserData } from "./user-data";

/** What an `aws-gpu-vm` host hands back to {@link DockerHost}. */
export interface AwsGpuVm {
  instance: aws.ec2.Instance;
  securityGroup: aws.ec2.SecurityGroup;
  ready: HostReady;
  /** `ssh://user@<ip or instance id>:22`, known once the host is ready. */
  host: pulumi.Output<string>;
  sshOpts: pulumi.Output<string[]>;
  address: pulumi.Output<string>;
  bindAddress: pulumi.Output<string>;
  gpuCount: pulumi.Output<number>;
  modelCacheDir: string;
}

/** SSH transport after defaults: direct when an admin CIDR opens port 22, else SSM. */
export function resolveSshTransport(args: Pick<AwsGpuVmHostArgs, "sshTransport" | "adminCidr">): "direct" | "ssm" {
  return args.sshTransport ?? (args.adminCidr === undefined ? "ssm" : "direct");
}

/** Creates the VM and its surroundings as children of `parent`. Args are already validated. */
export function createAwsGpuVm(
  name: string,
  args: AwsGpuVmHostArgs,
  identityFile: pulumi.Output<string | undefined>,
  parent: pulumi.Resource,
): AwsGpuVm {
  // Resources get `region` only when asked; otherwise the AWS provider's region applies, and the
  // SSM ProxyCommand must name that same region explicitly (the AWS CLI has its own default).
  const region = args.region;
  const regionName = args.region ?? aws.getRegionOutput({}, { parent }).region;
  const user = args.sshUser ?? DEFAULT_SSH_USER;
  const modelCacheDir = args.modelCacheDir ?? DEFAULT_MODEL_CACHE_DIR;
  const allowedCidrs = pulumi.output(args.allowedCidrs ?? []);
  const transport = resolveSshTransport(args);
  const tags = { Name: name, ...args.tags };
  const opts = { parent };

  const ami = args.amiId ?? aws.ec2.getAmiOutput(
    {
      region,
      owners: [DEFAULT_AMI_OWNER],
      mostRecent: true,
      filters: [
        { name: "name", values: [DEFAULT_AMI_NAME_FILTER] },
        { name: "architecture", values: ["x86_64"] },
        { name: "state", values: ["available"] },
      ],
    },
    opts,
  ).id;
  const { vpcId, subnetId } = chooseNetwork(args, region, opts);

  const partition = aws.getPartitionOutput({}, opts);
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: `Shoestring Docker host ${name}: EC2 instance role (SSM access)`,
      assumeRolePolicy: partition.dnsSuffix.apply((suffix) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${suffix}` }, Action: "sts:AssumeRole" }],
        }),
      ),
      tags,
    },
    opts,
  );
  const ssm = new aws.iam.RolePolicyAttachment(
    `${name}-ssm`,
    { role: role.name, policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` },
    opts,
  );
  const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags }, opts);

  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      region,
      vpcId,
      description: "Shoestring Docker host: router and TLS from allowed CIDRs, SSH from the admin CIDR",
      ingress: pulumi
        .all([args.routerPort, allowedCidrs, args.adminCidr])
        .apply(([routerPort, cidrs, adminCidr]) =>
          ingressRules({ routerPort, allowedCidrs: cidrs, tls: args.domain !== undefined, adminCidr }),
        ),
      egress: [
        { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "all outbound" },
      ],
      tags,
    },
    opts,
  );

  const instance = new aws.ec2.Instance(
    `${name}-instance`,
    {
      region,
      ami,
      instanceType: args.instanceType,
      subnetId,
      vpcSecurityGroupIds: [securityGroup.id],
      iamInstanceProfile: profile.name,
      keyName: args.keyPairName,
      userData: renderUserData({ sshUser: user, modelCacheDir, sshAuthorizedKeys: args.sshAuthorizedKeys }),
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: args.volumeGiB ?? DEFAULT_VOLUME_GIB,
        iops: args.volumeIops,
        throughput: args.volumeThroughputMiBps,
        encrypted: true,
        deleteOnTermination: true,
        tags,
      },
      // IMDSv2 only; hop limit 2 so containers (one bridge hop away) still reach the metadata service.
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
      // instanceMarketOptions keeps this an ordinary aws.ec2.Instance (same outputs, tags, lifecycle);
      // aws.ec2.SpotInstanceRequest is a separate request whose instance Pulumi does not own.
      instanceMarketOptions: pulumi.output(args.spot ?? false).apply((spot) =>
        spot
          ? { marketType: "spot", spotOptions: { spotInstanceType: "one-time", instanceInterruptionBehavior: "terminate" } }
          : undefined,
      ),
      tags,
    },
    {
      parent,
      dependsOn: [ssm],
      // A new DLAMI build every few weeks must not replace a running VM (and drop its model
      // cache); user-data only runs on first boot, so updating it would only stop/start the VM.
      // `pulumi up --replace <instance urn>` picks up both.
      ignoreChanges: args.amiId === undefined ? ["ami", "userData"] : ["userData"],
    },
  );

  const address = pulumi
    .all([instance.publicIp, instance.privateIp])
    .apply(([publicIp, privateIp]) => (publicIp !== undefined && publicIp !== "" ? publicIp : privateIp));
  const destination = transport === "ssm" ? instance.id : address;
  const sshOpts = pulumi.all([instance.id, identityFile, regionName]).apply(([id, file, r]) =>
    sshOptions(
      transport === "ssm"
        ? { identityFile: file, proxyCommand: ssmProxyCommand(r) }
        : { identityFile: file, hostKeyAlias: id },
    ),
  );
  const ready = new HostReady(
    `${name}-ready`,
    {
      destination,
      user,
      port: SSH_PORT,
      sshOpts,
      marker: USER_DATA_DONE_MARKER,
      timeoutSeconds: args.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS,
      intervalSeconds: DEFAULT_READY_INTERVAL_SECONDS,
      hint: pulumi.interpolate`Read /var/log/cloud-init-output.log on the VM (aws ssm start-session --target ${instance.id} --region ${regionName}), fix the cause, then run pulumi up again.`,
    },
    { parent, dependsOn: [instance] },
  );

  const gpuCount =
    args.gpuCount === undefined
      ? pulumi.output(args.instanceType).apply((type) => {
          const spec = findInstance(type);
          if (spec === undefined) throw new Error(`DockerHost "${name}": instanceType "${type}" is not in the instance catalog; set gpuCount.`);
          return spec.gpuCount;
        })
      : pulumi.output(args.gpuCount);

  return {
    instance,
    securityGroup,
    ready,
    host: pulumi.all([ready.destination, user]).apply(([dest, u]) => sshHostUrl(u, dest, SSH_PORT)),
    sshOpts,
    address,
    bindAddress: allowedCidrs.apply((cidrs) => (cidrs.length > 0 ? "0.0.0.0" : DEFAULT_BIND_ADDRESS)),
    gpuCount,
    modelCacheDir,
  };
}

/** Explicit subnet/VPC when given; else a subnet of the (default) VPC in an AZ offering the type. */
function chooseNetwork(
  args: AwsGpuVmHostArgs,
  region: pulumi.Input<string> | undefined,
  opts: pulumi.InvokeOutputOptions,
): { vpcId: pulumi.Input<string>; subnetId: pulumi.Input<string> } {
  if (args.subnetId !== undefined) {
    return { subnetId: args.subnetId, vpcId: args.vpcId ?? aws.ec2.getSubnetOutput({ id: args.subnetId, region }, opts).vpcId };
  }
  const vpcId = args.vpcId ?? aws.ec2.getVpcOutput({ default: true, region }, opts).id;
  const offerings = aws.ec2.getInstanceTypeOfferingsOutput(
    { region, locationType: "availability-zone", filters: [{ name: "instance-type", values: [args.instanceType] }] },
    opts,
  );
  const zones = pulumi.all([offerings.locations, args.instanceType, offerings.region]).apply(([locations, type, r]) => {
    if (locations.length === 0) {
      throw new Error(`instanceType "${type}" is not offered in any availability zone of ${r}. Pick another region or instance type.`);
    }
    return [...locations].sort();
  });
  const subnets = aws.ec2.getSubnetsOutput(
    {
      region,
      filters: [
        { name: "vpc-id", values: [vpcId] },
        { name: "availability-zone", values: zones },
        ...(args.vpcId === undefined ? [{ name: "default-for-az", values: ["true"] }] : []),
      ],
    },
    opts,
  );
  const subnetId = pulumi.all([subnets.ids, vpcId, args.instanceType]).apply(([ids, vpc, type]) => {
    // The API returns subnets in no fixed order; sorting keeps the choice (and the VM) stable.
    const first = [...ids].sort()[0];
    if (first === undefined) {
      throw new Error(`no subnet of ${vpc} is in an availability zone that offers ${type}. Set subnetId (or vpcId) explicitly.`);
    }
    return first;
  });
  return { vpcId, subnetId };
}
