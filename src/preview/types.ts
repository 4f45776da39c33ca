/** @module The shape of a stack preview: what `shoestring preview --json` prints and `diff` compares. */

/** How a preview ended. */
export type PreviewStatus =
  /** The program ran and registered its resources. */
  | "ok"
  /** The planner says the stack does not fit; the program refused before creating anything. */
  | "refused"
  /** The stack file is not valid (schema, unknown model or hardware). */
  | "invalid"
  /** The program threw for another reason (the message says which). */
  | "failed";

/** One resource the program would create. */
export interface PreviewResource {
  /** Pulumi type token, e.g. `aws:ec2/instance:Instance`. */
  readonly type: string;
  /** Logical name, e.g. `llm-host-instance`. */
  readonly name: string;
  /** The URN it would get. */
  readonly urn: string;
  /** Parent URN; absent for top-level resources. */
  readonly parent?: string;
  /** A cloud/provider resource (true) or a grouping component (false). */
  readonly custom: boolean;
  /** What a reviewer looks for (image, instance type, ports, GPUs, replicas…), in display order. */
  readonly keySettings: Readonly<Record<string, string>>;
  /**
   * Every input as `path → display text`: secrets `[secret]`, provider-computed values
   * `(known after deploy)`, long text as `<lines, chars, sha256>`.
   */
  readonly inputs: Readonly<Record<string, string>>;
}

/** One model's capacity, from the planner. */
export interface PreviewModel {
  /** `models[].name` in the stack file. */
  readonly name: string;
  /** `vllm` or `llamacpp`. */
  readonly engine: string;
  /** Canonical quantization id (awq, fp8, Q4_K_M…). */
  readonly quantization: string;
  /** Hardware group it runs on, e.g. `g6e.xlarge` or `pool l40s-x4 (2× g6e.12xlarge)`. */
  readonly placedOn: string;
  /** Tensor-parallel size (GPUs per replica; 0 on CPU). */
  readonly tp: number;
  /** Replicas of the model. */
  readonly replicas: number;
  /** GPUs all replicas use. */
  readonly gpusUsed: number;
  /** Context per sequence, tokens. */
  readonly maxModelLen: number;
  /** Max-length sequences all replicas hold at once. */
  readonly maxConcurrency: number;
  /** Upper-bound decode tokens/s of all replicas. */
  readonly tokensPerSecond: number;
  /** GPU memory left per GPU (host RAM on CPU) once one max-length sequence is cached, GiB. */
  readonly headroomGiB: number;
  /** Every replica starts and holds at least one max-length sequence. */
  readonly fits: boolean;
  /** "fits", or the refusal. */
  readonly reason: string;
}

/** Whole-stack numbers from the planner. */
export interface PreviewTotals {
  /** Every model fits and the hardware holds all replicas. */
  readonly fits: boolean;
  /** USD per month (hoursPerMonth × hourly); null when any price is unknown — never shown as $0. */
  readonly monthlyUsd: number | null;
  /** Why a price is unknown or estimated (e.g. "own hardware: no hourly price"). */
  readonly priceNotes: readonly string[];
  /** Billed hours per month the cost assumes. */
  readonly hoursPerMonth: number;
  /** GPUs the replicas use. */
  readonly gpusUsed: number;
  /** GPUs the target has. */
  readonly gpusAvailable: number;
  /** Smallest VRAM headroom of any model, GiB (host RAM for CPU-only stacks). */
  readonly minHeadroomGiB: number;
  /** Sum over models of max-length sequences held at once (× replicas). */
  readonly maxConcurrency: number;
  /** Upper-bound decode tokens/s of all models together. */
  readonly tokensPerSecond: number;
  /** What is billed: one entry per hardware group (a VM, a node pool, a GPU box). */
  readonly hardware: readonly PreviewHardware[];
}

/** One priced hardware group. */
export interface PreviewHardware {
  /** e.g. `g6e.xlarge`, `pool l40s-x4 (2× g6e.12xlarge)`, `gpu-box.local (ssh), 1× RTX-4090`. */
  readonly label: string;
  /** Machines billed. */
  readonly instances: number;
  /** GPUs across those machines. */
  readonly gpus: number;
  /** USD per month, or null when the hourly rate is unknown. */
  readonly monthlyUsd: number | null;
  /** Why the price is unknown or estimated. */
  readonly notes: readonly string[];
}

/** Where prices come from. */
export interface PriceSnapshot {
  /** AWS region of the on-demand prices, e.g. `us-east-1`. */
  readonly region: string;
  /** Snapshot month, e.g. `2025-06`. */
  readonly date: string;
  /** URL of the price table. */
  readonly source: string;
}

/** A preview of one stack. */
export interface StackPreview {
  /** Stack name (`Pulumi.<stack>.yaml`). */
  readonly stack: string;
  /** The stack file previewed. */
  readonly file: string;
  /** `target.kind`, or null when the file is invalid. */
  readonly target: string | null;
  /** How the preview ended. */
  readonly status: PreviewStatus;
  /** The refusal, validation errors or failure, for any status but "ok". */
  readonly message?: string;
  /** Planner totals; null when the file is invalid. */
  readonly totals: PreviewTotals | null;
  /** Per-model plans, in config order. */
  readonly models: readonly PreviewModel[];
  /** Every resource the program registered, sorted by URN. */
  readonly resources: readonly PreviewResource[];
  /** Things the reader should know (unanswered data sources, price caveats). */
  readonly warnings: readonly string[];
  /** Price source, or null when nothing was priced. */
  readonly priceSnapshot: PriceSnapshot | null;
}
