/**
 * @module The Redis container's start script and healthcheck (pure). The password is read from the
 * `REDIS_PASSWORD` env var at start, so it never appears in the container's command or in `ps`.
 */

/** Env var the start script and the healthcheck read the password from. */
export const REDIS_PASSWORD_ENV = "REDIS_PASSWORD";

/** What {@link redisServerScript} takes. */
export interface RedisServerScriptOptions {
  /** `maxmemory` in MiB; the least recently used keys are evicted beyond it. */
  maxMemoryMb: number;
  /** Append-only file with fsync every second; else nothing is written to disk. */
  persistence: boolean;
}

/**
 * The `sh -c` script that starts redis-server. `"$REDIS_PASSWORD"` is expanded by the shell as one
 * word (no re-parsing), and Redis ≥ 7 quotes each argument, so any password works.
 * @example redisServerScript({ maxMemoryMb: 256, persistence: false })
 * // exec redis-server --requirepass "$REDIS_PASSWORD" --maxmemory 256mb --maxmemory-policy allkeys-lru --save '' --appendonly no
 */
export function redisServerScript(opts: RedisServerScriptOptions): string {
  const persistence = opts.persistence ? "--appendonly yes --appendfsync everysec" : "--appendonly no";
  // `--save ''` turns off RDB snapshots: a cache must not stall on fork+write (redis.io persistence docs).
  return (
    `exec redis-server --requirepass "$${REDIS_PASSWORD_ENV}" --maxmemory ${opts.maxMemoryMb}mb ` +
    `--maxmemory-policy allkeys-lru --save '' ${persistence}`
  );
}

/** Healthcheck shell line: REDISCLI_AUTH keeps the password off redis-cli's command line. */
export const REDIS_HEALTHCHECK_SCRIPT = `REDISCLI_AUTH="$${REDIS_PASSWORD_ENV}" redis-cli ping | grep -q PONG`;
