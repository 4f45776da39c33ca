/**
 * @module Synthetic, clustered embedding data for bench/semantic-cache.ts.
 *
 * Uniform random vectors are the worst case for HNSW and unlike sentence embeddings, which cluster
 * by topic (toolbox.md §7). Here every 50 entries share a random centroid and each entry is the
 * centroid plus Gaussian noise (σ = 0.06 per dimension at 384-d: cosine ≈ 0.65 to the centroid,
 * ≈ 0.4 between cluster mates). Queries are half near-duplicates (an entry plus σ = 0.015 noise:
 * cosine ≈ 0.96, i.e. the paraphrases a cache should hit) and half fresh points from the same
 * clusters (misses). A seeded PRNG makes runs repeatable.
 */
import { normalizeVector } from "../images/router/src/cache/vector-index";

/** Entries per cluster. */
export const CLUSTER_SIZE = 50;
/** Untimed iterations before each measurement (JIT and connection warm-up). */
export const WARMUP = 500;

/** A repeatable source of Gaussian vectors. */
export class VectorSource {
  private state: number;
  readonly dims: number;

  constructor(dims: number, seed = 42) {
    this.dims = dims;
    this.state = seed >>> 0;
  }

  private uniform(): number {
    // LCG (Numerical Recipes constants): fast and repeatable; statistical quality is not the point.
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return (this.state + 0.5) / 4294967296;
  }

  private gauss(): number {
    return Math.sqrt(-2 * Math.log(this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** A random unit vector. */
  unit(): Float32Array {
    const v = new Float32Array(this.dims);
    for (let i = 0; i < this.dims; i++) v[i] = this.gauss();
    return normalizeVector(v);
  }

  /** `base` plus per-dimension Gaussian noise, normalized. */
  near(base: Float32Array, sigma: number): Float32Array {
    const v = new Float32Array(this.dims);
    for (let i = 0; i < this.dims; i++) v[i] = (base[i] as number) + this.gauss() * sigma;
    return normalizeVector(v);
  }

  /** Random integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** A clustered dataset: `count` unit vectors, row-major. */
export interface Dataset {
  dims: number;
  count: number;
  vectors: Float32Array;
  centroids: Float32Array[];
}

/** Builds `count` clustered unit vectors. */
export function clusteredDataset(src: VectorSource, count: number): Dataset {
  const centroids = Array.from({ length: Math.max(1, Math.ceil(count / CLUSTER_SIZE)) }, () => src.unit());
  const vectors = new Float32Array(count * src.dims);
  // Clusters are contiguous blocks, so the first N entries are N / CLUSTER_SIZE whole clusters.
  for (let i = 0; i < count; i++) vectors.set(src.near(centroids[Math.floor(i / CLUSTER_SIZE)] as Float32Array, 0.06), i * src.dims);
  return { dims: src.dims, count, vectors, centroids };
}

/** One bench query: its vector and, for near-duplicates, the entry it was derived from. */
export interface BenchQuery {
  vector: Float32Array;
  source: number | undefined;
}

/** Half near-duplicates of random entries among the first `size`, half fresh points in their clusters, interleaved. */
export function benchQueries(src: VectorSource, data: Dataset, size: number, count: number): BenchQuery[] {
  const out: BenchQuery[] = [];
  const clusters = Math.ceil(size / CLUSTER_SIZE);
  for (let q = 0; q < count; q++) {
    if (q % 2 === 0) {
      const source = src.below(size);
      out.push({ vector: src.near(data.vectors.subarray(source * data.dims, (source + 1) * data.dims), 0.015), source });
    } else {
      out.push({ vector: src.near(data.centroids[src.below(clusters)] as Float32Array, 0.06), source: undefined });
    }
  }
  return out;
}

/** Entry text and guard text: cluster topic plus entry number, so a near-duplicate's text agrees with its source. */
export function entryText(i: number): string {
  return `How do I tune setting ${i} of subsystem ${Math.floor(i / CLUSTER_SIZE)}?`;
}

/** p-th quantile (0..1) of samples, by nearest rank. */
export function quantile(samples: readonly number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
}
