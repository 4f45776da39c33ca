/**
 * @module `RedisCache`: the router's response cache as a Redis container on the stack network,
 * password-protected, memory-capped with LRU eviction, and (by default) without persistence.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { VERSIONS } from "../../src/versions";
import { CONTAINER_LOG_DRIVER, DEFAULT_LOG_OPTIONS, DEFAULT_RESTART, containerLabels, type RestartPolicy } from "../_labels";
import { aliasIssue, childName } from "../_naming";
import { REDIS_HEALTHCHECK_SCRIPT, REDIS_PASSWORD_ENV, redisServerScript } from "./redis-command";

/** Arguments for {@link RedisCache}. */
export interface RedisCacheArgs {
  /**
   * Docker provider of the host the container runs on: a `DockerHost`'s, or any existing
   * `docker.Provider` of your program.
   * @default - the Docker provider given in this component's resource options (`provider`/`providers`)
   * or inherited from its parent, else the default provider (`docker:host` config)
   */
  provider?: docker.Provider;
  /** Name of the stack's private Docker network; Redis publishes no port. */
  network: pulumi.Input<string>;
  /**
   * Password clients must send (`requirepass`). Keep it a secret.
   * @default - a generated 32-character password (`random.RandomPassword`)
   */
  password?: pulumi.Input<string>;
  /**
   * Memory for cached entries in MiB (`maxmemory`); beyond it the least recently used keys are
   * evicted (`allkeys-lru`), so the cache never fails writes.
   * @default 256
   * @see https://redis.io/docs/latest/develop/reference/eviction/
   */
  maxMemoryMb?: number;
  /**
   * Container memory limit in MiB: `maxmemory` excludes Redis's own overhead and fragmentation.
   * @default - 1.5 × maxMemoryMb + 64
   */
  memoryLimitMb?: number;
  /**
   * Keep the cache across restarts (append-only file in a volume). A cache can always be rebuilt,
   * so it is off: a restart starts empty.
   * @default false
   */
  persistence?: boolean;
  /** Existing volume for the append-only file, with `persistence`. @default - a new volume `${name}-data` */
  dataVolume?: pulumi.Input<string>;
  /** Name other containers use to reach Redis (network alias, a DNS label). @default - the component name */
  hostname?: string;
  /** Docker restart policy. @default "unless-stopped" */
  restart?: RestartPolicy;
  /** Extra container labels. @default {} */
  labels?: Record<string, string>;
}

/** @see RedisCacheArgs.maxMemoryMb */
export const DEFAULT_REDIS_MAX_MEMORY_MB = 256;
/** Redis's port inside the network. */
export const REDIS_PORT = 6379;
/** Length of a generated password; alphanumeric, so the URL needs no escaping. */
export const GENERATED_PASSWORD_LENGTH = 32;

/**
 * Runs Redis for the router's cache. The password reaches Redis through the `REDIS_PASSWORD` env
 * var (a secret) and a shell expansion, never as plain text in the container's command.
 *
 * @example
 * const cache = new RedisCache("llm-redis", { provider: host.provider, network: host.networkName, maxMemoryMb: 512 });
 * // cache.url → redis://:<password>@llm-redis:6379 (secret)
 */
export class RedisCache extends pulumi.ComponentResource {
  /** `redis://:<password>@<host>:6379`, a secret. */
  public readonly url: pulumi.Output<string>;
  /** The password, a secret. */
  public readonly password: pulumi.Output<string>;
  /** Host name on the private network. */
  public readonly host: pulumi.Output<string>;
  /** Port on the private network. */
  public readonly port: pulumi.Output<number>;
  /** Docker's name of the container. */
  public readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = resolveRedisCacheArgs(name, args);
    super("shoestring:index:RedisCache", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };

    const password = pulumi.secret(
      args.password ??
        new random.RandomPassword(childName(name, "password"), { length: GENERATED_PASSWORD_LENGTH, special: false }, { parent: this }).result,
    );
    const labels = containerLabels("cache", name, {}, args.labels);
    const image = new docker.RemoteImage(childName(name, "image"), { name: VERSIONS.redis.image, keepLocally: true }, childOpts);
    const dataVolume = !a.persistence
      ? undefined
      : args.dataVolume !== undefined
        ? pulumi.output(args.dataVolume)
        : new docker.Volume(childName(name, "data"), { labels }, childOpts).name;

