/**
 * @module `shoestring:target`: where the stack runs. One variant per deployment kind, chosen by
 * `kind`, each with only the fields that kind uses.
 */
import { z } from "zod";
import {
  HostGpuSchema,
  awsRegion,
  dnsLabel,
  ec2InstanceType,
  gpuType,
  port,
  positiveInt,
  secretName,
} from "./_primitives";

const hostRamGiB = () =>
  positiveInt().max(4096).default(16).describe("Host RAM in GiB, for models that run on the CPU (llama.cpp) and for the cache.");
const hostMemoryBandwidthGBps = () =>
  z.number().gt(0).max(2000).default(50).describe("Host memory bandwidth in GB/s; the planner estimates CPU decode speed from it.");
const bindAddress = () =>
  z
    .ipv4()
    .default("127.0.0.1")
    .describe("Address the router and Grafana publish on. 127.0.0.1 keeps them local; 0.0.0.0 exposes them to the network (keep router.auth on).");

/**
 * TLS for a router reachable beyond localhost: a pinned Caddy container terminates it, with
 * automatic certificates for `domain`, or the certificate the user supplies as two secrets.
 */
const TlsSchema = z
  .strictObject({
    domain: z.hostname().describe("DNS name clients use for the router; it must resolve to this host."),
    certificateSecret: secretName()
      .optional()
      .describe("Name of the stack secret holding a PEM certificate chain for `domain`. Unset: Caddy obtains one automatically (ACME)."),
    privateKeySecret: secretName()
      .optional()
      .describe("Name of the stack secret holding the PEM private key of `certificateSecret`."),
    email: z.email().optional().describe("Contact address for the ACME account (automatic certificates only)."),
  })
  .optional()
  .describe("Serve the router over TLS (required when it is reachable beyond localhost).");

/** This machine's Docker engine. */
export const DockerLocalTargetSchema = z
  .strictObject({
    kind: z.literal("docker-local").describe("Run every service as a container on this machine's Docker engine."),
    gpu: HostGpuSchema.optional(),
    hostRamGiB: hostRamGiB(),
    hostMemoryBandwidthGBps: hostMemoryBandwidthGBps(),
    bindAddress: bindAddress(),
    tls: TlsSchema,
  })
  .describe("Docker on this machine.");

/** A remote Docker engine reached over SSH. */
export const DockerSshTargetSchema = z
  .strictObject({
    kind: z.literal("docker-ssh").describe("Run every service as a container on a remote Docker host over SSH."),
    host: z.hostname().describe("Host name or IPv4 address of the Docker host."),
    user: z.string().min(1).max(64).describe("SSH user, a member of the host's `docker` group."),
    port: port().default(22).describe("SSH port."),
    privateKeySecret: secretName()
      .optional()
      .describe("Name of the stack secret holding an unencrypted SSH private key. Unset: ssh-agent and ~/.ssh (`ssh-add` your key)."),
    gpu: HostGpuSchema.optional(),
    hostRamGiB: hostRamGiB(),
    hostMemoryBandwidthGBps: hostMemoryBandwidthGBps(),
    bindAddress: bindAddress(),
    tls: TlsSchema,
  })
  .describe("Docker on a remote host over SSH.");

/** One EC2 GPU VM running Docker. */
export const AwsGpuVmTargetSchema = z
  .strictObject({
    kind: z.literal("aws-gpu-vm").describe("Create one EC2 GPU instance and run the services on it with Docker."),
    region: awsRegion().default("us-east-1").describe("AWS region."),
    instanceType: ec2InstanceType().describe("EC2 GPU instance type, e.g. g6e.xlarge (1x L40S) or g5.xlarge (1x A10G)."),
    spot: z.boolean().default(false).describe("Use a spot instance: cheaper, but AWS may reclaim it at two minutes' notice."),
    volumeGiB: z.int().min(50).max(16384).default(200).describe("Root volume size in GiB; model weights are cached on it."),
    allowedCidrs: z
      .array(z.cidrv4())
      .default([])
      .describe("IPv4 CIDRs allowed to reach the router port. Empty: reachable only through an SSH tunnel or SSM."),
    adminCidr: z.cidrv4().optional().describe("IPv4 CIDR allowed to SSH to the instance. Unset: no SSH ingress."),
    keyPairName: z
      .string()
      .min(1)
      .max(255)
      .optional()
      .describe("Existing EC2 key pair the kit's Docker client logs in with (SSH, or SSH over SSM without adminCidr). This or sshPublicKeys is required."),
    sshPublicKeys: z
      .array(z.string().regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/, "an OpenSSH public key line"))
      .default([])
      .describe("OpenSSH public keys authorized on the instance (e.g. the contents of ~/.ssh/id_ed25519.pub)."),
    tls: TlsSchema,
  })
  .describe("One GPU VM on AWS EC2.");

