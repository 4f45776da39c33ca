import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSIONS } from "../../src/versions";

const dockerfile = readFileSync(join(__dirname, "../../images/router/Dockerfile"), "utf8");
const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { dependencies: Record<string, string> };

describe("images/router/Dockerfile", () => {
  it("pins the Node base image to a full version of a maintained LTS line, never latest", () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    // Node 20 went out of support on 2026-04-30; 24 is the line the router was re-tested on.
    expect(image).toMatch(/^node:24\.\d+\.\d+-bookworm-slim$/);
    expect(image).toBe(VERSIONS.node.image);
    expect(dockerfile).not.toMatch(/:latest\b/);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(3);
  });

  it("runs as the non-root node user with a /health check and the router bin", () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "-e", "fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.SHOESTRING_ROUTER_PORT \|\| 8080\) \+ '\/health'\)/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/shoestring-router\.cjs"\]$/m);
  });

  it("keeps only router runtime dependencies that exist in package.json", () => {
    const keep = JSON.parse(/const keep = (\[[^\]]+\])/.exec(dockerfile)?.[1] ?? "[]") as string[];
    expect(keep.length).toBeGreaterThan(0);
    for (const dep of keep) expect(pkg.dependencies[dep], dep).toBeDefined();
  });

  it("installs every package the router source imports", () => {
    const keep = new Set(JSON.parse(/const keep = (\[[^\]]+\])/.exec(dockerfile)?.[1] ?? "[]") as string[]);
    const root = join(__dirname, "../../images/router/src");
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
    const imported = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(join(root, f), "utf8").matchAll(/^import (?!type )[^;]*? from "([^".][^"]*)";/gm)) {
        const spec = m[1] as string;
        if (!spec.startsWith("node:")) imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] as string));
      }
    }
    expect([...imported].filter((d) => !keep.has(d))).toEqual([]);
  });
});
