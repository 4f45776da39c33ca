/**
 * @module The EKS side of a {@link Cluster} (internal): VPC, IAM roles, control plane, system node
 * group, OIDC provider for IRSA, admin access entries, and the EBS CSI and metrics-server add-ons.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createClusterNetwork } from "./_cluster-network";
import { createClusterRole, createIrsaRole, createNodeRole } from "./_cluster-iam";
import { renderEksKubeconfig } from "./_cluster-kubeconfig";
import { createNodeLaunchTemplate } from "./_cluster-launch-template";
import {
  DEFAULT_EKS_REGION,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_LOG_TYPES,
  DEFAULT_NAT_GATEWAYS,
  DEFAULT_SUPPORT_TYPE,
  DEFAULT_SYSTEM_DISK_GIB,
  DEFAULT_SYSTEM_INSTANCE_TYPE,
  DEFAULT_SYSTEM_NODE_COUNT,
  DEFAULT_VPC_CIDR,
  DEFAULT_ZONE_COUNT,
  type EksClusterArgs,
  type ExistingVpcArgs,
} from "./cluster-args";
import { NODE_POOL_LABEL, SYSTEM_POOL } from "./gpu-node-pool-labels";

/** EKS add-on name of the EBS CSI driver, and the service account its controller runs as. */
export const EBS_CSI_ADDON = { name: "aws-ebs-csi-driver", namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" } as const;
/**
 * EKS add-on name of metrics-server, which the router's CPU autoscaler (HPA) reads; EKS runs none by default.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html
 */
export const METRICS_SERVER_ADDON = "metrics-server";
/** @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html */
export const CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

/** Everything {@link Cluster} exposes about an EKS cluster it made. */
export interface EksParts {
  cluster: aws.eks.Cluster;
  systemNodeGroup: aws.eks.NodeGroup;
  ebsCsi?: aws.eks.Addon;
  metricsServer: aws.eks.Addon;
  region: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
  vpcId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string[]>;
  privateSubnetIds: pulumi.Output<string[]>;
  nodeRoleArn: pulumi.Output<string>;
  oidcProviderArn: pulumi.Output<string>;
  oidcIssuerUrl: pulumi.Output<string>;
}

/** Creates the EKS cluster and its surroundings as children of `parent`. Args are already validated. */
export function createEks(name: string, args: EksClusterArgs, parent: pulumi.Resource): EksParts {
  const region = pulumi.output(args.region ?? DEFAULT_EKS_REGION);
  const tags = { ...args.tags, "shoestring/cluster": name };
  const opts = { parent };
  const partition = aws.getPartitionOutput({}, opts);

  const network = args.existingVpc !== undefined ? existingNetwork(args.existingVpc) : newNetwork(name, args, region, tags, parent);
  const clusterRole = createClusterRole(name, tags, partition.partition, parent);
  const nodeRole = createNodeRole(name, tags, partition.partition, partition.dnsSuffix, parent);

  const publicCidrs = pulumi.output(args.publicAccessCidrs);
  const cluster = new aws.eks.Cluster(
    `${name}-eks`,
    {
      region,
      version: args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      roleArn: clusterRole.role.arn,
      vpcConfig: {
        // Control-plane network interfaces go in the private subnets only.
        subnetIds: network.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.apply((cidrs) => cidrs.length > 0),
        publicAccessCidrs: publicCidrs.apply((cidrs) => (cidrs.length > 0 ? cidrs : undefined)),
      },
      // Access entries instead of the aws-auth ConfigMap; the identity running Pulumi is admin.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      enabledClusterLogTypes: args.logTypes ?? [...DEFAULT_LOG_TYPES],
      upgradePolicy: { supportType: args.supportType ?? DEFAULT_SUPPORT_TYPE },
      tags: { ...tags, Name: name },
    },
    { parent, dependsOn: clusterRole.attachments },
  );

  const oidc = new aws.iam.OpenIdConnectProvider(
    `${name}-oidc`,
    { url: cluster.identities.apply((ids) => ids[0]?.oidcs[0]?.issuer ?? ""), clientIdLists: ["sts.amazonaws.com"], tags },
    opts,
  );

  (args.adminPrincipalArns ?? []).forEach((principalArn, i) => {
    const entry = new aws.eks.AccessEntry(`${name}-admin-${i}`, { region, clusterName: cluster.name, principalArn, tags }, opts);
    new aws.eks.AccessPolicyAssociation(
      `${name}-admin-${i}`,
      {
        region,
        clusterName: cluster.name,
        principalArn: entry.principalArn,
        policyArn: pulumi.interpolate`arn:${partition.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
        accessScope: { type: "cluster" },
      },
      opts,
    );
  });

  const system = args.systemNodeGroup ?? {};
  const size = system.size ?? DEFAULT_SYSTEM_NODE_COUNT;
  const amiType = "AL2023_x86_64_STANDARD";
  const launchTemplate = createNodeLaunchTemplate(
    `${name}-system`,
    { region, amiType, diskSizeGiB: system.diskSizeGiB ?? DEFAULT_SYSTEM_DISK_GIB, tags: { ...tags, Name: `${name}-system` } },
    parent,
  );
  const systemNodeGroup = new aws.eks.NodeGroup(
    `${name}-system`,
    {
      region,
      clusterName: cluster.name,
      nodeRoleArn: nodeRole.role.arn,
      subnetIds: network.privateSubnetIds,
      // Tracks the control plane, so a kubernetesVersion bump upgrades the nodes after it.
      version: cluster.version,
      amiType,
      capacityType: "ON_DEMAND",
      instanceTypes: [system.instanceType ?? DEFAULT_SYSTEM_INSTANCE_TYPE],
      scalingConfig: { minSize: size, maxSize: size, desiredSize: size },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      labels: { [NODE_POOL_LABEL]: SYSTEM_POOL },
      tags,
    },
    { parent, dependsOn: nodeRole.attachments },
  );

  let ebsCsi: aws.eks.Addon | undefined;
  if (args.ebsCsiDriver ?? true) {
    const role = createIrsaRole(
      `${name}-ebs-csi`,
      { oidcProviderArn: oidc.arn, issuerUrl: oidc.url, namespace: EBS_CSI_ADDON.namespace, serviceAccount: EBS_CSI_ADDON.serviceAccount },
      ["service-role/AmazonEBSCSIDriverPolicy"],
      tags,
      partition.partition,
      parent,
    );
    ebsCsi = new aws.eks.Addon(
      `${name}-ebs-csi`,
      {
        region,
        clusterName: cluster.name,
        addonName: EBS_CSI_ADDON.name,
        serviceAccountRoleArn: role.role.arn,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags,
      },
      // The add-on reports ACTIVE only once its controller pods run, which needs nodes.
      { parent, dependsOn: [systemNodeGroup, ...role.attachments] },
    );
  }

  // No addonVersion: EKS installs its default for the cluster's version, as for the EBS CSI driver;
  // a pinned one would break on the next kubernetesVersion it does not support.
  const metricsServer = new aws.eks.Addon(
    `${name}-metrics-server`,
    {
      region,
      clusterName: cluster.name,
      addonName: METRICS_SERVER_ADDON,
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags,
    },
    // Its pods need nodes before the add-on reports ACTIVE.
    { parent, dependsOn: [systemNodeGroup] },
  );

  const kubeconfig = pulumi
    .all([cluster.name, cluster.endpoint, cluster.certificateAuthority, region])
    .apply(([clusterName, endpoint, ca, r]) =>
      renderEksKubeconfig({ clusterName, endpoint, caData: ca.data, region: r, awsProfile: args.awsProfile }),
    );

  return {
    cluster,
    systemNodeGroup,
    ebsCsi,
    metricsServer,
    region,
    kubeconfig: pulumi.secret(kubeconfig),
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    nodeRoleArn: nodeRole.role.arn,
    oidcProviderArn: oidc.arn,
    oidcIssuerUrl: oidc.url,
  };
}

/** Where the cluster's subnets come from: a VPC made here, or one the caller owns. */
interface EksNetwork {
  vpcId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string[]>;
  privateSubnetIds: pulumi.Output<string[]>;
}

function newNetwork(name: string, args: EksClusterArgs, region: pulumi.Output<string>, tags: Record<string, string>, parent: pulumi.Resource): EksNetwork {
  const network = createClusterNetwork(
    name,
    {
      region,
      vpcCidr: args.vpcCidr ?? DEFAULT_VPC_CIDR,
      zoneCount: args.availabilityZoneCount ?? DEFAULT_ZONE_COUNT,
      natGateways: args.natGateways ?? DEFAULT_NAT_GATEWAYS,
      tags,
    },
    parent,
  );
  return { vpcId: network.vpc.id, publicSubnetIds: pulumi.all(network.publicSubnetIds), privateSubnetIds: pulumi.all(network.privateSubnetIds) };
}

function existingNetwork(vpc: ExistingVpcArgs): EksNetwork {
  return {
    vpcId: pulumi.output(vpc.vpcId),
    publicSubnetIds: pulumi.output(vpc.publicSubnetIds ?? []),
    privateSubnetIds: pulumi.output(vpc.privateSubnetIds),
  };
}
