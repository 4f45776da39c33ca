/**
 * @module Checks that span config sections (routes → models, cache → embedding model, models →
 * target GPUs and node pools). All problems are added to the zod context, each on its own path.
 */
import type { z } from "zod";
import { nearestNames } from "../util/nearest";
import type { CacheConfig } from "./cache";
import type { ModelConfig } from "./models";
import type { MonitoringConfig } from "./monitoring";
import type { PlanningConfig } from "./planning";
import type { RouterConfig } from "./router";
import type { TargetConfig } from "./target";

/** The parsed sections, before the cross-section checks. */
export interface StackSections {
  target: TargetConfig;
  models: ModelConfig[];
  router: RouterConfig;
  cache: CacheConfig;
  monitoring: MonitoringConfig;
  planning: PlanningConfig;
}

/** Extra facts an issue carries for the error message: what is allowed and how to fix it. */
export interface IssueHints {
  allowed?: string;
  /** Fix text; `{path}` / `{parent}` become the `pulumi config --path` of the field / its parent. */
  fix?: string;
  /** A value to suggest with `pulumi config set --path`. */
  suggest?: string | number | boolean;
}

type Path = (string | number)[];

/** Runs every cross-section check; meant for `superRefine`. */
export function checkStackConfig(config: StackSections, ctx: z.RefinementCtx): void {
  const add = (path: Path, input: unknown, message: string, hints: IssueHints = {}) =>
    ctx.addIssue({ code: "custom", path, input, message, params: hints });
  checkModelNames(config, add);
  checkModelsAgainstTarget(config, add);
  checkNodePools(config, add);
  checkRoutes(config, add);
  checkCache(config, add);
  checkExposure(config, add);
  checkKubernetes(config, add);
}

type Add = (path: Path, input: unknown, message: string, hints?: IssueHints) => void;

/**
 * Model names the composition roots give to other services: a model server is reached as
 * `llm-<name>` (Docker network alias, Kubernetes Service), like the router, Redis and the TLS proxy.
 */
export const RESERVED_MODEL_NAMES: readonly string[] = ["router", "redis", "tls"];

function checkModelNames({ models }: StackSections, add: Add): void {
  const first = new Map<string, number>();
  models.forEach((m, i) => {
    const seen = first.get(m.name);
    if (RESERVED_MODEL_NAMES.includes(m.name)) {
      add(["models", i, "name"], m.name, `reserved: the stack's ${m.name} service already answers to llm-${m.name}`, {
        allowed: `any other name (reserved: ${RESERVED_MODEL_NAMES.join(", ")})`,
        fix: "rename the model, e.g. after its checkpoint",
      });
    } else if (seen === undefined) {
      first.set(m.name, i);
    } else {
      add(["models", i, "name"], m.name, `duplicate model name, also used by models[${seen}]`, {
        fix: "give every model a unique name",
      });
    }
  });
}

/** GPU count per host or node, or undefined when the planner's instance catalog decides it. */
function gpusPerNode(target: TargetConfig): number | undefined {
  switch (target.kind) {
    case "docker-local":
    case "docker-ssh":
      return target.gpu?.count ?? 0;
    case "kubernetes":
      return target.gpu.countPerNode;
    case "aws-gpu-vm":
    case "eks":
      return undefined;
  }
}

function checkModelsAgainstTarget({ target, models }: StackSections, add: Add): void {
  const perNode = gpusPerNode(target);
  const node = target.kind === "kubernetes" ? "node" : "host";
  const cpuOnly = `target ${target.kind} has no target.gpu`;
  models.forEach((m, i) => {
    const at = (field: string): Path => ["models", i, field];
    if (perNode === 0 && m.engine === "vllm") {
      add(at("engine"), m.engine, `engine vllm needs a GPU, but ${cpuOnly}`, {
        allowed: "llamacpp on a CPU-only host",
        fix: "set target.gpu { type, count }, or serve a GGUF source with engine llamacpp",
      });
    }
    if (perNode === 0 && typeof m.gpusPerReplica === "number") {
      add(at("gpusPerReplica"), m.gpusPerReplica, `GPUs requested, but ${cpuOnly}`, {
        allowed: "auto",
        suggest: "auto",
      });
    } else if (perNode !== undefined && typeof m.gpusPerReplica === "number" && m.gpusPerReplica > perNode) {
      add(at("gpusPerReplica"), m.gpusPerReplica, `more GPUs per replica than one ${node} has`, {
        allowed: `at most ${perNode}`,
        suggest: perNode,
      });
    }
    if (perNode === 0 && m.engine === "llamacpp" && typeof m.gpuLayers === "number" && m.gpuLayers > 0) {
      add(at("gpuLayers"), m.gpuLayers, `layers offloaded to a GPU, but ${cpuOnly}`, {
        allowed: "0 on a CPU-only host",
        suggest: 0,
      });
    }
  });
}

