/**
 * @module AWS GPU instance catalog with us-east-1 on-demand prices, and the price snapshot they
 * come from. An instance without an on-demand price (p5e.48xlarge: Capacity Blocks only) has
 * `usdPerHour: undefined`, never 0, so cost code must ask the user for a rate.
 */

/** Where GPU rows took their AWS memory figures and instance rows their prices. */
export const SKYPILOT_SNAPSHOT =
  " SkyPilot catalog skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv (stored snapshot, commit " +
  "00148f2af3672e2229b4f7bf8157d5a3f36e3c35; column Price = on-demand Linux, region us-east-1)";

/** The price list the instance rows come from. */
export const PRICE_SNAPSHOT = {
  /** AWS region of every price. */
  region: "us-east-1",
  /**
   * Month of the snapshot, as a lower bound: the SkyPilot commit carries the June-2025 AWS P4/P5
   * on-demand cut (p5.48xlarge 98.32 → 55.04 USD/h); its exact date was not recorded. Prices are
   * from this month or later.
   */
  date: "2025-06",
  /** Price list URL. */
  source: "https://github.com/skypilot-org/skypilot-catalog/blob/master/catalogs/v8/aws/vms.csv",
  /** Commit of the stored snapshot. */
  commit: "00148f2af3672e2229b4f7bf8157d5a3f36e3c35",
  /** Pricing model. */
  pricing: "on-demand, Linux, shared tenancy",
} as const;

/** One AWS GPU instance size. */
export interface InstanceSpec {
  /** EC2 instance type, e.g. `g6e.xlarge`. */
  readonly instanceType: string;
  /** GPU catalog id (see `GPUS`). */
  readonly gpu: string;
  /** GPUs in one instance. */
  readonly gpuCount: number;
  /** vCPUs. */
  readonly vcpu: number;
  /** Host memory, GiB. */
  readonly ramGiB: number;
  /** On-demand USD per hour in {@link PRICE_SNAPSHOT}.region; undefined when AWS sells no on-demand capacity. */
  readonly usdPerHour: number | undefined;
  /** True when the price row was read from the snapshot itself; false for long-stable list prices recalled. */
  readonly priceVerified: boolean;
  /** Where the price comes from. */
  readonly priceSource: string;
  /** Snapshot month of the price (see {@link PRICE_SNAPSHOT}.date). */
  readonly priceDate: string;
}

type Row = [
  type: string,
  gpu: string,
  gpuCount: number,
  vcpu: number,
  ramGiB: number,
  usdPerHour: number | undefined,
  verified: boolean,
];

