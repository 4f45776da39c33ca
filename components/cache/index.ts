/** @module The router's response cache store. */
export {
  DEFAULT_REDIS_MAX_MEMORY_MB,
  GENERATED_PASSWORD_LENGTH,
  REDIS_PORT,
  RedisCache,
  resolveRedisCacheArgs,
  type RedisCacheArgs,
  type ResolvedRedisCacheArgs,
} from "./redis-cache";
export { REDIS_HEALTHCHECK_SCRIPT, REDIS_PASSWORD_ENV, redisServerScript, type RedisServerScriptOptions } from "./redis-command";