function checkNodePools({ target, models }: StackSections, add: Add): void {
  const pools = target.kind === "eks" ? target.gpuNodePools.map((p) => p.name) : [];
  models.forEach((m, i) => {
    if (m.nodePool === undefined) return;
    if (target.kind !== "eks") {
      add(["models", i, "nodePool"], m.nodePool, `nodePool applies only to target kind eks (this target is ${target.kind})`, {
        fix: "pulumi config rm --path '{path}'",
      });
    } else if (!pools.includes(m.nodePool)) {
      add(["models", i, "nodePool"], m.nodePool, "no such node pool in target.gpuNodePools", {
        allowed: pools.join(", "),
        suggest: nearestNames(m.nodePool, pools, 1)[0],
      });
    }
  });
  if (target.kind !== "eks") return;
  const seen = new Set<string>();
  target.gpuNodePools.forEach((p, i) => {
    const at = (field: string): Path => ["target", "gpuNodePools", i, field];
    if (seen.has(p.name)) add(at("name"), p.name, "duplicate node pool name", { fix: "give every pool a unique name" });
    seen.add(p.name);
    if (p.minSize > p.maxSize) {
      add(at("minSize"), p.minSize, "minSize is larger than maxSize", {
        allowed: `at most maxSize (${p.maxSize})`,
        suggest: p.maxSize,
      });
    } else if (p.desiredSize < p.minSize || p.desiredSize > p.maxSize) {
      add(at("desiredSize"), p.desiredSize, "desiredSize is outside minSize..maxSize", {
        allowed: `${p.minSize}–${p.maxSize}`,
        suggest: Math.min(Math.max(p.desiredSize, p.minSize), p.maxSize),
      });
    }
  });
}

type Provider = RouterConfig["providers"][number];

/** Checks one ranked route: each target is a known model or a listed provider model, once. */
function checkChain(path: Path, chain: string[], config: StackSections, add: Add, chatOnly: boolean): void {
  const { models, router } = config;
  const cloudTargets = router.providers.flatMap((p) => p.models.map((model) => `${p.name}/${model}`));
  const known = [...new Set([...models.map((m) => m.name), ...cloudTargets])];
  chain.forEach((target, k) => {
    const at = [...path, k];
    const first = chain.indexOf(target);
    if (first !== k) {
      add(at, target, `target listed twice in the same route (first at position ${first})`, {
        fix: "remove the repeated entry",
      });
      return;
    }
    const slash = target.indexOf("/");
    if (slash >= 0) {
      const [name, model] = [target.slice(0, slash), target.slice(slash + 1)];
      const provider: Provider | undefined = router.providers.find((p) => p.name === name);
      if (!provider) {
        add(at, target, `unknown provider "${name}"`, {
          allowed: router.providers.map((p) => p.name).join(", ") || "no providers declared",
          fix: "declare it under router.providers, or route to a models[].name",
        });
      } else if (!provider.models.includes(model)) {
        add(at, target, `provider "${name}" does not list model "${model}"`, {
          allowed: provider.models.map((m) => `${name}/${m}`).join(", "),
          fix: `add it to router.providers[${router.providers.indexOf(provider)}].models, or pick a listed one`,
        });
      }
      return;
    }
    const model = models.find((m) => m.name === target);
    if (!model) {
      add(at, target, "unknown route target", {
        allowed: nearestNames(target, known).join(", "),
        suggest: nearestNames(target, known, 1)[0],
      });
    } else if (chatOnly && model.role !== "chat") {
      add(at, target, `model "${target}" has role ${model.role}; tier routes serve chat`, {
        fix: "route tiers to chat models only",
      });
    }
  });
}

