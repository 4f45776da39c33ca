/**
 * @module Child and network names (internal, STYLE R2/R14): children are `${name}-<role>`, and a
 * container's DNS name on the stack network is checked before anything is registered.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A DNS label: what Docker network aliases (and Kubernetes Service names) must look like. */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** @internal The logical name of a component's child, e.g. `llm-qwen-7b-container`. */
export function childName(name: string, role: string): string {
  return `${name}-${role}`;
}

/**
 * @internal The problem with a network alias, or undefined when it is a valid DNS label. Other
 * containers reach the service by this name, so it must resolve as one DNS label.
 */
export function aliasIssue(propertyPath: string, alias: string): pulumi.InputPropertyErrorDetails | undefined {
  if (DNS_LABEL.test(alias)) return undefined;
  return {
    propertyPath,
    reason:
      `network alias ${JSON.stringify(alias)} is not a DNS label (allowed: 1-63 lowercase letters, digits and '-', ` +
      "starting and ending with a letter or digit). Set hostname, or give the component a lowercase name such as llm-qwen-7b",
  };
}
