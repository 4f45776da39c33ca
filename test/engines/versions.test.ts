/** src/versions.ts: every image and chart is pinned exactly, and the engine images match the flag references. */
import { describe, expect, it } from "vitest";
import { VERSIONS } from "../../src/versions";
import { LLAMA_REF, VLLM_REF } from "./flag-reference";

/** Every `image` string in VERSIONS, with its dotted path. */
function images(node: unknown, path = "VERSIONS"): [string, string][] {
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]): [string, string][] => {
    const at = `${path}.${key}`;
    if (typeof value === "string" && /image$/i.test(key)) return [[at, value]];
    return images(value, at);
  });
}

/** Every object with a `chart` key in VERSIONS.charts. */
const CHARTS = Object.entries(VERSIONS.charts);

describe("VERSIONS", () => {
  const all = images(VERSIONS);

  it("lists every image the kit runs", () => {
    expect(all.map(([path]) => path)).toEqual([
      "VERSIONS.vllm.image",
      "VERSIONS.llamaCpp.cudaImage",
      "VERSIONS.llamaCpp.cpuImage",
      "VERSIONS.redis.image",
      "VERSIONS.prometheus.image",
      "VERSIONS.grafana.image",
      "VERSIONS.caddy.image",
      "VERSIONS.node.image",
      "VERSIONS.charts.dcgmExporter.image",
    ]);
  });

  it.each(all)("pins %s to an exact tag, never latest or a floating major", (_path, image) => {
    const match = /^(?<repo>[a-z0-9]+(?:[._/-][a-z0-9]+)*):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(image);
    expect(match, `${image} is not repository:tag`).not.toBeNull();
    const tag = match?.groups?.tag ?? "";
    expect(tag).not.toMatch(/latest|nightly|^(server|server-cuda)$/);
    // A version tag names at least major.minor.patch (or a llama.cpp build number).
    expect(tag).toMatch(/\d+\.\d+\.\d+|-b\d+$/);
  });

  it.each(CHARTS)("pins chart %s to an exact version with a repository", (_name, chart) => {
    expect(chart.repo).toMatch(/^https:\/\/[^\s]+$/);
    expect(chart.chart).toMatch(/^[a-z0-9-]+$/);
    expect(chart.version).toMatch(/^v?\d+\.\d+\.\d+$/);
  });

  it("runs the vLLM image whose help output vllm-flags.json records", () => {
    expect(VERSIONS.vllm.version).toBe(VLLM_REF.version_described);
    expect(VERSIONS.vllm.image).toBe(`vllm/vllm-openai:${VLLM_REF.version_described}-cu129-ubuntu2404`);
    expect(VLLM_REF.source.path).toContain(`image ${VERSIONS.vllm.image}`);
  });

  it("runs CUDA and CPU llama.cpp images of the same build as the flag reference's README commit", () => {
    const { build, cudaImage, cpuImage, flagsCommit } = VERSIONS.llamaCpp;
    expect(flagsCommit).toBe(LLAMA_REF.source.commit);
    expect(cudaImage).toBe(`ghcr.io/ggml-org/llama.cpp:server-cuda-b${build}`);
    expect(cpuImage).toBe(`ghcr.io/ggml-org/llama.cpp:server-b${build}`);
  });

  it("pins a 2026 llama.cpp build, the generation llamacpp-flags.json describes (--load-mode, -fa on|off|auto)", () => {
    // Dec-2025 builds (arg.cpp @145b6280) lack --load-mode; public pins show it at b11151 (2026-09).
    expect(VERSIONS.llamaCpp.build).toBeGreaterThanOrEqual(11151);
    const names = LLAMA_REF.flags.flatMap((f) => f.names);
    expect(names).toContain("--load-mode");
  });
});
