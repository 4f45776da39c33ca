/**
 * @module `DockerModelServerArgs` and their resolution: defaults in one place (STYLE R4), every
 * cross-field problem collected and thrown once before any resource is registered (R5), and the
 * container pieces (command, GPUs, shm, healthcheck) derived from the engine generators.
 */
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { EngineInputError, formatEngineIssue } from "../../src/engines/engine-input-error";
import { llamaCppCommand, type LlamaCppServerInput } from "../../src/engines/llamacpp-args";
import type { ModelServerCommand } from "../../src/engines/model-server-command";
import { vllmCommand, type VllmServerInput } from "../../src/engines/vllm-args";
import { DEFAULT_RESTART, type RestartPolicy } from "../_labels";
import { aliasIssue } from "../_naming";

/** vLLM settings: the engine generator's input, less what the component decides itself. */
export type DockerVllmInput = Omit<VllmServerInput, "apiKey" | "hfToken" | "host">;
/** llama.cpp settings: the generator's input; `gpu` follows from {@link DockerModelServerArgs.gpus}. */
export type DockerLlamaCppInput = Omit<LlamaCppServerInput, "apiKey" | "hfToken" | "host" | "gpu">;

/** Arguments for {@link DockerModelServer}. Give exactly one of `vllm` and `llamaCpp`. */
export interface DockerModelServerArgs {
  /**
   * Docker provider of the host the container runs on: a `DockerHost`'s, or any existing
   * `docker.Provider` of your program.
   * @default - the Docker provider given in this component's resource options (`provider`/`providers`)
   * or inherited from its parent, else the default provider (`docker:host` config)
   */
  provider?: docker.Provider;
  /** Name of the stack's private Docker network; the server publishes no port. */
  network: pulumi.Input<string>;
  /**
   * Serve with vLLM (image `VERSIONS.vllm`). Needs GPUs: `tensorParallelSize` must equal the GPUs given.
   * @see https://docs.vllm.ai/en/v0.22.0/deployment/docker.html
   */
  vllm?: DockerVllmInput;
  /**
   * Serve with llama.cpp's llama-server: the CUDA image when GPUs are given, else the CPU image.
   * @see https://github.com/ggml-org/llama.cpp/blob/b11243/docs/docker.md
   */
  llamaCpp?: DockerLlamaCppInput;
  /**
   * GPUs for the container: a count (`--gpus N`; the NVIDIA runtime gives the first N), `"all"`,
   * or 0/unset for none. Pair with `gpuDeviceIds` when several servers share a multi-GPU host.
   * @default - none
   * @see https://docs.docker.com/engine/containers/resource_constraints/#gpu
   */
  gpus?: number | "all";
  /** Exact GPUs by index or UUID (`--gpus '"device=1,2"'`), e.g. `["1"]`. @default - the first `gpus` GPUs */
  gpuDeviceIds?: string[];
  /** API key the server requires from clients (`VLLM_API_KEY` / `LLAMA_API_KEY`). Keep it a secret. @default - no key */
  apiKey?: pulumi.Input<string>;
  /** Hugging Face token for gated repos (`HF_TOKEN`). Keep it a secret. @default - anonymous downloads */
  hfToken?: pulumi.Input<string>;
  /**
   * Existing Docker volume for the download caches (mounted at `/root/.cache`), to share weights
   * between servers or keep them across stacks.
   * @default - a new volume `${name}-models`
   */
  modelCacheVolume?: pulumi.Input<string>;
  /**
   * Host directory for the download caches instead of a volume (bind mount at `/root/.cache`), e.g.
   * `DockerHost.modelCacheDir` on a VM whose large disk holds the weights.
   * @default - a volume (see `modelCacheVolume`)
   */
  modelCacheHostPath?: pulumi.Input<string>;
  /** Docker restart policy. @default "unless-stopped" */
  restart?: RestartPolicy;
  /** Size of `/dev/shm` in MiB. @default - 2048 per GPU for vLLM, Docker's 64 for llama.cpp */
  shmSizeMb?: number;
  /** Name other containers use to reach the server (network alias, a DNS label). @default - the component name */
  hostname?: string;
  /**
   * Seconds the healthcheck tolerates failures after start: model download, load and (vLLM) CUDA
   * graph capture. Also the deploy wait when `waitForHealthy` is set.
   * @default 1800
   */
  healthStartPeriodSeconds?: number;
  /** Make `pulumi up` wait until the server reports healthy. @default false */
  waitForHealthy?: boolean;
  /** Extra container labels. @default {} */
  labels?: Record<string, string>;
}

