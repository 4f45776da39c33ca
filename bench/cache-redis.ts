/** @module Starts a throwaway loopback `redis-server` (no persistence) for bench/semantic-cache.ts. */
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A running bench Redis. */
export interface BenchRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  /** Stops the server and removes its temp dir. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

async function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port });
    const done = (v: boolean): void => { sock.destroy(); resolve(v); };
    sock.setTimeout(200, () => done(false));
    sock.once("error", () => done(false));
    sock.once("connect", () => sock.write("PING\r\n"));
    sock.once("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

/** Starts `redis-server` (env REDIS_SERVER overrides the binary) on 127.0.0.1 and a free port. */
export async function startBenchRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "shoestring-bench-redis-"));
  const binary = process.env.REDIS_SERVER ?? "redis-server";
  const proc = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--loglevel", "warning"], { stdio: "ignore" });
  const failed = new Promise<never>((_, reject) => proc.once("error", (e) => reject(new Error(`cannot start ${binary}: ${e.message}. Install it (Debian: apt-get install redis-server) or set REDIS_SERVER.`))));
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      if (await pong(port)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within 5 s`);
  })();
  await Promise.race([ready, failed]);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
