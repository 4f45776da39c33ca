import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { imagesPinned, parseImageRef, unpinnedReason, unpinnedViolations } from "../../policies/images-pinned";
import { policyInput, recordStack, runPolicies } from "./_harness";

const ROOT = join(__dirname, "..", "..");

describe("policy shoestring-images-pinned", () => {
  it("catches a crafted local stack that pulls redis without a tag and Grafana at latest", async () => {
    const resources = await recordStack(join(ROOT, "stacks", "Pulumi.local.yaml"));
    const bad = resources.map((r) =>
      r.name === "llm-redis-image" ? { ...r, inputs: { ...r.inputs, name: "redis" } } : r.name === "llm-monitoring-grafana-image" ? { ...r, inputs: { ...r.inputs, name: "grafana/grafana:latest" } } : r,
    );
    const run = await runPolicies([imagesPinned], bad);
    expect(run.violations.map((v) => v.message).sort()).toEqual([
      'RemoteImage "llm-monitoring-grafana-image" name "grafana/grafana:latest" uses the moving tag "latest": redeploys could run different code. Pin a version tag (e.g. from src/versions.ts) or a digest.',
      'RemoteImage "llm-redis-image" name "redis" has no tag, so it means :latest: redeploys could run different code. Pin a version tag (e.g. from src/versions.ts) or a digest.',
    ]);
  });

  it("catches latest in a Kubernetes pod template and a Helm release without a chart version", () => {
    const deployment = policyInput("kubernetes:apps/v1:Deployment", "d", { spec: { template: { spec: { containers: [{ name: "vllm", image: "vllm/vllm-openai:latest" }] } } } });
    expect(unpinnedViolations(deployment)).toEqual([
      'Deployment "d" container "vllm" image "vllm/vllm-openai:latest" uses the moving tag "latest": redeploys could run different code. Pin a version tag (e.g. from src/versions.ts) or a digest.',
    ]);
    const release = policyInput("kubernetes:helm.sh/v3:Release", "keda", { chart: "keda" });
    expect(unpinnedViolations(release)).toEqual(['Helm release "keda" (chart keda) has no chart version: the newest chart is installed on every deploy. Set version.']);
  });

  it("reads registries with ports, digests and image IDs correctly", () => {
    expect(parseImageRef("localhost:5000/team/app")).toEqual({ repository: "localhost:5000/team/app" });
    expect(parseImageRef("ghcr.io/a/b:1.2@sha256:abc")).toEqual({ repository: "ghcr.io/a/b", tag: "1.2", digest: "sha256:abc" });
    expect(unpinnedReason("localhost:5000/team/app")).toBe("has no tag, so it means :latest");
    expect(unpinnedReason("redis@sha256:0123")).toBeUndefined();
    expect(unpinnedReason("sha256:0123456789abcdef0123")).toBeUndefined();
    expect(unpinnedReason("redis:7.4.11-alpine")).toBeUndefined();
    expect(unpinnedReason("redis:7.4.11-alpine", { requireDigest: true })).toBe("has no digest (requireDigest is on)");
    expect(unpinnedReason("redis:edge", { movingTags: ["latest", "edge"] })).toBe('uses the moving tag "edge"');
  });
});
