import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { Recorded } from "../../helpers/pulumi";
import { runProgram } from "./_program";

describe("the program refuses a stack that cannot fit", () => {
  it("throws the planner's refusal before registering a single resource", async () => {
    let recorded: Recorded | undefined;
    const run = runProgram("test/fixtures/stacks/Pulumi.too-big.yaml", undefined, (r) => (recorded = r));
    const error = (await run.catch((e: unknown) => e)) as Error;
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error.message).toContain("The stack does not fit its hardware; nothing was created.");
    expect(error.message).toContain("llama-70b: No available memory for the cache blocks.");
    // The mocks were live (the program ran under them) and saw nothing.
    expect(recorded).toBeDefined();
    expect(recorded!.resources).toEqual([]);
  });
});
