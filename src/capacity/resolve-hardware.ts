/**
 * @module Turns a stack's `target` into the hardware groups the planner plans on: one group per
 * box (Docker targets), per instance type (AWS VM, each EKS GPU pool) or for the GPU nodes of an
 * existing cluster. Unknown GPU or instance names become config issues with the nearest names.
 */
import type { ConfigIssue, StackConfig } from "../config";
import { findGpu, findInstance, GPU_IDS, INSTANCE_TYPES, type Hardware } from "../planner";
import { nearestNames } from "../util/nearest";

/** One set of identical machines that models are placed on. */
export interface HardwareGroup {
  /** Where the group runs, for tables: "this machine", "g6e.xlarge", "pool gpu-large (g6e.12xlarge)". */
  readonly label: string;
  /** EKS pool name the models select with `nodePool`; undefined elsewhere. */
  readonly pool?: string;
  /** One machine's hardware. */
  readonly hardware: Hardware;
  /** Machines billed. */
  readonly instances: number;
  /** gp3 volume per machine, GiB. */
  readonly volumeGiB: number;
  /** Facts about the price, shown under the table. */
  readonly notes: string[];
}

type Target = StackConfig["target"];
const TARGET = "shoestring:target";

function unknownGpu(path: string, name: string): ConfigIssue {
  return {
    path,
    value: name,
    message: "unknown GPU",
    allowed: nearestNames(name, GPU_IDS).join(", "),
    fix: "use a name from `shoestring gpus` (case-insensitive)",
  };
}

function unknownInstance(path: string, name: string): ConfigIssue {
  return {
    path,
    value: name,
    message: "unknown or non-GPU EC2 instance type",
    allowed: nearestNames(name, INSTANCE_TYPES).join(", "),
    fix: "use a GPU instance type from `shoestring gpus`",
  };
}

/** A box the user owns: GPUs from `gpu`, or CPU only; no hourly price (it is already paid for). */
function ownedBox(target: Extract<Target, { kind: "docker-local" | "docker-ssh" }>, issues: ConfigIssue[]): HardwareGroup[] {
  const label = target.kind === "docker-local" ? "this machine" : `${target.host} (ssh)`;
  const notes = ["own hardware: no hourly price"];
  if (!target.gpu) {
    const hardware: Hardware = {
      kind: "cpu",
      hostRamGiB: target.hostRamGiB,
      memoryBandwidthGBps: target.hostMemoryBandwidthGBps,
    };
    return [{ label: `${label}, CPU only`, hardware, instances: 1, volumeGiB: 0, notes }];
  }
  const gpu = findGpu(target.gpu.type);
  if (!gpu) {
    issues.push(unknownGpu(`${TARGET}.gpu.type`, target.gpu.type));
    return [];
  }
  const hardware: Hardware = {
    kind: "gpu",
    gpu,
    gpusAvailable: target.gpu.count,
    hostRamGiB: target.hostRamGiB,
    hostMemoryBandwidthGBps: target.hostMemoryBandwidthGBps,
  };
  return [{ label: `${label}, ${target.gpu.count}× ${gpu.id}`, hardware, instances: 1, volumeGiB: 0, notes }];
}

/** An EC2 instance type as planner hardware; undefined (plus an issue) when unknown. */
function instanceHardware(type: string, path: string, issues: ConfigIssue[]): Hardware | undefined {
  const instance = findInstance(type);
  const gpu = instance && findGpu(instance.gpu);
  if (!instance || !gpu) {
    issues.push(unknownInstance(path, type));
    return undefined;
  }
  return {
    kind: "gpu",
    gpu,
    gpusAvailable: instance.gpuCount,
    hostRamGiB: instance.ramGiB,
    usdPerHour: instance.usdPerHour,
    instanceType: instance.instanceType,
  };
}

function priceNotes(type: string, spot: boolean): string[] {
  const instance = findInstance(type);
  const notes: string[] = [];
  if (instance && instance.usdPerHour === undefined) notes.push(`${type} has no on-demand price in the catalog: cost unknown`);
  if (spot) notes.push(`${type} is spot: billed below the on-demand price shown, and may be reclaimed`);
  return notes;
}

/**
 * Hardware groups of a target, in config order. Problems are appended to `issues` (all of them,
 * not the first) and the affected group is left out.
 */
export function resolveHardware(target: Target, issues: ConfigIssue[]): HardwareGroup[] {
  switch (target.kind) {
    case "docker-local":
    case "docker-ssh":
      return ownedBox(target, issues);
    case "aws-gpu-vm": {
      const hardware = instanceHardware(target.instanceType, `${TARGET}.instanceType`, issues);
      if (!hardware) return [];
      const notes = priceNotes(target.instanceType, target.spot);
      return [{ label: target.instanceType, hardware, instances: 1, volumeGiB: target.volumeGiB, notes }];
    }
    case "eks":
      return target.gpuNodePools.flatMap((pool, i) => {
        const hardware = instanceHardware(pool.instanceType, `${TARGET}.gpuNodePools[${i}].instanceType`, issues);
        if (!hardware) return [];
        const notes = priceNotes(pool.instanceType, pool.spot);
        if (pool.maxSize > pool.desiredSize) {
          notes.push(`pool ${pool.name} priced at desiredSize ${pool.desiredSize}; it may scale to ${pool.maxSize}`);
        }
        const label = `pool ${pool.name} (${pool.desiredSize}× ${pool.instanceType})`;
        // A pool scaled to zero still has to hold its models once it scales up: plan one node.
        const instances = Math.max(1, pool.desiredSize);
        return [{ label, pool: pool.name, hardware, instances, volumeGiB: 0, notes }];
      });
    case "kubernetes": {
      const gpu = findGpu(target.gpu.type);
      if (!gpu) {
        issues.push(unknownGpu(`${TARGET}.gpu.type`, target.gpu.type));
        return [];
      }
      const usdPerHour = target.gpuHourlyUsd === undefined ? undefined : target.gpuHourlyUsd * target.gpu.countPerNode;
      const hardware: Hardware = { kind: "gpu", gpu, gpusAvailable: target.gpu.countPerNode, usdPerHour };
      const notes = usdPerHour === undefined ? ["no target.gpuHourlyUsd: cost unknown"] : [];
      const label = `${target.gpu.nodes} node(s) × ${target.gpu.countPerNode}× ${gpu.id}`;
      return [{ label, hardware, instances: target.gpu.nodes, volumeGiB: 0, notes }];
    }
    default: {
      const unreachable: never = target;
      throw new Error(`unhandled target ${JSON.stringify(unreachable)}`);
    }
  }
}
