/**
 * @module `Cluster`: the Kubernetes cluster the stack runs on, as a `k8s.Provider` every Kubernetes
 * component uses. Either a new EKS cluster (VPC, control plane, system nodes, IRSA) or an
 * existing cluster reached through a kubeconfig.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createEks } from "./_cluster-eks";
import { clusterArgsErrors, type ClusterArgs } from "./cluster-args";

/** Name of the default StorageClass an EKS {@link Cluster} creates (EBS gp3, encrypted). */
export const EKS_STORAGE_CLASS = "gp3-encrypted";

/**
 * The cluster every Kubernetes component of the stack deploys to.
 *
 * - `kind: "eks"`: a VPC over two (or three) zones with public subnets for load balancers and
 *   NAT and private subnets for nodes; the EKS control plane with its private endpoint on and the
 *   public one limited to `publicAccessCidrs`; a fixed-size on-demand system node group (no taint)
 *   for the router, cache and monitoring; an IAM OIDC provider for IRSA; the EBS CSI add-on and a
 *   default encrypted gp3 StorageClass. GPU pools are separate {@link GpuNodePool}s.
 * - `kind: "kubernetes"`: an existing cluster from a kubeconfig (kept secret) and/or a context.
 *   No AWS resource is created.
 *
 * @example new Cluster("llm", { kind: "eks", publicAccessCidrs: ["203.0.113.7/32"] })
 */
export class Cluster extends pulumi.ComponentResource {
  /** Which variant this is. */
  public readonly kind: "eks" | "kubernetes";
  /** Provider for every Kubernetes resource on this cluster. */
  public readonly provider: k8s.Provider;
  /** kubeconfig (secret): for EKS it runs `aws eks get-token`; for an existing cluster, the one given. */
  public readonly kubeconfig: pulumi.Output<string | undefined>;
  /** EKS cluster name (EKS only). */
  public readonly clusterName: pulumi.Output<string | undefined>;
  /** API server URL (EKS only). */
  public readonly endpoint: pulumi.Output<string | undefined>;
  /** Kubernetes `major.minor` of the control plane; pass it to {@link GpuNodePool} (EKS only). */
  public readonly kubernetesVersion: pulumi.Output<string | undefined>;
  /** AWS region (EKS only). */
  public readonly region: pulumi.Output<string | undefined>;
  /** VPC id (EKS only). */
  public readonly vpcId: pulumi.Output<string | undefined>;
  /** Subnets of the nodes, one per zone (EKS only; empty otherwise). */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Subnets for internet-facing load balancers, one per zone (EKS only; empty otherwise). */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** IAM role ARN every node group runs as; {@link GpuNodePool} needs it (EKS only). */
  public readonly nodeRoleArn: pulumi.Output<string | undefined>;
  /** IAM OIDC provider ARN, for IRSA roles (EKS only). */
  public readonly oidcProviderArn: pulumi.Output<string | undefined>;
  /** OIDC issuer URL, for IRSA trust policies (EKS only). */
  public readonly oidcIssuerUrl: pulumi.Output<string | undefined>;
  /** StorageClass for persistent volumes; undefined: the cluster's default. */
  public readonly storageClassName: pulumi.Output<string | undefined>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shoestring:index:Cluster", name, {}, opts);
    const errors = clusterArgsErrors(args);
    if (errors.length > 0) {
      const lines = errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`).join("\n");
      throw new pulumi.InputPropertiesError({ message: `Invalid arguments for Cluster "${name}":\n${lines}`, errors });
    }
    this.kind = args.kind;
    const none = pulumi.output(undefined as string | undefined);

    if (args.kind === "kubernetes") {
      const kubeconfig = args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig);
      this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig, context: args.context }, { parent: this });
      this.kubeconfig = kubeconfig ?? none;
      this.clusterName = this.endpoint = this.kubernetesVersion = this.region = this.vpcId = none;
      this.nodeRoleArn = this.oidcProviderArn = this.oidcIssuerUrl = none;
      this.privateSubnetIds = this.publicSubnetIds = pulumi.output([]);
      this.storageClassName = pulumi.output(args.storageClassName);
    } else {
      const eks = createEks(name, args, this);
      // Kubernetes resources wait for the system nodes (and the storage driver): without them
      // nothing schedules and every Helm release or Deployment would time out instead.
      this.provider = new k8s.Provider(
        `${name}-k8s`,
        { kubeconfig: eks.kubeconfig },
        { parent: this, dependsOn: [eks.systemNodeGroup, ...(eks.ebsCsi ? [eks.ebsCsi] : [])] },
      );
      this.kubeconfig = eks.kubeconfig;
      this.clusterName = eks.cluster.name;
      this.endpoint = eks.cluster.endpoint;
      this.kubernetesVersion = eks.cluster.version;
      this.region = eks.region;
      this.vpcId = eks.vpcId;
      this.privateSubnetIds = eks.privateSubnetIds;
      this.publicSubnetIds = eks.publicSubnetIds;
      this.nodeRoleArn = eks.nodeRoleArn;
      this.oidcProviderArn = eks.oidcProviderArn;
      this.oidcIssuerUrl = eks.oidcIssuerUrl;
      this.storageClassName = eks.ebsCsi ? this.defaultStorageClass(name).metadata.name : none;
    }

    this.registerOutputs({
      provider: this.provider,
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubernetesVersion: this.kubernetesVersion,
      region: this.region,
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      nodeRoleArn: this.nodeRoleArn,
      oidcProviderArn: this.oidcProviderArn,
      oidcIssuerUrl: this.oidcIssuerUrl,
      storageClassName: this.storageClassName,
    });
  }

  /**
   * EKS 1.30+ clusters have no default StorageClass, so a PVC without one stays Pending. This one
   * is encrypted gp3 and binds where the pod lands (WaitForFirstConsumer), so a volume and its
   * pod always share a zone.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/create-storage-class.html
   */
  private defaultStorageClass(name: string): k8s.storage.v1.StorageClass {
    return new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      {
        metadata: { name: EKS_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
      },
      { parent: this, provider: this.provider },
    );
  }
}
