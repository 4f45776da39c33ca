/**
 * @module One semantic scope's replica-local view: a vector index synced from the scope's Redis
 * append log (a Stream of entry ids), so entries written by any replica are found by every replica.
 *
 * Redis layout per scope (see README.md): `…:s:<scope>:log` Stream of `{ i: <entry id> }`, trimmed to
 * maxEntriesPerScope and to the TTL; `…:s:<scope>:e:<id>` Hash `{ v: f32 vector, t: guard text,
 * c: completion JSON }` with the TTL. A replica tails the log with a cursor (`XRANGE (cursor + COUNT`),
 * fetches the new vectors, and indexes them. Bootstrap of a large log runs in the background.
 */
import type { Redis } from "ioredis";
import { scopeKeys } from "./canonical";
import type { RedisGateway, RedisOutcome } from "./redis-gateway";
import { VectorIndex, type IndexCandidate, type VectorIndexOptions } from "./vector-index";

/** Log entries read inline by a lookup; more than this are indexed by a background backfill. */
export const INLINE_SYNC_BATCH = 64;
/** Log entries read per background backfill step. */
export const BACKFILL_BATCH = 1000;
/** Entries indexed per event-loop turn during a backfill. */
const ADD_CHUNK = 64;

/** Settings shared by all scopes. */
export interface SemanticScopeOptions {
  /** Most entries indexed per scope; the oldest are dropped. */
  maxEntries: number;
  /** Minimum age of the last sync before a lookup syncs again (ms). */
  syncIntervalMs: number;
  /** Clock in ms. */
  now: () => number;
  /** Index tuning (tests and the bench). */
  index?: Partial<VectorIndexOptions>;
}

interface Slot {
  label: number;
  expiresAt: number;
}

/** Decodes a little-endian f32 vector stored as bytes (copies: Redis buffers are not 4-byte aligned). */
export function decodeVector(buf: Buffer): Float32Array {
  const copy = new Uint8Array(buf.length - (buf.length % 4));
  copy.set(buf.subarray(0, copy.length));
  return new Float32Array(copy.buffer);
}

