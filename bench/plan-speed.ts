/**
 * @module Measures the process time (user + system CPU) of `shoestring plan --stack <name>` for every
 * stack file, through the real binary. Target: under 0.5 s each (issue 2).
 *
 * Run: `npm run build && node dist/bench/plan-speed.js [--runs N]`
 */
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "shoestring.cjs");
const TARGET_SECONDS = 0.5;

/** Bash's `times` prints the children's user and system CPU time: exact, and immune to wall-clock noise. */
function processSeconds(args: string[]): { cpu: number; wall: number } {
  const started = process.hrtime.bigint();
  const quoted = args.map((a) => `'${a}'`).join(" ");
  const out = execFileSync("bash", ["-c", `node '${BIN}' ${quoted} >/dev/null 2>&1; times`], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const children = out.trim().split("\n")[1] ?? "";
  const [user, sys] = children.split(/\s+/).map(parseBashTime);
  return { cpu: (user ?? 0) + (sys ?? 0), wall };
}

function parseBashTime(text: string): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text);
  if (!match) throw new Error(`cannot parse bash times output "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function main(): void {
  const runsArg = process.argv.indexOf("--runs");
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  const stacks = readdirSync(join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
  // Baseline in the same run: bare node startup, so the number is readable on a noisy machine.
  const baseline = median(Array.from({ length: runs }, () => processSeconds(["--version"]).cpu));
  console.log(`node + CLI startup (--version): ${baseline.toFixed(3)} s process time (median of ${runs})`);
  let worst = 0;
  for (const stack of stacks) {
    const samples = Array.from({ length: runs }, () => processSeconds(["plan", "--stack", stack]));
    const cpu = median(samples.map((s) => s.cpu));
    const wall = median(samples.map((s) => s.wall));
    worst = Math.max(worst, cpu);
    const verdict = cpu < TARGET_SECONDS ? "ok" : "OVER";
    console.log(
      `plan --stack ${stack.padEnd(12)} process ${cpu.toFixed(3)} s  wall ${wall.toFixed(3)} s  ` +
        `(${(cpu / baseline).toFixed(2)}× startup)  ${verdict}`,
    );
  }
  console.log(`worst: ${worst.toFixed(3)} s of process time (target < ${TARGET_SECONDS} s)`);
  if (worst >= TARGET_SECONDS) process.exitCode = 1;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

main();
