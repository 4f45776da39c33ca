/**
 * @module Subnet layout of an EKS VPC (internal): large private subnets for nodes and pods, small
 * public ones for load balancers and the NAT gateway. Pure IPv4 arithmetic, no Pulumi.
 */

/** Smallest VPC prefix accepted: a /16 gives each private subnet a /18 (16,379 usable addresses). */
export const MIN_VPC_PREFIX = 16;
/** Largest VPC prefix accepted: a /20 still leaves /24 public subnets (251 usable addresses). */
export const MAX_VPC_PREFIX = 20;
/** Availability zones a VPC may span: EKS needs subnets in at least two. */
export const ZONE_COUNTS = [2, 3] as const;

/** The CIDR of every subnet, one per zone, in zone order. */
export interface SubnetPlan {
  /** Node and pod subnets: a quarter of the VPC each (the VPC CNI gives every pod a VPC address). */
  readonly private: string[];
  /** Load balancer and NAT subnets: a sixteenth of the VPC each, in the VPC's last quarter. */
  readonly public: string[];
}

/** `a.b.c.d` → unsigned 32-bit integer; undefined when not a dotted quad. */
function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * Why a string is not an IPv4 network CIDR (`a.b.c.d/n` with no host bits set), or undefined.
 * @example ipv4CidrIssue("203.0.113.7/24") // "... has host bits set. Use the network address 203.0.113.0/24"
 */
export function ipv4CidrIssue(cidr: string): string | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  const base = match ? parseIpv4(match[1] ?? "") : undefined;
  const prefix = Number(match?.[2]);
  if (!match || base === undefined || prefix > 32) return `${JSON.stringify(cidr)} is not an IPv4 CIDR such as 203.0.113.0/24`;
  if (base % 2 ** (32 - prefix) !== 0) {
    const network = base - (base % 2 ** (32 - prefix));
    return `${cidr} has host bits set. Use the network address ${formatIpv4(network)}/${prefix}`;
  }
  return undefined;
}

/**
 * Why a VPC CIDR cannot be laid out by {@link planSubnets}, or undefined when it can.
 * @example vpcCidrIssue("10.0.0.0/8") // "prefix /8 is outside /16-/20 (got 10.0.0.0/8). Use a /16, e.g. 10.0.0.0/16"
 */
export function vpcCidrIssue(cidr: string): string | undefined {
  const issue = ipv4CidrIssue(cidr);
  if (issue !== undefined) return issue;
  const prefix = Number(cidr.split("/")[1]);
  if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
    return `prefix /${prefix} is outside /${MIN_VPC_PREFIX}-/${MAX_VPC_PREFIX} (got ${cidr}). Use a /16, e.g. 10.0.0.0/16`;
  }
  return undefined;
}

/**
 * Private subnet `i` is the i-th quarter of the VPC; public subnet `i` is block `12 + i` of
 * sixteen, so two or three zones fit without overlap and the third quarter stays free for later.
 * Throws on a CIDR {@link vpcCidrIssue} rejects.
 * @example planSubnets("10.0.0.0/16", 2).private // ["10.0.0.0/18", "10.0.64.0/18"]
 */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan {
  const issue = vpcCidrIssue(vpcCidr);
  if (issue !== undefined) throw new Error(`vpcCidr: ${issue}`);
  if (!(ZONE_COUNTS as readonly number[]).includes(zones)) {
    throw new Error(`availabilityZoneCount: ${zones} is not supported (allowed: ${ZONE_COUNTS.join(", ")})`);
  }
  const [address = "", bits = ""] = vpcCidr.split("/");
  const base = parseIpv4(address) ?? 0;
  const prefix = Number(bits);
  const block = (index: number, sizePrefix: number) => `${formatIpv4(base + index * 2 ** (32 - sizePrefix))}/${sizePrefix}`;
  const indexes = Array.from({ length: zones }, (_, i) => i);
  return {
    private: indexes.map((i) => block(i, prefix + 2)),
    public: indexes.map((i) => block(12 + i, prefix + 4)),
  };
}
