/**
 * @module Starts a real Prometheus (Debian's `prometheus` binary) on 127.0.0.1 and a free port, with a fresh
 * TSDB folder, and queries its HTTP API. A missing binary fails with the install command.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** What a failed start prints when a binary the live tests need is not installed. */
export const INSTALL_HINT =
  "Install Debian's packages: apt-get install -y --no-install-recommends prometheus redis-server (.ci/run installs them).";

/**
 * Names the binaries (of `prometheus`, `redis-server`, …) that are not on PATH, each with {@link INSTALL_HINT};
 * `undefined` when all are there.
 */
export function missingBinaries(names: readonly string[]): string | undefined {
  const missing = names.filter((n) => (spawnSync(n, ["--version"], { encoding: "utf8", timeout: 10_000 }).error as NodeJS.ErrnoException | undefined)?.code === "ENOENT");
  return missing.length === 0 ? undefined : `${missing.join(" and ")} not on PATH: the live monitoring test runs the real servers. ${INSTALL_HINT}`;
}

/** One sample of an instant-vector query. */
export interface PromSample {
  readonly metric: Readonly<Record<string, string>>;
  /** [unix seconds, value as Prometheus writes it, e.g. "0.5" or "NaN"]. */
  readonly value: readonly [number, string];
}

/** Prometheus' answer to `/api/v1/query`. */
export interface PromQueryResponse {
  readonly status: "success" | "error";
  readonly data?: { readonly resultType: string; readonly result: readonly PromSample[] };
  readonly errorType?: string;
  readonly error?: string;
}

/** A running Prometheus. */
export interface LivePrometheus {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Runs an instant query (POST, so long expressions need no URL encoding limits). */
  query(expr: string): Promise<PromQueryResponse>;
  /** GETs an API path such as `/api/v1/rules` and returns the parsed JSON. */
  api<T>(path: string): Promise<T>;
  /** What Prometheus printed so far (stderr), for failure messages. */
  log(): string;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /** `prometheus.yml` for the port Prometheus will listen on and its folder (for rule files and tokens). */
  config(port: number, dir: string): string;
  /** Other files to write first, by path relative to the folder (rule files, bearer tokens). */
  files?: Readonly<Record<string, string>>;
  /** How long to wait for `/-/ready`. @default 15000 */
  readyTimeoutMs?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log()}`);
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`prometheus at ${url} was not ready within ${timeoutMs} ms:\n${log()}`);
    await sleep(50);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Writes the files and config to a fresh temp folder and runs `prometheus` there on 127.0.0.1 (1 h retention,
 * fresh TSDB), retrying on another port if the one picked was taken meanwhile. Resolves once `/-/ready`
 * answers 200. Note that Prometheus applies scrape targets on a 5 s ticker: the first scrape comes ~5 s
 * after ready, whatever the scrape interval (shared/reference/toolbox.md §1).
 *
 * @example
 * const prom = await startPrometheus({ config: (port) => renderPrometheusConfig({ … }) });
 */
export async function startPrometheus(opts: StartPrometheusOptions): Promise<LivePrometheus> {
  const missing = missingBinaries(["prometheus"]);
  if (missing !== undefined) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), "shoestring-live-prometheus-"));
  for (const [file, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content, { mode: 0o600 });
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const data = join(dir, `tsdb-${attempt}`);
    writeFileSync(join(dir, "prometheus.yml"), opts.config(port, dir));
    let stderr = "";
    const child = spawn("prometheus", [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${data}`,
      "--storage.tsdb.retention.time=1h",
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (d: Buffer) => {
      if (stderr.length < 64_000) stderr += d.toString();
    });
    const log = (): string => stderr.trim() || "(no output)";
    try {
      await waitReady(url, child, log, opts.readyTimeoutMs ?? 15_000);
    } catch (err) {
      lastError = err;
      await stopChild(child);
      if (/address already in use/.test(stderr)) continue;
      break;
    }
    const onExit = (): void => void child.kill("SIGKILL");
    process.once("exit", onExit);
    return {
      url,
      query: async (expr) => {
        const r = await fetch(`${url}/api/v1/query`, { method: "POST", body: new URLSearchParams({ query: expr }), signal: AbortSignal.timeout(5000) });
        return (await r.json()) as PromQueryResponse;
      },
      api: async <T>(path: string) => (await (await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5000) })).json()) as T,
      log,
      stop: async () => {
        await stopChild(child);
        process.removeListener("exit", onExit);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
