/**
 * @module The one stack config schema: every `shoestring:*` section of a Pulumi stack file, with
 * all defaults (`.default()`) and documentation (`.describe()`), plus the cross-section checks.
 */
import { z } from "zod";
import { CacheSchema } from "./cache";
import { checkStackConfig } from "./cross-checks";
import { ModelsSchema } from "./models";
import { MonitoringSchema } from "./monitoring";
import { PlanningSchema } from "./planning";
import { RouterSchema } from "./router";
import { TargetSchema } from "./target";

/**
 * The structured config of one stack: the `shoestring:*` keys without their prefix. Defaults are
 * applied on parse; the output type is {@link StackConfig}.
 *
 * @example
 * const result = StackConfigSchema.safeParse({ target: { kind: "docker-local" }, models: [...] });
 */
export const StackConfigSchema = z
  .strictObject({
    target: TargetSchema,
    models: ModelsSchema,
    router: RouterSchema,
    cache: CacheSchema,
    monitoring: MonitoringSchema,
    planning: PlanningSchema,
  })
  .superRefine(checkStackConfig)
  .describe("Shoestring stack configuration.");

/** A validated stack config with every default applied. */
export type StackConfig = z.output<typeof StackConfigSchema>;

/** What a stack file may state: everything with a default is optional. */
export type StackConfigInput = z.input<typeof StackConfigSchema>;
