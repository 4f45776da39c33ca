/**
 * @module Router overhead bench: the same fake upstream measured direct and through `shoestring-router`
 * (separate processes, loopback only), reported as ratios from the same run. Targets (issue 3): throughput
 * ≥ 25% of direct at 32 connections, added p50 ≤ 0.3 ms (sequential non-stream), added stream TTFB ≤ 1 ms,
 * exact-cache hit p50 ≤ 1 ms (real redis-server). The sequential runs also time a bare node:http + undici
 * proxy (bare-proxy-process.ts): the floor that the extra hops and process set on this machine.
 *
 * Run: `npm run build && node dist/bench/router-overhead.js [--duration S] [--requests N] [--json]`
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import { startRedis, type TestRedis } from "../test/helpers/redis-server";

// autocannon ships no types; this is the part of its programmatic API used here.
const autocannon = require("autocannon") as (o: Record<string, unknown>) => Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number; timeouts: number }>;

const ROOT = join(__dirname, "..", "..");
const arg = (name: string, dflt: number): number => { const i = process.argv.indexOf(name); return i === -1 ? dflt : Number(process.argv[i + 1]); };
const DURATION_S = arg("--duration", 8);
const SEQ_REQUESTS = arg("--requests", 2000);
const JSON_OUT = process.argv.includes("--json");
const TARGETS = { throughputRatio: 0.25, addedP50Ms: 0.3, addedTtfbMs: 1, cacheHitP50Ms: 1 };

const CHAT = JSON.stringify({ model: "fake-model", messages: [{ role: "user", content: "Say hello in one short sentence." }], temperature: 0, max_tokens: 32 });
const STREAM = JSON.stringify({ model: "fake-model", messages: [{ role: "user", content: "Say hello in one short sentence." }], temperature: 0, max_tokens: 32, stream: true });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

function spawnUntil(cmd: string[], ready: (line: string) => boolean): Promise<{ proc: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, cmd, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`${cmd.join(" ")} did not start in 10 s`)), 10_000);
    p.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      const line = buf.split("\n").find(ready);
      if (line !== undefined) { clearTimeout(timer); p.removeAllListeners("exit"); resolve({ proc: p, line }); }
    });
    p.once("exit", (code) => { clearTimeout(timer); reject(new Error(`${cmd.join(" ")} exited with ${code}`)); });
  });
}

async function startRouter(upstreamPort: number, extra: string[] = []): Promise<{ proc: ChildProcess; port: number }> {
  const port = await freePort();
  const { proc } = await spawnUntil([join(ROOT, "dist/images/router/src/server.js"), "--upstream", `http://127.0.0.1:${upstreamPort}/v1`,
    "--host", "127.0.0.1", "--port", String(port), "--access-log", "false", "--log-level", "info", ...extra], (l) => l.includes("listening"));
  proc.stdout?.resume();
  return { proc, port };
}

async function throughput(port: number, seconds: number): Promise<{ rps: number; errors: number }> {
  const r = await autocannon({ url: `http://127.0.0.1:${port}/v1/chat/completions`, method: "POST", connections: 32, duration: seconds, headers: { "content-type": "application/json" }, body: CHAT });
  return { rps: r.requests.average, errors: r.errors + r.non2xx + r.timeouts };
}

/**
 * Direct and routed in alternating slices (ABBA order), so load from other processes on the machine falls on both
 * paths alike; req/s are summed over the slices.
 */
async function interleavedThroughput(directPort: number, routerPort: number, seconds: number): Promise<{ direct: { rps: number; errors: number }; routed: { rps: number; errors: number } }> {
  const slices = Math.max(2, Math.round(seconds / 2));
  const slice = seconds / slices;
  const d = { rps: 0, errors: 0 };
  const r = { rps: 0, errors: 0 };
  for (let i = 0; i < slices; i++) {
    const order: [number, typeof d][] = i % 2 === 0 ? [[directPort, d], [routerPort, r]] : [[routerPort, r], [directPort, d]];
    for (const [port, acc] of order) {
      const t = await throughput(port, slice);
      acc.rps += t.rps / slices;
      acc.errors += t.errors;
    }
  }
  return { direct: d, routed: r };
}

/** One sequential request; returns ms to the first body byte and to the end, and the cache header. */
function timed(pool: Pool, body: string): Promise<{ ttfb: number; total: number; cache?: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let ttfb = 0;
    let cache: string | undefined;
    pool.dispatch({ path: "/v1/chat/completions", method: "POST", headers: ["content-type", "application/json"], body }, {
      onRequestStart: () => {},
      onResponseStart: (_c, status, headers) => { if (status !== 200) reject(new Error(`HTTP ${status}`)); cache = headers["x-shoestring-cache"] as string | undefined; },
      onResponseData: () => { if (ttfb === 0) ttfb = performance.now() - t0; },
      onResponseEnd: () => resolve({ ttfb, total: performance.now() - t0, cache }),
      onResponseError: (_c, e) => reject(e),
    });
  });
}

const p50 = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] as number; };

/** p50 (ms) per path: direct to the upstream, through the router, through the bare proxy. */
interface PathP50 { direct: number; routed: number; bare: number }

