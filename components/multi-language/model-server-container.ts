/**
 * @module `ModelServerContainer`: the multi-language face of `DockerModelServer` — one vLLM or
 * llama.cpp server as a container on an existing Docker host, for Python, Go, C# and YAML programs.
 */
import * as pulumi from "@pulumi/pulumi";
import { DockerModelServer, resolveDockerModelServerArgs, type DockerModelServerArgs } from "../serving";
import { checkAs, defined, invalid } from "./_wrap";
import { toLlamaCppInput, toVllmInput, type LlamaCppSettings, type VllmSettings } from "./engine-settings";

/** Arguments for {@link ModelServerContainer}. Give exactly one of `vllm` and `llamaCpp`. */
export interface ModelServerContainerArgs {
  /** Name of an existing Docker network the server joins (e.g. a `docker.Network`'s `name`); no port is published. */
  network: pulumi.Input<string>;
  /** Serve with vLLM; needs GPUs (`gpus` = `tensorParallelSize`). @default - none: give exactly one of vllm and llamaCpp @see https://docs.vllm.ai/en/v0.22.0/deployment/docker.html */
  vllm?: VllmSettings;
  /** Serve with llama.cpp: the CUDA image with GPUs, else the CPU image. @default - none: give exactly one of vllm and llamaCpp @see https://github.com/ggml-org/llama.cpp/blob/b11243/docs/docker.md */
  llamaCpp?: LlamaCppSettings;
  /** GPUs for the container (`--gpus N`: the first N). @default 0 (none) @see https://docs.docker.com/engine/containers/resource_constraints/#gpu */
  gpus?: number;
  /** Give the container every GPU of the host (`--gpus all`) instead of a count. @default false */
  allGpus?: boolean;
  /** Exact GPUs by index or UUID (`--gpus '"device=1,2"'`). @default - the first `gpus` GPUs */
  gpuDeviceIds?: string[];
  /** API key the server requires (a secret). @default - no key */
  apiKey?: pulumi.Input<string>;
  /** Hugging Face token for gated repos (a secret). @default - anonymous downloads */
  hfToken?: pulumi.Input<string>;
  /** Existing Docker volume for the download caches, to share weights between servers. @default - a new volume `<name>-models` */
  modelCacheVolume?: pulumi.Input<string>;
  /** Host directory for the download caches instead of a volume. @default - a volume */
  modelCacheHostPath?: pulumi.Input<string>;
  /** Size of `/dev/shm` in MiB. @default - 2048 per GPU for vLLM, Docker's 64 for llama.cpp */
  shmSizeMb?: number;
  /** Seconds the healthcheck tolerates failures after start (download, load, CUDA graphs). @default 1800 */
  healthStartPeriodSeconds?: number;
  /** Make `pulumi up` wait until the server reports healthy. @default false */
  waitForHealthy?: boolean;
  /** Extra container labels. @default {} */
  labels?: { [key: string]: string };
}

/**
 * One OpenAI-compatible model server (vLLM or llama.cpp) as a container on an existing Docker host:
 * pinned image, engine flags built and checked from the settings, GPUs, a model cache, a healthcheck.
 * The Docker host is the provider passed in the resource options (`providers`), else the default
 * Docker provider (`docker:host` config). Wraps the TypeScript `DockerModelServer`.
 */
export class ModelServerContainer extends pulumi.ComponentResource {
  /** Base URL on the Docker network, e.g. `http://qwen:8000/v1`; give it to a router. */
  public readonly endpoint: pulumi.Output<string>;
  /** The name the server answers to as `model`. */
  public readonly servedModelName: pulumi.Output<string>;
  /** Health path, e.g. `/health`. */
  public readonly healthPath: pulumi.Output<string>;
  /** Port Prometheus scrapes (the serving port). */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** Engine that serves: `vllm` or `llamacpp`. */
  public readonly engine: pulumi.Output<string>;
  /** Docker's name of the container, for `docker logs`. */
  public readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: ModelServerContainerArgs, opts?: pulumi.ComponentResourceOptions) {
    const inner = dockerModelServerArgs(name, args);
    // Check before anything is registered, as the TypeScript component does.
    checkAs("ModelServerContainer", name, () => resolveDockerModelServerArgs(name, inner));
    super("shoestring:index:ModelServerContainer", name, {}, opts);
    const server = new DockerModelServer(name, inner, { parent: this });
    this.endpoint = server.endpoint;
    this.servedModelName = server.servedModelName;
    this.healthPath = server.healthPath;
    this.metricsPort = server.metricsPort;
    this.metricsPath = server.metricsPath;
    this.engine = server.engine;
    this.containerName = server.containerName;
    this.registerOutputs({
      endpoint: this.endpoint,
      servedModelName: this.servedModelName,
      healthPath: this.healthPath,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      engine: this.engine,
      containerName: this.containerName,
    });
  }
}

/** The TypeScript component's arguments; unset fields stay unset so its defaults apply. */
function dockerModelServerArgs(name: string, args: ModelServerContainerArgs): DockerModelServerArgs {
  if (args.allGpus === true && args.gpus !== undefined) {
    throw invalid("ModelServerContainer", name, "allGpus", `conflicts with gpus (got both; gpus is ${args.gpus}). Keep allGpus for every GPU of the host, or gpus for a count`);
  }
  const gpus = args.allGpus === true ? ("all" as const) : args.gpus;
  const optional = {
    gpus,
    gpuDeviceIds: args.gpuDeviceIds,
    apiKey: args.apiKey,
    hfToken: args.hfToken,
    modelCacheVolume: args.modelCacheVolume,
    modelCacheHostPath: args.modelCacheHostPath,
    shmSizeMb: args.shmSizeMb,
    healthStartPeriodSeconds: args.healthStartPeriodSeconds,
    waitForHealthy: args.waitForHealthy,
    labels: args.labels,
    vllm: args.vllm === undefined ? undefined : toVllmInput(args.vllm),
    llamaCpp: args.llamaCpp === undefined ? undefined : toLlamaCppInput(args.llamaCpp),
  };
  return { network: args.network, ...defined(optional) };
}
