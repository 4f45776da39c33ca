/**
 * The examples under examples/: each is a Pulumi project that installs the published package; the
 * Python program compiles and uses only resources, inputs, types, enum members and outputs the
 * generated schema has (the TypeScript ones are compiled against the packed package in
 * pack-install.test.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generateSchema, type PackageSchema } from "./_mlc";

const ROOT = resolve(__dirname, "../..");
const EXAMPLES = resolve(ROOT, "examples");
const PYTHON_PROGRAM = join(EXAMPLES, "python-docker", "__main__.py");

/** Pulumi's Python SDKs take snake_case names for the schema's camelCase ones. */
const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** Pulumi's Python codegen names enum members in UPPER_SNAKE_CASE, e.g. `OpenAiCompatible` → `OPEN_AI_COMPATIBLE`. */
const pythonMember = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

interface PythonUsage {
  calls: Array<{ name: string; kwargs: string[]; line: number }>;
  enums: Array<{ enum: string; member: string; line: number }>;
  attributes: Array<{ cls: string; attr: string; line: number }>;
  other: Array<{ expr: string; line: number }>;
}

describe("the examples", () => {
  it("are Pulumi projects: TypeScript ones on the package's current version, the Python one on the generated SDK", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const dirs = readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(dirs).toEqual(["docker-llamacpp", "eks-existing-cluster", "python-docker", "stack-from-config"]);
    for (const dir of dirs) {
      const project = parse(readFileSync(join(EXAMPLES, dir, "Pulumi.yaml"), "utf8")) as { name: string; runtime: { name: string }; main: string };
      expect(existsSync(join(EXAMPLES, dir, project.main)), `${dir}: main ${project.main}`).toBe(true);
      if (project.runtime.name === "nodejs") {
        const pkg = JSON.parse(readFileSync(join(EXAMPLES, dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        expect(pkg.dependencies["llm-shoestring"], dir).toBe(version);
        expect(existsSync(join(EXAMPLES, dir, "tsconfig.json")), dir).toBe(true);
      } else {
        expect(project.runtime.name, dir).toBe("python");
      }
    }
  });

  describe("the Python program", () => {
    let schema: PackageSchema;
    let usage: PythonUsage;
    let scratch: string;
    beforeAll(async () => {
      schema = await generateSchema();
      const run = spawnSync("python3", [join(__dirname, "python_usage.py"), PYTHON_PROGRAM, "pulumi_shoestring"], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      usage = JSON.parse(run.stdout) as PythonUsage;
      scratch = mkdtempSync(join(tmpdir(), "shoestring-py-"));
    }, 60_000);
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("compiles", () => {
      const script = "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)";
      const run = spawnSync("python3", ["-c", script, PYTHON_PROGRAM, join(scratch, "main.pyc")], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    });

    it("constructs only schema resources, with inputs they have and every input they require", () => {
      const resources = usage.calls.filter((c) => schema.resources[`shoestring:index:${c.name}`] !== undefined);
      expect(resources.map((c) => c.name).sort()).toEqual(["ModelServerContainer", "RedisContainer", "RouterContainer"]);
      for (const call of resources) {
        const r = schema.resources[`shoestring:index:${call.name}`]!;
        const inputs = call.kwargs.filter((k) => k !== "opts").map(camel);
        expect(inputs.filter((k) => r.inputProperties[k] === undefined), `${call.name} at line ${call.line}`).toEqual([]);
        expect(r.requiredInputs.filter((k) => !inputs.includes(k)), `${call.name} at line ${call.line}`).toEqual([]);
      }
    });

    it("builds only schema input types, with fields they have and every field they require", () => {
      const types = usage.calls.filter((c) => schema.resources[`shoestring:index:${c.name}`] === undefined);
      expect(types.map((c) => c.name).sort()).toEqual(["LlamaCppSettingsArgs", "RouterBackendArgs", "RouterCacheArgs", "RouterTenantArgs"]);
      for (const call of types) {
        const t = schema.types[`shoestring:index:${call.name.replace(/Args$/, "")}`];
        expect(t?.properties, `${call.name} at line ${call.line}`).toBeDefined();
        const fields = call.kwargs.map(camel);
        expect(fields.filter((k) => t!.properties![k] === undefined), `${call.name} at line ${call.line}`).toEqual([]);
        expect((t!.required ?? []).filter((k) => !fields.includes(k)), `${call.name} at line ${call.line}`).toEqual([]);
      }
    });

    it("uses only enum members and outputs the schema has, and nothing else from the SDK", () => {
      expect(usage.enums.length).toBeGreaterThan(0);
      for (const e of usage.enums) {
        const members = schema.types[`shoestring:index:${e.enum}`]?.enum?.map((m) => pythonMember(m.name)) ?? [];
        expect(members, `${e.enum}.${e.member} at line ${e.line}`).toContain(e.member);
      }
      expect(usage.attributes.map((a) => `${a.cls}.${a.attr}`).sort()).toEqual([
        "ModelServerContainer.endpoint",
        "ModelServerContainer.endpoint",
        "ModelServerContainer.served_model_name",
        "RedisContainer.url",
        "RouterContainer.url",
      ]);
      for (const a of usage.attributes) {
        expect(schema.resources[`shoestring:index:${a.cls}`]!.properties[camel(a.attr)], `${a.cls}.${a.attr} at line ${a.line}`).toBeDefined();
      }
      expect(usage.other).toEqual([]);
    });
  });
});
