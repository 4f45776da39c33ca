/**
 * @module `createStack`: picks the composition root for the stack's target — `LlmStack` for Docker
 * targets, `K8sLlmStack` for Kubernetes targets — so the program stays a few lines.
 */
import type * as pulumi from "@pulumi/pulumi";
import { K8sLlmStack } from "./kubernetes/k8s-llm-stack";
import { LlmStack, type LlmStackArgs } from "./llm-stack";

/**
 * Builds the whole stack for `args.config.target.kind`. `args.routerImage`, else the config's
 * `router.image`, is the router image: pulled by the cluster (required there), or on a Docker host
 * pulled instead of building `images/router`.
 * @example const stack = createStack("llm", loadStackFromPulumiConfig());
 */
export function createStack(name: string, args: LlmStackArgs, opts?: pulumi.ComponentResourceOptions): LlmStack | K8sLlmStack {
  const kind = args.config.target.kind;
  if (kind === "eks" || kind === "kubernetes") return new K8sLlmStack(name, args, opts);
  const routerImage = args.routerImage ?? args.config.router.image;
  return new LlmStack(name, { ...args, ...(routerImage !== undefined ? { routerImage } : {}) }, opts);
}
