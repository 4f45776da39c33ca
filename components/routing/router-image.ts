/**
 * @module Where the router image is built from: the package root (the Dockerfile's build context)
 * and the package version (its tag). Never `latest` (STYLE R4).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Repository name of the locally built router image. */
export const ROUTER_IMAGE_REPOSITORY = "shoestring-router";
/** The router's Dockerfile, relative to the build context (the repository root). */
export const ROUTER_DOCKERFILE = "images/router/Dockerfile";
const PACKAGE_NAME = "llm-shoestring";

/** The build context and tag of the router image. */
export interface RouterImageSource {
  /** Absolute path of the build context (the package root). */
  context: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** `shoestring-router:<package version>`. */
  imageName: string;
}

/**
 * The nearest directory above `from` holding this package's `package.json` (components/routing in
 * tests, dist/components/routing when built), or undefined.
 */
function packageRoot(from: string): { root: string; version: string } | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME && pkg.version !== undefined) return { root: dir, version: pkg.version };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Resolves the router image's build inputs. `context` overrides the package root; the tag is
 * always the package version, so an upgrade of the kit rebuilds the router.
 * @returns the source, or a problem sentence when there is nothing to build from.
 */
export function routerImageSource(context?: string, from: string = __dirname): RouterImageSource | string {
  const pkg = packageRoot(from);
  const root = context ?? pkg?.root;
  if (root === undefined || pkg === undefined) {
    return `cannot find the ${PACKAGE_NAME} package above ${from} to build the router image from. Pass image: a prebuilt router image`;
  }
  const dockerfile = join(root, ROUTER_DOCKERFILE);
  if (!existsSync(dockerfile)) {
    return (
      `no ${ROUTER_DOCKERFILE} under ${root} (the npm package ships compiled code only). ` +
      "Pass image: a prebuilt router image, or buildContext: a checkout of the repository"
    );
  }
  return { context: root, dockerfile, imageName: `${ROUTER_IMAGE_REPOSITORY}:${pkg.version}` };
}
