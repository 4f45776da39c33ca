/**
 * @module The composition root's planning step: plan the stack and refuse it before any resource
 * exists when it does not fit, then give each model its tensor-parallel size and GPU device ids.
 * Internal to the components (the `_` prefix, STYLE R14); not part of the package's API.
 */
import * as pulumi from "@pulumi/pulumi";
import { planStackConfig, type StackCapacityPlan } from "../src/capacity/plan-stack-config";
import { StackConfigError, type StackConfig } from "../src/config";

/** Where each model's single replica runs on a Docker host. */
export interface DockerPlacement {
  /** Tensor-parallel size (vLLM) or GPUs the layers are split over (llama.cpp); 0 = CPU. */
  readonly gpus: number;
  /** Host GPU indices, as strings for Docker's device requests. */
  readonly deviceIds: string[];
}

/** Targets the Docker composition serves; Kubernetes targets are composed elsewhere. */
export const DOCKER_TARGETS = ["docker-local", "docker-ssh", "aws-gpu-vm"] as const;

/**
 * Plans the stack or throws a `pulumi.RunError` (printed without a stack trace) naming what does
 * not fit — the same message `shoestring plan` prints.
 */
export function planOrRefuse(config: StackConfig, baseDir?: string): StackCapacityPlan {
  let plan: StackCapacityPlan;
  try {
    plan = planStackConfig(config, { baseDir, source: "stack config" });
  } catch (error) {
    if (error instanceof StackConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
  if (!plan.fits) {
    throw new pulumi.RunError(
      `The stack does not fit its hardware; nothing was created.\n${plan.reason}\n` +
        "Run `shoestring plan --stack <name>` for the full table and suggestions.",
    );
  }
  return plan;
}

/**
 * Dedicated GPUs per model, in config order: the planner already checked they add up. One replica
 * per model on a Docker host: several replicas of one model need a load balancer between them,
 * which is the Kubernetes path's job.
 */
export function placeOnDockerHost(config: StackConfig, plan: StackCapacityPlan): Map<string, DockerPlacement> {
  const tooMany = config.models.filter((m) => m.replicas > 1);
  if (tooMany.length > 0) {
    const names = tooMany.map((m) => `${m.name} (replicas ${m.replicas})`).join(", ");
    throw new pulumi.RunError(
      `shoestring:models: ${names}: a Docker target runs one replica per model. ` +
        "Set replicas: 1 (raise parallelSlots or use a bigger GPU for more concurrency), or use a Kubernetes target.",
    );
  }
  const placements = new Map<string, DockerPlacement>();
  let next = 0;
  for (const model of plan.models) {
    const gpus = model.gpusPerReplica;
    placements.set(model.name, { gpus, deviceIds: Array.from({ length: gpus }, (_, i) => String(next + i)) });
    next += gpus;
  }
  return placements;
}