/** Encodes a vector as little-endian f32 bytes for Redis. */
export function encodeVector(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/** The replica-local index of one scope plus its sync cursor. */
export class SemanticScope {
  readonly id: string;
  private readonly keys: ReturnType<typeof scopeKeys>;
  private readonly opts: SemanticScopeOptions;
  private index: VectorIndex | undefined;
  private readonly labelToId = new Map<number, string>();
  private readonly idToLabel = new Map<string, number>();
  private order: Slot[] = [];
  private orderHead = 0;
  private nextLabel = 1;
  private cursor = "-";
  private lastSync = Number.NEGATIVE_INFINITY;
  private inflight: Promise<RedisOutcome<number>> | undefined;
  private backfilling = false;

  constructor(id: string, opts: SemanticScopeOptions) {
    this.id = id;
    this.keys = scopeKeys(id);
    this.opts = opts;
  }

  /** Entries currently indexed. */
  get size(): number {
    return this.labelToId.size;
  }

  /** Dimensions of the indexed vectors, once known. */
  get dimensions(): number | undefined {
    return this.index?.dimensions;
  }

  /** Brings the index up to date if it is older than syncIntervalMs (one bounded step inline; the rest in the background). */
  async refresh(gw: RedisGateway, ttlMs: number): Promise<RedisOutcome<void>> {
    this.expire();
    if (this.backfilling || this.opts.now() - this.lastSync < this.opts.syncIntervalMs) return { ok: true, value: undefined };
    this.inflight ??= this.step(gw, ttlMs, INLINE_SYNC_BATCH).finally(() => { this.inflight = undefined; });
    const r = await this.inflight;
    if (!r.ok) return r;
    if (r.value === INLINE_SYNC_BATCH) void this.backfill(gw, ttlMs);
    return { ok: true, value: undefined };
  }

  /** Top candidates for a unit query vector. */
  search(query: Float32Array, k: number): IndexCandidate[] {
    if (!this.index || this.index.dimensions !== query.length) return [];
    return this.index.search(query, k);
  }

  /** HNSW encoding of this scope's index, once it has one. */
  get quantization(): string | undefined {
    return this.index?.quantization;
  }

  /** Whether scores from {@link search} are approximate (HNSW) rather than exact. */
  get approximate(): boolean {
    return this.index?.approximate ?? false;
  }

  /** Entry id of a label, if still indexed. */
  entryId(label: number): string | undefined {
    return this.labelToId.get(label);
  }

  /** Redis key of an entry. */
  entryKey(entryId: string): string {
    return this.keys.entry(entryId);
  }

  /** Redis key of the append log. */
  get logKey(): string {
    return this.keys.log;
  }

  /** Indexes entries (unit vectors) unless already present; vectors of another dimension are skipped. */
  add(entries: readonly { id: string; vector: Float32Array; expiresAt: number }[]): void {
    const fresh = entries.filter((e) => !this.idToLabel.has(e.id));
    if (fresh.length === 0) return;
    const dims = (fresh[0] as { vector: Float32Array }).vector.length;
    this.index ??= new VectorIndex(dims, this.opts.index);
    const usable = fresh.filter((e) => e.vector.length === this.index?.dimensions);
    const labels: number[] = [];
    const flat = new Float32Array(usable.length * dims);
    usable.forEach((e, i) => {
      const label = this.nextLabel++;
      labels.push(label);
      flat.set(e.vector, i * dims);
      this.labelToId.set(label, e.id);
      this.idToLabel.set(e.id, label);
      this.order.push({ label, expiresAt: e.expiresAt });
    });
    this.index.addMany(labels, flat);
    while (this.labelToId.size > this.opts.maxEntries) this.evictOldest();
  }

  /** Drops one label (its Redis entry expired or was trimmed). */
  remove(label: number): void {
    const id = this.labelToId.get(label);
    if (id === undefined) return;
    this.labelToId.delete(label);
    this.idToLabel.delete(id);
    this.index?.remove(label);
  }

  private evictOldest(): void {
    while (this.orderHead < this.order.length) {
      const slot = this.order[this.orderHead++] as Slot;
      if (this.labelToId.has(slot.label)) { this.remove(slot.label); break; }
    }
    this.compactOrder();
  }

  // Entries in one scope share one TTL, so the log order is also the expiry order.
  private expire(): void {
    const now = this.opts.now();
    while (this.orderHead < this.order.length && (this.order[this.orderHead] as Slot).expiresAt <= now) {
      this.remove((this.order[this.orderHead++] as Slot).label);
    }
    this.compactOrder();
  }

  private compactOrder(): void {
    if (this.orderHead > 1024 && this.orderHead * 2 > this.order.length) {
      this.order = this.order.slice(this.orderHead);
      this.orderHead = 0;
    }
  }

  /** Reads up to `count` log entries after the cursor, fetches their vectors, indexes them; resolves to the number read. */
  private async step(gw: RedisGateway, ttlMs: number, count: number, chunked = false): Promise<RedisOutcome<number>> {
    const start = this.cursor === "-" ? "-" : `(${this.cursor}`;
    const read = await gw.run("semantic-sync", (r) => r.xrange(this.keys.log, start, "+", "COUNT", count));
    if (!read.ok) return read;
    this.lastSync = this.opts.now();
    const rows = read.value;
    if (rows.length === 0) return { ok: true, value: 0 };
    const wanted: { id: string; expiresAt: number }[] = [];
    for (const [streamId, fields] of rows) {
      const at = fields.indexOf("i");
      const id = at >= 0 ? fields[at + 1] : undefined;
      const expiresAt = Number(streamId.split("-")[0]) + ttlMs;
      if (id !== undefined && !this.idToLabel.has(id) && expiresAt > this.opts.now()) wanted.push({ id, expiresAt });
    }
    const keys = wanted.map((w) => this.keys.entry(w.id));
    const fetched = keys.length === 0
      ? { ok: true as const, value: [] as (Buffer | null)[] }
      : await gw.run("semantic-sync", (r) => fetchVectors(r, keys));
    if (!fetched.ok) return fetched;
    this.cursor = (rows[rows.length - 1] as [string, string[]])[0];
    const entries = wanted.flatMap((w, i) => {
      const buf = fetched.value[i];
      return buf ? [{ id: w.id, vector: decodeVector(buf), expiresAt: w.expiresAt }] : [];
    });
    if (!chunked) this.add(entries);
    else {
      // HNSW inserts cost ~0.2–0.5 ms each at 100k entries; keep each event-loop turn short.
      for (let i = 0; i < entries.length; i += ADD_CHUNK) {
        this.add(entries.slice(i, i + ADD_CHUNK));
        await new Promise((r) => setImmediate(r));
      }
    }
    return { ok: true, value: rows.length };
  }

  // Large logs (a new replica, a scope evicted from memory) are indexed in the background in
  // BACKFILL_BATCH steps, yielding to the event loop between steps so requests keep flowing.
  private async backfill(gw: RedisGateway, ttlMs: number): Promise<void> {
    if (this.backfilling) return;
    this.backfilling = true;
    try {
      for (;;) {
        await new Promise((r) => setImmediate(r));
        const r = await this.step(gw, ttlMs, BACKFILL_BATCH, true);
        if (!r.ok || r.value < BACKFILL_BATCH) return;
      }
    } finally {
      this.backfilling = false;
    }
  }
}

async function fetchVectors(redis: Redis, keys: string[]): Promise<(Buffer | null)[]> {
  const pipe = redis.pipeline();
  for (const k of keys) pipe.hgetBuffer(k, "v");
  const results = (await pipe.exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    return (value as Buffer | null) ?? null;
  });
}
