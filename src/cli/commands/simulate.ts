/** @module `shoestring simulate`: runs the vLLM-like engine simulator until SIGINT/SIGTERM. */
import { defineCommand } from "citty";
import { parseDurationFlag, parseNumberFlag } from "../../bench/flag-parsing";
import { createSimulator, SimulatorOptionsError, type SimulatorOptions, type SimulatorProfile } from "../../simulator";
import { resolveCliProfile, type CliProfile } from "../../simulator/resolve-cli-profile";
import { CliError } from "../errors";

const args = {
  port: { type: "string", description: "Port to listen on (0 picks a free one)", default: "8000", valueHint: "N" },
  host: { type: "string", description: "Address to bind; keep 127.0.0.1 unless other machines must reach it", default: "127.0.0.1" },
  model: { type: "string", description: "Catalog model whose planned vLLM timing to emulate, e.g. qwen2.5-7b (needs --gpu)", valueHint: "id" },
  gpu: { type: "string", description: "Catalog GPU the model is planned on, e.g. L4 (needs --model)", valueHint: "gpu" },
  gpus: { type: "string", description: "GPUs on the box; the planner picks the tensor-parallel size (default 1)", valueHint: "N" },
  quantization: { type: "string", description: "Weight format for the plan, e.g. awq or fp8 (default: the checkpoint's)", valueHint: "q" },
  "served-model-name": { type: "string", description: "Model name the API serves (default: --model, else 'simulated-model')", valueHint: "name" },
  seed: { type: "string", description: "Seed of generated words, ids and failure draws", default: "0", valueHint: "N" },
  "decode-ms": { type: "string", description: "Decode time per token at batch 1, ms (overrides the plan)", valueHint: "ms" },
  "prefill-tps": { type: "string", description: "Prefill speed, prompt tokens/s (overrides the plan)", valueHint: "N" },
  "max-seqs": { type: "string", description: "Most sequences running at once, vLLM --max-num-seqs (overrides the plan)", valueHint: "N" },
  "max-model-len": { type: "string", description: "Context window, tokens (overrides the plan)", valueHint: "N" },
  "kv-tokens": { type: "string", description: "KV-cache capacity, tokens (overrides the plan)", valueHint: "N" },
  "max-batched-tokens": { type: "string", description: "Step token budget: emulates chunked prefill, vLLM --max-num-batched-tokens (default: unlimited)", valueHint: "N" },
  "batch-slowdown": { type: "string", description: "Decode slowdown per extra running sequence, fraction (default 0.02)", valueHint: "x" },
  "api-key": { type: "string", description: "Require Authorization: Bearer <key> on /v1/*", valueHint: "key" },
  loading: { type: "string", description: "Answer 503 on /health and /v1/* for this long after start, e.g. 5s", valueHint: "duration" },
  "error-rate": { type: "string", description: "Fraction of requests answered HTTP 500, 0..1", valueHint: "x" },
  "disconnect-after": { type: "string", description: "Cut the connection after this many tokens", valueHint: "N" },
  "disconnect-rate": { type: "string", description: "Fraction of requests cut (default 1 with --disconnect-after)", valueHint: "x" },
  stall: { type: "string", description: "Pause streams after their first token for this long, e.g. 5s", valueHint: "duration" },
  "stall-rate": { type: "string", description: "Fraction of requests that stall (default 1 with --stall)", valueHint: "x" },
  "slow-start": { type: "string", description: "Delay before accepting each request, e.g. 2s", valueHint: "duration" },
  "embedding-dims": { type: "string", description: "Length of embedding vectors (default 384)", valueHint: "N" },
  json: { type: "boolean", description: "Print one JSON line (url, model, profile) instead of text", default: false },
} as const;

type Args = { [K in keyof typeof args]: (typeof args)[K] extends { type: "boolean" } ? boolean : string | undefined };

