/**
 * @module Policy `shoestring-no-public-ingress`: Redis and the model servers are reachable only from
 * inside the stack (through the router). Catches Docker ports published beyond loopback or host
 * networking, security-group rules open to the internet on ports other than the router's, and
 * Kubernetes Services of type LoadBalancer or NodePort (or with external IPs) in front of them.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, list, roleOf, str, type PolicyInput } from "./_props";

/** Policy name, as reported and as the key in policy config. */
export const NO_PUBLIC_INGRESS = "shoestring-no-public-ingress";

/** Ports the internet may reach: the router's HTTP port and the TLS proxy's 80/443. */
export const DEFAULT_PUBLIC_PORTS: readonly number[] = [80, 443, 8080];

/** Roles that must never be exposed. */
export const PRIVATE_ROLES: readonly string[] = ["model-server", "cache"];

/** Policy config. */
export interface NoPublicIngressConfig {
  /** Ports a security group may open to 0.0.0.0/0 or ::/0. @default DEFAULT_PUBLIC_PORTS */
  publicPorts?: number[];
}

const WORLD = ["0.0.0.0/0", "::/0"];

function isLoopback(ip: string): boolean {
  return ip === "localhost" || ip === "::1" || /^127\.\d+\.\d+\.\d+$/.test(ip);
}

function dockerViolations(r: PolicyInput): string[] {
  const role = roleOf(r);
  if (role === undefined || !PRIVATE_ROLES.includes(role)) return [];
  const out: string[] = [];
  for (const p of list(at(r.props, "ports"))) {
    const ip = str(at(p, "ip")) ?? "0.0.0.0";
    if (isLoopback(ip)) continue;
    const port = `${at(p, "external") ?? "(random)"}→${at(p, "internal") ?? "?"}`;
    out.push(
      `Docker container "${r.name}" (${role}) publishes port ${port} on ${ip}: ${role === "cache" ? "Redis" : "a model server"} must not be reachable from outside the host ` +
        "(allowed: 127.0.0.1 or ::1, or no published port). Remove the port, or bind it to 127.0.0.1 and go through the router.",
    );
  }
  if (str(at(r.props, "networkMode")) === "host") {
    out.push(`Docker container "${r.name}" (${role}) uses networkMode "host", which exposes every port it listens on. Use the stack's bridge network.`);
  }
  return out;
}

function portRange(from: unknown, to: unknown, protocol: unknown): [number, number] {
  // Protocol "-1" (all) ignores the port fields and opens everything.
  if (String(protocol) === "-1" || String(protocol).toLowerCase() === "all") return [0, 65535];
  const lo = typeof from === "number" ? from : 0;
  const hi = typeof to === "number" ? to : lo;
  return [lo, hi];
}

function ruleViolation(r: PolicyInput, what: string, sources: string[], range: [number, number], allowed: readonly number[]): string | undefined {
  const open = sources.filter((s) => WORLD.includes(s));
  if (open.length === 0) return undefined;
  const [lo, hi] = range;
  const allowedInRange = allowed.filter((p) => p >= lo && p <= hi);
  if (lo === hi && allowed.includes(lo)) return undefined;
  if (allowedInRange.length === hi - lo + 1) return undefined;
  const ports = lo === hi ? `port ${lo}` : `ports ${lo}-${hi}`;
  return (
    `Security group "${r.name}" ${what} opens ${ports} to ${open.join(" and ")}: only the router's ports may face the internet ` +
    `(allowed: ${allowed.join(", ")}). Limit the source CIDRs (target.allowedCidrs), or open only the router's port.`
  );
}

function securityGroupViolations(r: PolicyInput, allowed: readonly number[]): string[] {
  if (r.type === "aws:ec2/securityGroup:SecurityGroup") {
    return list(at(r.props, "ingress")).flatMap((rule, i) => {
      const sources = [...list(at(rule, "cidrBlocks")), ...list(at(rule, "ipv6CidrBlocks"))].map(String);
      const v = ruleViolation(r, `ingress[${i}]`, sources, portRange(at(rule, "fromPort"), at(rule, "toPort"), at(rule, "protocol")), allowed);
      return v ? [v] : [];
    });
  }
  if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
    const sources = [str(at(r.props, "cidrIpv4")), str(at(r.props, "cidrIpv6"))].filter((s): s is string => s !== undefined);
    const v = ruleViolation(r, "rule", sources, portRange(at(r.props, "fromPort"), at(r.props, "toPort"), at(r.props, "ipProtocol")), allowed);
    return v ? [v] : [];
  }
  if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && str(at(r.props, "type")) === "ingress") {
    const sources = [...list(at(r.props, "cidrBlocks")), ...list(at(r.props, "ipv6CidrBlocks"))].map(String);
    const v = ruleViolation(r, "rule", sources, portRange(at(r.props, "fromPort"), at(r.props, "toPort"), at(r.props, "protocol")), allowed);
    return v ? [v] : [];
  }
  return [];
}

function serviceViolations(r: PolicyInput): string[] {
  if (r.type !== "kubernetes:core/v1:Service") return [];
  const role = roleOf(r);
  if (role === undefined || !PRIVATE_ROLES.includes(role)) return [];
  const type = str(at(r.props, "spec.type")) ?? "ClusterIP";
  const out: string[] = [];
  if (type === "LoadBalancer" || type === "NodePort") {
    out.push(
      `Service "${r.name}" (${role}) has type ${type}: ${role === "cache" ? "Redis" : "a model server"} would be reachable from outside the cluster ` +
        "(allowed: ClusterIP). Use type ClusterIP; clients go through the router.",
    );
  }
  if (list(at(r.props, "spec.externalIPs")).length > 0) out.push(`Service "${r.name}" (${role}) sets spec.externalIPs; remove them (allowed: none).`);
  return out;
}

/** Every public-ingress problem of one resource (empty when there is none). */
export function publicIngressViolations(r: PolicyInput, config: NoPublicIngressConfig = {}): string[] {
  const allowed = config.publicPorts ?? DEFAULT_PUBLIC_PORTS;
  if (r.type === "docker:index/container:Container") return dockerViolations(r);
  return [...securityGroupViolations(r, allowed), ...serviceViolations(r)];
}

/** The CrossGuard policy. */
export const noPublicIngress: ResourceValidationPolicy = {
  name: NO_PUBLIC_INGRESS,
  description: "Redis and model servers are never reachable from outside: no public Docker ports, security-group rules, LoadBalancer/NodePort Services.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { publicPorts: { type: "array", items: { type: "integer" }, default: [...DEFAULT_PUBLIC_PORTS] } } },
  validateResource: (args, report) => {
    const config = args.getConfig<NoPublicIngressConfig>();
    for (const message of publicIngressViolations(args, config)) report(message);
  },
};
