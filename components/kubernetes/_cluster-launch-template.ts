/**
 * @module The launch template of an EKS managed node group (internal): an encrypted gp3 volume of
 * the requested size on the device the AMI stores images on, and IMDSv2 out of pods' reach.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** AMI families of managed node groups the kit uses. */
export type NodeAmiType = "AL2023_x86_64_STANDARD" | "AL2023_x86_64_NVIDIA" | "BOTTLEROCKET_x86_64_NVIDIA";

/**
 * The block device holding container images (and so model caches on `emptyDir`/image layers):
 * the root volume on Amazon Linux, the separate data volume on Bottlerocket, whose root volume is
 * the small read-only OS image.
 * @see https://bottlerocket.dev/en/os/latest/#/concepts/storage/
 */
export function dataDeviceName(amiType: NodeAmiType): string {
  return amiType.startsWith("BOTTLEROCKET") ? "/dev/xvdb" : "/dev/xvda";
}

/** What {@link createNodeLaunchTemplate} needs. */
export interface NodeLaunchTemplateInput {
  region: pulumi.Input<string>;
  amiType: NodeAmiType;
  diskSizeGiB: pulumi.Input<number>;
  tags: Record<string, string>;
}

/**
 * A launch template for a managed node group. EKS still chooses the AMI from the node group's
 * `amiType` (no `imageId` here), so AMI updates stay EKS's job.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html
 */
export function createNodeLaunchTemplate(
  name: string,
  input: NodeLaunchTemplateInput,
  parent: pulumi.Resource,
): aws.ec2.LaunchTemplate {
  return new aws.ec2.LaunchTemplate(
    name,
    {
      region: input.region,
      description: `Shoestring EKS nodes ${name}`,
      updateDefaultVersion: true,
      blockDeviceMappings: [
        {
          deviceName: dataDeviceName(input.amiType),
          ebs: {
            volumeSize: input.diskSizeGiB,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      // Hop limit 1: pods (one network hop away) cannot reach IMDS and borrow the node role; the
      // kit's pods use IRSA instead. https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      tagSpecifications: [
        { resourceType: "instance", tags: input.tags },
        { resourceType: "volume", tags: input.tags },
      ],
      tags: input.tags,
    },
    { parent },
  );
}
