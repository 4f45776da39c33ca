import { beforeAll, describe, expect, it } from "vitest";
import { GpuNodePool, type GpuNodePoolArgs } from "../../../components/kubernetes/gpu-node-pool";
import { byName, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";

const T = {
  component: "shoestring:index:GpuNodePool",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
};
const CLUSTER = {
  clusterName: "llm-eks",
  nodeRoleArn: "arn:aws:iam::123456789012:role/llm-node-role",
  subnetIds: ["subnet-0aaa", "subnet-0bbb"],
};

describe("GpuNodePool", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks();
  });

  async function build(name: string, args: Partial<GpuNodePoolArgs> = {}) {
    const pool = new GpuNodePool(name, { ...CLUSTER, poolName: name, instanceType: "g6e.12xlarge", ...args });
    await unwrap(pool.nodeGroup.id);
    await settle();
    const family = recorded.resources.filter((r) => r.name === name || r.name.startsWith(`${name}-`)).map((r) => `${r.type}::${r.name}`);
    return {
      pool,
      family: family.sort(),
      nodeGroup: byName(recorded, T.nodeGroup, `${name}-nodes`).inputs,
      launchTemplate: byName(recorded, T.launchTemplate, `${name}-lt`).inputs,
    };
  }

  it("creates one launch template and one managed node group of the instance type", async () => {
    const { family, nodeGroup } = await build("big");
    expectRegistered(recorded);
    expect(family).toEqual([`${T.component}::big`, `${T.launchTemplate}::big-lt`, `${T.nodeGroup}::big-nodes`].sort());
    expect(nodeGroup).toMatchObject({
      clusterName: "llm-eks",
      nodeRoleArn: "arn:aws:iam::123456789012:role/llm-node-role",
      subnetIds: ["subnet-0aaa", "subnet-0bbb"],
      region: "us-east-1",
      instanceTypes: ["g6e.12xlarge"],
      amiType: "AL2023_x86_64_NVIDIA",
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: "big-lt-id", version: "1" },
      nodeRepairConfig: { enabled: true },
    });
  });

  it("labels nodes with the GPU product GFD would report, the GPU count, the device plugin gate and the pool", async () => {
    const { nodeGroup, pool } = await build("l40s");
    const labels = {
      "nvidia.com/gpu.present": "true",
      "nvidia.com/gpu.product": "NVIDIA-L40S",
      "nvidia.com/gpu.count": "4",
      "shoestring/node-pool": "l40s",
    };
    expect(nodeGroup.labels).toEqual(labels);
    expect(pool.labels).toEqual(labels);
    expect([pool.gpusPerNode, pool.gpuProduct, pool.poolName]).toEqual([4, "NVIDIA-L40S", "l40s"]);
    expect(pool.nodeSelector).toEqual({ "shoestring/node-pool": "l40s" });
    expect(pool.toleration).toEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
  });

  it("taints every node nvidia.com/gpu=present with the EKS spelling of NoSchedule", async () => {
    const { nodeGroup } = await build("taint");
    expect(nodeGroup.taints).toEqual([{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]);
  });

  it("scales between minSize and maxSize from desiredSize, on-demand unless spot is set", async () => {
    const { nodeGroup } = await build("scale", { minSize: 0, maxSize: 4, desiredSize: 2 });
    expect(nodeGroup.scalingConfig).toEqual({ minSize: 0, maxSize: 4, desiredSize: 2 });
    expect(nodeGroup.capacityType).toBe("ON_DEMAND");
  });

  it("maps spot to capacityType SPOT", async () => {
    const { nodeGroup } = await build("cheap", { spot: true, instanceType: "g6.xlarge" });
    expect(nodeGroup.capacityType).toBe("SPOT");
    expect(nodeGroup.labels["nvidia.com/gpu.product"]).toBe("NVIDIA-L4");
  });

  it("uses one node by default, as the stack config does", async () => {
    const { nodeGroup } = await build("one");
    expect(nodeGroup.scalingConfig).toEqual({ minSize: 1, maxSize: 1, desiredSize: 1 });
    expect(nodeGroup.version).toBeUndefined();
  });

  it("follows the control plane's Kubernetes version when given one", async () => {
    const { nodeGroup } = await build("ver", { kubernetesVersion: "1.33", region: "eu-west-1" });
    expect([nodeGroup.version, nodeGroup.region]).toEqual(["1.33", "eu-west-1"]);
  });

  it("gives the root volume of Amazon Linux nodes 200 GiB of encrypted gp3 for images and model caches", async () => {
    const { launchTemplate } = await build("disk");
    expect(launchTemplate.blockDeviceMappings).toEqual([
      { deviceName: "/dev/xvda", ebs: { volumeSize: 200, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
    ]);
    expect(launchTemplate.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(launchTemplate.tagSpecifications).toEqual([
      { resourceType: "instance", tags: { "shoestring/node-pool": "disk", Name: "disk" } },
      { resourceType: "volume", tags: { "shoestring/node-pool": "disk", Name: "disk" } },
    ]);
  });

  it("sizes the Bottlerocket data volume (xvdb), where images live, instead of its OS volume", async () => {
    const { launchTemplate, nodeGroup } = await build("br", { amiType: "BOTTLEROCKET_x86_64_NVIDIA", diskSizeGiB: 500 });
    expect(nodeGroup.amiType).toBe("BOTTLEROCKET_x86_64_NVIDIA");
    expect(launchTemplate.blockDeviceMappings[0]).toMatchObject({ deviceName: "/dev/xvdb", ebs: { volumeSize: 500 } });
  });

  it("refuses bad arguments before registering anything, naming every problem", async () => {
    expect(
      () =>
        new GpuNodePool("bad", {
          ...CLUSTER,
          poolName: "Big_Pool",
          instanceType: "g6e.12xlarg",
          minSize: 3,
          maxSize: 2,
          diskSizeGiB: 20,
          amiType: "AL2_x86_64_GPU" as GpuNodePoolArgs["amiType"],
        }),
    ).toThrow(
      [
        'Invalid arguments for GpuNodePool "bad":',
        '  - instanceType: not a GPU instance type of the catalog (got "g6e.12xlarg"; nearest: g6e.12xlarge, g6.12xlarge, g6e.16xlarge). Pick one from `shoestring gpus`.',
        '  - poolName: not a DNS label of at most 40 characters (got "Big_Pool"). Use lowercase letters, digits and \'-\', e.g. gpu-large.',
        '  - amiType: not an NVIDIA AMI type (got "AL2_x86_64_GPU"; allowed: AL2023_x86_64_NVIDIA, BOTTLEROCKET_x86_64_NVIDIA).',
        "  - minSize: is larger than maxSize (got 3 > 2). Lower minSize or raise maxSize.",
        "  - diskSizeGiB: must be a whole number of GiB from 50 to 16384 (got 20). The vLLM image alone is about 10 GiB; add the model weights.",
      ].join("\n"),
    );
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("bad-"))).toEqual([]);
  });

  it("refuses a desiredSize outside the range, the system pool's name, and a replica larger than a node", () => {
    expect(() => new GpuNodePool("small", { ...CLUSTER, poolName: "system", instanceType: "g6e.xlarge", minSize: 1, maxSize: 2, desiredSize: 5, gpusPerReplica: 4 })).toThrow(
      [
        'Invalid arguments for GpuNodePool "small":',
        '  - poolName: "system" is the CPU system nodes\' pool. Give the GPU pool another name, e.g. gpu.',
        "  - desiredSize: is outside minSize..maxSize (got 5; allowed 1-2). Set desiredSize to 2.",
        "  - gpusPerReplica: a replica needs 4 GPUs but g6e.xlarge has 1 (L40S). Pick an instance type with at least 4 GPUs, or lower the model's tensor parallelism.",
      ].join("\n"),
    );
  });

  it("accepts a replica that fills a node exactly", async () => {
    const { pool } = await build("fits", { instanceType: "p5.48xlarge", gpusPerReplica: 8 });
    expect(pool.gpusPerNode).toBe(8);
  });
});
