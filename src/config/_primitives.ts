/**
 * @module Field types shared by the stack config sections (internal): ports, secret names, DNS
 * labels, GPU specs. Each carries its own validation hint so errors can say what is allowed.
 */
import { z } from "zod";

/** Section keys of the stack file, in the order the reference and error lists use. */
export const STACK_SECTIONS = ["target", "models", "router", "cache", "monitoring", "planning"] as const;

/** One top-level `shoestring:<section>` key. */
export type StackSection = (typeof STACK_SECTIONS)[number];

/** Project namespace of every config key in the stack file (`name:` in Pulumi.yaml). */
export const CONFIG_NAMESPACE = "shoestring";

/** A Kubernetes-style DNS label: what model, pool and provider names must look like. */
export const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

const DNS_LABEL_HINT = "lowercase letters, digits and '-', starting with a letter and not ending with '-'";

/** A DNS label of at most `max` characters. */
export function dnsLabel(max: number) {
  return z.string().max(max).regex(DNS_LABEL, DNS_LABEL_HINT);
}

/** Pulumi config key names usable for a secret (`pulumi config set --secret <name>`). */
export const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * The NAME of a secret stored in the same stack with `pulumi config set --secret <name> <value>`;
 * never the secret itself.
 */
export function secretName() {
  return z
    .string()
    .max(64)
    .regex(SECRET_NAME, "a config key name without the 'shoestring:' prefix: letters, digits, '_' and '-', starting with a letter");
}

/**
 * A DNS-1123 subdomain, what Secrets and most other Kubernetes objects are named; also at most 253 characters,
 * checked apart (a length lookahead would not survive into every JSON Schema validator).
 */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes object name (DNS-1123 subdomain), e.g. an existing Secret's. */
export function kubernetesObjectName() {
  return z
    .string()
    .max(253)
    .regex(DNS_1123_SUBDOMAIN, "a Kubernetes object name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
}

/** A TCP port. */
export function port() {
  return z.int().min(1).max(65535);
}

/** A positive whole number (counts, sizes). */
export function positiveInt() {
  return z.int().min(1);
}

/** A Hugging Face repo id, `owner/name`. */
export function hfRepo() {
  return z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/, "a Hugging Face repo id 'owner/name', e.g. Qwen/Qwen2.5-7B-Instruct-AWQ");
}

/** An AWS region name such as us-east-1. */
export function awsRegion() {
  return z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as us-east-1 or eu-west-2");
}

/** An EC2 instance type such as g6e.xlarge. */
export function ec2InstanceType() {
  return z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as g6e.xlarge or p5.48xlarge");
}

/**
 * GPU model name as the planner's GPU catalog spells it (matched case-insensitively there, so it is
 * not an enum here), e.g. `RTX-4090`, `L40S`, `H100`.
 */
export function gpuType() {
  return z.string().min(1).max(40);
}

/** GPUs on one Docker host. */
export const HostGpuSchema = z
  .strictObject({
    type: gpuType().describe("GPU model, as in the planner's GPU catalog (`shoestring gpus`), e.g. RTX-4090, L40S, A100-80GB."),
    count: positiveInt().max(16).default(1).describe("Number of identical GPUs on the host."),
  })
  .describe("GPUs on the host. Leave it out for a CPU-only host (llama.cpp models only).");
