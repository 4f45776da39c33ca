/**
 * @module IAM roles of an EKS {@link Cluster} (internal): the control plane's role, the nodes' role,
 * and IRSA roles that bind one Kubernetes service account to AWS permissions.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Managed policies the cluster role needs. @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html */
export const CLUSTER_POLICIES: readonly string[] = ["AmazonEKSClusterPolicy"];
/**
 * Managed policies of the node role: join the cluster, run the VPC CNI, pull from ECR, and accept
 * SSM sessions (shell access without SSH or a public address).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
export const NODE_POLICIES: readonly string[] = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
];

/** A role and its managed-policy attachments. */
interface RoleWithPolicies {
  role: aws.iam.Role;
  attachments: aws.iam.RolePolicyAttachment[];
}

function assumeRolePolicy(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] });
}

function attach(
  name: string,
  role: aws.iam.Role,
  policies: readonly string[],
  partition: pulumi.Output<string>,
  parent: pulumi.Resource,
): aws.iam.RolePolicyAttachment[] {
  return policies.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${(policy.split("/").pop() ?? policy).toLowerCase().replace(/_/g, "-")}`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
        { parent },
      ),
  );
}

/** The role the EKS control plane assumes. */
export function createClusterRole(
  name: string,
  tags: Record<string, string>,
  partition: pulumi.Output<string>,
  parent: pulumi.Resource,
): RoleWithPolicies {
  const role = new aws.iam.Role(
    `${name}-cluster-role`,
    {
      description: `Shoestring EKS cluster ${name}: control plane`,
      assumeRolePolicy: assumeRolePolicy({ Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }),
      tags,
    },
    { parent },
  );
  return { role, attachments: attach(`${name}-cluster`, role, CLUSTER_POLICIES, partition, parent) };
}

/** The role every node (system and GPU pools) runs as. */
export function createNodeRole(
  name: string,
  tags: Record<string, string>,
  partition: pulumi.Output<string>,
  dnsSuffix: pulumi.Output<string>,
  parent: pulumi.Resource,
): RoleWithPolicies {
  const role = new aws.iam.Role(
    `${name}-node-role`,
    {
      description: `Shoestring EKS cluster ${name}: nodes`,
      assumeRolePolicy: dnsSuffix.apply((suffix) =>
        assumeRolePolicy({ Principal: { Service: `ec2.${suffix}` }, Action: "sts:AssumeRole" }),
      ),
      tags,
    },
    { parent },
  );
  return { role, attachments: attach(`${name}-node`, role, NODE_POLICIES, partition, parent) };
}

/** One service account allowed to assume an IRSA role. */
export interface IrsaSubject {
  /** The cluster's IAM OIDC provider. */
  oidcProviderArn: pulumi.Input<string>;
  /** Its issuer URL, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  issuerUrl: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
}

/**
 * A role only the given service account can assume (IAM Roles for Service Accounts): the trust
 * policy pins both the token's subject and its audience.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export function createIrsaRole(
  name: string,
  subject: IrsaSubject,
  policies: readonly string[],
  tags: Record<string, string>,
  partition: pulumi.Output<string>,
  parent: pulumi.Resource,
): RoleWithPolicies {
  const trust = pulumi.all([subject.oidcProviderArn, subject.issuerUrl]).apply(([arn, url]) => {
    const issuer = url.replace(/^https:\/\//, "");
    return assumeRolePolicy({
      Principal: { Federated: arn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${issuer}:sub`]: `system:serviceaccount:${subject.namespace}:${subject.serviceAccount}`,
          [`${issuer}:aud`]: "sts.amazonaws.com",
        },
      },
    });
  });
  const role = new aws.iam.Role(
    `${name}-role`,
    { description: `Shoestring: ${subject.namespace}/${subject.serviceAccount} (IRSA)`, assumeRolePolicy: trust, tags },
    { parent },
  );
  return { role, attachments: attach(name, role, policies, partition, parent) };
}
