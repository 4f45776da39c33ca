/**
 * @module `shoestring validate`: schema + capacity check of a stack. Exit 0 ok, 1 invalid, 2 does
 * not fit. Secrets not yet set are warnings: the file is valid, `pulumi up` just needs them first.
 */
import { defineCommand } from "citty";
import { colors as pc } from "../../util/colors";
import { planStackConfig } from "../../capacity/plan-stack-config";
import { formatIssue, loadStackByName, loadStackFile, StackConfigError, type ConfigIssue, type LoadedStack } from "../../config";
import { CliError, EXIT } from "../errors";
import { renderProblems } from "../format/plan-view";

const SECRET_NOT_SET = "secret is not set in this stack";

export default defineCommand({
  meta: {
    name: "validate",
    description: "Check a stack file against the schema and the planner. Exit 0 ok, 1 invalid, 2 does not fit.",
  },
  args: {
    stack: { type: "string", description: "Stack name: validates stacks/Pulumi.<name>.yaml", valueHint: "name" },
    file: { type: "string", description: "Validate the stack file at this path", valueHint: "path" },
    json: { type: "boolean", description: "Print one JSON object: { valid, fits, issues, warnings }", default: false },
  },
  run({ args }) {
    if ((args.stack === undefined) === (args.file === undefined)) {
      throw new CliError("validate needs exactly one of --stack <name> or --file <path>. Example: shoestring validate --stack edge");
    }
    const load = (checkSecrets: boolean): LoadedStack =>
      args.file !== undefined ? loadStackFile(args.file, { checkSecrets }) : loadStackByName(args.stack!, { checkSecrets });

    let loaded: LoadedStack;
    try {
      loaded = load(false);
    } catch (error) {
      if (!(error instanceof StackConfigError) || !args.json) throw error;
      print(args.json, { valid: false, fits: null, issues: error.issues, warnings: [] }, "");
      process.exitCode = EXIT.invalid;
      return;
    }
    const warnings = missingSecrets(() => load(true));
    const plan = (() => {
      try {
        return planStackConfig(loaded.config, { source: loaded.file });
      } catch (error) {
        if (error instanceof StackConfigError && args.json) return error;
        throw error;
      }
    })();
    if (plan instanceof StackConfigError) {
      print(true, { valid: false, fits: null, issues: plan.issues, warnings }, "");
      process.exitCode = EXIT.invalid;
      return;
    }
    const lines = [
      warnings.length > 0 ? pc.yellow(`Before \`pulumi up\`, set these secrets:\n${warnings.map((w) => `  - ${formatIssue(w)}`).join("\n")}`) : "",
      plan.fits
        ? pc.green(`✓ ${loaded.file} is valid and fits (${plan.gpusUsed}/${plan.gpusAvailable} GPUs).`)
        : `${pc.red(`✗ ${loaded.file} is valid but does not fit:`)}\n${renderProblems(plan.models) || plan.reason}`,
    ];
    print(args.json, { valid: true, fits: plan.fits, issues: [], warnings, reason: plan.reason }, lines.filter(Boolean).join("\n"));
    process.exitCode = plan.fits ? EXIT.ok : EXIT.doesNotFit;
  },
});

function print(json: boolean, result: object, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${text}\n`);
}

/** The secret references that are not set yet, or none when the strict load passes. */
function missingSecrets(strictLoad: () => unknown): ConfigIssue[] {
  try {
    strictLoad();
    return [];
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    return error.issues.filter((i) => i.message === SECRET_NOT_SET);
  }
}
