/**
 * @module Writes the generated reference files (R11). Run `npm run build && npm run gen-docs`;
 * test/config/generate.test.ts fails when the checked-in files differ from what this writes.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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

/** One generated file, or one generated region of a hand-written file. */
interface Target {
  file: string;
  /** The new file content, given the current one (undefined when the file does not exist yet). */
  render: (current: string | undefined) => string;
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
];

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

function main(): void {
  const root = repoRoot();
  for (const target of TARGETS) {
    const path = join(root, target.file);
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    const next = target.render(current);
    if (next === current) {
      console.log(`unchanged ${target.file}`);
    } else {
      writeFileSync(path, next);
      console.log(`wrote     ${target.file}`);
    }
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
