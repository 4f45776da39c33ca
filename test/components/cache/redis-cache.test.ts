/** RedisCache under mocks: pinned image, password only as a secret env var, LRU memory cap, no persistence or port by default. */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { RedisCache } from "../../../components/cache/redis-cache";
import { VERSIONS } from "../../../src/versions";
import { byName, containsSecret, expectRegistered, installMocks, settle, unwrap, unwrapSecrets, type Recorded } from "../../helpers/pulumi";

const CONTAINER = "docker:index/container:Container";
const PASSWORD = "p@ss:w/rd#0123456789";

describe("RedisCache", () => {
  let recorded: Recorded;
  let provider: docker.Provider;
  beforeAll(async () => {
    recorded = await installMocks();
    provider = new docker.Provider("host", { host: "unix:///var/run/docker.sock" });
  });

  it("generates a password, passes it only through a secret env var and caps memory with LRU eviction", async () => {
    const cache = new RedisCache("llm-redis", { provider, network: "llm-net" });
    expect(await unwrap(cache.url)).toBe("redis://:mock-random-password@llm-redis:6379");
    expect(await pulumi.isSecret(cache.url)).toBe(true);
    expect(await pulumi.isSecret(cache.password)).toBe(true);
    expect(await unwrap(pulumi.all([cache.host, cache.port]))).toEqual(["llm-redis", 6379]);
    await unwrap(cache.containerName);
    await settle();
    expectRegistered(recorded);

    expect(recorded.resources.filter((r) => r.name.startsWith("llm-redis")).map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      `${CONTAINER} llm-redis-container`,
      "docker:index/remoteImage:RemoteImage llm-redis-image",
      "random:index/randomPassword:RandomPassword llm-redis-password",
      "shoestring:index:RedisCache llm-redis",
    ]);
    expect(byName(recorded, "random:index/randomPassword:RandomPassword", "llm-redis-password").inputs).toEqual({ length: 32, special: false });
    expect(byName(recorded, "docker:index/remoteImage:RemoteImage", "llm-redis-image").inputs.name).toBe(VERSIONS.redis.image);
    const c = byName(recorded, CONTAINER, "llm-redis-container").inputs;
    expect(c.image).toBe("sha256:mock-llm-redis-image");
    expect(c.user).toBe("redis");
    expect(c.command).toEqual([
      "sh",
      "-c",
      `exec redis-server --requirepass "$REDIS_PASSWORD" --maxmemory 256mb --maxmemory-policy allkeys-lru --save '' --appendonly no`,
    ]);
    expect(containsSecret(c.envs)).toBe(true);
    expect(unwrapSecrets(c.envs)).toEqual(["REDIS_PASSWORD=mock-random-password"]);
    expect(c.memory).toBe(448);
    expect(c.ports).toBeUndefined();
    expect(c.volumes).toBeUndefined();
    expect(c.networksAdvanced).toEqual([{ name: "llm-net", aliases: ["llm-redis"] }]);
    expect(c.healthcheck).toEqual({
      tests: ["CMD-SHELL", 'REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli ping | grep -q PONG'],
      interval: "10s",
      timeout: "3s",
      retries: 3,
      startPeriod: "5s",
    });
    expect(c.restart).toBe("unless-stopped");
    expect(c.logOpts).toEqual({ "max-size": "50m", "max-file": "5" });
  });

  it("keeps a given password secret everywhere and escapes it in the URL", async () => {
    const cache = new RedisCache("llm-cache", {
      provider,
      network: "llm-net",
      password: pulumi.secret(PASSWORD),
      maxMemoryMb: 1024,
      persistence: true,
    });
    expect(await unwrap(cache.url)).toBe(`redis://:${encodeURIComponent(PASSWORD)}@llm-cache:6379`);
    expect(new URL(await unwrap(cache.url)).password).toBe(encodeURIComponent(PASSWORD));
    await unwrap(cache.containerName);
    await settle();
    expect(recorded.resources.filter((r) => r.name.startsWith("llm-cache")).map((r) => r.type).sort()).toEqual([
      CONTAINER,
      "docker:index/remoteImage:RemoteImage",
      "docker:index/volume:Volume",
      "shoestring:index:RedisCache",
    ]);
    const c = byName(recorded, CONTAINER, "llm-cache-container").inputs;
    expect(c.command[2]).toBe(
      `exec redis-server --requirepass "$REDIS_PASSWORD" --maxmemory 1024mb --maxmemory-policy allkeys-lru --save '' --appendonly yes --appendfsync everysec`,
    );
    expect(c.volumes).toEqual([{ volumeName: "llm-cache-data", containerPath: "/data" }]);
    expect(c.memory).toBe(1600);
    const visible = JSON.stringify(Object.fromEntries(Object.entries(c).filter(([, v]) => !containsSecret(v))));
    expect(visible).not.toContain(PASSWORD);
    expect(visible).not.toContain(encodeURIComponent(PASSWORD));
    expect(unwrapSecrets(c.envs)).toEqual([`REDIS_PASSWORD=${PASSWORD}`]);
  });

  it("refuses a memory cap too small, a limit below it and a data volume without persistence", () => {
    let error: unknown;
    try {
      new RedisCache("llm-r2", { provider, network: "n", maxMemoryMb: 512, memoryLimitMb: 256, dataVolume: "v" });
    } catch (err) {
      error = err;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    expect((error as pulumi.InputPropertiesError).errors).toEqual([
      { propertyPath: "memoryLimitMb", reason: "must be a whole number above maxMemoryMb (got 256; maxMemoryMb is 512). Leave it unset for 832" },
      { propertyPath: "dataVolume", reason: "is only used with persistence (got persistence unset). Set persistence: true, or remove dataVolume" },
    ]);
    expect(() => new RedisCache("llm-r3", { provider, network: "n", maxMemoryMb: 8 })).toThrow('Invalid arguments for RedisCache "llm-r3"');
  });
});
