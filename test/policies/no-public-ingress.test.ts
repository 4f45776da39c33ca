import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { noPublicIngress, publicIngressViolations } from "../../policies/no-public-ingress";
import type { RecordedResource } from "../../src/preview";
import { policyInput, recordStack, runPolicies } from "./_harness";

const ROOT = join(__dirname, "..", "..");

/** A copy of `resources` with one resource's inputs replaced. */
function craft(resources: RecordedResource[], name: string, change: (inputs: Record<string, unknown>) => Record<string, unknown>): RecordedResource[] {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name}`);
  return resources.map((r) => (r === found ? { ...r, inputs: change({ ...r.inputs }) } : r));
}

describe("policy shoestring-no-public-ingress", () => {
  let local: RecordedResource[];
  let vm: RecordedResource[];
  let k8s: RecordedResource[];
  beforeAll(async () => {
    local = await recordStack(join(ROOT, "stacks", "Pulumi.local.yaml"));
    vm = await recordStack(join(ROOT, "stacks", "Pulumi.aws-gpu-vm.yaml"));
    k8s = await recordStack(join(ROOT, "stacks", "Pulumi.k8s.yaml"));
  });

  it("catches Redis published on every interface in a crafted local stack", async () => {
    const bad = craft(local, "llm-redis-container", (i) => ({ ...i, ports: [{ internal: 6379, external: 6379 }] }));
    const run = await runPolicies([noPublicIngress], bad);
    expect(run.violations).toEqual([
      {
        policy: "shoestring-no-public-ingress",
        resource: "llm-redis-container",
        message:
          'Docker container "llm-redis-container" (cache) publishes port 6379→6379 on 0.0.0.0: Redis must not be reachable from outside the host ' +
          "(allowed: 127.0.0.1 or ::1, or no published port). Remove the port, or bind it to 127.0.0.1 and go through the router.",
      },
    ]);
  });

  it("catches a model server on the host network, and allows one published on loopback", async () => {
    const host = craft(local, "llm-qwen-1-5b-container", (i) => ({ ...i, networkMode: "host" }));
    expect((await runPolicies([noPublicIngress], host)).violations.map((v) => v.message)).toEqual([
      'Docker container "llm-qwen-1-5b-container" (model-server) uses networkMode "host", which exposes every port it listens on. Use the stack\'s bridge network.',
    ]);
    const loopback = craft(local, "llm-qwen-1-5b-container", (i) => ({ ...i, ports: [{ internal: 8080, external: 18080, ip: "127.0.0.1" }] }));
    expect((await runPolicies([noPublicIngress], loopback)).violations).toEqual([]);
  });

  it("catches a security group opening SSH to the internet on the GPU VM, but not the router's HTTPS port", async () => {
    const ssh = craft(vm, "llm-host-sg", (i) => ({ ...i, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }));
    expect((await runPolicies([noPublicIngress], ssh)).violations.map((v) => v.message)).toEqual([
      'Security group "llm-host-sg" ingress[0] opens port 22 to 0.0.0.0/0: only the router\'s ports may face the internet (allowed: 80, 443, 8080). ' +
        "Limit the source CIDRs (target.allowedCidrs), or open only the router's port.",
    ]);
    const https = craft(vm, "llm-host-sg", (i) => ({ ...i, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }] }));
    expect((await runPolicies([noPublicIngress], https)).violations).toEqual([]);
  });

  it("treats protocol -1 as every port, and honours publicPorts from policy config", () => {
    const all = policyInput("aws:ec2/securityGroup:SecurityGroup", "sg", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }] });
    expect(publicIngressViolations(all)[0]).toContain("opens ports 0-65535 to ::/0");
    const rule = policyInput("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "rule", { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/0" });
    expect(publicIngressViolations(rule)).toHaveLength(1);
    expect(publicIngressViolations(rule, { publicPorts: [6379] })).toEqual([]);
    const narrow = policyInput("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "rule", { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "10.0.0.0/8" });
    expect(publicIngressViolations(narrow)).toEqual([]);
  });

  it("catches a LoadBalancer Service in front of a Kubernetes model server, and lets the router have one", async () => {
    const lb = (i: Record<string, unknown>) => ({ ...i, spec: { ...(i.spec as object), type: "LoadBalancer" } });
    const model = await runPolicies([noPublicIngress], craft(k8s, "llm-qwen-7b-service", lb));
    expect(model.violations.map((v) => v.message)).toEqual([
      'Service "llm-qwen-7b-service" (model-server) has type LoadBalancer: a model server would be reachable from outside the cluster (allowed: ClusterIP). Use type ClusterIP; clients go through the router.',
    ]);
    const redis = await runPolicies([noPublicIngress], craft(k8s, "llm-redis-service", (i) => ({ ...i, spec: { ...(i.spec as object), type: "NodePort" } })));
    expect(redis.violations.map((v) => v.resource)).toEqual(["llm-redis-service"]);
    expect((await runPolicies([noPublicIngress], craft(k8s, "llm-router-service", lb))).violations).toEqual([]);
  });
});
