/**
 * @module The one Pulumi mock harness (STYLE R9): installs `pulumi.runtime.setMocks`, records every
 * resource registration and invoke, and unwraps outputs. See shared/reference/pulumi-testing.md.
 *
 * Forgetting setMocks passes silently (the SDK falls back to a "test mode" that records nothing), so
 * every test must assert that `recorded.resources` is non-empty — `expectRegistered()` does.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";

/** What a program registered under the mocks. */
export interface Recorded {
  resources: pulumi.runtime.MockResourceArgs[];
  calls: pulumi.runtime.MockCallArgs[];
}

/** Kubernetes objects without `metadata.name` get one from the provider (`<name>-<random>`); here `<name>-mock`. */
const k8sAutoname = (a: pulumi.runtime.MockResourceArgs): Record<string, unknown> => ({
  metadata: { ...(a.inputs.metadata ?? {}), name: a.inputs.metadata?.name ?? `${a.name}-mock` },
});
const K8S_AUTONAMED = [
  "core/v1:Secret", "core/v1:ConfigMap", "core/v1:Service", "core/v1:PersistentVolumeClaim", "apps/v1:Deployment",
  "apps/v1:StatefulSet", "policy/v1:PodDisruptionBudget", "autoscaling/v2:HorizontalPodAutoscaler",
  "networking.k8s.io/v1:Ingress", "networking.k8s.io/v1:NetworkPolicy", "keda.sh/v1alpha1:ScaledObject",
  "monitoring.coreos.com/v1:ServiceMonitor", "monitoring.coreos.com/v1:PrometheusRule", "leaderworkerset.x-k8s.io/v1:LeaderWorkerSet",
];

/** Provider-computed outputs the engine would fill in, by resource type. */
const COMPUTED: Record<string, (args: pulumi.runtime.MockResourceArgs) => Record<string, unknown>> = {
  ...Object.fromEntries(K8S_AUTONAMED.map((t) => [`kubernetes:${t}`, k8sAutoname])),
  "docker:index/remoteImage:RemoteImage": (a) => ({ imageId: `sha256:mock-${a.name}`, repoDigest: `${a.inputs.name}@sha256:mock` }),
  "docker:index/image:Image": (a) => ({ imageName: a.inputs.imageName, repoDigest: `${a.inputs.imageName}@sha256:mock` }),
  "docker:index/network:Network": (a) => ({ name: a.inputs.name ?? a.name }),
  "docker:index/volume:Volume": (a) => ({ name: a.inputs.name ?? a.name }),
  "docker:index/container:Container": (a) => ({ name: a.inputs.name ?? a.name }),
  "aws:ec2/instance:Instance": () => ({ publicIp: "203.0.113.10", privateIp: "10.0.0.10", publicDns: "ec2-203-0-113-10.compute-1.amazonaws.com" }),
  "aws:ec2/securityGroup:SecurityGroup": (a) => ({ arn: `arn:aws:ec2:us-east-1:123456789012:security-group/${a.name}` }),
  "aws:iam/role:Role": (a) => ({ arn: `arn:aws:iam::123456789012:role/${a.name}`, name: a.inputs.name ?? a.name }),
  "aws:iam/instanceProfile:InstanceProfile": (a) => ({ arn: `arn:aws:iam::123456789012:instance-profile/${a.name}`, name: a.inputs.name ?? a.name }),
  "random:index/randomPassword:RandomPassword": () => ({ result: "mock-random-password" }),
  "aws:eks/cluster:Cluster": (a) => ({
    name: a.inputs.name ?? a.name,
    arn: `arn:aws:eks:us-east-1:123456789012:cluster/${a.name}`,
    endpoint: "https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com",
    certificateAuthority: { data: "bW9jay1jbHVzdGVyLWNh" },
    identities: [{ oidcs: [{ issuer: "https://oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF" }] }],
  }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (a) => ({
    arn: `arn:aws:iam::123456789012:oidc-provider/${String(a.inputs.url).replace(/^https:\/\//, "")}`,
  }),
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
};

/** Answers for invokes (data sources). Unknown invokes throw, so a missing mock cannot hide. */
export type CallHandler = (args: pulumi.runtime.MockCallArgs) => Record<string, unknown> | undefined;

const DEFAULT_CALLS: CallHandler = (args) => {
  switch (args.token) {
    case "aws:ec2/getAmi:getAmi":
      return { id: "ami-0123456789abcdef0", name: "Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) 20261101", architecture: "x86_64" };
    case "aws:ec2/getVpc:getVpc":
      return { id: "vpc-0123456789abcdef0", cidrBlock: "172.31.0.0/16" };
    case "aws:ec2/getSubnets:getSubnets":
      return { ids: ["subnet-0123456789abcdef0"] };
    case "aws:index/getRegion:getRegion":
      return { name: "us-east-1", region: "us-east-1" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { names: ["us-east-1a", "us-east-1b"], zoneIds: ["use1-az1", "use1-az2"] };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:ec2/getSubnet:getSubnet":
      return { id: args.inputs.id, vpcId: "vpc-0fedcba9876543210", availabilityZone: "us-east-1a" };
    case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
      return { id: "us-east-1", region: "us-east-1", instanceTypes: ["g6e.xlarge", "g6e.xlarge"], locations: ["us-east-1b", "us-east-1a"], locationTypes: ["availability-zone", "availability-zone"] };
    default:
      return undefined;
  }
};

/**
 * Installs the mocks and returns the (live) record. Call in `beforeAll`/`beforeEach`, before any
 * resource is constructed. `project` must match the config namespace your code reads.
 */
export async function installMocks(
  opts: { project?: string; stack?: string; calls?: CallHandler; preview?: boolean } = {},
): Promise<Recorded> {
  const recorded: Recorded = { resources: [], calls: [] };
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.resources.push(args);
        const computed = COMPUTED[args.type]?.(args) ?? {};
        return { id: args.custom ? `${args.name}-id` : undefined, state: { ...args.inputs, ...computed } };
      },
      call(args) {
        recorded.calls.push(args);
        const result = opts.calls?.(args) ?? DEFAULT_CALLS(args);
        if (result === undefined) throw new Error(`unmocked invoke ${args.token}: add it to test/helpers/pulumi.ts`);
        return result;
      },
    },
    opts.project ?? "shoestring",
    opts.stack ?? "test",
    opts.preview ?? false,
  );
  return recorded;
}