/** A GPU node pool of an EKS cluster. */
export const EksNodePoolSchema = z
  .strictObject({
    name: dnsLabel(40).describe("Pool name; models select it with `nodePool`."),
    instanceType: ec2InstanceType().describe("EC2 GPU instance type of the pool's nodes, e.g. g6e.12xlarge (4x L40S)."),
    minSize: z.int().min(0).max(100).default(1).describe("Minimum number of nodes."),
    maxSize: z.int().min(1).max(100).default(1).describe("Maximum number of nodes."),
    desiredSize: z.int().min(0).max(100).default(1).describe("Number of nodes to start with (between minSize and maxSize)."),
    spot: z.boolean().default(false).describe("Use spot capacity for this pool."),
    diskGiB: z
      .int()
      .min(50)
      .max(16384)
      .default(200)
      .describe("Encrypted gp3 volume per node in GiB: container images, and the weights of models with more than one replica (downloaded to the node)."),
  })
  .describe("A managed node group with GPUs.");

/**
 * The router's public entry on a cluster: an Ingress served by the cluster's ingress controller,
 * with a certificate from cert-manager or an existing TLS Secret.
 */
const IngressSchema = z
  .strictObject({
    domain: z.hostname().describe("DNS name clients use for the router; point it at the ingress controller's load balancer."),
    className: z.string().min(1).max(253).optional().describe("IngressClass of the controller, e.g. nginx. Unset: the cluster's default class."),
    tls: z
      .boolean()
      .default(true)
      .describe("Serve the router over TLS (needs clusterIssuer or tlsSecretName). false: plain HTTP, only behind a load balancer that terminates TLS."),
    clusterIssuer: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe("cert-manager ClusterIssuer that issues the certificate for `domain` (cert-manager must run in the cluster)."),
    tlsSecretName: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, "a Secret name: lowercase letters, digits, '-' and '.'")
      .optional()
      .describe("Existing kubernetes.io/tls Secret in the stack's namespace. Unset with clusterIssuer: `<router service>-tls`, written by cert-manager."),
    controllerNamespace: dnsLabel(63)
      .default("ingress-nginx")
      .describe("Namespace of the ingress controller's pods: NetworkPolicies let only them reach the router."),
  })
  .optional()
  .describe("Public ingress for the router. Unset: the router is reachable inside the cluster only (e.g. kubectl port-forward).");

/** Per-model queue-depth autoscaling on a cluster (KEDA), within the replicas the planner sized. */
const AutoscalingSchema = z
  .record(
    dnsLabel(40),
    z
      .strictObject({
        minReplicas: z
          .int()
          .min(0)
          .max(63)
          .default(1)
          .describe("Fewest replicas. 0 scales the model to zero when idle: its GPUs are freed, and the next request waits for a cold start (minutes for large models)."),
        queueThreshold: positiveInt()
          .max(10_000)
          .default(5)
          .describe("Waiting requests per replica the autoscaler aims for (vllm:num_requests_waiting, llamacpp:requests_deferred)."),
      })
      .describe("Autoscaling of one model."),
  )
  .default({})
  .describe(
    "Queue-depth autoscaling (KEDA, needs monitoring) by models[].name: between minReplicas and the model's `replicas`, the most the planner sized. Unset: every model runs its fixed replicas.",
  );

/** A new EKS cluster. */
export const EksTargetSchema = z
  .strictObject({
    kind: z.literal("eks").describe("Create an EKS cluster with GPU node pools and run the services on Kubernetes."),
    region: awsRegion().default("us-east-1").describe("AWS region."),
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, "a Kubernetes minor version such as 1.33")
      .default("1.33")
      .describe("EKS Kubernetes version (major.minor)."),
    systemNodeGroup: z
      .strictObject({
        instanceType: ec2InstanceType().default("t3.large").describe("Instance type of the system nodes (router, cache, monitoring)."),
        size: z.int().min(1).max(20).default(2).describe("Number of system nodes."),
      })
      .prefault({})
      .describe("CPU nodes for the router, cache and monitoring."),
    apiAccessCidrs: z
      .array(z.cidrv4())
      .describe(
        "IPv4 CIDRs allowed to reach the cluster API's public endpoint, e.g. your IP as a /32: the machine running `pulumi up` deploys the workloads through it. [] keeps the API private (run Pulumi inside the VPC). Required, so exposing the API is a decision.",
      ),
    gpuNodePools: z.array(EksNodePoolSchema).min(1).describe("GPU node pools; each model runs on one (see models[].nodePool)."),
    ingress: IngressSchema,
    autoscaling: AutoscalingSchema,
  })
  .describe("A new EKS cluster.");

