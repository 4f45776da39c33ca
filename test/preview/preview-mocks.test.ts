import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { installPreviewMocks } from "../../src/preview";

describe("the preview mocks", () => {
  it("records parents and component outputs, and answers an unknown data source with a warning instead of failing", async () => {
    const record = await installPreviewMocks("shoestring", "unit");
    class Thing extends pulumi.CustomResource {
      constructor(name: string, args: Record<string, unknown>, opts: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, args, opts);
      }
    }
    class Box extends pulumi.ComponentResource {
      constructor() {
        super("shoestring:index:Box", "box");
        new Thing("thing", { size: 3 }, { parent: this });
        this.registerOutputs({ size: 3 });
      }
    }
    new Box();
    const answer = await pulumi.runtime.invoke("test:index:getNothing", {});
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    expect(answer).toEqual({});
    expect(record.unansweredInvokes).toEqual(["test:index:getNothing"]);
    const thing = record.resources.find((r) => r.name === "thing")!;
    const box = record.resources.find((r) => r.name === "box")!;
    expect(thing).toMatchObject({ type: "test:index:Thing", custom: true, parent: box.urn, inputs: { size: 3 } });
    expect(box.outputs).toEqual({ size: 3 });
    expect(box.urn).toBe("urn:pulumi:unit::shoestring::shoestring:index:Box::box");
  });
});
