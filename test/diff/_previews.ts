/** @module Hand-made previews for pure diff tests (no program run). */
import type { PreviewResource, PreviewTotals, StackPreview } from "../../src/preview";

/** A preview with `count` containers whose command differs by `variant`, and the given totals. */
export function fakePreview(stack: string, opts: { count?: number; variant?: string; totals?: Partial<PreviewTotals>; status?: StackPreview["status"]; message?: string } = {}): StackPreview {
  const resources: PreviewResource[] = Array.from({ length: opts.count ?? 0 }, (_, i) => {
    const name = `llm-server-${String(i).padStart(4, "0")}-container`;
    return {
      type: "docker:index/container:Container",
      name,
      urn: `urn:pulumi:${stack}::shoestring::docker:index/container:Container::${name}`,
      custom: true,
      keySettings: { image: "vllm/vllm-openai:v0.22.0-cu129-ubuntu2404" },
      inputs: Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`command[${j}]`, `--flag-${j}=${opts.variant ?? "v"}-${"x".repeat(40)}`])),
    };
  });
  const totals: PreviewTotals = { fits: true, monthlyUsd: 1000, priceNotes: [], hoursPerMonth: 730, gpusUsed: 1, gpusAvailable: 1, minHeadroomGiB: 10, maxConcurrency: 10, tokensPerSecond: 100, hardware: [], ...opts.totals };
  return {
    stack,
    file: `stacks/Pulumi.${stack}.yaml`,
    target: "aws-gpu-vm",
    status: opts.status ?? "ok",
    ...(opts.message !== undefined ? { message: opts.message } : {}),
    totals: opts.status === "invalid" ? null : totals,
    models: [],
    resources,
    warnings: [],
    priceSnapshot: null,
  };
}
