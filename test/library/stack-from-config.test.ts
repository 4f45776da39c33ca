/**
 * A whole stack from a config object built in code (no stack files, no `shoestring:*` keys): the
 * typed input goes through `parseStackConfig` (defaults, every problem at once) into `LlmStack`,
 * as examples/stack-from-config does.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { LlmStack, StackConfigError, createStack, parseStackConfig, type StackConfigInput } from "../../src/lib";
import { containsSecret, expectRegistered, installMocks, ofType, settle, unwrap, unwrapSecrets, type Recorded } from "../helpers/pulumi";

const CONTAINER = "docker:index/container:Container";

/** One llama.cpp chat model on a CPU Docker host, router auth on, cache and monitoring off. */
const INPUT = {
  target: { kind: "docker-local" },
  models: [
    {
      name: "qwen-1-5b",
      engine: "llamacpp",
      source: { kind: "gguf", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", file: "qwen2.5-1.5b-instruct-q4_k_m.gguf" },
      quantization: "Q4_K_M",
      maxModelLen: 4096,
    },
  ],
  router: { auth: { apiKeysSecret: "routerApiKeys" } },
  cache: { enabled: false },
  monitoring: { enabled: false },
} satisfies StackConfigInput;

describe("LlmStack from a config object built in code", () => {
  let recorded: Recorded;
  beforeAll(async () => {
    recorded = await installMocks();
  });

  it("applies the schema's defaults and builds exactly the model server and router", async () => {
    const { config, secretNames } = parseStackConfig(INPUT);
    expect(secretNames).toEqual(["routerApiKeys"]);
    expect(config.router.port).toBe(8080);
    const stack = new LlmStack("code", { config, secrets: { routerApiKeys: pulumi.secret("key-0123456789abcdef") }, routerImage: "ghcr.io/acme/shoestring-router:0.1.0" });
    const [url, endpoints, plan] = await unwrap(pulumi.all([stack.routerUrl, stack.modelEndpoints, stack.plan]));
    await settle();
    expectRegistered(recorded);
    expect(url).toBe("http://127.0.0.1:8080/v1");
    expect(endpoints).toEqual({ "qwen-1-5b": "http://code-qwen-1-5b:8080/v1" });
    expect(plan.fits).toBe(true);
    expect(plan.models.map((m) => m.name)).toEqual(["qwen-1-5b"]);
    expect(ofType(recorded, CONTAINER).map((c) => c.name).sort()).toEqual(["code-qwen-1-5b-container", "code-router-container"]);
    expect(ofType(recorded, "docker:index/remoteImage:RemoteImage").map((i) => i.inputs.name)).toContain("ghcr.io/acme/shoestring-router:0.1.0");
    expect(await unwrap(stack.routerApiKey)).toBe("key-0123456789abcdef");
    expect(await pulumi.isSecret(stack.routerApiKey)).toBe(true);
    const router = ofType(recorded, CONTAINER).find((c) => c.name === "code-router-container")!;
    expect(containsSecret(router.inputs.envs)).toBe(true);
    expect(JSON.stringify(unwrapSecrets(router.inputs.envs))).not.toContain("key-0123456789abcdef");
  });

  it("lets createStack pick the composition root from the config object", async () => {
    const { config } = parseStackConfig({ ...INPUT, router: { auth: { enabled: false } } });
    const stack = createStack("picked", { config, routerImage: "ghcr.io/acme/shoestring-router:0.1.0" });
    expect(stack).toBeInstanceOf(LlmStack);
    expect(await unwrap(stack.routerApiKey)).toBeUndefined();
  });

  it("reports every problem of a config object at once, before anything is registered", () => {
    const before = recorded.resources.length;
    let error: unknown;
    try {
      parseStackConfig({ ...INPUT, models: [{ ...INPUT.models[0], quantization: "Q4_K_X", maxModelLen: -1 }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StackConfigError);
    const issues = (error as StackConfigError).issues.map((i) => i.path);
    expect(issues).toEqual(expect.arrayContaining(["shoestring:models[0].quantization", "shoestring:models[0].maxModelLen"]));
    expect(recorded.resources.length).toBe(before);
  });
});
