/**
 * @module `shoestring diff`: what a change to the stacks does to the monthly bill and to capacity,
 * as an Infracost-style PR comment (Markdown) or Infracost-shaped JSON. Both sides are previewed
 * offline; git refs are read with `git archive`, never checked out.
 */
import { defineCommand } from "citty";
import { checkIncrease } from "../../diff/check-increase";
import { DEFAULT_MARKER, GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../diff/render-markdown";
import { toInfracostJson } from "../../diff/render-json";
import { CliError, EXIT } from "../errors";
import { parseNumberFlag } from "../model-args";

const FORMATS = ["markdown", "json"] as const;

export default defineCommand({
  meta: {
    name: "diff",
    description:
      "Compare the stacks of two git refs or directories: monthly cost old → new, GPUs, headroom, max concurrency, tokens/s, and every resource added, removed or changed — as a PR comment (Markdown) or Infracost-style JSON. Exit 3 when --fail-on-increase is exceeded.",
  },
  args: {
    base: { type: "string", description: "Before: a git ref (origin/main, a tag, a commit) or a directory holding stacks/", valueHint: "ref|dir", required: true },
    head: { type: "string", description: "After: a git ref or a directory (default: the current directory, uncommitted edits included)", valueHint: "ref|dir", default: "." },
    stack: { type: "string", description: "Compare only this stack (default: every stack on either side)", valueHint: "name" },
    all: { type: "boolean", description: "Compare every stack on either side (the default)", default: false },
    format: { type: "string", description: "markdown (a PR comment) or json (Infracost's shape plus capacity)", valueHint: "markdown|json", default: "markdown" },
    "fail-on-increase": { type: "string", description: "Exit 3 when any stack's monthly cost rises by more than PCT percent (a new priced stack always does)", valueHint: "PCT" },
    marker: { type: "string", description: "Hidden marker name that identifies the sticky comment", valueHint: "name", default: DEFAULT_MARKER },
    "max-chars": { type: "string", description: `Largest Markdown comment; resource details are cut to fit (default ${GITHUB_COMMENT_LIMIT}, GitHub's limit)`, valueHint: "N" },
    "stacks-dir": { type: "string", description: "Stack directory inside each side", valueHint: "dir", default: "stacks" },
  },
  async run({ args }) {
    if (args.stack !== undefined && args.all) throw new CliError("Give --stack <name> or --all, not both.");
    if (!(FORMATS as readonly string[]).includes(args.format)) {
      throw new CliError(`--format: unknown format "${args.format}" (expected one of ${FORMATS.join(", ")}).`);
    }
    if (!/^[A-Za-z0-9._:-]+$/.test(args.marker)) {
      throw new CliError(`--marker: "${args.marker}" may only hold letters, digits, '.', '_', ':' and '-' (it goes inside an HTML comment).`);
    }
    const threshold = args["fail-on-increase"] === undefined ? undefined : parseNumberFlag("--fail-on-increase", args["fail-on-increase"], { min: 0 });
    const maxChars = args["max-chars"] === undefined ? GITHUB_COMMENT_LIMIT : parseNumberFlag("--max-chars", args["max-chars"], { integer: true, min: 2000 });

    // Loaded only now: the Pulumi SDK and the components take a second to import, bad flags should not wait.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runDiff } = require("../../diff/run-diff") as typeof import("../../diff/run-diff");
    const report = await runDiff({ base: args.base, head: args.head, stack: args.stack, stacksDir: args["stacks-dir"] });
    const check = threshold === undefined ? undefined : checkIncrease(report, threshold);
    if (args.format === "json") {
      process.stdout.write(`${JSON.stringify(toInfracostJson(report, check ? { failOnIncrease: check } : {}), null, 2)}\n`);
    } else {
      process.stdout.write(`${renderMarkdown(report, { maxChars, marker: args.marker })}\n`);
    }
    if (check && check.unchecked.length > 0) {
      process.stderr.write(`--fail-on-increase: cannot check ${check.unchecked.join(", ")}: monthly cost unknown (no hourly price); not counted as $0.\n`);
    }
    if (check && check.exceeded.length > 0) {
      process.stderr.write(
        `Monthly cost rises by more than ${threshold}% (--fail-on-increase):\n${check.exceeded.map((l) => `  ${l}`).join("\n")}\n` +
          "Reduce the cost, or raise the threshold if the increase is intended.\n",
      );
      process.exitCode = EXIT.costIncrease;
      return;
    }
    process.exitCode = EXIT.ok;
  },
});
