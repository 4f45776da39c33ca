import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyRouterV8Flags, ROUTER_V8_FLAGS } from "../../images/router/src/v8-tuning";

describe("applyRouterV8Flags", () => {
  it("turns allocation-site pretenuring off", () => {
    const set: string[] = [];
    expect(applyRouterV8Flags([], (f) => set.push(f))).toEqual(["--no-allocation-site-pretenuring"]);
    expect(set).toEqual(["--no-allocation-site-pretenuring"]);
  });

  it("leaves a flag alone when node was started with its opposite", () => {
    const set: string[] = [];
    expect(applyRouterV8Flags(["--allocation-site-pretenuring"], (f) => set.push(f))).toEqual([]);
    expect(set).toEqual([]);
  });

  it("uses flags this Node's V8 knows (an unknown flag would only print a warning)", () => {
    const known = spawnSync(process.execPath, ["--v8-options"], { encoding: "utf8" }).stdout;
    for (const flag of ROUTER_V8_FLAGS) expect(known).toContain(`--${flag.replace(/^--no-/, "")} `);
    const entry = join(__dirname, "../../dist/images/router/src/v8-tuning.js");
    const r = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(entry)}).applyRouterV8Flags()`], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });
});
