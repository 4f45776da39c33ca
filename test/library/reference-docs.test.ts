/**
 * The generated API reference (docs/reference) against the current exports: no drift, every public
 * argument, output and field documented, engine knobs linked to their flags, and every component
 * either multi-language or listed as TypeScript-only with a reason.
 */
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ApiField, ApiModel } from "../../src/docs/api-model";
import { TYPESCRIPT_ONLY, WRAPPED_BY } from "../../src/docs/multi-language-coverage";
import { REFERENCE_DIR, REFERENCE_PAGES, readReferenceApis, renderReference } from "../../src/docs/render-reference";
import * as lib from "../../src/lib";

const ROOT = resolve(__dirname, "../..");
const REGENERATE = "is out of date: run npm run build && npm run gen-docs";

/** `<owner>.<field>` for every field in the model that fails `ok`. */
function offenders(model: ApiModel, ok: (f: ApiField) => boolean): string[] {
  return [
    ...model.components.flatMap((c) => [
      ...c.args.fields.filter((f) => !ok(f)).map((f) => `${c.name}.args.${f.name}`),
      ...c.outputs.filter((f) => !ok(f)).map((f) => `${c.name}.${f.name}`),
    ]),
    ...model.types.flatMap((t) => t.fields.filter((f) => !ok(f)).map((f) => `${t.name}.${f.name}`)),
  ];
}

describe("the API reference", () => {
  let apis: { library: ApiModel; multi: ApiModel };
  beforeAll(() => {
    apis = readReferenceApis(ROOT);
  }, 60_000);

  it("is what scripts/gen-docs.ts writes from the current exports, page for page", () => {
    const pages = renderReference(ROOT, apis);
    expect([...pages.keys()]).toEqual(REFERENCE_PAGES);
    for (const file of REFERENCE_PAGES) {
      expect(readFileSync(resolve(ROOT, file), "utf8"), `${file} ${REGENERATE}`).toBe(pages.get(file));
    }
    const onDisk = readdirSync(resolve(ROOT, REFERENCE_DIR)).map((f) => `${REFERENCE_DIR}/${f}`);
    expect(onDisk.sort(), `stale pages in ${REFERENCE_DIR}`).toEqual([...REFERENCE_PAGES].sort());
  });

  it("documents every component of the package's exports", () => {
    const classes = Object.entries(lib)
      .filter(([, v]) => typeof v === "function" && /^class /.test(Function.prototype.toString.call(v)) && "getProvider" in (v as { prototype: object }).prototype)
      .map(([name]) => name)
      .sort();
    expect(apis.library.components.map((c) => c.name)).toEqual(classes);
    expect(classes).toHaveLength(17);
    for (const c of [...apis.library.components, ...apis.multi.components]) expect(c.token).toBe(`shoestring:index:${c.name}`);
  });

  it("gives every argument, output and referenced type field a description", () => {
    expect(offenders(apis.library, (f) => f.description.length > 0)).toEqual([]);
    expect(offenders(apis.multi, (f) => f.description.length > 0)).toEqual([]);
  });

  it("states a default or marks required for every optional argument of the multi-language components", () => {
    const fields = apis.multi.components.flatMap((c) => c.args.fields.map((f) => ({ ...f, name: `${c.name}.${f.name}` })));
    expect(fields.filter((f) => f.optional && f.defaultValue === undefined).map((f) => f.name)).toEqual([]);
  });

  it("maps every engine knob to its vLLM or llama.cpp flag, by name or link", () => {
    const engineTypes = ["DockerVllmInput", "DockerLlamaCppInput", "K8sVllmInput", "K8sLlamaCppInput", "VllmSettings", "LlamaCppSettings"];
    const types = [...apis.library.types, ...apis.multi.types].filter((t) => engineTypes.includes(t.name));
    expect(types.map((t) => t.name).sort()).toEqual([...engineTypes].sort());
    const unlinked = types.flatMap((t) =>
      t.fields.filter((f) => !/`--[a-z-]+/.test(f.description) && f.see.length === 0 && f.name !== "role" && f.name !== "repo").map((f) => `${t.name}.${f.name}`),
    );
    expect(unlinked).toEqual([]);
  });

  it("lists every TypeScript component as multi-language or TypeScript-only, never both or neither", () => {
    const names = [...apis.library.components.map((c) => c.name), "createStack"].sort();
    const covered = [...Object.keys(WRAPPED_BY), ...Object.keys(TYPESCRIPT_ONLY)].sort();
    expect(covered).toEqual(names);
    const wrappers = new Set(apis.multi.components.map((c) => c.name));
    for (const wrapper of Object.values(WRAPPED_BY)) expect(wrappers.has(wrapper), wrapper).toBe(true);
  });
});
