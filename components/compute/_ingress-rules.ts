/**
 * @module Inbound rules of the GPU VM's security group (internal, pure): the router port (and 443
 * when a domain is served over TLS) to the allowed CIDRs, SSH to the admin CIDR, nothing else.
 */

/** HTTPS port the TLS proxy listens on when a domain is set. */
export const TLS_PORT = 443;

/** SSH port on the VM. */
export const SSH_PORT = 22;

/** What the security group must let in. */
export interface IngressRuleOptions {
  /** Port the router publishes on the VM. */
  routerPort: number;
  /** IPv4 CIDRs allowed to reach the router (and TLS) port; empty opens nothing. */
  allowedCidrs: readonly string[];
  /** True when a domain is served over TLS: also opens {@link TLS_PORT} to `allowedCidrs`. */
  tls: boolean;
  /** IPv4 CIDR allowed to SSH; undefined opens no SSH. */
  adminCidr?: string;
}

/** One inline ingress rule, in the shape `aws.ec2.SecurityGroup` takes. */
export interface IngressRule {
  protocol: "tcp";
  fromPort: number;
  toPort: number;
  cidrBlocks: string[];
  description: string;
}

/**
 * The complete inbound rule set; no rule is emitted for an empty CIDR list, and 0.0.0.0/0 only
 * appears when the caller passed it. Duplicate CIDRs are dropped, order is kept.
 * @example ingressRules({ routerPort: 8080, allowedCidrs: ["10.0.0.0/8"], tls: false })
 */
export function ingressRules(opts: IngressRuleOptions): IngressRule[] {
  const cidrs = [...new Set(opts.allowedCidrs)];
  const rules: IngressRule[] = [];
  if (cidrs.length > 0) {
    // Behind the TLS proxy the plain router port stays closed: API keys never cross the network in clear.
    rules.push(opts.tls ? tcp(TLS_PORT, cidrs, "router over TLS") : tcp(opts.routerPort, cidrs, "router (OpenAI-compatible API)"));
  }
  if (opts.adminCidr !== undefined) rules.push(tcp(SSH_PORT, [opts.adminCidr], "SSH (admin, Docker over SSH)"));
  return rules;
}

function tcp(port: number, cidrBlocks: string[], description: string): IngressRule {
  return { protocol: "tcp", fromPort: port, toPort: port, cidrBlocks, description };
}
