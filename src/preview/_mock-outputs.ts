/**
 * @module What a cloud provider would have answered, for an offline preview: the outputs a provider
 * computes on create (ids, addresses, ARNs) and the data sources (invokes) the program reads.
 * Values are obviously fake (documentation IP ranges, account 123456789012) so no one mistakes
 * them for a real deployment. The test harness (test/helpers/pulumi.ts) keeps its own copy with
 * test-specific answers; this one ships.
 * @internal
 */
import * as pulumi from "@pulumi/pulumi";

type ResourceArgs = pulumi.runtime.MockResourceArgs;

/** Kubernetes objects without `metadata.name` get one from the provider (`<name>-<random>`). */
const k8sAutoname = (a: ResourceArgs): Record<string, unknown> => {
  const metadata = (a.inputs.metadata ?? {}) as Record<string, unknown>;
  return { metadata: { ...metadata, name: metadata.name ?? `${a.name}-xxxxxxxx` } };
};

const K8S_AUTONAMED = [
  "core/v1:Secret",
  "core/v1:ConfigMap",
  "core/v1:Service",
  "core/v1:ServiceAccount",
  "core/v1:PersistentVolumeClaim",
  "apps/v1:Deployment",
  "apps/v1:StatefulSet",
  "apps/v1:DaemonSet",
  "policy/v1:PodDisruptionBudget",
  "autoscaling/v2:HorizontalPodAutoscaler",
  "networking.k8s.io/v1:Ingress",
  "networking.k8s.io/v1:NetworkPolicy",
  "keda.sh/v1alpha1:ScaledObject",
  "monitoring.coreos.com/v1:ServiceMonitor",
  "monitoring.coreos.com/v1:PodMonitor",
  "monitoring.coreos.com/v1:PrometheusRule",
  "leaderworkerset.x-k8s.io/v1:LeaderWorkerSet",
];

const ACCOUNT = "123456789012";

/** A value the engine would hand back as a secret. */
function secretValue(value: unknown): Record<string, unknown> {
  return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
}

/** What a generated password reads in a preview (it is a secret output, shown as [secret]). */
export const GENERATED_PLACEHOLDER = "generated-at-deploy";

/** The mock image ID a `RemoteImage` named `name` gets; the listing shows its reference instead. */
export function previewImageId(name: string): string {
  return `sha256:preview-${name}`;
}
const REGION = "us-east-1";

/**
 * Provider-computed outputs by resource type, merged over the echoed inputs. Only outputs the
 * program reads need an entry; any other output stays unknown, as in `pulumi preview`.
 */
export const PROVIDER_OUTPUTS: Readonly<Record<string, (args: ResourceArgs) => Record<string, unknown>>> = {
  ...Object.fromEntries(K8S_AUTONAMED.map((t) => [`kubernetes:${t}`, k8sAutoname])),
  "docker:index/remoteImage:RemoteImage": (a) => ({ imageId: previewImageId(a.name), repoDigest: `${String(a.inputs.name)}@sha256:preview` }),
  "docker:index/image:Image": (a) => ({ imageName: a.inputs.imageName, repoDigest: `${String(a.inputs.imageName)}@sha256:preview` }),
  "docker:index/network:Network": (a) => ({ name: a.inputs.name ?? a.name }),
  "docker:index/volume:Volume": (a) => ({ name: a.inputs.name ?? a.name }),
  "docker:index/container:Container": (a) => ({ name: a.inputs.name ?? a.name }),
  // RFC 5737 documentation addresses: never a real host.
  "aws:ec2/instance:Instance": () => ({ publicIp: "203.0.113.10", privateIp: "10.0.0.10", publicDns: "ec2-203-0-113-10.compute-1.amazonaws.com" }),
  "aws:ec2/eip:Eip": () => ({ publicIp: "203.0.113.11" }),
  "aws:ec2/securityGroup:SecurityGroup": (a) => ({ arn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${a.name}` }),
  "aws:iam/role:Role": (a) => ({ arn: `arn:aws:iam::${ACCOUNT}:role/${a.name}`, name: a.inputs.name ?? a.name }),
  "aws:iam/instanceProfile:InstanceProfile": (a) => ({ arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${a.name}`, name: a.inputs.name ?? a.name }),
  "aws:eks/cluster:Cluster": (a) => ({
    name: a.inputs.name ?? a.name,
    arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${a.name}`,
    endpoint: "https://PREVIEW0000000000.gr7.us-east-1.eks.amazonaws.com",
    certificateAuthority: { data: "cHJldmlldy1jbHVzdGVyLWNh" },
    identities: [{ oidcs: [{ issuer: "https://oidc.eks.us-east-1.amazonaws.com/id/PREVIEW0000000000" }] }],
  }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (a) => ({
    arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(a.inputs.url).replace(/^https:\/\//, "")}`,
  }),
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
  // The engine makes `result` secret (the provider's additionalSecretOutputs); mocks do not, so say it here.
  "random:index/randomPassword:RandomPassword": () => ({ result: secretValue(GENERATED_PLACEHOLDER) }),
};

type CallArgs = pulumi.runtime.MockCallArgs;

/** The instance types an offerings query asks about (its `instance-type` filter). */
function askedInstanceTypes(args: CallArgs): string[] {
  const filters = (args.inputs.filters ?? []) as Array<{ name?: string; values?: unknown[] }>;
  return filters.filter((f) => f.name === "instance-type").flatMap((f) => (f.values ?? []).map(String));
}

/** Answers for the data sources the program reads, by invoke token. */
export const INVOKE_ANSWERS: Readonly<Record<string, (args: CallArgs) => Record<string, unknown>>> = {
  "aws:ec2/getAmi:getAmi": () => ({ id: "ami-0000000000preview", name: "(newest matching AMI at deploy time)", architecture: "x86_64" }),
  "aws:ec2/getVpc:getVpc": () => ({ id: "vpc-0000000000preview", cidrBlock: "172.31.0.0/16" }),
  "aws:ec2/getSubnets:getSubnets": () => ({ ids: ["subnet-000000preview"] }),
  "aws:ec2/getSubnet:getSubnet": (a) => ({ id: a.inputs.id, vpcId: "vpc-0000000000preview", availabilityZone: `${REGION}a` }),
  "aws:index/getRegion:getRegion": (a) => ({ name: a.inputs.region ?? REGION, region: a.inputs.region ?? REGION }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    names: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
    zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
  }),
  "aws:index/getPartition:getPartition": () => ({ id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/preview`, userId: "PREVIEW" }),
  "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": (a) => {
    // Offered everywhere: whether AWS offers the type in the region is only known at deploy time.
    const types = askedInstanceTypes(a);
    const zones = [`${REGION}a`, `${REGION}b`];
    return {
      id: REGION,
      region: a.inputs.region ?? REGION,
      instanceTypes: zones.flatMap(() => types),
      locations: zones.flatMap((z) => types.map(() => z)),
      locationTypes: zones.flatMap(() => types.map(() => "availability-zone")),
    };
  },
};
