/**
 * @module In-memory nearest-neighbour index for one semantic scope: exact brute force while small,
 * usearch HNSW (i8-quantized cosine) once it grows past {@link VECTOR_INDEX_DEFAULTS}.bruteForceMax.
 * Scores are approximate for HNSW; callers re-check every candidate against the stored f32 vector.
 */
import { Index, MetricKind, ScalarKind } from "usearch";

/** Tuning knobs, measured in bench/semantic-cache.ts (see images/router/src/cache/README.md). */
export interface VectorIndexOptions {
  /** Entries kept in a flat f32 array and scanned exactly; above this an HNSW index is built. @default 256 */
  bruteForceMax: number;
  /** HNSW storage precision. i8 builds ~3× faster than f32 and uses ~¼ of the memory. @default "i8" */
  quantization: "i8" | "f16" | "f32";
  /** HNSW graph degree (M). @default 16 */
  connectivity: number;
  /** HNSW candidate list size while adding (efConstruction); 64 builds faster but lost ~0.7 pt of hit rate at 100k. @default 128 */
  expansionAdd: number;
  /** HNSW candidate list size while searching (ef); higher keeps recall near the threshold. @default 64 */
  expansionSearch: number;
}

/** Defaults for {@link VectorIndexOptions}. */
export const VECTOR_INDEX_DEFAULTS: Readonly<VectorIndexOptions> = Object.freeze({
  bruteForceMax: 256,
  quantization: "i8",
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 64,
});

/** One search result: a local label and its (approximate, for HNSW) cosine similarity. */
export interface IndexCandidate {
  label: number;
  score: number;
}

const SCALAR: Record<VectorIndexOptions["quantization"], ScalarKind> = { i8: ScalarKind.I8, f16: ScalarKind.F16, f32: ScalarKind.F32 };

/** Returns a unit-length copy of `v` (cosine becomes a dot product); zero vectors stay zero. */
export function normalizeVector(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  const out = new Float32Array(v.length);
  if (sum === 0) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * inv;
  return out;
}

/** Cosine similarity of two vectors of the same length (not assumed normalized). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number, y = b[i] as number;
    dot += x * y; na += x * x; nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A growable index of unit vectors keyed by non-negative integer labels. */
export class VectorIndex {
  readonly dimensions: number;
  private readonly opts: VectorIndexOptions;
  private flat: Float32Array | undefined;
  private flatLabels: number[] = [];
  private slotOf = new Map<number, number>();
  private hnsw: Index | undefined;
  private hnswSize = 0;

  constructor(dimensions: number, opts: Partial<VectorIndexOptions> = {}) {
    this.dimensions = dimensions;
    this.opts = { ...VECTOR_INDEX_DEFAULTS, ...opts };
    this.flat = new Float32Array(dimensions * 64);
  }

  /** Number of vectors held. */
  get size(): number {
    return this.hnsw ? this.hnswSize : this.flatLabels.length;
  }

  /** Whether the HNSW index is in use (else exact brute force). */
  get approximate(): boolean {
    return this.hnsw !== undefined;
  }

  /** Adds unit vectors (`vectors` is `labels.length × dimensions`, row-major). Labels must be new. */
  addMany(labels: readonly number[], vectors: Float32Array): void {
    if (labels.length === 0) return;
    if (!this.hnsw && this.flatLabels.length + labels.length > this.opts.bruteForceMax) this.promote();
    if (this.hnsw) {
      // usearch's thread pool costs more than it saves on small batches (measured 3× slower at 64 per call).
      this.hnsw.add(BigUint64Array.from(labels, (l) => BigInt(l)), vectors, labels.length >= 1024 ? 0 : 1);
      this.hnswSize += labels.length;
      return;
    }
    const d = this.dimensions;
    let flat = this.flat as Float32Array;
    const need = (this.flatLabels.length + labels.length) * d;
    if (need > flat.length) {
      const grown = new Float32Array(Math.max(need, flat.length * 2));
      grown.set(flat);
      flat = this.flat = grown;
    }
    for (let i = 0; i < labels.length; i++) {
      const slot = this.flatLabels.length;
      flat.set(vectors.subarray(i * d, (i + 1) * d), slot * d);
      this.flatLabels.push(labels[i] as number);
      this.slotOf.set(labels[i] as number, slot);
    }
  }

  /** Removes a label if present. */
  remove(label: number): void {
    if (this.hnsw) {
      if (this.hnsw.remove(BigInt(label)) as number > 0) this.hnswSize--;
      return;
    }
    const slot = this.slotOf.get(label);
    if (slot === undefined) return;
    const d = this.dimensions;
    const lastSlot = this.flatLabels.length - 1;
    const flat = this.flat as Float32Array;
    if (slot !== lastSlot) {
      const moved = this.flatLabels[lastSlot] as number;
      flat.copyWithin(slot * d, lastSlot * d, (lastSlot + 1) * d);
      this.flatLabels[slot] = moved;
      this.slotOf.set(moved, slot);
    }
    this.flatLabels.pop();
    this.slotOf.delete(label);
  }

  /** Top-`k` labels by cosine similarity to the unit vector `query`, best first. */
  search(query: Float32Array, k: number): IndexCandidate[] {
    if (this.hnsw) {
      if (this.hnswSize === 0) return [];
      const m = this.hnsw.search(query, k, 1);
      const out: IndexCandidate[] = [];
      for (let i = 0; i < m.keys.length; i++) out.push({ label: Number(m.keys[i]), score: 1 - (m.distances[i] as number) });
      return out;
    }
    return this.bruteForce(query, k);
  }

  private bruteForce(query: Float32Array, k: number): IndexCandidate[] {
    const d = this.dimensions;
    const flat = this.flat as Float32Array;
    const top: IndexCandidate[] = [];
    for (let s = 0; s < this.flatLabels.length; s++) {
      const base = s * d;
      let dot = 0;
      for (let i = 0; i < d; i++) dot += (flat[base + i] as number) * (query[i] as number);
      if (top.length < k || dot > (top[top.length - 1] as IndexCandidate).score) {
        let at = top.length;
        while (at > 0 && (top[at - 1] as IndexCandidate).score < dot) at--;
        top.splice(at, 0, { label: this.flatLabels[s] as number, score: dot });
        if (top.length > k) top.pop();
      }
    }
    return top;
  }

  // Past bruteForceMax a flat scan costs more than an HNSW search; move everything over once.
  private promote(): void {
    const o = this.opts;
    const index = new Index({
      dimensions: this.dimensions, metric: MetricKind.Cos, quantization: SCALAR[o.quantization],
      connectivity: o.connectivity, expansion_add: o.expansionAdd, expansion_search: o.expansionSearch, multi: false,
    });
    const n = this.flatLabels.length;
    if (n > 0) index.add(BigUint64Array.from(this.flatLabels, (l) => BigInt(l)), (this.flat as Float32Array).subarray(0, n * this.dimensions), 0);
    this.hnsw = index;
    this.hnswSize = n;
    this.flat = undefined;
    this.flatLabels = [];
    this.slotOf.clear();
  }
}
