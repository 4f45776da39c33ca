/**
 * @module Arguments of {@link Cluster}, their defaults (taken from the stack config schema where it
 * has one) and the checks types cannot express.
 */
import type * as pulumi from "@pulumi/pulumi";
import { EksTargetSchema } from "../../src/config/target";
import { ZONE_COUNTS, ipv4CidrIssue, vpcCidrIssue } from "./_cluster-cidrs";

const eksShape = EksTargetSchema.shape;
const systemDefaults = eksShape.systemNodeGroup.parse(undefined);

/** AWS region when none is given: the stack config's default. */
export const DEFAULT_EKS_REGION: string = eksShape.region.parse(undefined);
/** EKS Kubernetes version when none is given: the stack config's default. */
export const DEFAULT_KUBERNETES_VERSION: string = eksShape.kubernetesVersion.parse(undefined);
/** Instance type of the system nodes: the stack config's default. */
export const DEFAULT_SYSTEM_INSTANCE_TYPE: string = systemDefaults.instanceType;
/** Number of system nodes: the stack config's default. */
export const DEFAULT_SYSTEM_NODE_COUNT: number = systemDefaults.size;
/** Root volume of a system node, GiB: images of the router, Redis, Prometheus and Grafana. */
export const DEFAULT_SYSTEM_DISK_GIB = 50;
/** VPC address range. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
/** Zones the VPC and node groups span. */
export const DEFAULT_ZONE_COUNT = 2;
/** One NAT gateway for the whole VPC (about 33 USD/month each, plus traffic). */
export const DEFAULT_NAT_GATEWAYS: NatGatewayMode = "single";
/** Control-plane logs sent to CloudWatch: who did what (`audit`) and who signed in (`authenticator`). */
export const DEFAULT_LOG_TYPES: readonly string[] = ["audit", "authenticator"];
/**
 * `STANDARD`: EKS upgrades the control plane when standard support ends, instead of moving it to
 * extended support, which bills 0.60 USD/hour instead of 0.10.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html
 */
export const DEFAULT_SUPPORT_TYPE: SupportType = "STANDARD";
/**
 * Zone IDs in which EKS cannot place control-plane subnets; the VPC never uses them.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** `single`: one NAT gateway in the first zone; `per-zone`: one per zone, so a zone outage cannot cut the others off. */
export type NatGatewayMode = "single" | "per-zone";
/** EKS upgrade policy. */
export type SupportType = "STANDARD" | "EXTENDED";

/**
 * An existing VPC to place an EKS {@link Cluster} in, for programs that already own their network:
 * no VPC, subnet, gateway or route is created, and the subnets are used as given.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 */
export interface ExistingVpcArgs {
  /** VPC id, e.g. `vpc-0123456789abcdef0`. */
  vpcId: pulumi.Input<string>;
  /**
   * Private subnets in at least two availability zones, with outbound internet access (NAT): the
   * control plane's network interfaces and every node are placed in them. Tag them
   * `kubernetes.io/role/internal-elb=1` for internal load balancers.
   */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Public subnets for internet-facing load balancers (tagged `kubernetes.io/role/elb=1`); only
   * reported as the cluster's `publicSubnetIds`.
   * @default []
   */
  publicSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
}

/** A new EKS cluster, in a new VPC unless `existingVpc` is given (stack config `target.kind: eks`). */
export interface EksClusterArgs {
  /** Selects this variant. */
  kind: "eks";
  /** AWS region. @default "us-east-1" (stack config default) */
  region?: pulumi.Input<string>;
  /** Kubernetes `major.minor`, e.g. `1.33`. @default "1.33" (stack config default) */
  kubernetesVersion?: pulumi.Input<string>;
  /** CPU nodes for the router, cache and monitoring (no taint). */
  systemNodeGroup?: {
    /** EC2 instance type. @default "t3.large" */
    instanceType?: pulumi.Input<string>;
    /** Number of nodes (fixed: min = max = desired). @default 2 */
    size?: pulumi.Input<number>;
    /** Root volume, GiB (gp3, encrypted). @default 50 */
    diskSizeGiB?: pulumi.Input<number>;
  };
  /**
   * IPv4 CIDRs allowed to reach the API server's public endpoint, e.g. your office or CI runner
   * `/32`. Empty: the public endpoint is off and the API is reachable only from inside the VPC
   * (run Pulumi and kubectl there, or over a VPN). The private endpoint is always on. Required, so
   * that exposing the API is a decision, never a default.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
   */
  publicAccessCidrs: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Place the cluster in this existing VPC instead of creating one. Exclusive with `vpcCidr`,
   * `availabilityZoneCount` and `natGateways`, which shape a new VPC.
   * @default - a new VPC
   */
  existingVpc?: ExistingVpcArgs;
  /** VPC CIDR, a /16 to /20; private subnets get a quarter each, public ones a sixteenth. @default "10.0.0.0/16" */
  vpcCidr?: string;
  /** Availability zones to span, 2 or 3. @default 2 */
  availabilityZoneCount?: number;
  /** NAT gateways for the private subnets' outbound traffic. @default "single" */
  natGateways?: NatGatewayMode;
  /**
   * IAM principal ARNs (roles or users) granted cluster admin through EKS access entries, besides
   * the identity that creates the cluster (always admin). @default []
   * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
   */
  adminPrincipalArns?: pulumi.Input<string>[];
  /** Control-plane log types sent to CloudWatch Logs. @default ["audit", "authenticator"] */
  logTypes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Upgrade policy at the end of standard support. @default "STANDARD" */
  supportType?: SupportType;
  /**
   * Install the EBS CSI driver add-on (with an IRSA role) and a default encrypted gp3
   * StorageClass, so PersistentVolumeClaims (Prometheus, model caches) bind. @default true
   */
  ebsCsiDriver?: boolean;
  /** AWS CLI profile the kubeconfig's `aws eks get-token` uses. @default - the ambient credentials */
  awsProfile?: string;
  /** Tags on every AWS resource, besides `Name`. @default {} */
  tags?: Record<string, string>;
}

