/**
 * The pack as the Pulumi CLI runs it: policies/index.ts constructs the PolicyPack, which serves the
 * analyzer over gRPC; this test is the engine's side of that conversation (pulumi-testing.md §4).
 * One pack per process: this file is the only one that imports policies/index.ts.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RecordedResource } from "../../src/preview";
import { recordStack } from "./_harness";

const ROOT = join(__dirname, "..", "..");
// The proto classes must come from the same tree as the pack's, or instanceof checks fail.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
/* eslint-disable @typescript-eslint/no-explicit-any */
const grpc = fromPulumi("@grpc/grpc-js") as any;
const services = fromPulumi("./proto/analyzer_grpc_pb.js") as any;
const messages = fromPulumi("./proto/analyzer_pb.js") as any;
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb.js") as any;

interface Diagnostic {
  policy: string;
  pack: string;
  message: string;
}

/**
 * A recorded value as the engine puts it on the wire: secrets keep their signature, unknowns become
 * the sentinel; resource references (a component's `provider` output) are not read by any policy.
 */
function wire(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  if (Array.isArray(value)) return value.map(wire);
  if (value && typeof value === "object") {
    if (Object.getPrototypeOf(value) !== Object.prototype) return null;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, wire(v)]));
  }
  return value;
}

function call<T>(client: any, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method](request, (err: unknown, res: T) => (err ? reject(err) : resolve(res))));
}

function diagnostics(response: any): Diagnostic[] {
  return response.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), pack: d.getPolicypackname(), message: d.getMessage() }));
}

describe("the policy pack served over gRPC", () => {
  let client: any;
  let server: any;
  let local: RecordedResource[];
  let vm: RecordedResource[];

  const analyze = async (r: RecordedResource): Promise<Diagnostic[]> => {
    const req = new messages.AnalyzeRequest();
    req.setType(r.type).setName(r.name).setUrn(r.urn).setProperties(Struct.fromJavaScript(wire(r.inputs)));
    req.setOptions(new messages.AnalyzerResourceOptions());
    return diagnostics(await call(client, "analyze", req));
  };
  const analyzeStack = async (resources: RecordedResource[]): Promise<Diagnostic[]> => {
    const req = new messages.AnalyzeStackRequest();
    for (const r of resources) {
      const res = new messages.AnalyzerResource();
      res.setType(r.type).setName(r.name).setUrn(r.urn).setProperties(Struct.fromJavaScript(wire(r.custom ? r.inputs : (r.outputs ?? {}))));
      res.setOptions(new messages.AnalyzerResourceOptions());
      req.addResources(res);
    }
    return diagnostics(await call(client, "analyzeStack", req));
  };

  beforeAll(async () => {
    local = await recordStack(join(ROOT, "stacks", "Pulumi.local.yaml"));
    vm = await recordStack(join(ROOT, "stacks", "Pulumi.aws-gpu-vm.yaml"));
    // Keep a handle on the server to stop it, and read the port the pack prints for the CLI.
    const bind = grpc.Server.prototype.bindAsync;
    grpc.Server.prototype.bindAsync = function (this: unknown, ...args: unknown[]) {
      server = this;
      return bind.apply(this, args);
    };
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    await import("../../policies/index.js");
    await vi.waitFor(() => expect(log).toHaveBeenCalled(), { timeout: 5000 });
    const port = String(log.mock.calls[0]![0]);
    log.mockRestore();
    grpc.Server.prototype.bindAsync = bind;
    expect(port).toMatch(/^\d+$/);
    client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client?.close();
    server?.forceShutdown();
  });

  it("reports a crafted public Redis port with the policy and pack names", async () => {
    const redis = local.find((r) => r.name === "llm-redis-container")!;
    const found = await analyze({ ...redis, inputs: { ...redis.inputs, ports: [{ internal: 6379, external: 6379, ip: "0.0.0.0" }] } });
    expect(found).toEqual([
      {
        policy: "shoestring-no-public-ingress",
        pack: "shoestring-guardrails",
        message: expect.stringContaining('Docker container "llm-redis-container" (cache) publishes port 6379→6379 on 0.0.0.0'),
      },
    ]);
  });

  it("is silent on every resource of the local stack and on the stack as a whole", async () => {
    for (const r of local) expect(await analyze(r), r.name).toEqual([]);
    expect(await analyzeStack(local)).toEqual([]);
  });

  it("takes the cost ceiling from policy config sent by the engine", async () => {
    const req = new messages.ConfigureAnalyzerRequest();
    const config = new messages.PolicyConfig();
    config.setEnforcementlevel(messages.EnforcementLevel.MANDATORY);
    config.setProperties(Struct.fromJavaScript({ maxMonthlyUsd: 1000 }));
    req.getPolicyconfigMap().set("shoestring-monthly-cost-ceiling", config);
    await call(client, "configure", req);
    const found = await analyzeStack(vm);
    expect(found.map((d) => d.policy)).toEqual(["shoestring-monthly-cost-ceiling"]);
    expect(found[0]!.message).toContain('Stack "aws-gpu-vm": monthly cost $1374.53 exceeds the ceiling $1000.00');
  });
});
