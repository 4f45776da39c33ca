import { describe, expect, it } from "vitest";
import { cacheConfigSchema } from "../../../images/router/src/cache";
import type { RedisGateway } from "../../../images/router/src/cache/redis-gateway";
import { SemanticLayer } from "../../../images/router/src/cache/semantic-layer";
import { normalizeVector } from "../../../images/router/src/cache/vector-index";
import { hashVector } from "./fixtures";

describe("SemanticLayer index encoding", () => {
  it.each([
    ["binary", "b1"],
    ["int8", "i8"],
  ])("cache.semantic.index %s gives each scope a %s HNSW index that finds its entries", (index, quantization) => {
    const config = cacheConfigSchema.parse({ semantic: { index } }).semantic;
    // No Redis needed: entries go straight into the scope, as a sync would put them.
    const layer = new SemanticLayer(config, {} as RedisGateway, { now: Date.now, onEvent: () => undefined, index: { bruteForceMax: 4 } });
    const scope = layer.scope("tenant-model-fingerprint");
    const vector = (i: number) => normalizeVector(hashVector(`entry ${i}`));
    scope.add(Array.from({ length: 40 }, (_, i) => ({ id: `e${i}`, vector: vector(i), expiresAt: Date.now() + 60_000 })));
    expect(scope.approximate).toBe(true);
    expect(scope.quantization).toBe(quantization);
    const top = scope.search(vector(17), 1)[0];
    expect(top && scope.entryId(top.label)).toBe("e17");
    expect(top?.score).toBeGreaterThan(0.98);
  });
});