/** An existing cluster (stack config `target.kind: kubernetes`): no AWS resources are made. */
export interface ExistingClusterArgs {
  /** Selects this variant. */
  kind: "kubernetes";
  /**
   * kubeconfig contents (or a path), kept secret in state. @default - the ambient kubeconfig
   * (`$KUBECONFIG` or `~/.kube/config`)
   */
  kubeconfig?: pulumi.Input<string>;
  /** kubeconfig context. @default - the kubeconfig's current context */
  context?: pulumi.Input<string>;
  /** StorageClass for persistent volumes. @default - the cluster's default StorageClass */
  storageClassName?: pulumi.Input<string>;
}

/** Arguments for {@link Cluster}, chosen by `kind` like the stack config's `target`. */
export type ClusterArgs = EksClusterArgs | ExistingClusterArgs;

/** Problems types cannot express, all at once (STYLE R5). Only plain values are checked. */
export function clusterArgsErrors(args: ClusterArgs): pulumi.InputPropertyErrorDetails[] {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const add = (propertyPath: string, reason: string) => errors.push({ propertyPath, reason });
  if (args.kind === "kubernetes") {
    for (const key of ["kubeconfig", "context"] as const) {
      if (args[key] === "") add(key, `is empty. Leave ${key} unset to use the ambient kubeconfig, or give a value.`);
    }
    return errors;
  }
  if (args.existingVpc !== undefined) {
    for (const key of ["vpcCidr", "availabilityZoneCount", "natGateways"] as const) {
      if (args[key] !== undefined) add(key, `shapes a new VPC, but existingVpc is given (got ${JSON.stringify(args[key])}). Remove ${key}, or existingVpc to let the kit create the VPC.`);
    }
    const subnets = args.existingVpc.privateSubnetIds;
    if (Array.isArray(subnets) && subnets.length < 2) {
      add("existingVpc.privateSubnetIds", `EKS needs subnets in at least two availability zones (got ${subnets.length}). Give one private subnet per zone, in two or more zones.`);
    }
  }
  if (args.vpcCidr !== undefined) {
    const issue = vpcCidrIssue(args.vpcCidr);
    if (issue !== undefined) add("vpcCidr", `${issue}.`);
  }
  const zones = args.availabilityZoneCount;
  if (zones !== undefined && !(ZONE_COUNTS as readonly number[]).includes(zones)) {
    add("availabilityZoneCount", `unsupported zone count (got ${zones}; allowed: ${ZONE_COUNTS.join(", ")}). EKS needs at least 2.`);
  }
  const version = args.kubernetesVersion;
  if (typeof version === "string" && !/^1\.\d{2}$/.test(version)) {
    add("kubernetesVersion", `not a Kubernetes minor version (got ${JSON.stringify(version)}; expected major.minor such as ${DEFAULT_KUBERNETES_VERSION}). Drop the patch level and any leading "v".`);
  }
  const size = args.systemNodeGroup?.size;
  if (typeof size === "number" && !(Number.isInteger(size) && size >= 1 && size <= 100)) {
    add("systemNodeGroup.size", `must be a whole number of nodes from 1 to 100 (got ${size}). The router, cache and monitoring need at least one node.`);
  }
  const disk = args.systemNodeGroup?.diskSizeGiB;
  if (typeof disk === "number" && !(Number.isInteger(disk) && disk >= 20 && disk <= 16384)) {
    add("systemNodeGroup.diskSizeGiB", `must be a whole number of GiB from 20 to 16384 (got ${disk}). The EKS AMIs need 20 GiB.`);
  }
  const cidrs = args.publicAccessCidrs;
  if (Array.isArray(cidrs)) {
    cidrs.forEach((cidr, i) => {
      const issue = typeof cidr === "string" ? ipv4CidrIssue(cidr) : undefined;
      if (issue !== undefined) add(`publicAccessCidrs[${i}]`, `${issue}.`);
    });
  }
  return errors;
}
