/** @module Progress bar of `shoestring bench` on stderr (only on a terminal). */
import { Presets, SingleBar } from "cli-progress";
import type { BenchProgress } from "./bench-options";

/** A progress sink: `onProgress` for runBench, `stop` once the run ends. */
export interface ProgressReporter {
  onProgress(progress: BenchProgress): void;
  stop(): void;
}

/**
 * Returns a reporter drawing one bar per phase on `stream`, or a silent one when `stream` is not a
 * TTY (pipes, CI logs) so redirected output stays clean.
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (!stream.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { stream, format: "{label} |{bar}| {value}/{total} {unit}", hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let phaseKey = "";
  let started = false;
  return {
    onProgress(p) {
      const key = `${p.phase}:${p.concurrency}`;
      const byRequests = p.total !== undefined;
      const total = byRequests ? (p.total ?? 1) : Math.ceil((p.durationMs ?? 0) / 1000);
      const value = byRequests ? p.completed : Math.min(total, Math.floor(p.elapsedMs / 1000));
      const payload = {
        label: p.phase === "warmup" ? "warm-up     " : `c=${String(p.concurrency).padEnd(4)} ${p.levelIndex + 1}/${p.levels}`,
        unit: byRequests ? "requests" : `s (${p.completed} done)`,
      };
      if (key !== phaseKey) {
        if (started) bar.stop();
        bar.start(total, value, payload);
        started = true;
        phaseKey = key;
      } else {
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
