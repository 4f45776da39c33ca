/** @module Load benchmark for OpenAI-compatible servers: `runBench`, knee detection, table and SVG output. */
export { runBench, BenchTargetError, type BenchReport } from "./run-bench";
export {
  BenchOptionsError,
  DEFAULT_CONCURRENCY,
  type BenchOptions,
  type BenchProgress,
} from "./bench-options";
export type { BenchLevel } from "./level-collector";
export type { Summary } from "./latency-recorder";
export {
  detectKnee,
  KNEE_MAX_ERROR_RATE,
  KNEE_MIN_P99_GROWTH,
  KNEE_MIN_THROUGHPUT_GAIN,
  type KneePoint,
  type KneeResult,
} from "./detect-knee";
export { parseDuration } from "./parse-duration";
export { loadDataset, type BenchPrompt, type ChatMessage } from "./prompt-source";
export { renderChartSvg } from "./render-chart";
export { formatBenchTable } from "./format-table";
export { SseReader } from "./sse-reader";
