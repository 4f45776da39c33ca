/** @module Starts a real, throwaway `redis-server` on a free loopback port for tests (stop/restart included). */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";

/** A running redis-server owned by one test file. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The loopback port; it stays the same across {@link TestRedis.restart}. */
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s). Safe to call twice; {@link TestRedis.restart} works after it. */
  stop(): Promise<void>;
  /** Stops (if running) and starts again on the same port with an empty dataset. */
  restart(): Promise<void>;
}

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** Binary to run. @default "redis-server" (from PATH; Debian package `redis-server`) */
  binary?: string;
  /** How long to wait for the server to accept connections. @default 5000 */
  startTimeoutMs?: number;
}

const REDIS_ARGS = [
  "--bind", "127.0.0.1",
  // No persistence: tests want a clean, fast server and no files left behind.
  "--save", "",
  "--appendonly", "no",
  "--protected-mode", "yes",
  "--loglevel", "warning",
];

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", () => resolve(undefined));
    srv.listen(port, "127.0.0.1", () => {
      const addr = srv.address();
      const got = typeof addr === "object" && addr ? addr.port : undefined;
      srv.close(() => resolve(got));
    });
  });
}

/**
 * A free loopback port below Linux's ephemeral range (32768+). While the server is stopped, clients keep
 * reconnecting; with a port inside the ephemeral range one of those attempts can self-connect (source port =
 * destination port) and hold the port, so restart() would fail to bind.
 */
async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const got = await tryListen(20_000 + Math.floor(Math.random() * 12_000));
    if (got !== undefined) return got;
  }
  return (await tryListen(0)) as number;
}

/** Resolves once a PING on the port gets +PONG, or rejects after the timeout. */
async function waitForPong(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before accepting connections on port ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect({ host: "127.0.0.1", port });
      const done = (v: boolean): void => { sock.destroy(); resolve(v); };
      sock.setTimeout(200, () => done(false));
      sock.once("error", () => done(false));
      sock.once("connect", () => sock.write("PING\r\n"));
      sock.once("data", (d) => done(d.toString().startsWith("+PONG")));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts `redis-server` on 127.0.0.1 and a free port, with no persistence.
 * @example
 * const redis = await startRedis();
 * afterAll(() => redis.stop());
 */
export async function startRedis(opts: StartRedisOptions = {}): Promise<TestRedis> {
  const binary = opts.binary ?? "redis-server";
  const startTimeoutMs = opts.startTimeoutMs ?? 5000;
  const port = await freePort();
  // Persistence is off (--save "" --appendonly no), so nothing is ever written to the working dir.
  const dir = tmpdir();
  let child: ChildProcess | undefined;
  let stderr = "";

  const launch = async (): Promise<void> => {
    stderr = "";
    const proc = spawn(binary, ["--port", String(port), "--dir", dir, ...REDIS_ARGS], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    child = proc;
    proc.stderr?.on("data", (d: Buffer) => { stderr += d.toString(); });
    const spawnError = new Promise<never>((_, reject) => {
      proc.once("error", (err) => reject(new Error(`cannot start ${binary}: ${err.message}. Install it (Debian: apt-get install redis-server).`)));
    });
    try {
      await Promise.race([waitForPong(port, startTimeoutMs, proc), spawnError]);
    } catch (err) {
      proc.kill("SIGKILL");
      throw new Error(`${(err as Error).message}${stderr ? `\n${stderr}` : ""}`);
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill("SIGKILL"), 2000);
      proc.once("exit", () => { clearTimeout(timer); resolve(); });
      proc.kill("SIGTERM");
    });
  };

  await launch();
  // A test that forgets stop() must not leave a server behind when the worker exits.
  const onExit = (): void => { child?.kill("SIGKILL"); };
  process.once("exit", onExit);

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stop();
      process.removeListener("exit", onExit);
    },
    restart: async () => {
      await stop();
      await launch();
    },
  };
}
