/**
 * The multi-language package without the Pulumi CLI: provider/ as Pulumi's plugin host loads it
 * (ts-node, CommonJS `require`, component discovery, provider name from package.json), and the
 * schema its analyzer generates, checked against the components' Args and outputs as the
 * TypeScript compiler reads them.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readApis, type ApiModel } from "../../src/docs/api-model";
import { REFERENCE_ENTRIES } from "../../src/docs/render-reference";
import * as mlc from "../../components/multi-language";
import { serveSchema } from "./_plugin-host";
import { PROVIDER_DIR, generateSchema, hostedComponents, providerName, type PackageSchema, type SchemaProperty } from "./_mlc";

const ROOT = resolve(__dirname, "../..");
const COMPONENTS = ["KubernetesModelServer", "KubernetesRouter", "ModelServerContainer", "RedisContainer", "RouterContainer", "ServingStack"];

/** Every property of the schema (inputs, outputs, type fields), named `<owner>.<property>`. */
function allProperties(schema: PackageSchema): Array<[string, SchemaProperty]> {
  return [
    ...Object.entries(schema.resources).flatMap(([token, r]) => [
      ...Object.entries(r.inputProperties).map(([k, p]): [string, SchemaProperty] => [`${token}.inputs.${k}`, p]),
      ...Object.entries(r.properties).map(([k, p]): [string, SchemaProperty] => [`${token}.${k}`, p]),
    ]),
    ...Object.entries(schema.types).flatMap(([token, t]) => Object.entries(t.properties ?? {}).map(([k, p]): [string, SchemaProperty] => [`${token}.${k}`, p])),
  ];
}

describe("the multi-language package (provider/)", () => {
  let schema: PackageSchema;
  let api: ApiModel;
  beforeAll(async () => {
    schema = await generateSchema();
    [api] = readApis(ROOT, [REFERENCE_ENTRIES.multiLanguage]) as [ApiModel];
  }, 60_000);

  it("is a Node.js plugin named shoestring, versioned with the package", () => {
    expect(parse(readFileSync(resolve(PROVIDER_DIR, "PulumiPlugin.yaml"), "utf8"))).toEqual({ runtime: "nodejs" });
    const root = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as { version: string; files: string[] };
    expect(providerName()).toBe("shoestring");
    expect(schema.name).toBe("shoestring");
    expect(schema.version).toBe(root.version);
    expect(root.files).toContain("provider");
    expect(schema.dependencies).toEqual([]);
  });

  it("serves that schema over gRPC when started the way pulumi package add starts it", async () => {
    const served = await serveSchema(ROOT, PROVIDER_DIR);
    expect(served.stderr).toBe("");
    expect(served.schema).toEqual(schema);
  }, 120_000);

  it("loads index.js at run time and gives the analyzer the same classes in index.ts", () => {
    const pkg = JSON.parse(readFileSync(resolve(PROVIDER_DIR, "package.json"), "utf8")) as { main: string };
    expect(pkg.main).toBe("index.js");
    const listed = (file: string) => [...readFileSync(resolve(PROVIDER_DIR, file), "utf8").matchAll(/^\s+(\w+)(?::|,)/gm)].map((m) => m[1]).sort();
    expect(listed("index.js")).toEqual(COMPONENTS);
    expect(listed("index.ts")).toEqual(COMPONENTS);
  });

  it("hosts exactly the component classes components/multi-language exports", () => {
    expect(hostedComponents().map((c) => c.name)).toEqual(COMPONENTS);
    const exported = Object.values(mlc).filter((v) => typeof v === "function").map((c) => c.name).sort();
    expect(exported).toEqual(COMPONENTS);
    expect(api.components.map((c) => c.name)).toEqual(COMPONENTS);
  });

  it("describes every component under shoestring:index:<Class> with exactly its Args as inputs and its outputs", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(COMPONENTS.map((c) => `shoestring:index:${c}`));
    for (const c of api.components) {
      const r = schema.resources[c.token]!;
      expect(r.isComponent, c.name).toBe(true);
      expect(Object.keys(r.inputProperties).sort(), `${c.name} inputs`).toEqual(c.args.fields.map((f) => f.name).sort());
      expect(r.requiredInputs, `${c.name} required inputs`).toEqual(c.args.fields.filter((f) => !f.optional).map((f) => f.name).sort());
      expect(Object.keys(r.properties).sort(), `${c.name} outputs`).toEqual(c.outputs.map((o) => o.name).sort());
      expect(r.required, `${c.name} required outputs`).toEqual(c.outputs.filter((o) => !o.type.includes("undefined")).map((o) => o.name).sort());
    }
  });

  it("documents every component, input, output and type property in the schema", () => {
    for (const r of Object.values(schema.resources)) expect(r.description).toMatch(/Wraps the\s+TypeScript\s+`/);
    expect(allProperties(schema).filter(([, p]) => !p.description).map(([name]) => name)).toEqual([]);
  });

  it("keeps what is checked at construction plain, and lets deploy-time values be outputs", () => {
    const msc = schema.resources["shoestring:index:ModelServerContainer"]!.inputProperties;
    expect(msc.vllm).toMatchObject({ $ref: "#/types/shoestring:index:VllmSettings", plain: true });
    expect(msc.network!.plain).toBeUndefined();
    expect(msc.apiKey).toMatchObject({ type: "string" });
    expect(msc.apiKey!.plain).toBeUndefined();
    const settings = schema.types["shoestring:index:VllmSettings"]!;
    expect(settings.required).toEqual(["gpuMemoryUtilization", "maxModelLen", "quantization", "repo", "servedModelName", "tensorParallelSize"]);
    expect(settings.properties!.quantization).toMatchObject({ $ref: "#/types/shoestring:index:VllmQuantization", plain: true });
    const backend = schema.types["shoestring:index:RouterBackend"]!.properties!;
    expect(backend.endpoint!.plain).toBeUndefined();
    expect(backend.name!.plain).toBe(true);
    expect(schema.resources["shoestring:index:ServingStack"]!.inputProperties.config).toMatchObject({
      type: "object",
      additionalProperties: { $ref: "pulumi.json#/Any" },
      plain: true,
    });
    expect(schema.resources["shoestring:index:ServingStack"]!.properties.plan).toMatchObject({ $ref: "#/types/shoestring:index:ServingPlan" });
  });

  it("turns each closed set into a schema enum, with no other union anywhere", () => {
    const enums = Object.entries(schema.types).filter(([, t]) => t.enum !== undefined).map(([token]) => token.replace("shoestring:index:", ""));
    expect(enums.sort()).toEqual(["LlamaCppFlashAttn", "LlamaCppKvCacheDtype", "LlamaCppPooling", "ModelCacheAccessMode", "ProviderKind", "RouterLogLevel", "SemanticCacheIndex", "ServerRole", "VllmKvCacheDtype", "VllmQuantization"]);
    expect(schema.types["shoestring:index:ServerRole"]!.enum!.map((m) => [m.name, m.value])).toEqual([["Chat", "chat"], ["Embeddings", "embeddings"]]);
    const refs = allProperties(schema).flatMap(([, p]) => [p.$ref, p.items?.$ref, p.additionalProperties?.$ref]).filter((r): r is string => r !== undefined);
    for (const ref of refs) expect(ref === "pulumi.json#/Any" || ref.startsWith("#/types/shoestring:index:"), ref).toBe(true);
  });
});
