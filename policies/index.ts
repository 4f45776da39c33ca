/**
 * @module The Shoestring CrossGuard policy pack: `pulumi preview --policy-pack policies` (and
 * `--policy-pack-config policies/config.example.json` for ceilings and allowlists). Only this file
 * constructs the pack: construction starts the analyzer's gRPC server.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, SHOESTRING_POLICIES } from "./all-policies";

new PolicyPack(POLICY_PACK_NAME, {
  description: "Guardrails for Shoestring LLM stacks: no public Redis or model servers, router auth on, no plain secrets, pinned images, allowed GPU instances, a monthly cost ceiling.",
  enforcementLevel: "mandatory",
  policies: SHOESTRING_POLICIES,
});