/** An existing Kubernetes cluster. */
export const KubernetesTargetSchema = z
  .strictObject({
    kind: z.literal("kubernetes").describe("Deploy onto an existing Kubernetes cluster with GPU nodes."),
    kubeconfigSecret: secretName()
      .optional()
      .describe("Name of the stack secret holding a kubeconfig. Unset: the ambient kubeconfig ($KUBECONFIG or ~/.kube/config)."),
    context: z.string().min(1).optional().describe("kubeconfig context to use. Unset: the kubeconfig's current context."),
    namespace: dnsLabel(63).default("shoestring").describe("Namespace of the stack's workloads."),
    createNamespace: z
      .boolean()
      .default(true)
      .describe(
        "Create `namespace` (the stack fails if it already exists). false: it exists already, made for the stack; its NetworkPolicies deny ingress to every other pod there, so do not share it.",
      ),
    gpu: z
      .strictObject({
        type: gpuType().describe("GPU model of the cluster's GPU nodes, e.g. L4, A100-80GB."),
        countPerNode: positiveInt().max(16).default(1).describe("GPUs per node."),
        nodes: positiveInt().max(1000).default(1).describe("Number of GPU nodes available to this stack."),
      })
      .describe("The GPU nodes the stack may use."),
    gpuHourlyUsd: z.number().min(0).optional().describe("Cost of one GPU-hour in USD, for cost estimates. Unset: no cost estimate."),
    storageClass: z.string().min(1).optional().describe("StorageClass for model caches and Prometheus. Unset: the cluster default."),
    addons: z
      .strictObject({
        nvidiaDevicePlugin: z
          .boolean()
          .default(false)
          .describe("Install the NVIDIA device plugin chart. Leave off where the cluster already advertises nvidia.com/gpu (GPU Operator, GKE, AKS)."),
        dcgmExporter: z.boolean().default(false).describe("Install the DCGM exporter chart (GPU metrics). Leave off where the GPU Operator runs it."),
        kubePrometheusStack: z
          .boolean()
          .default(true)
          .describe(
            "Install kube-prometheus-stack while monitoring is enabled. false: the cluster's own Prometheus Operator, whose Prometheus must select ServiceMonitors and PrometheusRules in `namespace`.",
          ),
        keda: z.boolean().default(true).describe("Install KEDA when a model autoscales (target.autoscaling). false: the cluster runs KEDA already."),
        monitoringNamespace: dnsLabel(63)
          .default("monitoring")
          .describe("Namespace of Prometheus and Grafana: where kube-prometheus-stack goes (created), or where the cluster's own Prometheus runs."),
        prometheusUrl: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe("In-cluster URL of the cluster's own Prometheus, for KEDA. Required with target.autoscaling while kubePrometheusStack is false."),
      })
      .prefault({})
      .describe("Cluster-wide add-ons; an existing cluster may run some of them already."),
    ingress: IngressSchema,
    autoscaling: AutoscalingSchema,
  })
  .describe("An existing Kubernetes cluster.");

/** `shoestring:target`: where the stack runs, chosen by `kind`. */
export const TargetSchema = z
  .discriminatedUnion("kind", [
    DockerLocalTargetSchema,
    DockerSshTargetSchema,
    AwsGpuVmTargetSchema,
    EksTargetSchema,
    KubernetesTargetSchema,
  ])
  .describe("Where the stack runs; `kind` selects the variant and its fields.");

/** Parsed `shoestring:target`. */
export type TargetConfig = z.output<typeof TargetSchema>;
/** The target kinds, e.g. "docker-local". */
export type TargetKind = TargetConfig["kind"];
/** Parsed EKS GPU node pool. */
export type EksNodePoolConfig = z.output<typeof EksNodePoolSchema>;
/** A parsed Kubernetes target (`eks` or `kubernetes`). */
export type KubernetesTargetConfig = Extract<TargetConfig, { kind: "eks" | "kubernetes" }>;
