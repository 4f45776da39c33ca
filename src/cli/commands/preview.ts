/**
 * @module `shoestring preview`: what a stack would deploy, offline — the real Pulumi program run
 * under the SDK's mocks (no credentials, no Pulumi CLI, no network), every resource with its key
 * settings, and the planner's totals. Exit 0 ok, 1 invalid or failed, 2 refused (does not fit).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { loadStackByName } from "../../config";
import { CliError, EXIT } from "../errors";

export default defineCommand({
  meta: {
    name: "preview",
    description:
      "List every resource a stack would create (type, image, instance type, ports, GPUs, replicas; secrets as [secret]) and the planner's totals, by running the Pulumi program offline under mocks. Exit 0 ok, 1 invalid, 2 refused.",
  },
  args: {
    stack: { type: "string", description: "Stack name: previews stacks/Pulumi.<name>.yaml", valueHint: "name" },
    file: { type: "string", description: "Preview the stack file at this path instead of --stack", valueHint: "path" },
    json: { type: "boolean", description: "Print one JSON object (resources, models, totals, status) instead of text", default: false },
  },
  async run({ args }) {
    if ((args.stack === undefined) === (args.file === undefined)) {
      throw new CliError("preview needs exactly one of --stack <name> or --file <path>. Example: shoestring preview --stack edge");
    }
    const file = args.file ?? join("stacks", `Pulumi.${args.stack}.yaml`);
    // Missing stack: the loader's error lists the stacks that exist.
    if (!existsSync(file)) loadStackByName(args.stack ?? file);
    // Loaded only now: the Pulumi SDK and the components take a second to import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { previewStack, renderPreview } = require("../../preview") as typeof import("../../preview");
    const preview = await previewStack({ file });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(preview, null, 2)}\n`);
    } else {
      process.stdout.write(`${renderPreview(preview)}\n`);
    }
    if (preview.status !== "ok" && preview.message !== undefined) process.stderr.write(`${preview.message}\n`);
    process.exitCode = preview.status === "ok" ? EXIT.ok : preview.status === "refused" ? EXIT.doesNotFit : EXIT.invalid;
  },
});