/** Turns flags into simulator options, collecting every problem into one CliError. */
export function simulatorOptionsFromArgs(a: Args): { options: SimulatorOptions; port: number; host: string; source: string } {
  const issues: string[] = [];
  const num = (flag: keyof Args, min: number, example: string, extra: { max?: number; integer?: boolean } = {}) =>
    parseNumberFlag(a[flag] as string | undefined, { flag: `--${flag}`, min, example, ...extra }, issues);
  const duration = (flag: keyof Args): number | undefined => parseDurationFlag(a[flag] as string | undefined, flag, issues);
  const port = num("port", 0, "8000", { max: 65535, integer: true }) ?? 8000;
  const seed = num("seed", 0, "42", { integer: true, max: 2 ** 31 - 1 });
  const overrides: Partial<SimulatorProfile> = {};
  const set = <K extends keyof SimulatorProfile>(key: K, value: number | undefined) => {
    if (value !== undefined) overrides[key] = value;
  };
  set("decodeMsPerToken", num("decode-ms", 0.01, "20"));
  set("prefillTokensPerSecond", num("prefill-tps", 1, "8000"));
  set("maxNumSeqs", num("max-seqs", 1, "64", { integer: true }));
  set("maxModelLen", num("max-model-len", 16, "8192", { integer: true }));
  set("kvCacheTokens", num("kv-tokens", 16, "131072", { integer: true }));
  set("batchSlowdownPerSeq", num("batch-slowdown", 0, "0.02"));
  set("maxNumBatchedTokens", num("max-batched-tokens", 1, "2048", { integer: true }));
  const failures = {
    errorRate: num("error-rate", 0, "0.1", { max: 1 }),
    disconnectAfterTokens: num("disconnect-after", 0, "5", { integer: true }),
    disconnectRate: num("disconnect-rate", 0, "0.5", { max: 1 }),
    stallMs: duration("stall"),
    stallRate: num("stall-rate", 0, "0.5", { max: 1 }),
    slowStartMs: duration("slow-start"),
  };
  const loadingMs = duration("loading");
  const embeddingDimensions = num("embedding-dims", 1, "384", { integer: true, max: 8192 });
  const gpus = num("gpus", 1, "2", { integer: true, max: 64 });
  let resolved: CliProfile | undefined;
  try {
    resolved = resolveCliProfile({
      ...(a.model === undefined ? {} : { model: a.model }),
      ...(a.gpu === undefined ? {} : { gpu: a.gpu }),
      ...(gpus === undefined ? {} : { gpus }),
      ...(a.quantization === undefined ? {} : { quantization: a.quantization }),
      overrides,
    });
  } catch (error) {
    issues.push(...(error instanceof SimulatorOptionsError ? error.issues : [(error as Error).message]));
  }
  if (issues.length > 0 || resolved === undefined) {
    throw new CliError(`shoestring simulate: invalid flags:\n  - ${issues.join("\n  - ")}`);
  }
  const definedFailures = Object.fromEntries(Object.entries(failures).filter(([, v]) => v !== undefined));
  const options: SimulatorOptions = {
    profile: resolved.profile,
    modelName: a["served-model-name"] ?? resolved.modelName,
    ...(seed === undefined ? {} : { seed }),
    ...(loadingMs === undefined ? {} : { loadingMs }),
    ...(embeddingDimensions === undefined ? {} : { embeddingDimensions }),
    ...(a["api-key"] === undefined ? {} : { apiKey: a["api-key"] }),
    failures: definedFailures,
  };
  return { options, port, host: a.host ?? "127.0.0.1", source: resolved.source };
}

export default defineCommand({
  meta: {
    name: "simulate",
    description: "Run an OpenAI-compatible engine simulator with vLLM-like timing and metrics (no GPU needed).",
  },
  args,
  async run({ args: raw }) {
    const { options, port, host, source } = simulatorOptionsFromArgs(raw as unknown as Args);
    let simulator;
    try {
      simulator = createSimulator(options);
    } catch (error) {
      if (error instanceof SimulatorOptionsError) throw new CliError(`shoestring simulate: ${error.message}`);
      throw error;
    }
    let url: string;
    try {
      ({ url } = await simulator.listen(port, host));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const hint = code === "EADDRINUSE" ? "; pick another --port (0 picks a free one)" : "";
      throw new CliError(`shoestring simulate: cannot listen on ${host}:${port}: ${(error as Error).message}${hint}`);
    }
    const p = options.profile;
    if (raw.json) {
      process.stdout.write(`${JSON.stringify({ url, baseURL: `${url}/v1`, model: options.modelName, source, profile: p })}\n`);
    } else {
      process.stdout.write(
        `Simulating ${options.modelName} at ${url} (OpenAI base URL ${url}/v1)\n` +
          `  timing from ${source}\n` +
          `  decode ${p.decodeMsPerToken.toFixed(2)} ms/token at batch 1 (+${(p.batchSlowdownPerSeq * 100).toFixed(1)}%/extra seq), ` +
          `prefill ${Math.round(p.prefillTokensPerSecond)} tok/s, max ${p.maxNumSeqs} seqs, ` +
          `context ${p.maxModelLen}, KV ${p.kvCacheTokens} tokens` +
          `${p.maxNumBatchedTokens === undefined ? "" : `, step budget ${p.maxNumBatchedTokens} tokens`}\n` +
          "  endpoints: /v1/chat/completions /v1/completions /v1/embeddings /v1/models /health /metrics — Ctrl-C stops\n",
      );
    }
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await simulator.close();
    if (!raw.json) process.stdout.write("Simulator stopped.\n");
  },
});
