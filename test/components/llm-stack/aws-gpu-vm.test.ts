import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { vllmArgProblems } from "../../engines/flag-reference";
import { expectRegistered, ofType } from "../../helpers/pulumi";
import { leakedSecrets, runProgram, type ProgramRun } from "./_program";

const CONTAINER = "docker:index/container:Container";

describe("the aws-gpu-vm stack under mocks", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("aws-gpu-vm");
  });

  it("creates one g6e.xlarge with IMDSv2, an encrypted 200 GiB gp3 volume and an instance profile", () => {
    expectRegistered(run.recorded);
    const instances = ofType(run.recorded, "aws:ec2/instance:Instance");
    expect(instances).toHaveLength(1);
    const vm = instances[0]!.inputs;
    expect(vm.instanceType).toBe("g6e.xlarge");
    expect(vm.metadataOptions).toMatchObject({ httpTokens: "required" });
    expect(vm.rootBlockDevice).toMatchObject({ volumeType: "gp3", volumeSize: 200, encrypted: true });
    expect(vm.keyName).toBe("shoestring");
    expect(ofType(run.recorded, "aws:iam/instanceProfile:InstanceProfile")).toHaveLength(1);
  });

  it("opens no inbound port when neither allowedCidrs nor adminCidr is set", () => {
    const ingress = [
      ...ofType(run.recorded, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
      ...ofType(run.recorded, "aws:ec2/securityGroupRule:SecurityGroupRule").filter((r) => r.inputs.type === "ingress"),
    ];
    const inline = ofType(run.recorded, "aws:ec2/securityGroup:SecurityGroup").flatMap((g) => (g.inputs.ingress ?? []) as unknown[]);
    expect([...ingress, ...inline]).toEqual([]);
  });

  it("boots with user-data that passes shellcheck", () => {
    const vm = ofType(run.recorded, "aws:ec2/instance:Instance")[0]!.inputs;
    const userData = (pulumi.runtime.isRpcSecret(vm.userData) ? pulumi.runtime.unwrapRpcSecret(vm.userData) : vm.userData) as string;
    expect(userData.startsWith("#!/bin/bash")).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), "shoestring-userdata-")), "user-data.sh");
    writeFileSync(file, userData);
    // Throws (and fails the test with shellcheck's findings) on any warning.
    execFileSync("shellcheck", ["-s", "bash", "-S", "style", file], { encoding: "utf8" });
  });

  it("serves the 14B AWQ model on the instance's GPU with upstream vLLM flags, its cache on the gp3 volume", () => {
    const vllm = ofType(run.recorded, CONTAINER).find((c) => c.name === "llm-qwen-14b-container")!.inputs;
    expect(vllmArgProblems(vllm.command as string[])).toEqual([]);
    expect(vllm.deviceRequests).toEqual([{ capabilities: ["gpu"], deviceIds: ["0"], driver: "nvidia" }]);
    const mounts = JSON.stringify([vllm.volumes, vllm.mounts]);
    expect(mounts).toContain("/opt/shoestring");
  });

  it("keeps the router on the VM's loopback (reached through SSM) and secrets secret", () => {
    const router = ofType(run.recorded, CONTAINER).find((c) => c.name === "llm-router-container")!.inputs;
    expect(router.ports).toEqual([expect.objectContaining({ ip: "127.0.0.1", external: 8080 })]);
    expect(leakedSecrets(run.recorded)).toEqual([]);
  });

  it("prices the stack from the catalog in its plan output", () => {
    // g6e.xlarge $1.861/h × 730 h + 200 GiB gp3 × $0.08/GiB-month.
    expect((run.outputs.plan as { monthlyUsd: number }).monthlyUsd).toBeCloseTo(1.861 * 730 + 200 * 0.08, 0);
  });
});
