/**
 * @module The few settings a reviewer looks for in each kind of resource — image, instance type,
 * published ports, GPU requests, replicas, chart version — as display text. Everything else stays
 * in the full input listing (`--json`) and the per-resource diff.
 */
import { isAbsolute, relative } from "node:path";
import { displayValue } from "./display-values";
import type { RecordedResource } from "./preview-mocks";

/** One labelled setting, e.g. `["image", "redis:7.4.11-alpine"]`. */
export type KeySetting = readonly [label: string, text: string];

type Obj = Record<string, unknown>;

/** Command lines longer than this are cut in the key settings (the full one is in the inputs). */
const COMMAND_CHARS = 80;

function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Obj)[part];
  }
  return cur;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return value === undefined ? undefined : displayValue(value);
}

/** A path under the working directory as a relative one (machine-independent in PR comments). */
function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return isAbsolute(path) && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

/** Docker port bindings as `127.0.0.1:8080→8080/tcp`. */
function dockerPorts(ports: unknown): string | undefined {
  if (typeof ports === "string") return ports; // secret or unknown display text
  const items = list(ports).map((p) => {
    const ip = text(at(p, "ip")) ?? "0.0.0.0";
    const proto = text(at(p, "protocol")) ?? "tcp";
    return `${ip}:${text(at(p, "external")) ?? "?"}→${text(at(p, "internal")) ?? "?"}/${proto}`;
  });
  return items.length ? items.join(", ") : undefined;
}

/** Docker GPU access: `--gpus all`, or device requests with their ids. */
function dockerGpus(inputs: Obj): string | undefined {
  if (inputs.gpus !== undefined) return `all GPUs (--gpus ${text(inputs.gpus)})`;
  const gpus = list(inputs.deviceRequests).filter((r) => list(at(r, "capabilities")).includes("gpu"));
  if (gpus.length === 0) return undefined;
  const ids = gpus.flatMap((r) => list(at(r, "deviceIds")).map(String));
  return ids.length ? `${ids.length} (device ${ids.join(",")})` : text(at(gpus[0], "count")) ?? "all";
}

/** The command line, cut to its first words: for model servers that names the model and engine. */
function commandSummary(command: unknown): string | undefined {
  const words = list(command).map((w) => (typeof w === "string" ? w : displayValue(w)));
  if (words.length === 0) return undefined;
  const line = words.join(" ").replace(/\s+/g, " ");
  return line.length <= COMMAND_CHARS ? line : `${line.slice(0, COMMAND_CHARS - 1)}…`;
}

/** Pod-template containers of a workload (Deployment, StatefulSet, LeaderWorkerSet…). */
function podContainers(inputs: Obj): unknown[] {
  const templates = [
    at(inputs, "spec.template.spec"),
    at(inputs, "spec.leaderWorkerTemplate.leaderTemplate.spec"),
    at(inputs, "spec.leaderWorkerTemplate.workerTemplate.spec"),
  ];
  return templates.flatMap((spec) => list(at(spec, "containers")));
}

function k8sWorkload(inputs: Obj): KeySetting[] {
  const out: KeySetting[] = [];
  const replicas = at(inputs, "spec.replicas");
  if (replicas !== undefined) out.push(["replicas", text(replicas)!]);
  const size = at(inputs, "spec.leaderWorkerTemplate.size");
  if (size !== undefined) out.push(["group size", text(size)!]);
  const containers = podContainers(inputs);
  const images = [...new Set(containers.map((c) => text(at(c, "image"))).filter((i): i is string => i !== undefined))];
  if (images.length) out.push(["image", images.join(", ")]);
  const gpus = containers
    .map((c) => at(c, "resources.limits") as Obj | undefined)
    .map((limits) => (limits ? limits["nvidia.com/gpu"] : undefined))
    .filter((g) => g !== undefined);
  if (gpus.length) out.push(["GPUs/pod", gpus.map(text).join("+")]);
  const cpu = containers.map((c) => at(c, "resources.requests.cpu")).filter((v) => v !== undefined);
  const memory = containers.map((c) => at(c, "resources.requests.memory")).filter((v) => v !== undefined);
  if (cpu.length) out.push(["cpu", cpu.map(text).join("+")]);
  if (memory.length) out.push(["memory", memory.map(text).join("+")]);
  return out;
}

function securityGroupRules(rules: unknown): string | undefined {
  const items = list(rules).map((r) => {
    const proto = text(at(r, "protocol")) ?? "?";
    const from = text(at(r, "fromPort"));
    const to = text(at(r, "toPort"));
    const ports = from === to ? from : `${from}-${to}`;
    const sources = [...list(at(r, "cidrBlocks")), ...list(at(r, "ipv6CidrBlocks"))].map(String);
    return `${proto} ${ports} ← ${sources.join(",") || "(security groups)"}`;
  });
  return items.length ? items.join("; ") : "none";
}

