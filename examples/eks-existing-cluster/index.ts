/**
 * Adds LLM serving to an EKS cluster this program does not own (made by another stack, eksctl or
 * the console): a GPU node pool, the NVIDIA device plugin, a vLLM model server on that pool, Redis
 * for the router's cache, and the OpenAI-compatible router, all from `llm-shoestring`.
 *
 *   pulumi config set clusterName prod-eks
 *   pulumi config set nodeRoleArn arn:aws:iam::123456789012:role/prod-eks-nodes
 *   pulumi config set routerImage ghcr.io/acme/shoestring-router:0.1.0
 *   pulumi config set --secret routerApiKeys "$(openssl rand -hex 24)"
 *   pulumi up
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons, GpuNodePool, K8sModelServer, K8sRedis, K8sRouter } from "llm-shoestring";

const cfg = new pulumi.Config();
const cluster = aws.eks.getClusterOutput({ name: cfg.require("clusterName") });
const region = aws.getRegionOutput().region;

// The existing cluster as a Kubernetes provider: the kubeconfig holds no token, `aws eks get-token`
// runs for every connection (AWS CLI v2 where Pulumi runs).
const kubeconfig = pulumi
  .all([cluster.name, cluster.endpoint, cluster.certificateAuthorities, region])
  .apply(([name, server, cas, r]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server, "certificate-authority-data": cas[0]?.data } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      users: [{ name, user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["--region", r, "eks", "get-token", "--cluster-name", name] } } }],
    }),
  );
const provider = new k8s.Provider("existing-eks", { kubeconfig: pulumi.secret(kubeconfig) });

// One L4 node, in the cluster's own subnets, tainted so only GPU pods land on it.
const pool = new GpuNodePool("l4", {
  clusterName: cluster.name,
  nodeRoleArn: cfg.require("nodeRoleArn"),
  subnetIds: cluster.vpcConfig.subnetIds,
  kubernetesVersion: cluster.version,
  region,
  poolName: "l4",
  instanceType: "g6.xlarge",
  gpusPerReplica: 1,
});

// Only the device plugin; skip this if the cluster runs the NVIDIA GPU Operator already.
const addons = new ClusterAddons("gpu", { provider, monitoring: false, keda: false, dcgmExporter: false });

const ns = new k8s.core.v1.Namespace("llm", { metadata: { name: "llm" } }, { provider });
const namespace = ns.metadata.name;

const qwen = new K8sModelServer(
  "qwen-7b",
  {
    provider,
    namespace,
    nodePool: pool.poolName,
    vllm: {
      servedModelName: "qwen-7b",
      repo: "Qwen/Qwen2.5-7B-Instruct-AWQ",
      quantization: "awq",
      maxModelLen: 8192,
      tensorParallelSize: 1,
      gpuMemoryUtilization: 0.9,
    },
  },
  { dependsOn: [pool, addons] },
);

const redis = new K8sRedis("cache", { provider, namespace, maxMemoryMb: 512 });

const router = new K8sRouter("router", {
  provider,
  namespace,
  image: cfg.require("routerImage"),
  modelServers: [{ name: "qwen-7b", endpoint: qwen.endpoint, servedModelName: qwen.servedModelName, tier: 1, contextTokens: 8192 }],
  cache: { redisUrl: redis.url },
  tenants: [{ id: "default", keys: cfg.requireSecret("routerApiKeys").apply((keys) => keys.split(",").map((k) => k.trim())) }],
});

/** In-cluster URL; reach it with `kubectl -n llm port-forward svc/router 8080`. */
export const routerUrl = router.internalUrl;
export const modelEndpoint = qwen.endpoint;
