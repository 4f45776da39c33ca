import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDiff } from "../../src/diff";

const FIXTURES = join(__dirname, "fixtures");

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" }).trim();
}

/** A repository whose project lives in `project/`: an empty first commit, then base, then head. */
function makeRepo(): { repo: string; project: string } {
  const repo = mkdtempSync(join(tmpdir(), "shoestring-diff-repo-"));
  const project = join(repo, "project");
  mkdirSync(project);
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "README.md"), "test repository\n");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "before the project");
  cpSync(join(FIXTURES, "base", "stacks"), join(project, "stacks"), { recursive: true });
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "base");
  rmSync(join(project, "stacks"), { recursive: true });
  cpSync(join(FIXTURES, "head", "stacks"), join(project, "stacks"), { recursive: true });
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "head");
  return { repo, project };
}

describe("shoestring diff between git refs", () => {
  let repo: string;
  let project: string;
  beforeAll(() => {
    ({ repo, project } = makeRepo());
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("reads both refs with git archive and finds what the directory diff finds", async () => {
    const fromGit = await runDiff({ base: "HEAD~1", head: "main", cwd: project });
    const fromDirs = await runDiff({ base: join(FIXTURES, "base"), head: join(FIXTURES, "head") });
    expect(fromGit.stacks.map((s) => [s.stack, s.status, s.cost.delta])).toEqual(fromDirs.stacks.map((s) => [s.stack, s.status, s.cost.delta]));
    expect(fromGit.base).toEqual({ spec: "HEAD~1", kind: "git", commit: git(repo, "rev-parse", "HEAD~1") });
    expect(fromGit.head).toEqual({ spec: "main", kind: "git", commit: git(repo, "rev-parse", "HEAD") });
    expect(fromGit.stacks.find((s) => s.stack === "gpu-vm")!.head!.file).toBe("stacks/Pulumi.gpu-vm.yaml");
  });

  it("leaves the work tree, the index and HEAD as they were, and removes its temporary copies", async () => {
    const head = git(repo, "rev-parse", "HEAD");
    const before = new Set(readdirTmp());
    await runDiff({ base: "HEAD~1", head: "HEAD", cwd: project, stack: "gpu-vm" });
    expect(git(repo, "status", "--porcelain")).toBe("");
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(readdirTmp().filter((d) => !before.has(d))).toEqual([]);
  });

  it("compares a ref with the work tree, uncommitted edits included", async () => {
    const file = join(project, "stacks", "Pulumi.gpu-vm.yaml");
    const committed = readFileSync(file, "utf8");
    writeFileSync(file, committed.replace("instanceType: g6e.2xlarge", "instanceType: g6e.4xlarge"));
    try {
      const report = await runDiff({ base: "HEAD", head: ".", cwd: project, stack: "gpu-vm" });
      const change = report.stacks[0]!.resources.find((r) => r.name === "llm-host-instance")!;
      expect(change.changes).toContainEqual({ path: "instanceType", before: "g6e.2xlarge", after: "g6e.4xlarge" });
      expect(report.head).toEqual({ spec: ".", kind: "dir" });
    } finally {
      writeFileSync(file, committed);
    }
  });

  it("treats every stack as new against a ref from before the project existed", async () => {
    const report = await runDiff({ base: "HEAD~2", head: "HEAD", cwd: project, stack: "edge" });
    expect(report.stacks.map((s) => s.status)).toEqual(["added"]);
  });

  it("refuses a ref git does not know, naming the flag and what to pass instead", async () => {
    await expect(runDiff({ base: "no-such-branch", head: "HEAD", cwd: project })).rejects.toThrow(
      '--base: "no-such-branch" is not a directory, and git does not know it as a branch, tag or commit. Pass a directory holding stacks/, or a git ref ' +
        "(in CI, fetch it first: actions/checkout with fetch-depth: 0, or git fetch origin <branch>).",
    );
  });

  it("refuses a directory without stacks instead of calling every stack removed", async () => {
    await expect(runDiff({ base: repo, head: ".", cwd: project })).rejects.toThrow(
      `--base: directory "${repo}" holds neither stacks/ nor Pulumi.<stack>.yaml files. Pass the project root (the directory with stacks/), or a git ref.`,
    );
  });

  it("refuses a stack that exists on neither side, listing those that do", async () => {
    await expect(runDiff({ base: "HEAD~1", head: "HEAD", cwd: project, stack: "prod" })).rejects.toThrow(
      '--stack: no stack "prod" on either side (base HEAD~1: edge, gpu-vm, local; head HEAD: edge, gpu-vm, too-big). Use one of those, or --all.',
    );
  });
});

function readdirTmp(): string[] {
  return execFileSync("ls", [tmpdir()], { encoding: "utf8" }).split("\n").filter((d) => d.startsWith("shoestring-diff-") && !d.startsWith("shoestring-diff-repo-"));
}
