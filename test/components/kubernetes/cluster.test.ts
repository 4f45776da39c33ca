import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Cluster, EKS_STORAGE_CLASS } from "../../../components/kubernetes/cluster";
import type { EksClusterArgs } from "../../../components/kubernetes/cluster-args";
import { byName, expectRegistered, installMocks, settle, unwrap, type Recorded } from "../../helpers/pulumi";

const T = {
  component: "shoestring:index:Cluster",
  vpc: "aws:ec2/vpc:Vpc",
  igw: "aws:ec2/internetGateway:InternetGateway",
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  eks: "aws:eks/cluster:Cluster",
  oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  accessPolicy: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  provider: "pulumi:providers:kubernetes",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
};
const OFFICE = ["203.0.113.7/32"];
const ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF";

/** The inputs with every secret-wrapped value blanked: what is left must hold no secret material. */
function withoutSecrets(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
  return value;
}

describe("Cluster on EKS", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks({
      calls: (a) => {
        if (a.token !== "aws:index/getAvailabilityZones:getAvailabilityZones") return undefined;
        if (a.inputs.region === "eu-west-1") return { names: ["eu-west-1c", "eu-west-1a", "eu-west-1b"], zoneIds: ["euw1-az3", "euw1-az1", "euw1-az2"] };
        return undefined;
      },
    });
  });

  /** Builds a cluster, waits for all it registers, and returns it with lookup helpers. */
  async function build(name: string, overrides: Partial<EksClusterArgs> = {}) {
    const callsBefore = recorded.calls.length;
    const cluster = new Cluster(name, { kind: "eks", publicAccessCidrs: OFFICE, ...overrides });
    await unwrap(pulumi.all([cluster.kubeconfig, cluster.storageClassName, cluster.privateSubnetIds]));
    await settle();
    const family = recorded.resources.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
    return {
      cluster,
      family: family.map((r) => `${r.type}::${r.name}`).sort(),
      inputs: (type: string, child: string) => byName(recorded, type, `${name}-${child}`).inputs,
      count: (type: string) => family.filter((r) => r.type === type).length,
      calls: recorded.calls.slice(callsBefore),
    };
  }

  it("creates the VPC, one NAT gateway, IAM roles, control plane, system nodes, OIDC, EBS CSI, metrics-server and a provider", async () => {
    const { family } = await build("llm");
    expectRegistered(recorded);
    const attach = (policy: string) => `${T.attachment}::llm-${policy}`;
    expect(family).toEqual(
      [
        `${T.component}::llm`,
        `${T.vpc}::llm-vpc`,
        `${T.igw}::llm-igw`,
        `${T.routeTable}::llm-public-rt`,
        `${T.routeTable}::llm-private-0`,
        `${T.routeTable}::llm-private-1`,
        `${T.subnet}::llm-public-0`,
        `${T.subnet}::llm-public-1`,
        `${T.subnet}::llm-private-0`,
        `${T.subnet}::llm-private-1`,
        `${T.association}::llm-public-0`,
        `${T.association}::llm-public-1`,
        `${T.association}::llm-private-0`,
        `${T.association}::llm-private-1`,
        `${T.eip}::llm-nat-0`,
        `${T.nat}::llm-nat-0`,
        `${T.role}::llm-cluster-role`,
        `${T.role}::llm-node-role`,
        `${T.role}::llm-ebs-csi-role`,
        attach("cluster-amazoneksclusterpolicy"),
        attach("node-amazoneksworkernodepolicy"),
        attach("node-amazoneks-cni-policy"),
        attach("node-amazonec2containerregistryreadonly"),
        attach("node-amazonssmmanagedinstancecore"),
        attach("ebs-csi-amazonebscsidriverpolicy"),
        `${T.eks}::llm-eks`,
        `${T.oidc}::llm-oidc`,
        `${T.launchTemplate}::llm-system`,
        `${T.nodeGroup}::llm-system`,
        `${T.addon}::llm-ebs-csi`,
        `${T.addon}::llm-metrics-server`,
        `${T.provider}::llm-k8s`,
        `${T.storageClass}::llm-gp3`,
      ].sort(),
    );
  });

  it("lays out private /18 and public /20 subnets over two EKS-capable zones, tagged for load balancers", async () => {
    const { inputs, calls } = await build("net");
    expect(calls.filter((c) => c.token === "aws:index/getAvailabilityZones:getAvailabilityZones").map((c) => c.inputs)).toEqual([
      {
        region: "us-east-1",
        state: "available",
        excludeZoneIds: ["use1-az3", "usw1-az2", "cac1-az3"],
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
      },
    ]);
    expect(inputs(T.vpc, "vpc")).toMatchObject({ cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, region: "us-east-1" });
    const subnet = (child: string) => {
      const s = inputs(T.subnet, child);
      return [s.cidrBlock, s.availabilityZone, s.mapPublicIpOnLaunch, s.tags["kubernetes.io/role/elb"], s.tags["kubernetes.io/role/internal-elb"]];
    };
    expect(subnet("private-0")).toEqual(["10.0.0.0/18", "us-east-1a", undefined, undefined, "1"]);
    expect(subnet("private-1")).toEqual(["10.0.64.0/18", "us-east-1b", undefined, undefined, "1"]);
    expect(subnet("public-0")).toEqual(["10.0.192.0/20", "us-east-1a", false, "1", undefined]);
    expect(subnet("public-1")).toEqual(["10.0.208.0/20", "us-east-1b", false, "1", undefined]);
    expect(inputs(T.subnet, "private-0").vpcId).toBe("net-vpc-id");
  });

  it("routes public subnets to the internet gateway and every private subnet through the single NAT gateway", async () => {
    const { inputs, count } = await build("route");
    expect(inputs(T.routeTable, "public-rt").routes).toEqual([{ cidrBlock: "0.0.0.0/0", gatewayId: "route-igw-id" }]);
    expect(inputs(T.routeTable, "private-0").routes).toEqual([{ cidrBlock: "0.0.0.0/0", natGatewayId: "route-nat-0-id" }]);
    expect(inputs(T.routeTable, "private-1").routes).toEqual([{ cidrBlock: "0.0.0.0/0", natGatewayId: "route-nat-0-id" }]);
    expect(inputs(T.nat, "nat-0")).toMatchObject({ allocationId: "route-nat-0-id", subnetId: "route-public-0-id" });
    expect(inputs(T.eip, "nat-0").domain).toBe("vpc");
    expect(inputs(T.association, "private-1")).toMatchObject({ subnetId: "route-private-1-id", routeTableId: "route-private-1-id" });
    expect([count(T.nat), count(T.eip)]).toEqual([1, 1]);
  });

  it("gives every zone its own NAT gateway when natGateways is per-zone, over three zones", async () => {
    const { inputs, count } = await build("ha", { natGateways: "per-zone", availabilityZoneCount: 3, region: "eu-west-1", vpcCidr: "172.20.0.0/16" });
    expect([count(T.nat), count(T.eip), count(T.subnet)]).toEqual([3, 3, 6]);
    expect(inputs(T.routeTable, "private-2").routes).toEqual([{ cidrBlock: "0.0.0.0/0", natGatewayId: "ha-nat-2-id" }]);
    expect(inputs(T.nat, "nat-2").subnetId).toBe("ha-public-2-id");
    expect(["private-0", "private-1", "private-2"].map((s) => [inputs(T.subnet, s).cidrBlock, inputs(T.subnet, s).availabilityZone])).toEqual([
      ["172.20.0.0/18", "eu-west-1a"],
      ["172.20.64.0/18", "eu-west-1b"],
      ["172.20.128.0/18", "eu-west-1c"],
    ]);
    expect(inputs(T.subnet, "public-2").cidrBlock).toBe("172.20.224.0/20");
    expect(inputs(T.eks, "eks").region).toBe("eu-west-1");
  });

  it("turns the private endpoint on and limits the public endpoint to publicAccessCidrs", async () => {
    const { inputs } = await build("api", { publicAccessCidrs: ["203.0.113.7/32", "198.51.100.0/24"] });
    const eks = inputs(T.eks, "eks");
    expect(eks.vpcConfig).toEqual({
      subnetIds: ["api-private-0-id", "api-private-1-id"],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["203.0.113.7/32", "198.51.100.0/24"],
    });
    expect(eks).toMatchObject({
      version: "1.33",
      roleArn: "arn:aws:iam::123456789012:role/api-cluster-role",
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      enabledClusterLogTypes: ["audit", "authenticator"],
      upgradePolicy: { supportType: "STANDARD" },
    });
    expect(JSON.parse(inputs(T.role, "cluster-role").assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
    });
  });

  it("switches the public endpoint off when publicAccessCidrs is empty", async () => {
    const { inputs } = await build("private", { publicAccessCidrs: [] });
    const vpcConfig = inputs(T.eks, "eks").vpcConfig;
    expect([vpcConfig.endpointPrivateAccess, vpcConfig.endpointPublicAccess, vpcConfig.publicAccessCidrs]).toEqual([true, false, undefined]);
  });

  it("runs a fixed-size on-demand system node group on private subnets with an encrypted gp3 disk and IMDSv2 hop limit 1", async () => {
    const { inputs } = await build("sys", { systemNodeGroup: { instanceType: "m6i.large", size: 3, diskSizeGiB: 80 }, kubernetesVersion: "1.32" });
    expect(inputs(T.nodeGroup, "system")).toMatchObject({
      clusterName: "sys-eks",
      nodeRoleArn: "arn:aws:iam::123456789012:role/sys-node-role",
      subnetIds: ["sys-private-0-id", "sys-private-1-id"],
      version: "1.32",
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      instanceTypes: ["m6i.large"],
      scalingConfig: { minSize: 3, maxSize: 3, desiredSize: 3 },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: "sys-system-id", version: "1" },
      labels: { "shoestring/node-pool": "system" },
    });
    expect(inputs(T.nodeGroup, "system").taints).toBeUndefined();
    const lt = inputs(T.launchTemplate, "system");
    expect(lt.blockDeviceMappings).toEqual([
      { deviceName: "/dev/xvda", ebs: { volumeSize: 80, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
    ]);
    expect(lt.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(lt.imageId).toBeUndefined();
    expect(inputs(T.eks, "eks").version).toBe("1.32");
  });

  it("sizes the system node group from the stack config defaults (2 × t3.large, 50 GiB)", async () => {
    const { inputs } = await build("defaults");
    expect(inputs(T.nodeGroup, "system").instanceTypes).toEqual(["t3.large"]);
    expect(inputs(T.nodeGroup, "system").scalingConfig).toEqual({ minSize: 2, maxSize: 2, desiredSize: 2 });
    expect(inputs(T.launchTemplate, "system").blockDeviceMappings[0].ebs.volumeSize).toBe(50);
  });

  it("registers the cluster's OIDC issuer and an EBS CSI role only its controller service account can assume", async () => {
    const { inputs } = await build("irsa");
    expect(inputs(T.oidc, "oidc")).toMatchObject({ url: ISSUER, clientIdLists: ["sts.amazonaws.com"] });
    const issuer = ISSUER.replace("https://", "");
    expect(JSON.parse(inputs(T.role, "ebs-csi-role").assumeRolePolicy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${issuer}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: "system:serviceaccount:kube-system:ebs-csi-controller-sa",
              [`${issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
    expect(inputs(T.attachment, "ebs-csi-amazonebscsidriverpolicy").policyArn).toBe("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy");
    expect(inputs(T.addon, "ebs-csi")).toMatchObject({
      clusterName: "irsa-eks",
      addonName: "aws-ebs-csi-driver",
      serviceAccountRoleArn: "arn:aws:iam::123456789012:role/irsa-ebs-csi-role",
    });
  });

  it("makes an encrypted gp3 StorageClass the default and reports its name", async () => {
    const { inputs, cluster } = await build("sc");
    expect(inputs(T.storageClass, "gp3")).toMatchObject({
      metadata: { name: EKS_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    expect(await unwrap(cluster.storageClassName)).toBe("gp3-encrypted");
  });

  it("skips the EBS CSI add-on, its role and the StorageClass when ebsCsiDriver is false", async () => {
    const { count, cluster, inputs } = await build("nocsi", { ebsCsiDriver: false });
    expect([count(T.addon), count(T.role), count(T.storageClass)]).toEqual([1, 2, 0]);
    expect(inputs(T.addon, "metrics-server").addonName).toBe("metrics-server");
    expect(await unwrap(cluster.storageClassName)).toBeUndefined();
  });

  it("exports a secret kubeconfig that runs aws eks get-token, and hands it to the provider as a secret", async () => {
    const { cluster } = await build("kc", { awsProfile: "ops", region: "us-east-1" });
    expect(await pulumi.isSecret(cluster.kubeconfig)).toBe(true);
    const config = parse((await unwrap(cluster.kubeconfig)) as string);
    expect(config.clusters).toEqual([
      { name: "kc-eks", cluster: { server: "https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com", "certificate-authority-data": "bW9jay1jbHVzdGVyLWNh" } },
    ]);
    expect(config["current-context"]).toBe("kc-eks");
    expect(config.users[0].user.exec).toEqual({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["--region", "us-east-1", "eks", "get-token", "--cluster-name", "kc-eks", "--output", "json"],
      interactiveMode: "Never",
      env: [{ name: "AWS_PROFILE", value: "ops" }],
    });
    const provider = byName(recorded, T.provider, "kc-k8s").inputs;
    expect(pulumi.runtime.isRpcSecret(provider.kubeconfig)).toBe(true);
    expect(JSON.stringify(withoutSecrets(provider))).not.toContain("certificate-authority-data");
  });

  it("reports the cluster's name, region, network, node role and OIDC provider", async () => {
    const { cluster } = await build("out");
    expect(
      await unwrap(
        pulumi.all([cluster.clusterName, cluster.kubernetesVersion, cluster.region, cluster.vpcId, cluster.privateSubnetIds, cluster.publicSubnetIds, cluster.nodeRoleArn, cluster.oidcIssuerUrl]),
      ),
    ).toEqual([
      "out-eks",
      "1.33",
      "us-east-1",
      "out-vpc-id",
      ["out-private-0-id", "out-private-1-id"],
      ["out-public-0-id", "out-public-1-id"],
      "arn:aws:iam::123456789012:role/out-node-role",
      ISSUER,
    ]);
    expect(cluster.kind).toBe("eks");
  });

  it("grants cluster admin to adminPrincipalArns through access entries", async () => {
    const { inputs, count } = await build("adm", { adminPrincipalArns: ["arn:aws:iam::123456789012:role/platform"] });
    expect(count(T.accessEntry)).toBe(1);
    expect(inputs(T.accessEntry, "admin-0")).toMatchObject({ clusterName: "adm-eks", principalArn: "arn:aws:iam::123456789012:role/platform" });
    expect(inputs(T.accessPolicy, "admin-0")).toMatchObject({
      clusterName: "adm-eks",
      principalArn: "arn:aws:iam::123456789012:role/platform",
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
  });

  it("tags every AWS resource with the caller's tags and the cluster name", async () => {
    const { inputs } = await build("tag", { tags: { team: "ml" } });
    expect(inputs(T.vpc, "vpc").tags).toEqual({ team: "ml", "shoestring/cluster": "tag", Name: "tag-vpc" });
    expect(inputs(T.eks, "eks").tags).toEqual({ team: "ml", "shoestring/cluster": "tag", Name: "tag" });
    expect(inputs(T.nodeGroup, "system").tags).toEqual({ team: "ml", "shoestring/cluster": "tag" });
  });

  it("refuses bad arguments before registering anything, naming every problem", async () => {
    expect(
      () =>
        new Cluster("bad", {
          kind: "eks",
          publicAccessCidrs: ["0.0.0.0/0", "203.0.113.7/24", "office"],
          vpcCidr: "10.0.0.0/8",
          availabilityZoneCount: 4,
          kubernetesVersion: "v1.33.2",
          systemNodeGroup: { size: 0, diskSizeGiB: 10 },
        }),
    ).toThrow(
      [
        'Invalid arguments for Cluster "bad":',
        "  - vpcCidr: prefix /8 is outside /16-/20 (got 10.0.0.0/8). Use a /16, e.g. 10.0.0.0/16.",
        "  - availabilityZoneCount: unsupported zone count (got 4; allowed: 2, 3). EKS needs at least 2.",
        '  - kubernetesVersion: not a Kubernetes minor version (got "v1.33.2"; expected major.minor such as 1.33). Drop the patch level and any leading "v".',
        "  - systemNodeGroup.size: must be a whole number of nodes from 1 to 100 (got 0). The router, cache and monitoring need at least one node.",
        "  - systemNodeGroup.diskSizeGiB: must be a whole number of GiB from 20 to 16384 (got 10). The EKS AMIs need 20 GiB.",
        "  - publicAccessCidrs[1]: 203.0.113.7/24 has host bits set. Use the network address 203.0.113.0/24.",
        '  - publicAccessCidrs[2]: "office" is not an IPv4 CIDR such as 203.0.113.0/24.',
      ].join("\n"),
    );
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("bad-"))).toEqual([]);
  });
});
