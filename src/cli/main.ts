/** @module Entry point of the `shoestring` CLI: the command table, nothing else. */
import { defineCommand, runMain } from "citty";
import { version } from "../../package.json";

/**
 * Subcommands load lazily so `shoestring plan` never pays for the simulator's or the bench's imports
 * (the plan path has a 0.5 s process-time budget; see bench/plan-speed.cjs).
 */
const main = defineCommand({
  meta: {
    name: "shoestring",
    version,
    description: "Plan, validate, simulate and benchmark a self-hosted LLM serving stack.",
  },
  subCommands: {
    plan: () => import("./commands/plan").then((m) => m.default),
    validate: () => import("./commands/validate").then((m) => m.default),
    models: () => import("./commands/models").then((m) => m.default),
    gpus: () => import("./commands/gpus").then((m) => m.default),
    simulate: () => import("./commands/simulate").then((m) => m.default),
    bench: () => import("./commands/bench").then((m) => m.default),
  },
});

void runMain(main);
