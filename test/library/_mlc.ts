/**
 * @module The multi-language package as Pulumi's plugin host sees it, without the CLI: the
 * components `provider/index.ts` exports (found the way `cmd/run-plugin` finds them), the provider
 * name it derives from provider/package.json, and the schema its analyzer generates.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";

export const PROVIDER_DIR = resolve(__dirname, "../../provider");

/** A resource or type of a package schema (the parts the tests read). */
export interface SchemaProperty {
  type?: string;
  $ref?: string;
  plain?: boolean;
  optional?: boolean;
  description?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
}
export interface SchemaResource {
  isComponent: boolean;
  description?: string;
  inputProperties: Record<string, SchemaProperty>;
  requiredInputs: string[];
  properties: Record<string, SchemaProperty>;
  required: string[];
}
export interface SchemaType {
  type: string;
  properties?: Record<string, SchemaProperty>;
  required?: string[];
  enum?: Array<{ name: string; value: string | number; description?: string }>;
}
export interface PackageSchema {
  name: string;
  version: string;
  description?: string;
  resources: Record<string, SchemaResource>;
  types: Record<string, SchemaType>;
  dependencies: unknown[];
}

/** The component classes the plugin host would host: `getPulumiComponents(require(<plugin dir>))`. */
export function hostedComponents(): ReturnType<typeof getPulumiComponents> {
  assertBuilt();
  return getPulumiComponents(createRequire(__filename)(PROVIDER_DIR));
}

function assertBuilt(): void {
  if (!existsSync(resolve(PROVIDER_DIR, "../dist/components/multi-language/index.d.ts"))) {
    throw new Error("dist/ has no multi-language components: run npm run build first (npm test does)");
  }
}

/** The provider name as cmd/run-plugin derives it from the plugin's package.json. */
export function providerName(): string {
  const pkg = JSON.parse(readFileSync(join(PROVIDER_DIR, "package.json"), "utf8")) as { name: string };
  const match = /(@.*?\/)?(.+)/.exec(pkg.name)!;
  return match[2]!.replace(/[^-a-zA-Z0-9_]/g, "-");
}

/** A component provider over provider/, as `pulumi package add` would start it. */
export function componentProvider(): ComponentProvider {
  return new ComponentProvider({ components: hostedComponents(), name: providerName(), dirname: PROVIDER_DIR });
}

/** The generated package schema (the analyzer runs TypeScript over provider/tsconfig.json: ~3 s). */
export async function generateSchema(provider = componentProvider()): Promise<PackageSchema> {
  return JSON.parse(await provider.getSchema()) as PackageSchema;
}
