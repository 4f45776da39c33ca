/**
 * @module The kubeconfig of an EKS cluster (internal): no stored token, `aws eks get-token` is run
 * for every connection, so the file grants nothing by itself and never expires.
 */
import { stringify } from "yaml";

/** What a kubeconfig for one EKS cluster needs. */
export interface EksKubeconfigInput {
  /** EKS cluster name; also the kubeconfig's cluster, user and context name. */
  readonly clusterName: string;
  /** API server URL, `https://…eks.amazonaws.com`. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (`certificateAuthority.data`). */
  readonly caData: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** AWS CLI profile for `aws eks get-token`; unset: the ambient credentials. */
  readonly awsProfile?: string;
}

/**
 * Renders a kubeconfig whose user runs `aws eks get-token` (needs the AWS CLI v2 on the machine
 * running Pulumi or kubectl).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-kubeconfig.html
 * @example renderEksKubeconfig({ clusterName: "llm", endpoint, caData, region: "us-east-1" })
 */
export function renderEksKubeconfig(input: EksKubeconfigInput): string {
  const { clusterName: name } = input;
  const exec: Record<string, unknown> = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["--region", input.region, "eks", "get-token", "--cluster-name", name, "--output", "json"],
    // Pulumi and CI run without a terminal; never let the plugin wait for input.
    interactiveMode: "Never",
  };
  if (input.awsProfile !== undefined) exec.env = [{ name: "AWS_PROFILE", value: input.awsProfile }];
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: input.endpoint, "certificate-authority-data": input.caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [{ name, user: { exec } }],
  });
}
