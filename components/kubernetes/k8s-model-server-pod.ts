/**
 * @module The pod of a Kubernetes model server (pure): container, probes, env from the Secret,
 * GPU resources, `/dev/shm`, model cache and scheduling, for a single-pod server or for the leader
 * and workers of a multi-node LeaderWorkerSet group.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { HF_TOKEN_ENV } from "../../src/engines/model-server-command";
import { MODEL_CACHE_PATH } from "../serving/docker-model-server-args";
import { hardenedContainer, softSpread } from "./_k8s-common";
import { STARTUP_PROBE_PERIOD_SECONDS, type ResolvedK8sModelServer } from "./k8s-model-server-args";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;

/** Name of the serving port on the container and the Service; monitors and probes use it. */
export const HTTP_PORT_NAME = "http";
/** Volume holding the download caches, mounted at `MODEL_CACHE_PATH` (`/root/.cache`). */
export const MODEL_CACHE_VOLUME = "model-cache";
/** Memory-backed volume mounted at `/dev/shm`. */
export const SHM_VOLUME = "dshm";
/**
 * vLLM's Ray bootstrap script, shipped in the `vllm/vllm-openai` image: `leader` starts the Ray head
 * and waits for the group, `worker` joins it.
 * @see https://docs.vllm.ai/en/v0.22.0/deployment/frameworks/lws.html
 */
export const VLLM_MULTI_NODE_SCRIPT = "/vllm-workspace/examples/online_serving/multi-node-serving.sh";

/** Which pod of a server: a standalone server, or the leader / a worker of a multi-node group. */
export type ModelServerPodRole = "server" | "leader" | "worker";

/** Quotes one word for `sh -c` (single quotes; an embedded `'` becomes `'\''`). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=,@+-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The leader's shell line: start the Ray head, wait for `LWS_GROUP_SIZE` nodes, then serve with PP across them. */
export function leaderScript(r: ResolvedK8sModelServer): string {
  const serve = ["vllm", "serve", ...r.command.args, "--pipeline-parallel-size", String(r.nodes), "--distributed-executor-backend", "ray"];
  // `;` as in vLLM's LWS recipe: the script returns once the Ray cluster has LWS_GROUP_SIZE nodes.
  return `bash ${VLLM_MULTI_NODE_SCRIPT} leader --ray_cluster_size=$LWS_GROUP_SIZE; exec ${serve.map(shellQuote).join(" ")}`;
}

/** A worker's shell line: join the leader's Ray cluster (LWS injects `LWS_LEADER_ADDRESS`). */
export function workerScript(): string {
  return `exec bash ${VLLM_MULTI_NODE_SCRIPT} worker --ray_address=$LWS_LEADER_ADDRESS`;
}

function env(r: ResolvedK8sModelServer, role: ModelServerPodRole, secretName: pulumi.Input<string> | undefined): k8s.types.input.core.v1.EnvVar[] {
  // Workers only download weights; the API key belongs to the leader's HTTP server.
  const secretEnv = role === "worker" ? r.command.secretEnv.filter((e) => e === HF_TOKEN_ENV) : r.command.secretEnv;
  return [
    ...Object.entries(r.command.env).map(([name, value]) => ({ name, value })),
    ...secretEnv.map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName!, key: name } } })),
  ];
}

function probes(r: ResolvedK8sModelServer): Pick<Container, "startupProbe" | "readinessProbe" | "livenessProbe"> {
  const httpGet = { path: r.command.healthPath, port: HTTP_PORT_NAME };
  return {
    // The HTTP port opens only after the model is loaded (vLLM) or answers 503 while loading (llama.cpp):
    // the startup probe holds liveness off for the whole load budget.
    startupProbe: { httpGet, periodSeconds: STARTUP_PROBE_PERIOD_SECONDS, timeoutSeconds: 5, failureThreshold: r.startupFailureThreshold },
    readinessProbe: { httpGet, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    // A busy engine answers /health late; restart only after a minute of silence.
    livenessProbe: { httpGet, periodSeconds: 15, timeoutSeconds: 10, failureThreshold: 4 },
  };
}

/** The model server container of one pod role. */
export function modelServerContainer(r: ResolvedK8sModelServer, role: ModelServerPodRole, secretName: pulumi.Input<string> | undefined): Container {
  const mounts = [{ name: MODEL_CACHE_VOLUME, mountPath: MODEL_CACHE_PATH }, ...(r.shmSizeMi !== undefined ? [{ name: SHM_VOLUME, mountPath: "/dev/shm" }] : [])];
  const requests = r.cache.kind === "ephemeral" ? { ...r.requests, "ephemeral-storage": `${r.cache.sizeGi}Gi` } : r.requests;
  const base: Container = {
    name: role,
    image: r.command.image,
    imagePullPolicy: "IfNotPresent",
    env: env(r, role, secretName),
    resources: { requests, ...(Object.keys(r.limits).length > 0 ? { limits: r.limits } : {}) },
    volumeMounts: mounts,
    // Both engine images run as root and cache under /root/.cache; everything else is taken away.
    securityContext: hardenedContainer(),
  };
  if (role === "worker") return { ...base, command: ["sh", "-c", workerScript()] };
  const serving = { ...base, ports: [{ name: HTTP_PORT_NAME, containerPort: r.command.port, protocol: "TCP" }], ...probes(r) };
  return role === "leader" ? { ...serving, command: ["sh", "-c", leaderScript(r)] } : { ...serving, args: r.command.args };
}

/** The pod's volumes; the cache comes from `cacheVolume` (absent when a volumeClaimTemplate provides it). */
export function modelServerVolumes(r: ResolvedK8sModelServer, cacheVolume: Omit<Volume, "name"> | undefined): Volume[] {
  return [
    ...(cacheVolume !== undefined ? [{ name: MODEL_CACHE_VOLUME, ...cacheVolume }] : []),
    ...(r.shmSizeMi !== undefined ? [{ name: SHM_VOLUME, emptyDir: { medium: "Memory", sizeLimit: `${r.shmSizeMi}Mi` } }] : []),
  ];
}

/** A pod spec for one role. `selector` spreads the server's pods over nodes and zones. */
export function modelServerPodSpec(
  r: ResolvedK8sModelServer,
  role: ModelServerPodRole,
  secretName: pulumi.Input<string> | undefined,
  cacheVolume: Omit<Volume, "name"> | undefined,
  selector: Record<string, string>,
): PodSpec {
  return {
    // vLLM reads VLLM_PORT; a Service named "vllm" would inject VLLM_PORT=tcp://… through service links and
    // crash it (docs.vllm.ai deployment/k8s). The servers talk to no Service, so links are off.
    enableServiceLinks: false,
    automountServiceAccountToken: false,
    securityContext: { seccompProfile: { type: "RuntimeDefault" } },
    ...(Object.keys(r.nodeSelector).length > 0 ? { nodeSelector: r.nodeSelector } : {}),
    ...(r.tolerations.length > 0 ? { tolerations: r.tolerations } : {}),
    topologySpreadConstraints: softSpread(selector),
    containers: [modelServerContainer(r, role, secretName)],
    volumes: modelServerVolumes(r, cacheVolume),
  };
}
