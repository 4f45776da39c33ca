/**
 * @module Stand-ins for the exporters that cannot run on a CI machine (llama.cpp needs a model, the DCGM
 * exporter needs an NVIDIA GPU): a loopback HTTP server serving, in Prometheus text format, exactly the metric
 * families of the reference lists in `test/monitoring/fixtures` (names, types and labels as given there).
 * The values are synthetic: counters grow with time, gauges hold fixed plausible numbers.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

const FIXTURES = join(__dirname, "..", "fixtures");

/** One metric family to expose. */
export interface StandInFamily {
  /** Metric name, e.g. `llamacpp:prompt_tokens_total`. */
  readonly name: string;
  /** `# TYPE` of the family, as the reference gives it (`untyped` when it gives none). */
  readonly type: "counter" | "gauge" | "untyped";
  /** `# HELP` text. */
  readonly help: string;
  /** One label set per series; `[{}]` for a single unlabelled series. */
  readonly series: readonly Readonly<Record<string, string>>[];
}

interface LlamaCppReference {
  metrics: { name: string; type: "counter" | "gauge"; labels: string[]; meaning: string }[];
}
interface DcgmReference {
  labels: string[];
  default_metrics: string[];
}

const readFixture = <T>(file: string): T => JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as T;

/**
 * llama.cpp's `/metrics` families from `llamacpp-metrics.json`, with the reference's types. Series carry no
 * labels except where the reference lists some (`position` of the per-position speculative-decoding counter,
 * exposed here for positions 0 and 1).
 */
export function llamaCppFamilies(): StandInFamily[] {
  return readFixture<LlamaCppReference>("llamacpp-metrics.json").metrics.map((m) => ({
    name: m.name,
    type: m.type,
    help: m.meaning,
    series: m.labels.length === 0 ? [{}] : ["0", "1"].map((v) => Object.fromEntries(m.labels.map((l) => [l, v]))),
  }));
}

/**
 * The DCGM exporter's default families from `dcgm-metrics.json`, for two GPUs carrying every label the
 * reference lists. That file names no types, so the families are `untyped` (Prometheus stores them as gauges).
 */
export function dcgmFamilies(): StandInFamily[] {
  const ref = readFixture<DcgmReference>("dcgm-metrics.json");
  const gpu = (index: number): Record<string, string> => {
    const values: Record<string, string> = {
      gpu: String(index),
      UUID: `GPU-00000000-0000-0000-0000-00000000000${index}`,
      pci_bus_id: `00000000:0${index + 1}:00.0`,
      device: `nvidia${index}`,
      modelName: "NVIDIA L4",
      hostname: "gpu-host",
      DCGM_FI_DRIVER_VERSION: "550.90.07",
    };
    // Every label the reference lists, and only those.
    return Object.fromEntries(ref.labels.map((l) => [l, values[l] ?? "unknown"]));
  };
  return ref.default_metrics.map((name) => ({ name, type: "untyped" as const, help: `${name} (stand-in for the DCGM exporter)`, series: [gpu(0), gpu(1)] }));
}

const escapeLabel = (v: string): string => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

/** A value that looks alive: counters grow with the seconds since start, gauges vary by name only. */
function valueOf(family: StandInFamily, seriesIndex: number, elapsedSeconds: number): number {
  let h = 0;
  for (const ch of family.name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const base = (h % 90) + 10 + seriesIndex;
  return family.type === "counter" ? Math.round(base * (1 + elapsedSeconds)) : base;
}

/** Renders the families as Prometheus text exposition (format 0.0.4). */
export function renderExposition(families: readonly StandInFamily[], elapsedSeconds: number): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, " ")}`, `# TYPE ${f.name} ${f.type}`);
    f.series.forEach((labels, k) => {
      const set = Object.entries(labels).map(([l, v]) => `${l}="${escapeLabel(v)}"`).join(",");
      lines.push(`${f.name}${set === "" ? "" : `{${set}}`} ${valueOf(f, k, elapsedSeconds)}`);
    });
  }
  return `${lines.join("\n")}\n`;
}

/** A running stand-in exporter. */
export interface ExpositionStandIn {
  /** `127.0.0.1:<port>`, as a scrape target address. */
  readonly address: string;
  /** Scrapes answered with 200. */
  readonly scrapes: number;
  /** Stops listening and drops connections. */
  close(): Promise<void>;
}

/**
 * Serves `families` at `GET /metrics` on 127.0.0.1 and a free port. With `bearerToken`, scrapes without
 * `Authorization: Bearer <token>` get 401, as llama.cpp does when it runs with `--api-key`.
 *
 * @example
 * const llama = await startExpositionStandIn(llamaCppFamilies(), { bearerToken: "k" });
 */
export async function startExpositionStandIn(families: readonly StandInFamily[], opts: { bearerToken?: string } = {}): Promise<ExpositionStandIn> {
  const started = performance.now();
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    if (opts.bearerToken !== undefined && req.headers.authorization !== `Bearer ${opts.bearerToken}`) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}');
      return;
    }
    scrapes++;
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
    res.end(renderExposition(families, (performance.now() - started) / 1000));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    get scrapes() {
      return scrapes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
