import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FILE_MAP_END, FILE_MAP_FILE, FILE_MAP_START, purposeOf, renderFileMap } from "../../src/docs/file-map";
import { LADDER_FILE, PLAN_END, PLAN_START, renderLadderTable } from "../../src/capacity/render-ladder";
import type * as CliReference from "../../src/cli/reference";
import { textBetweenMarkers } from "../../src/config";

const REGENERATE = "is out of date: run npm run build && npm run gen-docs";

// The CLI loads its commands with require(), which only the built JavaScript can do: compare
// against dist/ (npm test builds first).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CLI_END, CLI_REFERENCE_FILE, CLI_START, renderCliReference } = require("../../dist/src/cli/reference") as typeof CliReference;

describe("generated CLI and stack docs", () => {
  it("docs/cli.md shows every command's current --help", async () => {
    const doc = readFileSync(CLI_REFERENCE_FILE, "utf8");
    const expected = await renderCliReference();
    expect(textBetweenMarkers(doc, CLI_START, CLI_END), `${CLI_REFERENCE_FILE} ${REGENERATE}`).toBe(expected.trimEnd());
    expect(expected).toContain("## shoestring plan");
    expect(expected).toContain("--gpu-memory-utilization=<X>");
  });

  it("stacks/README.md shows the planner's current estimate of every stack", () => {
    const doc = readFileSync(LADDER_FILE, "utf8");
    const expected = renderLadderTable();
    expect(textBetweenMarkers(doc, PLAN_START, PLAN_END), `${LADDER_FILE} ${REGENERATE}`).toBe(expected.trimEnd());
    expect(expected.match(/\| fits \|/g)).toHaveLength(5);
  });
});

describe("the architecture file map", () => {
  it("lists every source file with its @module purpose", () => {
    const doc = readFileSync(FILE_MAP_FILE, "utf8");
    const expected = renderFileMap(".");
    expect(textBetweenMarkers(doc, FILE_MAP_START, FILE_MAP_END), `${FILE_MAP_FILE} ${REGENERATE}`).toBe(expected.trimEnd());
    expect(expected).toContain("| `src/planner/plan-stack.ts` |");
    expect(expected).toContain("| `components/llm-stack.ts` | `LlmStack`: the composition root.");
  });

  it("reads a file's purpose from its @module comment, across lines", () => {
    expect(purposeOf("/**\n * @module Plans a stack: resolves\n * hardware. | pipes\n */")).toBe("Plans a stack: resolves hardware. \\| pipes");
    expect(purposeOf("// Thin launcher.\nrequire('x');")).toBe("Thin launcher.");
  });
});
