/**
 * @module `DockerModelServer`: one vLLM or llama.cpp server as a container on a Docker host,
 * reachable only on the stack's private network.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { HF_TOKEN_ENV } from "../../src/engines/model-server-command";
import { CONTAINER_LOG_DRIVER, DEFAULT_LOG_OPTIONS, containerLabels } from "../_labels";
import { childName } from "../_naming";
import { MODEL_CACHE_PATH, resolveDockerModelServerArgs, type DockerModelServerArgs } from "./docker-model-server-args";
import type { ModelServerOutputs } from "./model-server";

export type { DockerModelServerArgs } from "./docker-model-server-args";

/**
 * Runs one OpenAI-compatible model server (vLLM or llama.cpp) in a container: pinned image, engine
 * args from `src/engines`, GPUs, a model cache volume, a healthcheck and rotated logs. No port is
 * published; the router reaches it at {@link DockerModelServer.endpoint}.
 *
 * @example
 * const qwen = new DockerModelServer("llm-qwen-7b", {
 *   provider: host.provider, network: host.networkName, gpus: 1,
 *   vllm: { servedModelName: "qwen-7b", repo: "Qwen/Qwen2.5-7B-Instruct-AWQ", quantization: "awq",
 *     maxModelLen: 8192, tensorParallelSize: 1, gpuMemoryUtilization: 0.9 },
 * });
 */
export class DockerModelServer extends pulumi.ComponentResource implements ModelServerOutputs {
  /** Base URL on the private network, e.g. `http://llm-qwen-7b:8000/v1`. */
  public readonly endpoint: pulumi.Output<string>;
  /** The name the server answers to as `model`. */
  public readonly servedModelName: pulumi.Output<string>;
  /** Health path, e.g. `/health`. */
  public readonly healthPath: pulumi.Output<string>;
  /** Port Prometheus scrapes (the serving port). */
  public readonly metricsPort: pulumi.Output<number>;
  /** Prometheus scrape path. */
  public readonly metricsPath: pulumi.Output<string>;
  /** Whether scraping needs the API key (llama.cpp with a key). */
  public readonly metricsNeedApiKey: pulumi.Output<boolean>;
  /** Engine that serves: `vllm` or `llamacpp`. */
  public readonly engine: pulumi.Output<string>;
  /** Docker's name of the container, for `docker logs`. */
  public readonly containerName: pulumi.Output<string>;
  /** Name of the volume holding the download caches; undefined with `modelCacheHostPath`. */
  public readonly modelCacheVolumeName: pulumi.Output<string | undefined>;

  constructor(name: string, args: DockerModelServerArgs, opts?: pulumi.ComponentResourceOptions) {
    const r = resolveDockerModelServerArgs(name, args);
    super("shoestring:index:DockerModelServer", name, {}, opts);
    const cmd = r.command;
    const childOpts = { parent: this, provider: args.provider };

    // keepLocally: engine images are 5-20 GB and may serve other stacks; destroy leaves them cached.
    const image = new docker.RemoteImage(childName(name, "image"), { name: cmd.image, keepLocally: true }, childOpts);
    const labels = containerLabels("model-server", name, {
      engine: r.engine,
      model: r.servedModelName,
      "metrics-port": String(cmd.port),
      "metrics-path": cmd.metricsPath,
    }, args.labels);
    const hostPath = args.modelCacheHostPath;
    const volumeName =
      hostPath !== undefined
        ? undefined
        : args.modelCacheVolume !== undefined
          ? pulumi.output(args.modelCacheVolume)
          : new docker.Volume(childName(name, "models"), { labels }, childOpts).name;

    const container = new docker.Container(
      childName(name, "container"),
      {
        image: image.imageId,
        command: cmd.args,
        envs: containerEnvs(cmd, args),
        networksAdvanced: [{ name: args.network, aliases: [r.alias] }],
        volumes: [hostPath !== undefined ? { hostPath, containerPath: MODEL_CACHE_PATH } : { volumeName, containerPath: MODEL_CACHE_PATH }],
        gpus: r.gpus,
        deviceRequests: r.deviceRequests,
        shmSize: r.shmSizeMb,
        healthcheck: r.healthcheck,
        wait: r.waitForHealthy,
        waitTimeout: r.waitForHealthy ? r.healthStartPeriodSeconds : undefined,
        restart: r.restart,
        logDriver: CONTAINER_LOG_DRIVER,
        logOpts: { ...DEFAULT_LOG_OPTIONS },
        labels,
      },
      // Old and new server cannot both hold the GPU memory (or the RAM) during a replace.
      { ...childOpts, deleteBeforeReplace: true },
    );

    this.endpoint = pulumi.output(`http://${r.alias}:${cmd.port}/v1`);
    this.servedModelName = pulumi.output(r.servedModelName);
    this.healthPath = pulumi.output(cmd.healthPath);
    this.metricsPort = pulumi.output(cmd.port);
    this.metricsPath = pulumi.output(cmd.metricsPath);
    this.metricsNeedApiKey = pulumi.output(cmd.metricsNeedApiKey);
    this.engine = pulumi.output(r.engine);
    this.containerName = container.name;
    this.modelCacheVolumeName = volumeName ?? pulumi.output(undefined);
    this.registerOutputs({
      endpoint: this.endpoint,
      servedModelName: this.servedModelName,
      healthPath: this.healthPath,
      metricsPort: this.metricsPort,
      metricsPath: this.metricsPath,
      metricsNeedApiKey: this.metricsNeedApiKey,
      engine: this.engine,
      containerName: this.containerName,
      modelCacheVolumeName: this.modelCacheVolumeName,
    });
  }
}

/** `KEY=VALUE` entries; with a key or token the whole list is a secret (Pulumi marks the property). */
function containerEnvs(cmd: { env: Record<string, string>; secretEnv: string[] }, args: DockerModelServerArgs): pulumi.Input<string[]> {
  const plain = Object.entries(cmd.env).map(([k, v]) => `${k}=${v}`);
  const secret = cmd.secretEnv.map((envName) => {
    const value = envName === HF_TOKEN_ENV ? args.hfToken : args.apiKey;
    return pulumi.secret(pulumi.interpolate`${envName}=${value!}`);
  });
  return secret.length === 0 ? plain : pulumi.all([...plain, ...secret]);
}