/** Settings by resource type; a type not listed shows its name-like inputs only. */
const BY_TYPE: Record<string, (inputs: Obj) => Array<KeySetting | undefined>> = {
  "docker:index/container:Container": (i) => [
    ["image", text(i.image)!],
    dockerPorts(i.ports) !== undefined ? ["ports", dockerPorts(i.ports)!] : undefined,
    dockerGpus(i) !== undefined ? ["GPUs", dockerGpus(i)!] : undefined,
    i.memory !== undefined ? ["memory", `${text(i.memory)} MiB`] : undefined,
    commandSummary(i.command) !== undefined ? ["command", commandSummary(i.command)!] : undefined,
  ],
  "docker:index/remoteImage:RemoteImage": (i) => [["image", text(i.name)!]],
  "docker:index/image:Image": (i) => [["image", text(i.imageName)!], ["build", shortPath(text(at(i, "build.dockerfile")) ?? "?")]],
  "docker:index/network:Network": (i) => [["name", text(i.name) ?? "?"], ["driver", text(i.driver) ?? "bridge"]],
  "pulumi:providers:docker": (i) => [["host", text(i.host) ?? "local socket"]],
  "random:index/randomPassword:RandomPassword": (i) => [["length", text(i.length) ?? "?"]],
  "aws:ec2/instance:Instance": (i) => [
    ["instance type", text(i.instanceType)!],
    ["market", at(i, "instanceMarketOptions.marketType") !== undefined ? text(at(i, "instanceMarketOptions.marketType"))! : "on-demand"],
    ["root volume", `${text(at(i, "rootBlockDevice.volumeSize")) ?? "?"} GiB ${text(at(i, "rootBlockDevice.volumeType")) ?? ""}`.trim()],
    ["AMI", text(i.ami) ?? "?"],
  ],
  "aws:ec2/securityGroup:SecurityGroup": (i) => [["ingress", securityGroupRules(i.ingress)!]],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (i) => [
    ["ingress", `${text(i.ipProtocol)} ${text(i.fromPort)}-${text(i.toPort)} ← ${text(i.cidrIpv4 ?? i.cidrIpv6 ?? i.referencedSecurityGroupId)}`],
  ],
  "aws:eks/cluster:Cluster": (i) => [["version", text(i.version) ?? "(EKS default)"]],
  "aws:eks/nodeGroup:NodeGroup": (i) => [
    ["instance types", list(i.instanceTypes).map(String).join(", ") || (text(i.instanceTypes) ?? "(launch template)")],
    ["size", `${text(at(i, "scalingConfig.minSize"))}/${text(at(i, "scalingConfig.desiredSize"))}/${text(at(i, "scalingConfig.maxSize"))} (min/desired/max)`],
    ["capacity", text(i.capacityType) ?? "ON_DEMAND"],
  ],
  "aws:ec2/launchTemplate:LaunchTemplate": (i) => [i.instanceType !== undefined ? ["instance type", text(i.instanceType)!] : undefined],
  "aws:ec2/vpc:Vpc": (i) => [["CIDR", text(i.cidrBlock) ?? "?"]],
  "aws:ec2/subnet:Subnet": (i) => [["CIDR", text(i.cidrBlock) ?? "?"], ["zone", text(i.availabilityZone) ?? "?"]],
  "kubernetes:helm.sh/v3:Release": (i) => [["chart", `${text(i.chart)}@${text(i.version) ?? "latest"}`], ["namespace", text(i.namespace) ?? "default"]],
  "kubernetes:core/v1:Service": (i) => [
    ["type", text(at(i, "spec.type")) ?? "ClusterIP"],
    ["ports", list(at(i, "spec.ports")).map((p) => `${text(at(p, "port"))}→${text(at(p, "targetPort")) ?? text(at(p, "port"))}`).join(", ") || "none"],
  ],
  "pulumi:providers:kubernetes": (i) => [["context", text(i.context) ?? (i.kubeconfig !== undefined ? "from kubeconfig" : "ambient")]],
};

const K8S_WORKLOADS = ["apps/v1:Deployment", "apps/v1:StatefulSet", "apps/v1:DaemonSet", "leaderworkerset.x-k8s.io/v1:LeaderWorkerSet"];

/**
 * The key settings of one resource, in a fixed order. Container images that are mock IDs of
 * a `RemoteImage` in the same preview are shown as that image's reference.
 */
export function keySettings(resource: RecordedResource, imageRefs: ReadonlyMap<string, string> = new Map()): KeySetting[] {
  const inputs = resource.inputs;
  const kind = resource.type.startsWith("kubernetes:") ? resource.type.slice("kubernetes:".length) : undefined;
  let settings: Array<KeySetting | undefined>;
  if (BY_TYPE[resource.type]) settings = BY_TYPE[resource.type]!(inputs);
  else if (kind !== undefined && K8S_WORKLOADS.includes(kind)) settings = k8sWorkload(inputs);
  else settings = [inputs.name !== undefined ? ["name", text(inputs.name)!] : undefined];
  return settings
    .filter((s): s is KeySetting => s !== undefined && s[1] !== undefined)
    .map(([label, value]) => [label, label === "image" ? (imageRefs.get(value) ?? value) : value] as const);
}

/** `label value · label value`, or "" when there is nothing to show. */
export function formatKeySettings(settings: readonly KeySetting[]): string {
  return settings.map(([label, value]) => `${label} ${value}`).join(" · ");
}