/** Mount point of the model cache volume: the Hugging Face hub cache, llama.cpp's older cache and vLLM's compile cache all live below it. */
export const MODEL_CACHE_PATH = "/root/.cache";
/** `/dev/shm` per GPU for vLLM, in MiB (the LeaderWorkerSet example gives 15 GiB to 8 GPUs). */
export const DEFAULT_VLLM_SHM_MB_PER_GPU = 2048;
/** @see DockerModelServerArgs.healthStartPeriodSeconds */
export const DEFAULT_HEALTH_START_PERIOD_SECONDS = 1800;

/** Everything the component needs, with defaults applied and checks passed. */
export interface ResolvedDockerModelServer {
  /** The engine that serves. */
  engine: "vllm" | "llamacpp";
  /** Image, args, env and probe paths from `src/engines`. */
  command: ModelServerCommand;
  /** The name the server answers to. */
  servedModelName: string;
  /** Network alias (DNS name on the stack network). */
  alias: string;
  /** Docker restart policy. */
  restart: RestartPolicy;
  /** `"all"` for every GPU, else undefined (counts and ids are device requests). */
  gpus?: string;
  /** NVIDIA device request for a GPU count or ids; undefined without GPUs or with `"all"`. */
  deviceRequests?: docker.types.input.ContainerDeviceRequest[];
  /** `/dev/shm` in MiB; undefined keeps Docker's 64. */
  shmSizeMb?: number;
  /** The container healthcheck. */
  healthcheck: docker.types.input.ContainerHealthcheck;
  /** Seconds of start-up the healthcheck tolerates. */
  healthStartPeriodSeconds: number;
  /** Whether `pulumi up` waits for healthy. */
  waitForHealthy: boolean;
}

type Issue = pulumi.InputPropertyErrorDetails;

function gpuIssues(args: DockerModelServerArgs): { issues: Issue[]; count?: number; any: boolean } {
  const issues: Issue[] = [];
  const { gpus, gpuDeviceIds: ids } = args;
  if (gpus !== undefined && gpus !== "all" && !(Number.isInteger(gpus) && gpus >= 0)) {
    issues.push({ propertyPath: "gpus", reason: `not a GPU count (got ${JSON.stringify(gpus)}; allowed: a whole number ≥ 0, or "all"). Use e.g. 1` });
  }
  if (ids !== undefined) {
    if (ids.length === 0 || ids.some((id) => !/^[A-Za-z0-9-]+$/.test(id))) {
      issues.push({ propertyPath: "gpuDeviceIds", reason: `not a list of GPU indexes or UUIDs (got ${JSON.stringify(ids)}; e.g. ["0"] or ["1", "2"]). Fix or remove it` });
    } else if (gpus === "all" || (typeof gpus === "number" && gpus !== ids.length)) {
      issues.push({ propertyPath: "gpus", reason: `${JSON.stringify(gpus)} disagrees with gpuDeviceIds (${ids.length} GPU${ids.length === 1 ? "" : "s"}). Set gpus to ${ids.length} or leave it unset` });
    }
  }
  const count = ids?.length ?? (typeof gpus === "number" ? gpus : undefined);
  return { issues, count, any: gpus === "all" || (count ?? 0) > 0 };
}

function engineCommand(args: DockerModelServerArgs, gpu: boolean, issues: Issue[]): ModelServerCommand | undefined {
  const secrets = { apiKey: args.apiKey !== undefined, hfToken: args.hfToken !== undefined };
  const field = args.vllm !== undefined ? "vllm" : "llamaCpp";
  try {
    return args.vllm !== undefined ? vllmCommand({ ...args.vllm, ...secrets }) : llamaCppCommand({ ...args.llamaCpp!, ...secrets, gpu });
  } catch (err) {
    if (!(err instanceof EngineInputError)) throw err;
    for (const issue of err.issues) issues.push({ propertyPath: `${field}.${issue.field}`, reason: formatEngineIssue(issue) });
    return undefined;
  }
}

