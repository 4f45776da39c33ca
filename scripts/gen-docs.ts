/**
 * @module Writes the generated reference files (R11). Run `npm run build && npm run gen-docs`;
 * test/config/generate.test.ts fails when the checked-in files differ from what this writes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  CONFIG_END,
  CONFIG_REFERENCE_FILE,
  CONFIG_START,
  JSON_SCHEMA_FILE,
  renderConfigReference,
  renderJsonSchema,
  replaceBetweenMarkers,
} from "../src/config/generate";
import { LADDER_FILE, PLAN_END, PLAN_START, renderLadderTable } from "../src/capacity/render-ladder";
import { CLI_END, CLI_REFERENCE_FILE, CLI_START, renderCliReference } from "../src/cli/reference";
import {
  renderRouterErrorsTable,
  renderRouterFlagsTable,
  ROUTER_ERRORS_MARKERS,
  ROUTER_FLAGS_MARKERS,
} from "../images/router/src/flags-table";

import { FILE_MAP_END, FILE_MAP_FILE, FILE_MAP_START, renderFileMap } from "../src/docs/file-map";
import { REFERENCE_PAGES, renderReference } from "../src/docs/render-reference";

const ROUTER_README = "images/router/README.md";

/** One generated file, or one generated region of a hand-written file. */
interface Target {
  file: string;
  /** The new file content, given the current one (undefined when the file does not exist yet). */
  render: (current: string | undefined) => string | Promise<string>;
}

/** The API reference pages, rendered together on first use (one TypeScript program reads the exports). */
let referencePages: Map<string, string> | undefined;
function referencePage(file: string): string {
  referencePages ??= renderReference(process.cwd());
  const page = referencePages.get(file);
  if (page === undefined) throw new Error(`${file}: no such reference page`);
  return page;
}

const TARGETS: Target[] = [
  { file: JSON_SCHEMA_FILE, render: () => renderJsonSchema() },
  {
    file: CONFIG_REFERENCE_FILE,
    render: (current) => {
      if (current === undefined) throw new Error(`${CONFIG_REFERENCE_FILE} is missing; restore it with its ${CONFIG_START} / ${CONFIG_END} markers.`);
      return replaceBetweenMarkers(current, CONFIG_START, CONFIG_END, renderConfigReference(), CONFIG_REFERENCE_FILE);
    },
  },
  {
    file: LADDER_FILE,
    render: (current) => replaceBetweenMarkers(required(current, LADDER_FILE), PLAN_START, PLAN_END, renderLadderTable(), LADDER_FILE),
  },
  {
    file: CLI_REFERENCE_FILE,
    render: async (current) =>
      replaceBetweenMarkers(required(current, CLI_REFERENCE_FILE), CLI_START, CLI_END, await renderCliReference(), CLI_REFERENCE_FILE),
  },
  {
    file: ROUTER_README,
    render: (current) => {
      const flags = ROUTER_FLAGS_MARKERS;
      const errors = ROUTER_ERRORS_MARKERS;
      const doc = replaceBetweenMarkers(required(current, ROUTER_README), flags.start, flags.end, `${renderRouterFlagsTable()}\n`, ROUTER_README);
      return replaceBetweenMarkers(doc, errors.start, errors.end, `${renderRouterErrorsTable()}\n`, ROUTER_README);
    },
  },
  {
    file: FILE_MAP_FILE,
    render: (current) => replaceBetweenMarkers(required(current, FILE_MAP_FILE), FILE_MAP_START, FILE_MAP_END, renderFileMap("."), FILE_MAP_FILE),
  },
  ...REFERENCE_PAGES.map((file) => ({ file, render: () => referencePage(file) })),
];

function required(current: string | undefined, file: string): string {
  if (current === undefined) throw new Error(`${file} is missing; restore it with its generated-region markers.`);
  return current;
}

/**
 * The repo root: the nearest folder up from here with Pulumi.yaml. Works from scripts/ and from
 * dist/scripts/ (package.json is no marker: tsc copies it into dist/).
 */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "Pulumi.yaml"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no Pulumi.yaml above ${__dirname}`);
    dir = up;
  }
  return dir;
}

async function main(): Promise<void> {
  const root = repoRoot();
  // Generators read stacks/ relative to the repository root.
  process.chdir(root);
  for (const target of TARGETS) {
    const path = join(root, target.file);
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    const next = await target.render(current);
    if (next === current) {
      console.log(`unchanged ${target.file}`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, next);
      console.log(`wrote     ${target.file}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
