import { describe, expect, it } from "vitest";
import { ingressRules } from "../../../components/compute/_ingress-rules";

describe("ingressRules", () => {
  it("opens nothing without CIDRs, even with TLS on", () => {
    expect(ingressRules({ routerPort: 8080, allowedCidrs: [], tls: true })).toEqual([]);
  });

  it("opens only the TLS port, never the plain router port, when TLS is on", () => {
    expect(ingressRules({ routerPort: 8080, allowedCidrs: ["10.0.0.0/8"], tls: true })).toEqual([
      { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"], description: "router over TLS" },
    ]);
  });

  it("opens SSH to the admin CIDR alone, never to the router CIDRs", () => {
    const rules = ingressRules({ routerPort: 8080, allowedCidrs: ["0.0.0.0/0"], tls: false, adminCidr: "198.51.100.7/32" });
    expect(rules.filter((r) => r.fromPort === 22)).toEqual([
      { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["198.51.100.7/32"], description: "SSH (admin, Docker over SSH)" },
    ]);
    expect(rules.map((r) => r.fromPort)).toEqual([8080, 22]);
  });
});