/** Container healthcheck: vLLM's image has python3 (curl is not promised), llama.cpp's has curl. */
function healthcheck(engine: "vllm" | "llamacpp", cmd: ModelServerCommand, startPeriodSeconds: number): docker.types.input.ContainerHealthcheck {
  const url = `http://127.0.0.1:${cmd.port}${cmd.healthPath}`;
  const tests =
    engine === "vllm"
      ? ["CMD", "python3", "-c", `import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('${url}', timeout=4).status == 200 else 1)`]
      : ["CMD", "curl", "-fsS", "-o", "/dev/null", "--max-time", "4", url];
  return { tests, interval: "15s", timeout: "5s", retries: 3, startPeriod: `${startPeriodSeconds}s` };
}

/**
 * Applies the defaults and checks the arguments of a {@link DockerModelServer} named `name`.
 * @throws {pulumi.InputPropertiesError} listing every problem, before anything is registered.
 */
export function resolveDockerModelServerArgs(name: string, args: DockerModelServerArgs): ResolvedDockerModelServer {
  const issues: Issue[] = [];
  const engines = [args.vllm, args.llamaCpp].filter((e) => e !== undefined).length;
  if (engines !== 1) {
    const got = engines === 0 ? "neither" : "both";
    issues.push({ propertyPath: "vllm", reason: `give exactly one of vllm and llamaCpp (got ${got}). Pick the engine that serves this model` });
  }
  const gpu = gpuIssues(args);
  issues.push(...gpu.issues);
  const alias = args.hostname ?? name;
  const bad = aliasIssue("hostname", alias);
  if (bad) issues.push(bad);
  if (args.modelCacheVolume !== undefined && args.modelCacheHostPath !== undefined) {
    issues.push({ propertyPath: "modelCacheHostPath", reason: "give one of modelCacheVolume and modelCacheHostPath (got both). Keep the one that holds the weights" });
  }
  const tp = args.vllm?.tensorParallelSize;
  if (args.vllm !== undefined && !gpu.any) {
    issues.push({ propertyPath: "gpus", reason: `vLLM needs a GPU (got ${JSON.stringify(args.gpus ?? "none")}). Set gpus to the tensor parallel size (${String(tp)}), or serve a GGUF with llamaCpp on the CPU` });
  } else if (args.vllm !== undefined && gpu.count !== undefined && gpu.count !== tp) {
    issues.push({ propertyPath: "vllm.tensorParallelSize", reason: `shards across ${String(tp)} GPUs but the container gets ${gpu.count}. Make gpus (or gpuDeviceIds) and tensorParallelSize equal` });
  }
  const shm = args.shmSizeMb ?? (args.vllm !== undefined && typeof tp === "number" ? DEFAULT_VLLM_SHM_MB_PER_GPU * Math.max(1, tp) : undefined);
  if (shm !== undefined && !(Number.isInteger(shm) && shm >= 64)) issues.push({ propertyPath: "shmSizeMb", reason: `not a size in MiB (got ${String(shm)}; allowed: a whole number ≥ 64)` });
  const startPeriod = args.healthStartPeriodSeconds ?? DEFAULT_HEALTH_START_PERIOD_SECONDS;
  if (!(Number.isInteger(startPeriod) && startPeriod >= 1)) {
    issues.push({ propertyPath: "healthStartPeriodSeconds", reason: `not a whole number of seconds ≥ 1 (got ${String(startPeriod)}). Leave it unset for ${DEFAULT_HEALTH_START_PERIOD_SECONDS}` });
  }
  const command = engines === 1 ? engineCommand(args, gpu.any, issues) : undefined;
  if (issues.length > 0 || command === undefined) {
    throw new pulumi.InputPropertiesError({ message: `Invalid arguments for DockerModelServer "${name}"`, errors: issues });
  }
  const engine = args.vllm !== undefined ? "vllm" : "llamacpp";
  const ids = args.gpuDeviceIds;
  return {
    engine,
    command,
    servedModelName: (args.vllm ?? args.llamaCpp)!.servedModelName,
    alias,
    restart: args.restart ?? DEFAULT_RESTART,
    // `--gpus all` maps to the `gpus` field; counts and ids are device requests, as `docker run --gpus` sends them.
    gpus: args.gpus === "all" ? "all" : undefined,
    deviceRequests:
      ids !== undefined
        ? [{ driver: "nvidia", deviceIds: ids, capabilities: ["gpu"] }]
        : typeof args.gpus === "number" && args.gpus > 0
          ? [{ driver: "nvidia", count: args.gpus, capabilities: ["gpu"] }]
          : undefined,
    shmSizeMb: shm,
    healthcheck: healthcheck(engine, command, startPeriod),
    healthStartPeriodSeconds: startPeriod,
    waitForHealthy: args.waitForHealthy ?? false,
  };
}