/** Resolves an Output's value (the apply-to-promise adapter every Pulumi test needs). */
export function unwrap<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

/** Waits until every pending registration has reached the mocks, including ones started in `apply`. */
export async function settle(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  // waitForRPCs is @internal (stripped from the .d.ts) but present; it drains nested registrations.
  if (runtime.waitForRPCs) await runtime.waitForRPCs();
  else await new Promise((r) => setTimeout(r, 50));
}

/** The recorded registrations of one resource type, e.g. "docker:index/container:Container". */
export function ofType(recorded: Recorded, type: string): pulumi.runtime.MockResourceArgs[] {
  return recorded.resources.filter((r) => r.type === type);
}

/** One registration by type and logical name; fails the test with the names that exist. */
export function byName(recorded: Recorded, type: string, name: string): pulumi.runtime.MockResourceArgs {
  const found = ofType(recorded, type).find((r) => r.name === name);
  if (!found) {
    const names = ofType(recorded, type).map((r) => r.name);
    throw new Error(`no ${type} named "${name}" was registered (registered: ${names.join(", ") || "none"})`);
  }
  return found;
}

/** Asserts that the mocks saw registrations at all (guards against the silent no-setMocks pass). */
export function expectRegistered(recorded: Recorded): void {
  expect(recorded.resources.length, "no resources were registered: were the mocks installed?").toBeGreaterThan(0);
}

/** Replaces the engine's secret wrappers with their plain values, recursively, for schema checks. */
export function unwrapSecrets(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return unwrapSecrets(pulumi.runtime.unwrapRpcSecret(value));
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** True when the engine would receive this input (or one nested in it) as a secret. */
export function containsSecret(value: unknown): boolean {
  if (pulumi.runtime.isRpcSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}
