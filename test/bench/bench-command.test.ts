import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "citty";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { BenchReport } from "../../src/bench";
import benchCommand, { benchOptionsFromArgs } from "../../src/cli/commands/bench";
import { CliError } from "../../src/cli/errors";
import { startSimulator, type RunningSimulator } from "../simulator/_simulator-fixture";

const dir = mkdtempSync(join(tmpdir(), "shoestring-bench-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let running: RunningSimulator | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await running?.sim.close();
  running = undefined;
});

function captureStdout(): () => string {
  let out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return () => out;
}

describe("shoestring bench", () => {
  it("prints one JSON report and writes the SVG chart", async () => {
    running = await startSimulator();
    const chart = join(dir, "chart.svg");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = captureStdout();
    await runCommand(benchCommand, {
      rawArgs: ["--url", running.url, "--concurrency", "1,2", "--requests", "3", "--max-tokens", "3", "--json", "--chart", chart],
    });
    const report = JSON.parse(stdout()) as BenchReport;
    expect(report.levels.map((l) => [l.concurrency, l.succeeded])).toEqual([[1, 3], [2, 3]]);
    expect(report.model).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(readFileSync(chart, "utf8")).toContain("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    expect(stderr).toHaveBeenCalledWith(`Chart written to ${chart}\n`);
  });

  it("prints the human table by default", async () => {
    running = await startSimulator();
    const stdout = captureStdout();
    await runCommand(benchCommand, { rawArgs: ["--url", running.url, "--concurrency", "2", "--requests", "2", "--max-tokens", "2", "--no-stream"] });
    expect(stdout()).toContain("2 requests/level, ~300 prompt tokens, max_tokens 2, non-streaming (no TTFT/ITL)");
    expect(stdout()).toContain("Recommended max concurrency: 2");
  });

  it("reports every invalid flag at once, in flag names", () => {
    let error: unknown;
    try {
      benchOptionsFromArgs({ url: "localhost:8000", concurrency: "8,,16", duration: "30", requests: "0", timeout: "" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(
      "shoestring bench: invalid flags:\n" +
        '  - --concurrency must be comma-separated integers ≥ 1 (got "8,,16"); e.g. --concurrency 8,16,32\n' +
        '  - --duration "30" has no unit; write 30s or 30ms (units: ms, s, m, h).\n' +
        '  - --requests must be an integer ≥ 1 (got "0"); e.g. --requests 200\n' +
        "  - --timeout needs a value; e.g. --timeout 30s\n" +
        '  - --url must be an http(s) URL (got "localhost:8000"); e.g. http://127.0.0.1:8000 or http://router:8080/v1',
    );
  });

  it("turns an unreachable target into a CliError the CLI prints without a stack", async () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const error = await runCommand(benchCommand, { rawArgs: ["--url", "http://127.0.0.1:1", "--requests", "1"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(/^shoestring bench: Cannot list models at http:\/\/127\.0\.0\.1:1\/v1\/models/);
  });
});