// shared/reference/gpus.json aws_instances; unverified rows are AWS list prices stable since the
// family launched and consistent with the snapshot rows that were read.
const ROWS: Row[] = [
  ["g4dn.xlarge", "T4", 1, 4, 16, 0.526, true],
  ["g4dn.2xlarge", "T4", 1, 8, 32, 0.752, false],
  ["g4dn.4xlarge", "T4", 1, 16, 64, 1.204, false],
  ["g4dn.8xlarge", "T4", 1, 32, 128, 2.176, false],
  ["g4dn.16xlarge", "T4", 1, 64, 256, 4.352, false],
  ["g4dn.12xlarge", "T4", 4, 48, 192, 3.912, false],
  ["g4dn.metal", "T4", 8, 96, 384, 7.824, false],
  ["g5.xlarge", "A10G", 1, 4, 16, 1.006, false],
  ["g5.2xlarge", "A10G", 1, 8, 32, 1.212, false],
  ["g5.4xlarge", "A10G", 1, 16, 64, 1.624, false],
  ["g5.8xlarge", "A10G", 1, 32, 128, 2.448, false],
  ["g5.16xlarge", "A10G", 1, 64, 256, 4.096, false],
  ["g5.12xlarge", "A10G", 4, 48, 192, 5.672, false],
  ["g5.24xlarge", "A10G", 4, 96, 384, 8.144, false],
  ["g5.48xlarge", "A10G", 8, 192, 768, 16.288, false],
  ["g6.xlarge", "L4", 1, 4, 16, 0.8048, true],
  ["g6.2xlarge", "L4", 1, 8, 32, 0.9776, false],
  ["g6.4xlarge", "L4", 1, 16, 64, 1.3232, false],
  ["g6.8xlarge", "L4", 1, 32, 128, 2.0144, false],
  ["g6.16xlarge", "L4", 1, 64, 256, 3.3968, true],
  ["g6.12xlarge", "L4", 4, 48, 192, 4.6016, true],
  ["g6.24xlarge", "L4", 4, 96, 384, 6.6752, false],
  ["g6.48xlarge", "L4", 8, 192, 768, 13.3504, false],
  ["gr6.4xlarge", "L4", 1, 16, 128, 1.5392, true],
  ["gr6.8xlarge", "L4", 1, 32, 256, 2.4464, true],
  ["g6e.xlarge", "L40S", 1, 4, 32, 1.861, false],
  ["g6e.2xlarge", "L40S", 1, 8, 64, 2.24208, false],
  ["g6e.4xlarge", "L40S", 1, 16, 128, 3.00424, false],
  ["g6e.8xlarge", "L40S", 1, 32, 256, 4.52856, false],
  ["g6e.16xlarge", "L40S", 1, 64, 512, 7.57719, false],
  ["g6e.12xlarge", "L40S", 4, 48, 384, 10.49264, true],
  ["g6e.24xlarge", "L40S", 4, 96, 768, 15.06559, false],
  ["g6e.48xlarge", "L40S", 8, 192, 1536, 30.13118, false],
  ["p4d.24xlarge", "A100-40GB", 8, 96, 1152, 21.957642, true],
  ["p4de.24xlarge", "A100-80GB", 8, 96, 1152, 27.44705, true],
  ["p5.4xlarge", "H100", 1, 16, 256, 6.88, true],
  ["p5.48xlarge", "H100", 8, 192, 2048, 55.04, true],
  ["p5e.48xlarge", "H200", 8, 192, 2048, undefined, true],
  ["p5en.48xlarge", "H200", 8, 192, 2048, 63.296, true],
  ["p6-b200.48xlarge", "B200", 8, 192, 2048, 113.9328, true],
  ["g7e.2xlarge", "RTX-PRO-6000-Server", 1, 8, 64, 3.36312, true],
  ["g7e.4xlarge", "RTX-PRO-6000-Server", 1, 16, 128, 3.99816, true],
  ["g7e.8xlarge", "RTX-PRO-6000-Server", 1, 32, 256, 5.26824, true],
  ["g7e.12xlarge", "RTX-PRO-6000-Server", 2, 48, 512, 8.28608, true],
  ["g7e.24xlarge", "RTX-PRO-6000-Server", 4, 96, 1024, 16.57216, true],
  ["g7e.48xlarge", "RTX-PRO-6000-Server", 8, 192, 2048, 33.14432, true],
];

/** Every instance size, prices from {@link PRICE_SNAPSHOT}. */
export const INSTANCES: readonly InstanceSpec[] = ROWS.map(
  ([instanceType, gpu, gpuCount, vcpu, ramGiB, usdPerHour, priceVerified]) => ({
    instanceType,
    gpu,
    gpuCount,
    vcpu,
    ramGiB,
    usdPerHour,
    priceVerified,
    priceSource: priceVerified
      ? `${PRICE_SNAPSHOT.source} @ ${PRICE_SNAPSHOT.commit}`
      : `${PRICE_SNAPSHOT.source} (AWS list price, not re-read row by row)`,
    priceDate: PRICE_SNAPSHOT.date,
  }),
);

const BY_TYPE = new Map(INSTANCES.map((i) => [i.instanceType.toLowerCase(), i]));

/**
 * Finds an instance size by EC2 type, ignoring case and surrounding spaces.
 * @example findInstance("g6e.xlarge")?.gpu // "L40S"
 */
export function findInstance(type: string): InstanceSpec | undefined {
  return BY_TYPE.get(type.trim().toLowerCase());
}

/** Instance types, for "did you mean" suggestions. */
export const INSTANCE_TYPES: readonly string[] = INSTANCES.map((i) => i.instanceType);