function checkRoutes(config: StackSections, add: Add): void {
  const { models, router } = config;
  const seen = new Set<string>();
  router.providers.forEach((p, i) => {
    if (seen.has(p.name)) {
      add(["router", "providers", i, "name"], p.name, "duplicate provider name", { fix: "give every provider a unique name" });
    }
    seen.add(p.name);
  });
  for (const [tier, chain] of Object.entries(router.tiers)) {
    if (chain) checkChain(["router", "tiers", tier], chain, config, add, true);
  }
  for (const [alias, chain] of Object.entries(router.aliases)) {
    if (models.some((m) => m.name === alias)) {
      add(["router", "aliases", alias], alias, "alias has the same name as a model", {
        fix: "rename the alias; clients can already request the model by name",
      });
    }
    checkChain(["router", "aliases", alias], chain, config, add, false);
  }
  if (router.auth.enabled && router.auth.apiKeysSecret === undefined) {
    add(["router", "auth", "apiKeysSecret"], undefined, "required while router.auth.enabled is true", {
      allowed: "the name of a stack secret holding comma-separated API keys",
      fix:
        "pulumi config set --secret routerApiKeys <key1,key2> && " +
        "pulumi config set --path '{path}' routerApiKeys (or set router.auth.enabled false)",
    });
  }
}

function checkCache({ models, cache }: StackSections, add: Add): void {
  if (!cache.enabled || !cache.semantic.enabled) return;
  const path = ["cache", "semantic", "embeddingModel"];
  const embedders = models.filter((m) => m.role === "embeddings").map((m) => m.name);
  const none = embedders.length ? "" : ", and no model has role embeddings";
  const hints = (name: string | undefined): IssueHints =>
    embedders.length
      ? { allowed: embedders.join(", "), suggest: nearestNames(name ?? "", embedders, 1)[0] }
      : { fix: "add a model with role embeddings, or set cache.semantic.enabled false" };
  const name = cache.semantic.embeddingModel;
  const model = models.find((m) => m.name === name);
  if (name === undefined) {
    add(path, undefined, `required while the semantic cache is enabled${none}`, hints(name));
  } else if (!model) {
    add(path, name, `no model with this name${none}`, hints(name));
  } else if (model.role !== "embeddings") {
    add(path, name, `model "${name}" has role ${model.role}, not embeddings${none}`, hints(name));
  }
}

/**
 * A router reachable beyond localhost is served over TLS (issue: plain HTTP would carry API keys
 * in the clear), and a supplied certificate comes with its key.
 */
function checkTls(target: StackSections["target"], add: Add): void {
  if (target.kind !== "docker-local" && target.kind !== "docker-ssh" && target.kind !== "aws-gpu-vm") return;
  const exposed = target.kind === "aws-gpu-vm" ? target.allowedCidrs.length > 0 : !target.bindAddress.startsWith("127.");
  if (exposed && !target.tls) {
    const [path, value] = target.kind === "aws-gpu-vm" ? [["target", "allowedCidrs"], target.allowedCidrs] : [["target", "bindAddress"], target.bindAddress];
    add(path, value, "the router would be reachable beyond localhost over plain HTTP", {
      fix: "set target.tls.domain (automatic certificate) or target.tls.certificateSecret + privateKeySecret; or keep the router local",
    });
  }
  if (target.tls && (target.tls.certificateSecret === undefined) !== (target.tls.privateKeySecret === undefined)) {
    const missing = target.tls.certificateSecret === undefined ? "certificateSecret" : "privateKeySecret";
    add(["target", "tls", missing], undefined, "a supplied certificate needs both certificateSecret and privateKeySecret", {
      fix: `set target.tls.${missing}, or remove the other to use an automatic certificate`,
    });
  }
}

