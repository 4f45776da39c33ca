/**
 * The package as users get it: `npm pack` (of the build `npm test` just made), installed into a
 * fresh project from npm's cache (`--prefer-offline`: no registry request for anything cached, as
 * here after `npm ci`; a CI cache holding only tarballs may fetch metadata), then the TypeScript
 * examples and a program using three components compiled strictly against its declarations
 * (`skipLibCheck` off), loaded with `require`, and its multi-language plugin started. About 35 s:
 * most of it is npm and tsc.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as lib from "../../src/lib";
import { serveSchema } from "./_plugin-host";

const ROOT = resolve(__dirname, "../..");
const TSC = resolve(ROOT, "node_modules/typescript/bin/tsc");
const EXAMPLES = ["docker-llamacpp", "eks-existing-cluster", "stack-from-config"];

/** A program of a platform team that owns its Docker host and network: three components, typed from the package. */
const CONSUMER = `
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerModelServer, RedisCache, RouterService, type DockerModelServerArgs, type RouterServiceArgs } from "llm-shoestring";

const host = new docker.Provider("gpu-box", { host: "ssh://ops@gpu-box.lan" });
const network = new docker.Network("llm", { name: "llm" }, { provider: host });
const serverArgs: DockerModelServerArgs = {
  provider: host,
  network: network.name,
  gpus: 1,
  llamaCpp: { servedModelName: "qwen", repo: "Qwen/Qwen2.5-1.5B-Instruct-GGUF", file: "qwen2.5-1.5b-instruct-q4_k_m.gguf", contextSize: 16384, parallelSlots: 4 },
};
const qwen = new DockerModelServer("qwen", serverArgs);
const cache = new RedisCache("cache", { network: network.name, maxMemoryMb: 512 }, { providers: [host] });
const routerArgs: RouterServiceArgs = {
  provider: host,
  network: network.name,
  image: "ghcr.io/acme/shoestring-router:0.1.0",
  modelServers: [{ name: "qwen", endpoint: qwen.endpoint, servedModelName: qwen.servedModelName, tier: 1 }],
  cache: { redisUrl: cache.url },
};
const router = new RouterService("router", routerArgs);
export const url: pulumi.Output<string | undefined> = router.url;

// @ts-expect-error -- internals are not part of the package's exports
import { childName } from "llm-shoestring/dist/components/_naming";
export const unused = childName;
`;

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 150_000, env: { ...process.env, npm_config_update_notifier: "false" } });
}

describe("the packed package", () => {
  let work: string;
  let project: string;
  let files: string[];
  beforeAll(() => {
    if (!existsSync(join(ROOT, "dist/src/lib.d.ts"))) throw new Error("dist/ is not built: run npm run build first (npm test does)");
    work = mkdtempSync(join(tmpdir(), "shoestring-pack-"));
    // --ignore-scripts: `prepare` would rebuild; the build is npm test's first step.
    const pack = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = info!.files.map((f) => f.path);
    project = join(work, "consumer");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    const install = run("npm", ["install", join(work, info!.filename), "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], project);
    expect(install.status, install.stderr).toBe(0);
  }, 150_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("ships the compiled library with declarations, the CLI, the stack schema and the multi-language plugin, and no sources or tests", () => {
    for (const f of ["dist/src/lib.js", "dist/src/lib.d.ts", "dist/components/multi-language/index.d.ts", "bin/shoestring.cjs", "schemas/stack-config.schema.json", "provider/PulumiPlugin.yaml", "provider/index.js", "provider/index.ts", "provider/package.json", "provider/tsconfig.json"]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(src|components|test|examples)\//.test(f) || /^dist\/(test|bench|scripts)\//.test(f))).toEqual([]);
  });

  it("type-checks the TypeScript examples and a program using three components, strictly, declarations included", () => {
    const names: string[] = [];
    for (const example of EXAMPLES) {
      copyFileSync(join(ROOT, "examples", example, "index.ts"), join(project, `${example}.ts`));
      names.push(`${example}.ts`);
    }
    writeFileSync(join(project, "consumer.ts"), CONSUMER);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: false, types: ["node"] },
        files: [...names, "consumer.ts"],
      }),
    );
    const tsc = run(process.execPath, [TSC, "-p", "."], project);
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 120_000);

  it("loads with require and exports exactly the public API, and nothing under dist/", () => {
    const script = `
      const api = require("llm-shoestring");
      let deep = "exported";
      try { require("llm-shoestring/dist/components/_naming"); } catch (e) { deep = e.code; }
      console.log(JSON.stringify({ keys: Object.keys(api).sort(), deep, mlc: Object.keys(require("llm-shoestring/multi-language")).sort() }));`;
    const node = run(process.execPath, ["-e", script], project);
    expect(node.stderr).toBe("");
    const out = JSON.parse(node.stdout) as { keys: string[]; deep: string; mlc: string[] };
    expect(out.keys).toEqual(Object.keys(lib).sort());
    expect(out.deep).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
    expect(out.mlc).toContain("ServingStack");
  }, 60_000);

  it("serves the multi-language schema from the installed provider/ with no TypeScript installed, as pulumi package add runs it", async () => {
    // A Python user installs only llm-shoestring: Pulumi's host then falls back to its vendored ts-node and TypeScript.
    const probe = run(process.execPath, ["-e", "try { require.resolve('typescript'); console.log('found') } catch { console.log('none') }"], join(project, "node_modules/@pulumi/pulumi"));
    expect(probe.stdout.trim()).toBe("none");
    const served = await serveSchema(project, join(project, "node_modules/llm-shoestring/provider"));
    expect(served.stderr).toBe("");
    expect(served.schema.name).toBe("shoestring");
    expect(Object.keys(served.schema.resources).sort()).toEqual(
      ["KubernetesModelServer", "KubernetesRouter", "ModelServerContainer", "RedisContainer", "RouterContainer", "ServingStack"].map((c) => `shoestring:index:${c}`),
    );
  }, 120_000);
});
