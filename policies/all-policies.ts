/**
 * @module The policies of the Shoestring pack, as plain data. Kept apart from index.ts because
 * constructing a `PolicyPack` starts its gRPC server: tests and tools import this file instead.
 */
import type { Policies } from "@pulumi/policy";
import { gpuInstanceAllowlist } from "./gpu-instance-allowlist";
import { imagesPinned } from "./images-pinned";
import { monthlyCostCeiling } from "./monthly-cost-ceiling";
import { noPublicIngress } from "./no-public-ingress";
import { routerAuth } from "./router-auth";
import { secretsNotPlain } from "./secrets-not-plain";

/** Policy pack name (`pulumi preview --policy-pack policies` reports it). */
export const POLICY_PACK_NAME = "shoestring-guardrails";

/** Every policy, in the order they are reported. */
export const SHOESTRING_POLICIES: Policies = [noPublicIngress, routerAuth, secretsNotPlain, imagesPinned, gpuInstanceAllowlist, monthlyCostCeiling];