/** Refuses a router open to the whole internet without authentication, and port clashes on one host. */
function checkExposure({ target, router, monitoring }: StackSections, add: Add): void {
  if (target.kind === "aws-gpu-vm" && !router.auth.enabled) {
    const i = target.allowedCidrs.findIndex((c) => c.endsWith("/0"));
    if (i >= 0) {
      const message = "the router would be open to the internet with router.auth.enabled false";
      add(["target", "allowedCidrs", i], target.allowedCidrs[i], message, {
        fix: "enable router.auth, or narrow allowedCidrs to your network",
      });
    }
  }
  checkTls(target, add);
  if (target.kind === "aws-gpu-vm" && target.keyPairName === undefined && target.sshPublicKeys.length === 0) {
    add(["target", "keyPairName"], undefined, "the kit's Docker client needs an SSH login to the instance", {
      fix: "set target.keyPairName to an EC2 key pair in your ssh-agent, or add your public key to target.sshPublicKeys",
    });
  }
  const sameHost = target.kind === "docker-local" || target.kind === "docker-ssh" || target.kind === "aws-gpu-vm";
  if (sameHost && router.imagePullSecrets !== undefined) {
    add(["router", "imagePullSecrets"], router.imagePullSecrets, `applies only to Kubernetes targets (this one is ${target.kind})`, {
      fix: "log the Docker host in to the registry (docker login <registry>) and pulumi config rm --path '{path}'",
    });
  }
  if (sameHost && monitoring.enabled && monitoring.grafana.port === router.port) {
    add(["monitoring", "grafana", "port"], monitoring.grafana.port, "same port as router.port on one host", {
      fix: "pick another port",
    });
  }
}

/** Where a Kubernetes target differs from a Docker host: registry image, ingress TLS, autoscaling. */
function checkKubernetes({ target, models, router, monitoring }: StackSections, add: Add): void {
  if (target.kind !== "eks" && target.kind !== "kubernetes") return;
  if (router.image === undefined) {
    add(["router", "image"], undefined, `required on target kind ${target.kind}: the cluster pulls the router from a registry`, {
      allowed: "a pinned registry image, e.g. ghcr.io/acme/shoestring-router:0.1.0",
      fix:
        "docker build -f images/router/Dockerfile -t <registry>/shoestring-router:<version> . && docker push <registry>/shoestring-router:<version> && " +
        "pulumi config set --path '{path}' <registry>/shoestring-router:<version>",
    });
  }
  const ingress = target.ingress;
  if (ingress?.tls && ingress.clusterIssuer === undefined && ingress.tlsSecretName === undefined) {
    add(["target", "ingress", "clusterIssuer"], undefined, "TLS for the router's ingress needs a certificate source", {
      fix: "set target.ingress.clusterIssuer (cert-manager) or target.ingress.tlsSecretName (an existing TLS Secret), or target.ingress.tls false behind a TLS-terminating load balancer",
    });
  }
  if (monitoring.grafana.publish) {
    add(["monitoring", "grafana", "publish"], true, `not supported on target kind ${target.kind}: Grafana stays inside the cluster`, {
      fix: "reach it with kubectl port-forward (see docs/tutorials), and pulumi config rm --path '{path}'",
    });
  }
  const scaled = Object.entries(target.autoscaling);
  for (const [name, scaling] of scaled) {
    const i = models.findIndex((m) => m.name === name);
    const model = models[i];
    if (model === undefined) {
      const names = models.map((m) => m.name);
      const nearest = nearestNames(name, names, 1)[0];
      add(["target", "autoscaling", name], name, "no model with this name", {
        allowed: names.join(", "),
        fix: nearest === undefined ? "remove the entry" : `rename the entry to ${nearest}, or remove it`,
      });
    } else if (scaling.minReplicas >= model.replicas) {
      add(["target", "autoscaling", name, "minReplicas"], scaling.minReplicas, `nothing to scale: models[${i}].replicas (${model.replicas}) is the most the autoscaler may run`, {
        allowed: model.replicas === 1 ? "0 (scale to zero)" : `0 to ${model.replicas - 1}`,
        fix: `raise models[${i}].replicas (the planner sizes the GPUs for it), or lower minReplicas`,
      });
    }
  }
  if (scaled.length > 0 && !monitoring.enabled) {
    add(["monitoring", "enabled"], false, "target.autoscaling reads queue depth from Prometheus", {
      fix: "set monitoring.enabled true, or remove target.autoscaling",
    });
  }
  if (scaled.length > 0 && target.kind === "kubernetes" && !target.addons.kubePrometheusStack && target.addons.prometheusUrl === undefined) {
    add(["target", "addons", "prometheusUrl"], undefined, "required with target.autoscaling while addons.kubePrometheusStack is false: KEDA queries it", {
      fix: "pulumi config set --path '{path}' http://<prometheus-service>.<namespace>.svc:9090",
    });
  }
}
