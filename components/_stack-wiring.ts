/**
 * @module Maps the stack config's `target` and `router` sections to `DockerHost` and
 * `RouterService` arguments, and condenses the planner's verdict into the stack output.
 * Internal to the components (the `_` prefix, STYLE R14); not part of the package's API.
 */
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackCapacityPlan } from "../src/capacity/plan-stack-config";
import type { StackConfig } from "../src/config";
import { findInstance } from "../src/planner";
import type { DockerHostArgs } from "./compute";
import { routingArgs } from "./_router-routing";
import type { RouterServiceArgs } from "./routing";
import type { DockerModelServer } from "./serving";

type Secrets = Readonly<Record<string, pulumi.Input<string>>>;

function secret(secrets: Secrets, name: string | undefined): pulumi.Input<string> | undefined {
  return name === undefined ? undefined : secrets[name];
}

/** `DockerHost` arguments for the Docker targets (the caller has checked the kind). */
export function hostArgs(config: StackConfig, secrets: Secrets): DockerHostArgs {
  const t = config.target;
  switch (t.kind) {
    case "docker-local":
      return { kind: t.kind, bindAddress: t.bindAddress, ...(t.gpu ? { gpu: { type: t.gpu.type, count: t.gpu.count } } : {}) };
    case "docker-ssh": {
      const privateKey = secret(secrets, t.privateKeySecret);
      return {
        kind: t.kind,
        host: t.host,
        user: t.user,
        port: t.port,
        bindAddress: t.bindAddress,
        ...(t.gpu ? { gpu: { type: t.gpu.type, count: t.gpu.count } } : {}),
        ...(privateKey !== undefined ? { privateKey } : {}),
      };
    }
    case "aws-gpu-vm":
      return {
        kind: t.kind,
        region: t.region,
        instanceType: t.instanceType,
        // The planner already refused an instance type outside the catalog.
        gpuCount: findInstance(t.instanceType)!.gpuCount,
        spot: t.spot,
        volumeGiB: t.volumeGiB,
        allowedCidrs: t.allowedCidrs,
        routerPort: config.router.port,
        ...(t.adminCidr !== undefined ? { adminCidr: t.adminCidr } : {}),
        ...(t.keyPairName !== undefined ? { keyPairName: t.keyPairName } : {}),
        ...(t.sshPublicKeys.length > 0 ? { sshAuthorizedKeys: t.sshPublicKeys } : {}),
        ...(t.tls ? { domain: t.tls.domain } : {}),
      };
    default:
      throw new pulumi.RunError(`shoestring:target.kind: no Docker host for "${t.kind}"`);
  }
}

/** What the router needs from the rest of the stack. */
export interface RouterWiring {
  provider: docker.Provider;
  network: pulumi.Input<string>;
  servers: DockerModelServer[];
  internalApiKey: pulumi.Input<string>;
  redisUrl?: pulumi.Input<string>;
  bindAddress: pulumi.Input<string>;
  image?: pulumi.Input<string>;
  dependsOn: pulumi.Resource[];
}

/** `RouterService` arguments: model servers, cloud providers, routes, cache and tenants. */
export function routerArgs(config: StackConfig, secrets: Secrets, w: RouterWiring): RouterServiceArgs {
  return {
    provider: w.provider,
    network: w.network,
    port: config.router.port,
    bindAddress: w.bindAddress,
    ...(w.image !== undefined ? { image: w.image } : {}),
    dependsOn: w.dependsOn,
    ...routingArgs(config, secrets, w),
  };
}

/** The stack output `plan`: what a reviewer wants to see next to the URLs. */
export interface PlanSummary {
  /** Whether the models fit the hardware (always true once built: a stack that does not fit is refused). */
  fits: boolean;
  /** Estimated monthly cost in USD; null when the hardware has no known price (a local or SSH host). */
  monthlyUsd: number | null;
  /** GPUs the models use. */
  gpusUsed: number;
  /** GPUs the target has. */
  gpusAvailable: number;
  /** Estimated decode throughput of the whole stack, tokens/s. */
  tokensPerSecond: number;
  /** Per model: where its replica runs, its tensor-parallel size, memory, concurrency and throughput. */
  models: Array<{
    name: string;
    placedOn: string;
    tp: number;
    weightsGiB: number;
    kvCacheGiB: number;
    kvTokens: number;
    maxConcurrency: number;
    tokensPerSecond: number;
  }>;
}

/** Condenses the capacity plan for the stack output. */
export function summarizePlan(plan: StackCapacityPlan): PlanSummary {
  return {
    fits: plan.fits,
    monthlyUsd: plan.monthlyUsd,
    gpusUsed: plan.gpusUsed,
    gpusAvailable: plan.gpusAvailable,
    tokensPerSecond: plan.tokensPerSecond,
    models: plan.models.map((m) => ({
      name: m.name,
      placedOn: m.placedOn,
      tp: m.tp,
      weightsGiB: m.weightsGiB,
      kvCacheGiB: m.kvCacheGiB,
      kvTokens: m.kvTokens,
      maxConcurrency: m.maxConcurrency,
      tokensPerSecond: m.tokensPerSecond,
    })),
  };
}
