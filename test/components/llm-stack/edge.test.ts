import { beforeAll, describe, expect, it } from "vitest";
import { VERSIONS } from "../../../src/versions";
import { llamaArgProblems, vllmArgProblems } from "../../engines/flag-reference";
import { expectRegistered, ofType } from "../../helpers/pulumi";
import { leakedSecrets, runProgram, type ProgramRun } from "./_program";

const CONTAINER = "docker:index/container:Container";
const container = (run: ProgramRun, name: string) => ofType(run.recorded, CONTAINER).find((c) => c.name === name)!.inputs;

describe("the edge stack under mocks", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("edge");
  });

  it("talks to the remote Docker engine over SSH with a key file, never the key itself", () => {
    expectRegistered(run.recorded);
    const provider = ofType(run.recorded, "pulumi:providers:docker")[0]!.inputs;
    expect(provider.host).toBe("ssh://ubuntu@gpu-box.local:22");
    expect(leakedSecrets(run.recorded)).toEqual([]);
  });

  it("gives vLLM the one GPU and keeps the embedding model on the CPU image", () => {
    const vllm = container(run, "llm-qwen-7b-container");
    expect(vllm.deviceRequests).toEqual([{ capabilities: ["gpu"], deviceIds: ["0"], driver: "nvidia" }]);
    expect(vllmArgProblems(vllm.command as string[])).toEqual([]);
    expect(vllm.command).toEqual(expect.arrayContaining(["Qwen/Qwen2.5-7B-Instruct-AWQ", "--tensor-parallel-size", "1"]));
    const embed = container(run, "llm-nomic-embed-container");
    expect(embed.deviceRequests ?? []).toEqual([]);
    expect(llamaArgProblems(embed.command as string[])).toEqual([]);
    const images = ofType(run.recorded, "docker:index/remoteImage:RemoteImage").map((i) => i.inputs.name);
    expect(images).toEqual(expect.arrayContaining([VERSIONS.vllm.image, VERSIONS.llamaCpp.cpuImage]));
  });

  it("runs a DCGM exporter for GPU dashboards and publishes nothing but router and Grafana on loopback", () => {
    const names = ofType(run.recorded, CONTAINER).map((c) => c.name);
    expect(names).toContain("llm-monitoring-dcgm-exporter");
    const published = ofType(run.recorded, CONTAINER).flatMap((c) =>
      ((c.inputs.ports ?? []) as Array<{ ip?: string; external?: number }>).map((p) => `${p.ip}:${p.external}`),
    );
    expect(published.sort()).toEqual(["127.0.0.1:3000", "127.0.0.1:8080"]);
  });

  it("reports the plan it was built on", () => {
    expect(run.outputs.plan).toMatchObject({ fits: true, gpusUsed: 1, gpusAvailable: 1 });
  });
});
