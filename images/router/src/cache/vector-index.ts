/**
 * @module In-memory nearest-neighbour index for one semantic scope: exact brute force while small,
 * usearch HNSW once it grows past {@link VECTOR_INDEX_DEFAULTS}.bruteForceMax. The default HNSW walks
 * binary codes (one sign bit per dimension, Hamming distance) and re-scores its candidates by cosine
 * against an i8 copy of each vector. Scores are approximate for HNSW; callers re-check every
 * candidate against the stored f32 vector.
 */
import { Index, MetricKind, ScalarKind } from "usearch";
import { Int8Vectors } from "./int8-vectors";

/** Tuning knobs, measured in bench/semantic-cache.ts (see images/router/src/cache/README.md). */
export interface VectorIndexOptions {
  /** Entries kept in a flat f32 array and scanned exactly; above this an HNSW index is built. @default 256 */
  bruteForceMax: number;
  /**
   * HNSW storage. "b1": the graph is walked on sign bits (48 bytes per 384-d vector, Hamming distance)
   * and its candidates are re-scored by cosine on an i8 copy: at 100k entries ~2× faster to search than
   * "i8" (cosine on i8 codes) at the same near-duplicate hit rate, and no slower to build. "i8" uses ~¼ of
   * f32's memory and builds ~3× faster than "f32". @default "b1"
   */
  quantization: "b1" | "i8" | "f16" | "f32";
  /** For "b1": candidates taken from the binary graph and re-scored by cosine. @default 16 */
  rescoreCandidates: number;
  /** HNSW graph degree (M). 20 with "b1": at 16 the binary graph missed ~0.5% of near-duplicates at 100k. @default 20 */
  connectivity: number;
  /** HNSW candidate list size while adding (efConstruction); 128 built ~30% faster but found fewer near-duplicates at 100k. @default 192 */
  expansionAdd: number;
  /** HNSW candidate list size while searching (ef); higher keeps recall near the threshold. @default 64 */
  expansionSearch: number;
}

/** Defaults for {@link VectorIndexOptions}. */
export const VECTOR_INDEX_DEFAULTS: Readonly<VectorIndexOptions> = Object.freeze({
  bruteForceMax: 256,
  quantization: "b1",
  rescoreCandidates: 16,
  connectivity: 20,
  expansionAdd: 192,
  expansionSearch: 64,
});

/** One search result: a local label and its (approximate, for HNSW) cosine similarity. */
export interface IndexCandidate {
  label: number;
  score: number;
}

const SCALAR: Record<VectorIndexOptions["quantization"], ScalarKind> = { b1: ScalarKind.B1, i8: ScalarKind.I8, f16: ScalarKind.F16, f32: ScalarKind.F32 };

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
  /** Cosine re-scoring copy, kept only for the "b1" graph. */
  private rescore: Int8Vectors | undefined;

  constructor(dimensions: number, opts: Partial<VectorIndexOptions> = {}) {
    this.dimensions = dimensions;
    this.opts = { ...VECTOR_INDEX_DEFAULTS, ...opts };
    this.flat = new Float32Array(dimensions * 64);
  }

  /** Number of vectors held. */
  get size(): number {
    return this.hnsw ? this.hnswSize : this.flatLabels.length;
  }

  /** HNSW encoding this index uses once it grows past bruteForceMax. */
  get quantization(): VectorIndexOptions["quantization"] {
    return this.opts.quantization;
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
      this.keepForRescore(labels, vectors);
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
      this.rescore?.delete(label);
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
      if (this.rescore) return this.searchRescored(this.hnsw, this.rescore, query, k);
      const m = this.hnsw.search(query, k, 1);
      const out: IndexCandidate[] = [];
      for (let i = 0; i < m.keys.length; i++) out.push({ label: Number(m.keys[i]), score: 1 - (m.distances[i] as number) });
      return out;
    }
    return this.bruteForce(query, k);
  }

  // Hamming order on sign bits is only a rough proxy for cosine, so take more candidates than asked for
  // and rank them by cosine on the i8 copy.
  private searchRescored(hnsw: Index, rescore: Int8Vectors, query: Float32Array, k: number): IndexCandidate[] {
    const m = hnsw.search(query, Math.max(k, this.opts.rescoreCandidates), 1);
    const labels = Array.from(m.keys, Number);
    const scores = new Float64Array(labels.length);
    rescore.cosines(query, labels, scores);
    const out: IndexCandidate[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (scores[i] !== Number.NEGATIVE_INFINITY) out.push({ label: labels[i] as number, score: scores[i] as number });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, k);
  }

  private keepForRescore(labels: readonly number[], vectors: Float32Array): void {
    const rescore = this.rescore;
    if (!rescore) return;
    const d = this.dimensions;
    for (let i = 0; i < labels.length; i++) rescore.set(labels[i] as number, vectors.subarray(i * d, (i + 1) * d));
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
    const binary = o.quantization === "b1";
    const index = new Index({
      dimensions: this.dimensions, metric: binary ? MetricKind.Hamming : MetricKind.Cos, quantization: SCALAR[o.quantization],
      connectivity: o.connectivity, expansion_add: o.expansionAdd, expansion_search: o.expansionSearch, multi: false,
    });
    const n = this.flatLabels.length;
    const vectors = (this.flat as Float32Array).subarray(0, n * this.dimensions);
    if (n > 0) index.add(BigUint64Array.from(this.flatLabels, (l) => BigInt(l)), vectors, 0);
    this.hnsw = index;
    this.hnswSize = n;
    if (binary) {
      this.rescore = new Int8Vectors(this.dimensions, Math.max(1024, n));
      this.keepForRescore(this.flatLabels, vectors);
    }
    this.flat = undefined;
    this.flatLabels = [];
    this.slotOf.clear();
  }
}
