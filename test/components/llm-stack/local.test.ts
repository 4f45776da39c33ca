import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { VERSIONS } from "../../../src/versions";
import { llamaArgProblems } from "../../engines/flag-reference";
import { expectRegistered, ofType } from "../../helpers/pulumi";
import { promtoolOn } from "../../monitoring/promtool";
import { leakedSecrets, runProgram, type ProgramRun } from "./_program";

const CONTAINER = "docker:index/container:Container";

describe("the local stack under mocks", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("local");
  });

  it("registers exactly the laptop stack: two llama.cpp CPU servers, Redis, router, Prometheus, Grafana", () => {
    expectRegistered(run.recorded);
    const containers = ofType(run.recorded, CONTAINER).map((c) => c.name).sort();
    expect(containers).toEqual(
      [
        "llm-monitoring-grafana",
        "llm-monitoring-prometheus",
        "llm-nomic-embed-container",
        "llm-qwen-1-5b-container",
        "llm-redis-container",
        "llm-router-container",
      ].sort(),
    );
    expect(ofType(run.recorded, "docker:index/network:Network")).toHaveLength(1);
    expect(ofType(run.recorded, "aws:ec2/instance:Instance")).toHaveLength(0);
    const components = run.recorded.resources.filter((r) => !r.custom).map((r) => r.type);
    expect(components).toContain("shoestring:index:LlmStack");
    expect(components).toContain("shoestring:index:DockerHost");
  });

  it("runs both models on llama.cpp's pinned CPU image with flags llama-server accepts", () => {
    for (const name of ["llm-qwen-1-5b-container", "llm-nomic-embed-container"]) {
      const inputs = ofType(run.recorded, CONTAINER).find((c) => c.name === name)!.inputs;
      expect(inputs.image).toContain("mock");
      const images = ofType(run.recorded, "docker:index/remoteImage:RemoteImage").map((i) => i.inputs.name);
      expect(images).toContain(VERSIONS.llamaCpp.cpuImage);
      expect(llamaArgProblems(inputs.command as string[])).toEqual([]);
      expect(inputs.deviceRequests ?? []).toEqual([]);
    }
    const qwen = ofType(run.recorded, CONTAINER).find((c) => c.name === "llm-qwen-1-5b-container")!.inputs.command as string[];
    // 4 slots × maxModelLen 4096.
    expect(qwen.join(" ")).toContain("--ctx-size 16384");
  });

  it("publishes only the router and Grafana, and only on 127.0.0.1", () => {
    const published = ofType(run.recorded, CONTAINER).flatMap((c) =>
      ((c.inputs.ports ?? []) as Array<{ ip?: string; external?: number }>).map((p) => `${c.name} ${p.ip}:${p.external}`),
    );
    expect(published.sort()).toEqual(["llm-monitoring-grafana 127.0.0.1:3000", "llm-router-container 127.0.0.1:8080"]);
  });

  it("keeps every secret a secret: API keys never appear outside secret wrappers", () => {
    expect(leakedSecrets(run.recorded)).toEqual([]);
  });

  it("exports the router URL, and the API key and Grafana password as secrets", async () => {
    expect(run.outputs.routerUrl).toBe("http://127.0.0.1:8080/v1");
    expect(run.outputs.routerApiKey).toBe("sk-router-PLAINTEXT-1");
    expect(await pulumi.isSecret(run.exports.routerApiKey!)).toBe(true);
    expect(await pulumi.isSecret(run.exports.grafanaAdminPassword!)).toBe(true);
    expect(run.outputs.grafanaUrl).toBe("http://127.0.0.1:3000");
    expect(run.outputs.plan).toMatchObject({ fits: true, gpusUsed: 0 });
  });

  it("uploads a Prometheus config and rules that promtool accepts", () => {
    const prometheus = ofType(run.recorded, CONTAINER).find((c) => c.name === "llm-monitoring-prometheus")!;
    const uploads = pulumi.runtime.isRpcSecret(prometheus.inputs.uploads)
      ? pulumi.runtime.unwrapRpcSecret(prometheus.inputs.uploads)
      : prometheus.inputs.uploads;
    const files: Record<string, string> = {};
    for (const u of uploads as Array<{ file: string; content: string }>) files[u.file.replace(/^\/etc\/prometheus\//, "")] = u.content;
    expect(Object.keys(files)).toContain("prometheus.yml");
    // Token files live under /etc/prometheus/secrets; promtool resolves them relative to the config.
    const config = files["prometheus.yml"]!.replaceAll("/etc/prometheus/", "");
    const result = promtoolOn({ ...files, "prometheus.yml": config }, () => ["check", "config", "prometheus.yml"]);
    expect(result.output).toContain("SUCCESS");
    expect(result.status).toBe(0);
  });
});
