/**
 * Components inside programs that already own their infrastructure: an existing Docker or
 * Kubernetes provider passed the Pulumi way (resource options or a parent), an existing VPC for
 * EKS, an existing Redis, and outputs of other resources as inputs.
 */
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Cluster, DockerModelServer, K8sModelServer, K8sRedis, RedisCache, RouterService } from "../../src/lib";
import { byName, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../helpers/pulumi";

const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";
const LLAMA = { servedModelName: "qwen", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", file: "qwen2.5-1.5b-instruct-q4_k_m.gguf", contextSize: 8192, parallelSlots: 2 };

/** `urn::id` of a provider, as the engine sees a resource's provider reference. */
async function providerRef(p: pulumi.ProviderResource): Promise<string> {
  return `${await unwrap(p.urn)}::${await unwrap(p.id)}`;
}

class Parent extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("example:index:Platform", name, {}, opts);
  }
}

describe("components in a program that owns its infrastructure", () => {
  let recorded: Recorded;
  let gpuBox: docker.Provider;
  let cluster: k8s.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    gpuBox = new docker.Provider("gpu-box", { host: "ssh://ops@gpu-box.lan" });
    cluster = new k8s.Provider("existing", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
  });

  it("runs a Docker model server on the provider given in its resource options, without a provider argument", async () => {
    const server = new DockerModelServer("opts-qwen", { network: "shared-net", llamaCpp: LLAMA }, { providers: [gpuBox] });
    await unwrap(server.containerName);
    await settle();
    expectRegistered(recorded);
    const ref = await providerRef(gpuBox);
    expect(byName(recorded, CONTAINER, "opts-qwen-container").provider).toBe(ref);
    expect(byName(recorded, IMAGE, "opts-qwen-image").provider).toBe(ref);
    expect(byName(recorded, "docker:index/volume:Volume", "opts-qwen-models").provider).toBe(ref);
    expect(byName(recorded, CONTAINER, "opts-qwen-container").inputs.networksAdvanced).toEqual([{ name: "shared-net", aliases: ["opts-qwen"] }]);
  });

  it("inherits the Docker provider from a parent component of the caller's program", async () => {
    const platform = new Parent("platform", { providers: { docker: gpuBox } });
    const cache = new RedisCache("parent-redis", { network: "shared-net" }, { parent: platform });
    await unwrap(cache.containerName);
    await settle();
    expect(byName(recorded, CONTAINER, "parent-redis-container").provider).toBe(await providerRef(gpuBox));
  });

  it("prefers an explicit provider argument over the one in the resource options", async () => {
    const other = new docker.Provider("other-box", { host: "ssh://ops@other.lan" });
    const server = new DockerModelServer("explicit-qwen", { provider: other, network: "net", llamaCpp: LLAMA }, { providers: [gpuBox] });
    await unwrap(server.containerName);
    await settle();
    expect(byName(recorded, CONTAINER, "explicit-qwen-container").provider).toBe(await providerRef(other));
  });

  it("points the router at an existing Redis and at servers' endpoints given as outputs", async () => {
    const redisUrl = pulumi.secret("redis://:existing-password@cache.internal:6379");
    const router = new RouterService(
      "byo-router",
      {
        network: "shared-net",
        image: "ghcr.io/acme/shoestring-router:0.1.0",
        modelServers: [{ name: "qwen", endpoint: pulumi.output("http://qwen.lan:8080/v1"), servedModelName: pulumi.output("qwen"), tier: 1 }],
        cache: { redisUrl },
      },
      { providers: [gpuBox] },
    );
    const yaml = await unwrap(router.configYaml);
    await settle();
    expect(yaml).toContain("redis://:existing-password@cache.internal:6379");
    expect(yaml).toContain("http://qwen.lan:8080/v1");
    expect(await pulumi.isSecret(router.configYaml)).toBe(true);
    expect(byName(recorded, CONTAINER, "byo-router-container").provider).toBe(await providerRef(gpuBox));
    expect(recorded.resources.filter((r) => r.type === "shoestring:index:RedisCache" && r.name.startsWith("byo-"))).toEqual([]);
  });

  it("runs Kubernetes components on an existing cluster's provider given in resource options", async () => {
    const server = new K8sModelServer("k8s-qwen", { namespace: "llm", llamaCpp: LLAMA }, { providers: [cluster] });
    const redis = new K8sRedis("k8s-redis", { namespace: "llm" }, { provider: cluster });
    await unwrap(pulumi.all([server.endpoint, redis.url]));
    await settle();
    const ref = await providerRef(cluster);
    expect(byName(recorded, "kubernetes:apps/v1:Deployment", "k8s-qwen-deployment").provider).toBe(ref);
    expect(byName(recorded, "kubernetes:core/v1:Service", "k8s-qwen-service").provider).toBe(ref);
    expect(byName(recorded, "kubernetes:apps/v1:StatefulSet", "k8s-redis-statefulset").provider).toBe(ref);
  });
});

describe("an EKS cluster in an existing VPC", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks();
  });

  it("creates no network and places the control plane and system nodes in the given private subnets", async () => {
    const c = new Cluster("byo", {
      kind: "eks",
      publicAccessCidrs: [],
      existingVpc: {
        vpcId: "vpc-0a1b2c3d4e5f60718",
        privateSubnetIds: pulumi.output(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]),
        publicSubnetIds: ["subnet-0ccccccccccccccc3"],
      },
    });
    const outs = await unwrap(pulumi.all([c.vpcId, c.privateSubnetIds, c.publicSubnetIds, c.kubeconfig]));
    await settle();
    expectRegistered(recorded);
    expect(outs.slice(0, 3)).toEqual(["vpc-0a1b2c3d4e5f60718", ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"], ["subnet-0ccccccccccccccc3"]]);
    const network = recorded.resources.filter((r) => /^aws:ec2\/(vpc|subnet|natGateway|internetGateway|routeTable|eip)/.test(r.type));
    expect(network).toEqual([]);
    expect(recorded.calls.filter((x) => x.token === "aws:index/getAvailabilityZones:getAvailabilityZones")).toEqual([]);
    expect(byName(recorded, "aws:eks/cluster:Cluster", "byo-eks").inputs.vpcConfig.subnetIds).toEqual(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]);
    expect(byName(recorded, "aws:eks/nodeGroup:NodeGroup", "byo-system").inputs.subnetIds).toEqual(["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]);
  });

  it("refuses new-VPC settings next to existingVpc, and fewer than two private subnets", async () => {
    expect(
      () =>
        new Cluster("mixed", {
          kind: "eks",
          publicAccessCidrs: [],
          existingVpc: { vpcId: "vpc-0a1b2c3d4e5f60718", privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1"] },
          vpcCidr: "10.0.0.0/16",
          natGateways: "per-zone",
        }),
    ).toThrow(
      [
        'Invalid arguments for Cluster "mixed":',
        '  - vpcCidr: shapes a new VPC, but existingVpc is given (got "10.0.0.0/16"). Remove vpcCidr, or existingVpc to let the kit create the VPC.',
        '  - natGateways: shapes a new VPC, but existingVpc is given (got "per-zone"). Remove natGateways, or existingVpc to let the kit create the VPC.',
        "  - existingVpc.privateSubnetIds: EKS needs subnets in at least two availability zones (got 1). Give one private subnet per zone, in two or more zones.",
      ].join("\n"),
    );
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("mixed-"))).toEqual([]);
  });
});
