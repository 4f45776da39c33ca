import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CONFIG_END,
  CONFIG_REFERENCE_FILE,
  CONFIG_START,
  JSON_SCHEMA_FILE,
  renderConfigReference,
  renderJsonSchema,
  replaceBetweenMarkers,
  textBetweenMarkers,
} from "../../src/config";
import { thrown } from "./minimal";

const REGENERATE = "out of date: run npm run build && npm run gen-docs";

describe("generated reference files", () => {
  it("schemas/stack-config.schema.json matches the schema", () => {
    expect(readFileSync(JSON_SCHEMA_FILE, "utf8"), `${JSON_SCHEMA_FILE} is ${REGENERATE}`).toBe(renderJsonSchema());
  });

  it("the table in docs/config-reference.md matches the schema", () => {
    const doc = readFileSync(CONFIG_REFERENCE_FILE, "utf8");
    expect(textBetweenMarkers(doc, CONFIG_START, CONFIG_END), `${CONFIG_REFERENCE_FILE} is ${REGENERATE}`).toBe(renderConfigReference().trimEnd());
  });

  it("writes the rows a reader looks for, with defaults and variant scopes", () => {
    const table = renderConfigReference();
    expect(table).toContain("| `cache.semantic.threshold` | number 0.8–1 | `0.95` | Cosine similarity at or above which a cached answer is reused; higher is stricter. At least 0.8. |");
    expect(table).toContain("| `target.host` | hostname | required | *kind: docker-ssh.* Host name or IPv4 address of the Docker host. |");
    expect(table).toContain("| `models[].gpusPerReplica` | integer 1–16 \\| \"auto\" | `\"auto\"` |");
    expect(table).toContain("| `models[].gpuLayers` | integer 0–1000 \\| \"all\" | `\"all\"` | *engine: llamacpp.*");
    expect(table).toContain("| `target.kind` | \"eks\" | required | Create an EKS cluster");
  });
});

describe("renderJsonSchema", () => {
  const schema = JSON.parse(renderJsonSchema()) as {
    properties: { config: { properties: Record<string, { default?: unknown }>; patternProperties: Record<string, unknown>; required: string[] } };
  };

  it("wraps the sections as the Pulumi stack file shape", () => {
    const config = schema.properties.config;
    expect(Object.keys(config.properties)).toEqual([
      "shoestring:target",
      "shoestring:models",
      "shoestring:router",
      "shoestring:cache",
      "shoestring:monitoring",
      "shoestring:planning",
    ]);
    expect(config.required).toEqual(["shoestring:target", "shoestring:models"]);
    expect(config.properties["shoestring:router"]?.default).toEqual({});
  });

  it("allows other shoestring keys only as secure values", () => {
    const [pattern] = Object.keys(schema.properties.config.patternProperties);
    const re = new RegExp(pattern ?? "^$");
    expect(re.test("shoestring:routerApiKeys")).toBe(true);
    expect(re.test("shoestring:router")).toBe(false);
    expect(re.test("shoestring:models")).toBe(false);
    expect(re.test("aws:region")).toBe(false);
  });

  it("drops the meaningless safe-integer bounds zod adds to integers", () => {
    expect(renderJsonSchema()).not.toContain("9007199254740991");
  });
});

describe("replaceBetweenMarkers", () => {
  it("replaces only the text between the markers", () => {
    const doc = `intro\n${CONFIG_START}\nold\n${CONFIG_END}\noutro\n`;
    expect(replaceBetweenMarkers(doc, CONFIG_START, CONFIG_END, "new\n")).toBe(`intro\n${CONFIG_START}\nnew\n${CONFIG_END}\noutro\n`);
  });

  it("names the file whose markers are missing", () => {
    expect(thrown(() => replaceBetweenMarkers("no markers", CONFIG_START, CONFIG_END, "x", "docs/x.md")).message).toBe(
      `docs/x.md: markers ${CONFIG_START} … ${CONFIG_END} not found; add them where the generated text belongs.`,
    );
  });
});
