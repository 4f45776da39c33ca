import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { StackPreview } from "../../src/preview";

const ROOT = join(__dirname, "..", "..");
const stackFile = (name: string) => join(ROOT, "stacks", `Pulumi.${name}.yaml`);
const fixture = (name: string) => join(ROOT, "test", "fixtures", "stacks", `Pulumi.${name}.yaml`);

// The components read the home directory once, when they load: point it at an empty one first,
// to prove a preview writes nothing there (no SSH key file from a placeholder secret).
const HOME = mkdtempSync(join(tmpdir(), "shoestring-preview-home-"));
process.env.HOME = HOME;

type Api = typeof import("../../src/preview") & typeof import("../../src/capacity/plan-stack-config") & typeof import("../../src/config") & typeof import("../../src/versions");
let api: Api;

function byName(preview: StackPreview, name: string) {
  const found = preview.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`${found.length} resources named ${name} (have: ${preview.resources.map((r) => r.name).join(", ")})`);
  return found[0]!;
}

describe("previewStack", () => {
  beforeAll(async () => {
    api = {
      ...(await import("../../src/preview/index.js")),
      ...(await import("../../src/capacity/plan-stack-config.js")),
      ...(await import("../../src/config/index.js")),
      ...(await import("../../src/versions.js")),
    } as Api;
  });

  it("lists every resource of the local stack with images, published ports and commands", async () => {
    const p = await api.previewStack({ file: stackFile("local") });
    expect(p.status).toBe("ok");
    expect(p.target).toBe("docker-local");
    expect(p.resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.name).sort()).toEqual([
      "llm-monitoring-grafana",
      "llm-monitoring-prometheus",
      "llm-nomic-embed-container",
      "llm-qwen-1-5b-container",
      "llm-redis-container",
      "llm-router-container",
    ]);
    // A container's image is the pulled RemoteImage's reference, not a placeholder id.
    expect(byName(p, "llm-qwen-1-5b-container").keySettings.image).toBe(api.VERSIONS.llamaCpp.cpuImage);
    expect(byName(p, "llm-router-container").keySettings.ports).toBe("127.0.0.1:8080→8080/tcp");
    expect(byName(p, "llm-monitoring-grafana").keySettings.ports).toBe("127.0.0.1:3000→3000/tcp");
    expect(byName(p, "llm-redis-container").keySettings.ports).toBeUndefined();
    expect(byName(p, "llm-qwen-1-5b-container").keySettings.command).toMatch(/^--hf-repo Qwen\/Qwen2\.5-1\.5B-Instruct-GGUF /);
    // Every registration has a parent except the stack component.
    expect(p.resources.filter((r) => r.parent === undefined).map((r) => r.type)).toEqual(["shoestring:index:LlmStack"]);
  });

  it("shows secrets as [secret] and writes no key file for the SSH target's placeholder key", async () => {
    const p = await api.previewStack({ file: stackFile("edge") });
    expect(p.status).toBe("ok");
    expect(byName(p, "llm-router-container").inputs.envs).toBe("[secret]");
    expect(byName(p, "llm-qwen-7b-container").inputs.envs).toBe("[secret]");
    expect(byName(p, "llm-host-docker").keySettings.host).toBe("ssh://ubuntu@gpu-box.local:22");
    expect(readdirSync(HOME)).toEqual([]);
  });

  it("never copies a stored secret's ciphertext into the preview", async () => {
    const p = await api.previewStack({ file: fixture("valid-with-secrets") });
    expect(p.status).toBe("ok");
    const text = JSON.stringify(p);
    expect(text).not.toContain("AAAAAAAAAAAAAAAA");
    expect(text).not.toContain("CCCCCCCCCCCCCCCC");
  });

  it("shows the GPU VM's instance type, market, root volume and GPU device", async () => {
    const p = await api.previewStack({ file: stackFile("aws-gpu-vm") });
    expect(byName(p, "llm-host-instance").keySettings).toEqual({
      "instance type": "g6e.xlarge",
      market: "on-demand",
      "root volume": "200 GiB gp3",
      AMI: "ami-0000000000preview",
    });
    expect(byName(p, "llm-qwen-14b-container").keySettings.GPUs).toBe("1 (device 0)");
  });

  it("shows Kubernetes workloads with replicas and GPUs per pod, and EKS node groups with their sizes", async () => {
    const p = await api.previewStack({ file: stackFile("eks-cluster") });
    expect(p.status).toBe("ok");
    expect(byName(p, "llm-llama-70b-deployment").keySettings).toMatchObject({ replicas: "2", "GPUs/pod": "4", image: api.VERSIONS.vllm.image });
    expect(byName(p, "llm-pool-l40s-x4-nodes").keySettings).toMatchObject({ "instance types": "g6e.12xlarge", size: "2/2/2 (min/desired/max)" });
  });

  it("reports the planner's totals for the stack", async () => {
    const p = await api.previewStack({ file: stackFile("aws-gpu-vm") });
    const plan = api.planStackConfig(api.loadStackFile(stackFile("aws-gpu-vm"), { checkSecrets: false }).config);
    expect(p.totals).toMatchObject({
      fits: true,
      monthlyUsd: plan.monthlyUsd,
      gpusUsed: 1,
      gpusAvailable: 1,
      minHeadroomGiB: plan.minHeadroomGiB,
      maxConcurrency: plan.models[0]!.maxConcurrency,
      tokensPerSecond: plan.tokensPerSecond,
      hoursPerMonth: 730,
    });
    expect(p.totals!.hardware).toEqual([{ label: "g6e.xlarge", instances: 1, gpus: 1, monthlyUsd: plan.monthlyUsd, notes: [] }]);
    expect(plan.monthlyUsd).toBeGreaterThan(0);
  });

  it("says why an own-hardware stack has no price instead of showing $0", async () => {
    const p = await api.previewStack({ file: stackFile("edge") });
    expect(p.totals!.monthlyUsd).toBeNull();
    expect(p.totals!.priceNotes).toEqual(["gpu-box.local (ssh), 1× RTX-4090: own hardware: no hourly price"]);
  });

  it("refuses a stack that does not fit with the planner's reason, registering nothing", async () => {
    const p = await api.previewStack({ file: fixture("too-big") });
    expect(p.status).toBe("refused");
    expect(p.message).toMatch(/^The stack does not fit its hardware; nothing was created\.\nllama-70b: No available memory for the cache blocks\./);
    expect(p.resources).toEqual([]);
    expect(p.totals!.fits).toBe(false);
  });

  it("reports an invalid stack file with every issue and no totals", async () => {
    const p = await api.previewStack({ file: fixture("bad-names"), displayFile: "bad-names.yaml" });
    expect(p.status).toBe("invalid");
    expect(p.totals).toBeNull();
    expect(p.message).toContain("RTX-409");
    expect(p.message).toContain("example-org/unknown-model-AWQ");
  });

  it("gives the same preview when run twice in one process", async () => {
    const first = await api.previewStack({ file: stackFile("local") });
    const second = await api.previewStack({ file: stackFile("local") });
    expect(second).toEqual(first);
  });

  it("previews each shipped stack in under five seconds", async () => {
    for (const stack of api.listStacks(join(ROOT, "stacks"))) {
      const started = performance.now();
      const p = await api.previewStack({ file: stackFile(stack) });
      const ms = performance.now() - started;
      expect(p.status, `${stack}: ${p.message}`).toBe("ok");
      expect(ms, stack).toBeLessThan(5000);
    }
    expect(existsSync(join(HOME, ".shoestring"))).toBe(false);
  });
});
