/**
 * The package's public API (src/lib.ts): exactly the names it promises, every component of
 * components/ among them, no internals, explicit barrels only, and package.json pointing at it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import * as lib from "../../src/lib";

const ROOT = resolve(__dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Runtime values of the API; types leave no trace at run time and are checked by the pack test's compile. */
const VALUES = [
  "CONFIG_NAMESPACE", "CacheSchema", "Cluster", "ClusterAddons", "DockerHost", "DockerModelServer", "DockerMonitoring",
  "EngineInputError", "GPUS", "GpuNodePool", "INSTANCES", "K8sAutoscaling", "K8sLlmStack", "K8sModelServer",
  "K8sMonitoringObjects", "K8sNetworkPolicies", "K8sRedis", "K8sRouter", "LlmStack", "MIN_CLIENT_KEY_LENGTH", "MODELS",
  "ModelSchema", "MonitoringSchema", "PRICE_SNAPSHOT", "PlannerError", "PlanningSchema", "QUANTIZATIONS", "RedisCache",
  "RouterConfigBuildError", "RouterSchema", "RouterService", "StackConfigError", "StackConfigSchema", "TargetSchema",
  "TlsProxy", "VERSIONS", "backendApiKeyEnv", "breakEvenUtilization", "buildRouterConfig", "costPer1MOutputUsd",
  "createStack", "findGpu", "findInstance", "findModel", "findQuantization", "hashClientKey", "hourlyRate", "listStacks",
  "llamaCppCommand", "loadStackByName", "loadStackFile", "loadStackFromPulumiConfig", "modelServerScrapeTarget",
  "monthlyCostUsd", "parseStackConfig", "planModel", "planStack", "planStackConfig", "providerApiKeyEnv",
  "renderRouterConfigYaml", "routerSettingEnv", "vllmCommand",
];

describe("the public API", () => {
  it("exports exactly the promised values, none of them internal", () => {
    expect(Object.keys(lib).sort()).toEqual([...VALUES].sort());
    expect(Object.keys(lib).filter((k) => k.startsWith("_") || /^resolve[A-Z]|^childName$|Labels$/.test(k))).toEqual([]);
  });

  it("exports every component class of components/ except the multi-language wrappers", () => {
    const declared = sources(join(ROOT, "components"))
      .filter((f) => !f.includes("multi-language"))
      .flatMap((f) => [...readFileSync(f, "utf8").matchAll(/export class (\w+) extends pulumi\.ComponentResource/g)].map((m) => m[1]!))
      .sort();
    expect(declared).toHaveLength(17);
    const exported = Object.entries(lib).filter(([, v]) => typeof v === "function" && v.prototype instanceof pulumi.ComponentResource).map(([k]) => k);
    expect(exported.sort()).toEqual(declared);
  });

  it("is built from explicit named barrels, never export *", () => {
    const barrels = [join(ROOT, "src/lib.ts"), ...sources(join(ROOT, "components")).filter((f) => f.endsWith("index.ts"))];
    const star = barrels.filter((f) => /^export \* from/m.test(readFileSync(f, "utf8"))).map((f) => relative(ROOT, f));
    expect(star).toEqual([]);
  });

  it("is what package.json's main, types and exports resolve to; internals stay unreachable", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      main: string;
      types: string;
      exports: Record<string, string | { types: string; default: string }>;
      bin: Record<string, string>;
    };
    expect([pkg.main, pkg.types]).toEqual(["dist/src/lib.js", "dist/src/lib.d.ts"]);
    expect(pkg.exports).toEqual({
      ".": { types: "./dist/src/lib.d.ts", default: "./dist/src/lib.js" },
      "./multi-language": { types: "./dist/components/multi-language/index.d.ts", default: "./dist/components/multi-language/index.js" },
      "./package.json": "./package.json",
    });
    expect(Object.keys(pkg.bin).sort()).toEqual(["shoestring", "shoestring-router"]);
    const build = readFileSync(join(ROOT, "tsconfig.build.json"), "utf8");
    expect(build).toMatch(/"stripInternal": true/);
    expect(build).toMatch(/"declaration": true/);
  });
});
