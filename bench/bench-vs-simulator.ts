/**
 * @module Runs `runBench` against the engine simulator in its own process and compares what the bench
 * measured with what the simulator's profile predicts; also reports the simulator's CPU cost.
 * Loopback only, bounded: 5 levels × 4 s.
 *
 * Run: `npm run build && node dist/bench/bench-vs-simulator.js`
 */
import { fork } from "node:child_process";
import { formatBenchTable, runBench } from "../src/bench";
import { createSimulator, type SimulatorProfile } from "../src/simulator";

const PROFILE: SimulatorProfile = {
  prefillTokensPerSecond: 8000,
  decodeMsPerToken: 20,
  batchSlowdownPerSeq: 0.02,
  maxNumSeqs: 64,
  maxModelLen: 8192,
  kvCacheTokens: 131_072,
};
const LEVELS = [1, 8, 32, 64, 128];
const MAX_TOKENS = 64;

type Message = { port: number } | { cpu: NodeJS.CpuUsage };

async function serve(): Promise<void> {
  const sim = createSimulator({ profile: PROFILE, modelName: "bench-model", seed: 1 });
  const { port } = await sim.listen(0, "127.0.0.1");
  process.send?.({ port } satisfies Message);
  process.on("message", (m) => {
    if (m === "cpu") process.send?.({ cpu: process.cpuUsage() } satisfies Message);
    if (m === "stop") void sim.close().then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  const child = fork(__filename, ["--serve"], { stdio: "inherit" });
  const next = () => new Promise<Message>((resolve) => child.once("message", (m) => resolve(m as Message)));
  const ready = await next();
  if (!("port" in ready)) throw new Error("simulator did not start");
  child.send("cpu");
  const before = await next();
  const started = Date.now();
  const report = await runBench({ url: `http://127.0.0.1:${ready.port}`, concurrency: LEVELS, durationMs: 4000, maxTokens: MAX_TOKENS, promptTokens: 300 });
  const wallS = (Date.now() - started) / 1000;
  child.send("cpu");
  const after = await next();
  child.send("stop");
  process.stdout.write(formatBenchTable(report));
  process.stdout.write("\nconc  expected ITL ms  measured TPOT mean ms  expected tok/s/req  measured p50\n");
  for (const level of report.levels) {
    const batch = Math.min(level.concurrency, PROFILE.maxNumSeqs);
    const step = PROFILE.decodeMsPerToken * (1 + PROFILE.batchSlowdownPerSeq * (batch - 1));
    process.stdout.write(
      `${String(level.concurrency).padStart(4)}  ${step.toFixed(2).padStart(15)}  ${(level.tpotMs?.mean ?? 0).toFixed(2).padStart(21)}  ` +
        `${(1000 / step).toFixed(1).padStart(17)}  ${(level.perRequestTokensPerSecond?.p50 ?? 0).toFixed(1).padStart(12)}\n`,
    );
  }
  if ("cpu" in before && "cpu" in after) {
    const cpuS = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1e6;
    process.stdout.write(`\nSimulator CPU: ${cpuS.toFixed(2)} s over ${wallS.toFixed(1)} s of bench (${((cpuS / wallS) * 100).toFixed(1)}% of one core)\n`);
  }
}

if (process.argv.includes("--serve")) void serve();
else main().catch((error: unknown) => {
  process.stderr.write(`bench-vs-simulator: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
