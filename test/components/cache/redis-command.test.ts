/** The Redis start script and healthcheck against a real redis-server: any password works, and the limits apply. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_HEALTHCHECK_SCRIPT, redisServerScript } from "../../../components/cache/redis-command";

/** Quotes, a dollar sign, spaces, a backslash and URL-special characters. */
const PASSWORD = `we"ird $pa'ss w0rd\\ @:/#?`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

async function connect(url: string): Promise<Redis> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      return client;
    } catch (err) {
      client.disconnect();
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe("redisServerScript on a real redis-server", () => {
  let server: ChildProcess;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), "redis-script-"));
    const script = `${redisServerScript({ maxMemoryMb: 256, persistence: false })} --port ${port} --bind 127.0.0.1 --dir ${dir}`;
    server = spawn("sh", ["-c", script], { env: { PATH: process.env.PATH, REDIS_PASSWORD: PASSWORD }, stdio: "ignore" });
  });
  afterAll(() => {
    server.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts with the password from the environment, as the URL-escaped form authenticates", async () => {
    const client = await connect(`redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`);
    try {
      expect(await client.ping()).toBe("PONG");
      expect(await client.config("GET", "maxmemory")).toEqual(["maxmemory", String(256 * 1024 * 1024)]);
      expect(await client.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "allkeys-lru"]);
      expect(await client.config("GET", "save")).toEqual(["save", ""]);
      expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "no"]);
      await expect(client.call("AUTH", "wrong-password")).rejects.toThrow(/WRONGPASS/);
    } finally {
      client.disconnect();
    }
  });

  it("passes the healthcheck with the right password and fails it with a wrong one", () => {
    const script = REDIS_HEALTHCHECK_SCRIPT.replace("redis-cli ping", `redis-cli -p ${port} ping`);
    const run = (password: string) => spawnSync("sh", ["-c", script], { env: { PATH: process.env.PATH, REDIS_PASSWORD: password }, timeout: 5000 }).status;
    expect(run(PASSWORD)).toBe(0);
    expect(run("wrong-password")).not.toBe(0);
  });

  it("turns the append-only file on only with persistence", () => {
    expect(redisServerScript({ maxMemoryMb: 64, persistence: true })).toBe(
      `exec redis-server --requirepass "$REDIS_PASSWORD" --maxmemory 64mb --maxmemory-policy allkeys-lru --save '' --appendonly yes --appendfsync everysec`,
    );
  });
});