/** Alternates the paths in batches of 100 so that drift (JIT, CPU frequency, neighbours) hits all alike. */
async function sequential(ports: { direct: number; routed: number; bare: number }, body: string, n: number, pick: "ttfb" | "total"): Promise<PathP50> {
  const paths = (["direct", "routed", "bare"] as const).map((name) => ({ name, pool: new Pool(`http://127.0.0.1:${ports[name]}`, { connections: 1 }), xs: [] as number[] }));
  for (let i = 0; i < 300; i++) for (const p of paths) await timed(p.pool, body);
  for (let i = 0; i < n; i += 100) {
    for (const p of paths) for (let j = 0; j < 100; j++) p.xs.push((await timed(p.pool, body))[pick]);
  }
  for (const p of paths) await p.pool.close();
  const [direct, routed, bare] = paths.map((p) => p50(p.xs)) as [number, number, number];
  return { direct, routed, bare };
}

async function cacheHits(routerPort: number, n: number): Promise<{ p50: number; hits: number }> {
  const pool = new Pool(`http://127.0.0.1:${routerPort}`, { connections: 1 });
  await timed(pool, CHAT);
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < 200; i++) await timed(pool, CHAT);
  const xs: number[] = [];
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const t = await timed(pool, CHAT);
    xs.push(t.total);
    if (t.cache === "hit-exact") hits++;
  }
  await pool.close();
  return { p50: p50(xs), hits };
}

async function main(): Promise<void> {
  const procs: ChildProcess[] = [];
  let redis: TestRedis | undefined;
  try {
    const upstream = await spawnUntil([join(ROOT, "dist/bench/fake-upstream-process.js")], (l) => l.startsWith("READY"));
    procs.push(upstream.proc);
    const upPort = Number(upstream.line.slice(6));
    const router = await startRouter(upPort);
    procs.push(router.proc);
    const bare = await spawnUntil([join(ROOT, "dist/bench/bare-proxy-process.js"), "--upstream-port", String(upPort)], (l) => l.startsWith("READY"));
    procs.push(bare.proc);
    const ports = { direct: upPort, routed: router.port, bare: Number(bare.line.slice(6)) };

    // Warm both paths up (JIT) before measuring.
    await throughput(upPort, 2);
    await throughput(router.port, 2);
    const { direct, routed } = await interleavedThroughput(upPort, router.port, DURATION_S);
    const seq = await sequential(ports, CHAT, SEQ_REQUESTS, "total");
    const ttfb = await sequential(ports, STREAM, SEQ_REQUESTS, "ttfb");

    redis = await startRedis();
    const cached = await startRouter(upPort, ["--redis", redis.url]);
    procs.push(cached.proc);
    const hit = await cacheHits(cached.port, SEQ_REQUESTS);

    const result = {
      machine: `${require("node:os").cpus().length} cores, node ${process.version}`,
      throughput: { connections: 32, seconds: DURATION_S, directRps: Math.round(direct.rps), routedRps: Math.round(routed.rps), ratio: routed.rps / direct.rps, routedErrors: routed.errors },
      sequentialNonStream: { requests: SEQ_REQUESTS, directP50Ms: seq.direct, routedP50Ms: seq.routed, addedP50Ms: seq.routed - seq.direct, bareProxyAddedP50Ms: seq.bare - seq.direct },
      streamTtfb: { requests: SEQ_REQUESTS, directP50Ms: ttfb.direct, routedP50Ms: ttfb.routed, addedP50Ms: ttfb.routed - ttfb.direct, bareProxyAddedP50Ms: ttfb.bare - ttfb.direct },
      exactCacheHit: { requests: SEQ_REQUESTS, hits: hit.hits, p50Ms: hit.p50 },
    };
    const pass = {
      throughput: result.throughput.ratio >= TARGETS.throughputRatio,
      addedP50: result.sequentialNonStream.addedP50Ms <= TARGETS.addedP50Ms,
      addedTtfb: result.streamTtfb.addedP50Ms <= TARGETS.addedTtfbMs,
      cacheHit: hit.p50 <= TARGETS.cacheHitP50Ms && hit.hits === SEQ_REQUESTS,
    };
    if (JSON_OUT) {
      process.stdout.write(`${JSON.stringify({ ...result, targets: TARGETS, pass }, null, 2)}\n`);
    } else {
      const f = (x: number, d = 3): string => x.toFixed(d);
      const mark = (ok: boolean): string => (ok ? "PASS" : "FAIL");
      process.stdout.write([
        `router overhead bench (${result.machine}; load generator, router and upstream share the machine)`,
        `throughput, 32 connections, ${DURATION_S} s: direct ${result.throughput.directRps} req/s, routed ${result.throughput.routedRps} req/s, ratio ${f(result.throughput.ratio, 3)} (target >= ${TARGETS.throughputRatio}) ${mark(pass.throughput)}; routed errors ${routed.errors}`,
        `sequential non-stream p50: direct ${f(seq.direct)} ms, routed ${f(seq.routed)} ms, added ${f(seq.routed - seq.direct)} ms (target <= ${TARGETS.addedP50Ms}) ${mark(pass.addedP50)}; a bare node:http + undici proxy adds ${f(seq.bare - seq.direct)} ms`,
        `stream TTFB p50: direct ${f(ttfb.direct)} ms, routed ${f(ttfb.routed)} ms, added ${f(ttfb.routed - ttfb.direct)} ms (target <= ${TARGETS.addedTtfbMs}) ${mark(pass.addedTtfb)}; a bare node:http + undici proxy adds ${f(ttfb.bare - ttfb.direct)} ms`,
        `exact-cache hit p50: ${f(hit.p50)} ms over ${SEQ_REQUESTS} requests, ${hit.hits} hits (target <= ${TARGETS.cacheHitP50Ms}) ${mark(pass.cacheHit)}`,
        "",
      ].join("\n"));
    }
    if (!Object.values(pass).every(Boolean)) process.exitCode = 1;
  } finally {
    for (const p of procs) p.kill("SIGTERM");
    await redis?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`router-overhead: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
