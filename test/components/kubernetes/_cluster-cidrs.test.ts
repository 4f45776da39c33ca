import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ipv4CidrIssue, planSubnets, vpcCidrIssue } from "../../../components/kubernetes/_cluster-cidrs";

/** [first, last] address of a CIDR as integers. */
function range(cidr: string): [number, number] {
  const [address = "", bits = ""] = cidr.split("/");
  const base = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [base, base + 2 ** (32 - Number(bits)) - 1];
}

describe("planSubnets", () => {
  it.each([
    ["10.0.0.0/16", 2, ["10.0.0.0/18", "10.0.64.0/18"], ["10.0.192.0/20", "10.0.208.0/20"]],
    ["10.0.0.0/16", 3, ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"], ["10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20"]],
    ["172.31.0.0/20", 2, ["172.31.0.0/22", "172.31.4.0/22"], ["172.31.12.0/24", "172.31.13.0/24"]],
    ["192.168.16.0/20", 3, ["192.168.16.0/22", "192.168.20.0/22", "192.168.24.0/22"], ["192.168.28.0/24", "192.168.29.0/24", "192.168.30.0/24"]],
  ])("splits %s over %i zones", (cidr, zones, privateCidrs, publicCidrs) => {
    expect(planSubnets(cidr, zones)).toEqual({ private: privateCidrs, public: publicCidrs });
  });

  it("never lets two subnets overlap or leave the VPC", () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 20 }), fc.integer({ min: 0, max: 2 ** 16 - 1 }), fc.constantFrom(2, 3), (prefix, seed, zones) => {
        const base = (10 * 2 ** 24 + seed * 2 ** 8) - ((10 * 2 ** 24 + seed * 2 ** 8) % 2 ** (32 - prefix));
        const vpc = `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join(".")}/${prefix}`;
        const plan = planSubnets(vpc, zones);
        const [vpcStart, vpcEnd] = range(vpc);
        const ranges = [...plan.private, ...plan.public].map(range).sort((a, b) => a[0] - b[0]);
        expect(ranges.every(([start, end]) => start >= vpcStart && end <= vpcEnd)).toBe(true);
        ranges.slice(1).forEach(([start], i) => expect(start).toBeGreaterThan((ranges[i] as [number, number])[1]));
      }),
    );
  });

  it("refuses a CIDR it cannot lay out and a zone count EKS cannot use", () => {
    expect(() => planSubnets("10.0.0.0/24", 2)).toThrow("vpcCidr: prefix /24 is outside /16-/20 (got 10.0.0.0/24). Use a /16, e.g. 10.0.0.0/16");
    expect(() => planSubnets("10.0.0.0/16", 1)).toThrow("availabilityZoneCount: 1 is not supported (allowed: 2, 3)");
  });
});

describe("vpcCidrIssue and ipv4CidrIssue", () => {
  it.each([
    ["10.0.0.0/16", undefined],
    ["10.1.0.0/20", undefined],
    ["10.0.0.0/8", "prefix /8 is outside /16-/20 (got 10.0.0.0/8). Use a /16, e.g. 10.0.0.0/16"],
    ["10.0.1.0/16", "10.0.1.0/16 has host bits set. Use the network address 10.0.0.0/16"],
    ["10.0.0/16", '"10.0.0/16" is not an IPv4 CIDR such as 203.0.113.0/24'],
    ["300.0.0.0/16", '"300.0.0.0/16" is not an IPv4 CIDR such as 203.0.113.0/24'],
  ])("judges VPC CIDR %s", (cidr, issue) => {
    expect(vpcCidrIssue(cidr)).toBe(issue);
  });

  it.each([
    ["0.0.0.0/0", undefined],
    ["203.0.113.7/32", undefined],
    ["203.0.113.0/33", '"203.0.113.0/33" is not an IPv4 CIDR such as 203.0.113.0/24'],
    ["203.0.113.7", '"203.0.113.7" is not an IPv4 CIDR such as 203.0.113.0/24'],
  ])("judges CIDR %s", (cidr, issue) => {
    expect(ipv4CidrIssue(cidr)).toBe(issue);
  });
});
