/**
 * @module The VPC of an EKS {@link Cluster} (internal): public subnets with an internet gateway for
 * load balancers and NAT, private subnets for nodes and pods, routed out through NAT.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "./_cluster-cidrs";
import { EKS_UNSUPPORTED_ZONE_IDS, type NatGatewayMode } from "./cluster-args";

/** What {@link createClusterNetwork} needs, defaults already applied. */
export interface ClusterNetworkInput {
  region: pulumi.Input<string>;
  vpcCidr: string;
  zoneCount: number;
  natGateways: NatGatewayMode;
  tags: Record<string, string>;
}

/** The network the cluster and its node groups are placed in. */
export interface ClusterNetwork {
  vpc: aws.ec2.Vpc;
  /** Zone names, in subnet order. */
  zones: pulumi.Output<string[]>;
  publicSubnetIds: pulumi.Output<string>[];
  privateSubnetIds: pulumi.Output<string>[];
  natGateways: aws.ec2.NatGateway[];
}

// Subnet role tags the AWS Load Balancer Controller (and the in-tree service controller) use to
// find subnets for internet-facing and internal load balancers.
// https://docs.aws.amazon.com/eks/latest/userguide/network-load-balancing.html
const PUBLIC_ELB_TAG = { "kubernetes.io/role/elb": "1" };
const INTERNAL_ELB_TAG = { "kubernetes.io/role/internal-elb": "1" };

/** Creates the VPC, subnets, gateways and routes as children of `parent`. */
export function createClusterNetwork(name: string, input: ClusterNetworkInput, parent: pulumi.Resource): ClusterNetwork {
  const { region, zoneCount, tags } = input;
  const opts = { parent };
  const plan = planSubnets(input.vpcCidr, zoneCount);
  const named = (suffix: string) => ({ ...tags, Name: `${name}-${suffix}` });

  const available = aws.getAvailabilityZonesOutput(
    {
      region,
      state: "available",
      excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
      // Local and Wavelength zones are opt-in; EKS control planes cannot use them.
      filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    },
    opts,
  );
  const zones = pulumi.all([available.names, region]).apply(([names, r]) => {
    // Sorted so the choice does not move when AWS answers in another order.
    const sorted = [...names].sort();
    const chosen = sorted.slice(0, zoneCount);
    if (chosen.length < zoneCount) {
      const fix = names.length >= 2 ? `Set availabilityZoneCount to ${names.length}, or pick another region.` : "Pick another region.";
      throw new Error(
        `Cluster "${name}": region ${r} has ${names.length} availability zone(s) EKS can use (${sorted.join(", ") || "none"}) but availabilityZoneCount is ${zoneCount}. ${fix}`,
      );
    }
    return chosen;
  });

  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    { region, cidrBlock: input.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: named("vpc") },
    opts,
  );
  const igw = new aws.ec2.InternetGateway(`${name}-igw`, { region, vpcId: vpc.id, tags: named("igw") }, opts);
  const publicRoutes = new aws.ec2.RouteTable(
    `${name}-public-rt`,
    { region, vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: named("public") },
    opts,
  );

  const publicSubnets = plan.public.map((cidrBlock, i) => {
    const subnet = new aws.ec2.Subnet(
      `${name}-public-${i}`,
      {
        region,
        vpcId: vpc.id,
        cidrBlock,
        availabilityZone: zones.apply((z) => z[i] as string),
        // Nodes live in private subnets; public addresses are for load balancers and NAT only.
        mapPublicIpOnLaunch: false,
        tags: { ...named(`public-${i}`), ...PUBLIC_ELB_TAG },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { region, subnetId: subnet.id, routeTableId: publicRoutes.id }, opts);
    return subnet;
  });

  const natCount = input.natGateways === "per-zone" ? zoneCount : 1;
  const natGateways = Array.from({ length: natCount }, (_, i) => {
    const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { region, domain: "vpc", tags: named(`nat-${i}`) }, opts);
    return new aws.ec2.NatGateway(
      `${name}-nat-${i}`,
      { region, allocationId: eip.id, subnetId: (publicSubnets[i] as aws.ec2.Subnet).id, tags: named(`nat-${i}`) },
      { parent, dependsOn: [igw] },
    );
  });

  const privateSubnets = plan.private.map((cidrBlock, i) => {
    const subnet = new aws.ec2.Subnet(
      `${name}-private-${i}`,
      {
        region,
        vpcId: vpc.id,
        cidrBlock,
        availabilityZone: zones.apply((z) => z[i] as string),
        tags: { ...named(`private-${i}`), ...INTERNAL_ELB_TAG },
      },
      opts,
    );
    const nat = natGateways[Math.min(i, natGateways.length - 1)] as aws.ec2.NatGateway;
    const routes = new aws.ec2.RouteTable(
      `${name}-private-${i}`,
      { region, vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: named(`private-${i}`) },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { region, subnetId: subnet.id, routeTableId: routes.id }, opts);
    return subnet;
  });

  return {
    vpc,
    zones,
    publicSubnetIds: publicSubnets.map((s) => s.id),
    privateSubnetIds: privateSubnets.map((s) => s.id),
    natGateways,
  };
}
