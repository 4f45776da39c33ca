/**
 * @module `shoestring:planning`: assumptions the planner uses for cost per token and the
 * comparison with a cloud API.
 */
import { z } from "zod";

/** `shoestring:planning`. */
export const PlanningSchema = z
  .strictObject({
    utilization: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe("Average share of peak throughput actually used, for USD per 1M tokens (0.5 = busy half the time)."),
    cloudApiUsdPer1MOutput: z
      .number()
      .min(0)
      .optional()
      .describe("Cloud API price per million output tokens to compare with. Unset: no comparison."),
    hoursPerMonth: z.number().gt(0).max(744).default(730).describe("Hours the stack runs per month, for monthly cost."),
  })
  .prefault({})
  .describe("Cost-planning assumptions.");

/** Parsed `shoestring:planning`. */
export type PlanningConfig = z.output<typeof PlanningSchema>;
