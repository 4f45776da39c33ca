/**
 * @module `RedisContainer`: the multi-language face of `RedisCache` — the router's response cache as
 * a password-protected, memory-capped Redis container on an existing Docker host.
 */
import * as pulumi from "@pulumi/pulumi";
import { RedisCache, resolveRedisCacheArgs, type RedisCacheArgs } from "../cache";
import { checkAs, defined } from "./_wrap";

/** Arguments for {@link RedisContainer}. */
export interface RedisContainerArgs {
  /** Name of the Docker network the router is on; Redis publishes no port. */
  network: pulumi.Input<string>;
  /** Password clients must send (`requirepass`), a secret. @default - a generated 32-character password */
  password?: pulumi.Input<string>;
  /** Memory for cached entries in MiB (`maxmemory`, `allkeys-lru` beyond it). @default 256 @see https://redis.io/docs/latest/develop/reference/eviction/ */
  maxMemoryMb?: number;
  /** Container memory limit in MiB. @default - 1.5 × maxMemoryMb + 64 */
  memoryLimitMb?: number;
  /** Keep the cache across restarts (append-only file in a volume). @default false */
  persistence?: boolean;
  /** Existing volume for the append-only file, with `persistence`. @default - a new volume `<name>-data` */
  dataVolume?: pulumi.Input<string>;
}

/**
 * Redis for the router's cache on an existing Docker host; its secret `url` goes to a router's
 * `cache.redisUrl`. The Docker host is the provider passed in the resource options (`providers`),
 * else the default Docker provider. Wraps the TypeScript `RedisCache`.
 */
export class RedisContainer extends pulumi.ComponentResource {
  /** `redis://:<password>@<host>:6379`, a secret. */
  public readonly url: pulumi.Output<string>;
  /** The password, a secret. */
  public readonly password: pulumi.Output<string>;
  /** Host name on the Docker network. */
  public readonly host: pulumi.Output<string>;
  /** Port on the Docker network. */
  public readonly port: pulumi.Output<number>;

  constructor(name: string, args: RedisContainerArgs, opts?: pulumi.ComponentResourceOptions) {
    const inner: RedisCacheArgs = {
      network: args.network,
      ...defined({
        password: args.password,
        maxMemoryMb: args.maxMemoryMb,
        memoryLimitMb: args.memoryLimitMb,
        persistence: args.persistence,
        dataVolume: args.dataVolume,
      }),
    };
    checkAs("RedisContainer", name, () => resolveRedisCacheArgs(name, inner));
    super("shoestring:index:RedisContainer", name, {}, opts);
    const redis = new RedisCache(name, inner, { parent: this });
    this.url = redis.url;
    this.password = redis.password;
    this.host = redis.host;
    this.port = redis.port;
    this.registerOutputs({ url: this.url, password: this.password, host: this.host, port: this.port });
  }
}
