import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runProgram as runIndexTs } from "../components/llm-stack/_program";
import { previewStack } from "../../src/preview";

const ROOT = join(__dirname, "..", "..");

describe("preview and the Pulumi program", () => {
  it.each(["local", "edge", "aws-gpu-vm", "k8s", "eks-cluster"])(
    "register the same resources for %s (preview runs what index.ts runs)",
    async (stack) => {
      // index.ts itself, imported under the test harness's mocks as `pulumi up` would run it.
      const program = await runIndexTs(stack);
      const fromProgram = program.recorded.resources.map((r) => `${r.type} ${r.name}`).sort();
      const preview = await previewStack({ file: join(ROOT, "stacks", `Pulumi.${stack}.yaml`) });
      expect(preview.status).toBe("ok");
      expect(preview.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(fromProgram);
    },
  );
});
