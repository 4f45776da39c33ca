import { describe, expect, it } from "vitest";
import { formatKeySettings, keySettings, type RecordedResource } from "../../src/preview";

function rec(type: string, inputs: Record<string, unknown>): RecordedResource {
  return { type, name: "r", urn: `urn:pulumi:s::p::${type}::r`, custom: true, inputs };
}

describe("key settings", () => {
  it("shows a model-server container's image, ports, GPUs, memory and command", () => {
    const settings = keySettings(
      rec("docker:index/container:Container", {
        image: "sha256:preview-llm-qwen-image",
        ports: [{ internal: 8000, external: 8000 }],
        deviceRequests: [{ capabilities: ["gpu"], deviceIds: ["0", "1"], driver: "nvidia" }],
        memory: 4096,
        command: ["Qwen/Qwen2.5-7B-Instruct-AWQ", "--tensor-parallel-size", "2"],
      }),
      new Map([["sha256:preview-llm-qwen-image", "vllm/vllm-openai:v0.22.0-cu129-ubuntu2404"]]),
    );
    expect(formatKeySettings(settings)).toBe(
      "image vllm/vllm-openai:v0.22.0-cu129-ubuntu2404 · ports 0.0.0.0:8000→8000/tcp · GPUs 2 (device 0,1) · memory 4096 MiB · command Qwen/Qwen2.5-7B-Instruct-AWQ --tensor-parallel-size 2",
    );
  });

  it("cuts a long command line at 80 characters", () => {
    const [, command] = keySettings(rec("docker:index/container:Container", { image: "x:1", command: ["a".repeat(200)] }))[1]!;
    expect(command).toHaveLength(80);
    expect(command.endsWith("…")).toBe(true);
  });

  it("shows security-group rules, spot instances, node-group sizes and Helm chart versions", () => {
    expect(keySettings(rec("aws:ec2/securityGroup:SecurityGroup", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }))).toEqual([["ingress", "tcp 443 ← 0.0.0.0/0"]]);
    expect(keySettings(rec("aws:ec2/instance:Instance", { instanceType: "g6e.xlarge", instanceMarketOptions: { marketType: "spot" }, rootBlockDevice: { volumeSize: 200, volumeType: "gp3" }, ami: "ami-1" }))).toEqual([
      ["instance type", "g6e.xlarge"],
      ["market", "spot"],
      ["root volume", "200 GiB gp3"],
      ["AMI", "ami-1"],
    ]);
    expect(keySettings(rec("aws:eks/nodeGroup:NodeGroup", { instanceTypes: ["g6.xlarge"], scalingConfig: { minSize: 0, desiredSize: 1, maxSize: 2 } }))).toEqual([
      ["instance types", "g6.xlarge"],
      ["size", "0/1/2 (min/desired/max)"],
      ["capacity", "ON_DEMAND"],
    ]);
    expect(keySettings(rec("kubernetes:helm.sh/v3:Release", { chart: "keda", version: "2.20.2", namespace: "keda" }))).toEqual([
      ["chart", "keda@2.20.2"],
      ["namespace", "keda"],
    ]);
  });

  it("shows a LeaderWorkerSet's replicas, group size, image and GPUs per pod", () => {
    const pod = { spec: { containers: [{ image: "vllm/vllm-openai:v1", resources: { limits: { "nvidia.com/gpu": 8 } } }] } };
    const lws = rec("kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet", { spec: { replicas: 1, leaderWorkerTemplate: { size: 2, leaderTemplate: pod, workerTemplate: pod } } });
    expect(keySettings(lws)).toEqual([
      ["replicas", "1"],
      ["group size", "2"],
      ["image", "vllm/vllm-openai:v1"],
      ["GPUs/pod", "8+8"],
    ]);
  });
});