    const container = new docker.Container(
      childName(name, "container"),
      {
        image: image.imageId,
        // `sh -c` bypasses the image entrypoint's drop to the redis user, so run as it directly.
        user: "redis",
        command: ["sh", "-c", redisServerScript(a)],
        envs: [pulumi.interpolate`${REDIS_PASSWORD_ENV}=${password}`],
        networksAdvanced: [{ name: args.network, aliases: [a.alias] }],
        volumes: dataVolume === undefined ? undefined : [{ volumeName: dataVolume, containerPath: "/data" }],
        memory: a.memoryLimitMb,
        healthcheck: {
          tests: ["CMD-SHELL", REDIS_HEALTHCHECK_SCRIPT],
          interval: "10s",
          timeout: "3s",
          retries: 3,
          startPeriod: "5s",
        },
        restart: a.restart,
        logDriver: CONTAINER_LOG_DRIVER,
        logOpts: { ...DEFAULT_LOG_OPTIONS },
        labels,
      },
      childOpts,
    );

    this.password = password;
    this.host = pulumi.output(a.alias);
    this.port = pulumi.output(REDIS_PORT);
    this.url = pulumi.secret(password.apply((pw) => `redis://:${encodeURIComponent(pw)}@${a.alias}:${REDIS_PORT}`));
    this.containerName = container.name;
    this.registerOutputs({ url: this.url, password: this.password, host: this.host, port: this.port, containerName: this.containerName });
  }
}

/** {@link RedisCacheArgs} with defaults applied. */
export interface ResolvedRedisCacheArgs {
  /** Network alias (DNS name on the stack network). */
  alias: string;
  /** `maxmemory` in MiB. */
  maxMemoryMb: number;
  /** Container memory limit in MiB. */
  memoryLimitMb: number;
  /** Append-only file on. */
  persistence: boolean;
  /** Docker restart policy. */
  restart: RestartPolicy;
}

/**
 * Applies the defaults and checks the arguments of a {@link RedisCache} named `name`.
 * @throws {pulumi.InputPropertiesError} listing every problem, before anything is registered.
 */
export function resolveRedisCacheArgs(name: string, args: RedisCacheArgs): ResolvedRedisCacheArgs {
  const errors: pulumi.InputPropertyErrorDetails[] = [];
  const alias = args.hostname ?? name;
  const maxMemoryMb = args.maxMemoryMb ?? DEFAULT_REDIS_MAX_MEMORY_MB;
  // Fragmentation ratios up to ~1.5 are normal under churn; 64 MiB covers the server and clients.
  const memoryLimitMb = args.memoryLimitMb ?? Math.ceil(maxMemoryMb * 1.5) + 64;
  const bad = aliasIssue("hostname", alias);
  if (bad) errors.push(bad);
  if (!(Number.isInteger(maxMemoryMb) && maxMemoryMb >= 16)) {
    errors.push({ propertyPath: "maxMemoryMb", reason: `not a size in MiB (got ${String(maxMemoryMb)}; allowed: a whole number ≥ 16). Use e.g. 256` });
  } else if (!(Number.isInteger(memoryLimitMb) && memoryLimitMb > maxMemoryMb)) {
    errors.push({
      propertyPath: "memoryLimitMb",
      reason: `must be a whole number above maxMemoryMb (got ${String(memoryLimitMb)}; maxMemoryMb is ${maxMemoryMb}). Leave it unset for ${Math.ceil(maxMemoryMb * 1.5) + 64}`,
    });
  }
  if (args.dataVolume !== undefined && args.persistence !== true) {
    errors.push({ propertyPath: "dataVolume", reason: "is only used with persistence (got persistence unset). Set persistence: true, or remove dataVolume" });
  }
  if (errors.length > 0) throw new pulumi.InputPropertiesError({ message: `Invalid arguments for RedisCache "${name}"`, errors });
  return { alias, maxMemoryMb, memoryLimitMb, persistence: args.persistence ?? false, restart: args.restart ?? DEFAULT_RESTART };
}
