/**
 * @module A compact in-memory copy of unit vectors (i8 with one f32 scale per vector) used to re-score
 * the candidates a binary HNSW returns. ~¼ of f32's memory; cosine error ~1e-3 at 384-d, well inside
 * the slack the semantic layer allows before its exact check against the stored f32 vector.
 */

/** Quantizes `v` into `out` (same length) with the largest component mapped to ±127; returns the scale. */
export function quantizeInt8(v: Float32Array, out: Int8Array): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i] as number));
  if (max === 0) {
    out.fill(0);
    return 0;
  }
  const k = 127 / max;
  for (let i = 0; i < v.length; i++) out[i] = Math.round((v[i] as number) * k);
  // Dot products of two quantized vectors are divided by both scales to get back to float units.
  return k;
}

/** Growable slab of i8 vectors keyed by integer labels; freed slots are reused. */
export class Int8Vectors {
  readonly dimensions: number;
  private data: Int8Array;
  private scales: Float32Array;
  private readonly slotOf = new Map<number, number>();
  private readonly free: number[] = [];
  private used = 0;
  private readonly query: Int8Array;

  constructor(dimensions: number, initialCapacity = 1024) {
    this.dimensions = dimensions;
    this.data = new Int8Array(dimensions * initialCapacity);
    this.scales = new Float32Array(initialCapacity);
    this.query = new Int8Array(dimensions);
  }

  /** Number of vectors held. */
  get size(): number {
    return this.slotOf.size;
  }

  /** Stores (or replaces) the vector of `label`. */
  set(label: number, vector: Float32Array): void {
    let slot = this.slotOf.get(label);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.used++;
      if (slot >= this.scales.length) this.grow();
      this.slotOf.set(label, slot);
    }
    const d = this.dimensions;
    this.scales[slot] = quantizeInt8(vector, this.data.subarray(slot * d, (slot + 1) * d));
  }

  /** Forgets `label`; its slot is reused by a later {@link set}. */
  delete(label: number): void {
    const slot = this.slotOf.get(label);
    if (slot === undefined) return;
    this.slotOf.delete(label);
    this.free.push(slot);
  }

  /**
   * Approximate cosine of the unit vector `query` to each label's vector (labels not held score -Infinity),
   * written into `out` (same length as `labels`).
   */
  cosines(query: Float32Array, labels: ArrayLike<number>, out: Float64Array): void {
    const d = this.dimensions;
    const q = this.query;
    const qScale = quantizeInt8(query, q);
    const data = this.data;
    for (let j = 0; j < labels.length; j++) {
      const slot = this.slotOf.get(labels[j] as number);
      const scale = slot === undefined ? 0 : (this.scales[slot] as number);
      if (slot === undefined || scale === 0 || qScale === 0) {
        out[j] = slot === undefined ? Number.NEGATIVE_INFINITY : 0;
        continue;
      }
      let dot = 0;
      for (let i = 0, base = slot * d; i < d; i++) dot += (data[base + i] as number) * (q[i] as number);
      out[j] = dot / (scale * qScale);
    }
  }

  private grow(): void {
    const capacity = this.scales.length * 2;
    const data = new Int8Array(this.dimensions * capacity);
    data.set(this.data);
    const scales = new Float32Array(capacity);
    scales.set(this.scales);
    this.data = data;
    this.scales = scales;
  }
}
