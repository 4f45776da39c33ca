/**
 * @module Helpers the multi-language wrappers share: drop unset fields (so the TypeScript
 * components apply their own defaults) and report the TypeScript component's argument errors under
 * the wrapper's name. Internal (the `_` prefix, STYLE R14).
 */
import * as pulumi from "@pulumi/pulumi";

/** `value` without its `undefined` fields. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Runs `check` (a `resolve*Args` of the wrapped component) and rethrows its
 * `InputPropertiesError` as the wrapper's, with the same property paths, which the wrappers share.
 */
export function checkAs(component: string, name: string, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    if (!pulumi.InputPropertiesError.isInstance(err)) throw err;
    throw new pulumi.InputPropertiesError({ message: `Invalid arguments for ${component} "${name}"`, errors: err.errors });
  }
}

/** An `InputPropertiesError` for the wrapper itself. */
export function invalid(component: string, name: string, propertyPath: string, reason: string): pulumi.InputPropertiesError {
  return new pulumi.InputPropertiesError({ message: `Invalid arguments for ${component} "${name}"`, errors: [{ propertyPath, reason }] });
}
