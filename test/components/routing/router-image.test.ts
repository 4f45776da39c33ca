/** routerImageSource: builds from this package's root, tagged with its version, and says why when it cannot. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { routerImageSource } from "../../../components/routing/router-image";

const ROOT = resolve(__dirname, "../../..");

describe("routerImageSource", () => {
  it("uses the package root as the build context and the package version as the tag, never latest", () => {
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(routerImageSource()).toEqual({ context: ROOT, dockerfile: join(ROOT, "images/router/Dockerfile"), imageName: `shoestring-router:${version}` });
  });

  it("explains what to pass when there is no package to build from", () => {
    expect(routerImageSource(undefined, "/")).toBe("cannot find the llm-shoestring package above / to build the router image from. Pass image: a prebuilt router image");
  });
});
