/**
 * The multi-language enums mirror the TypeScript API's closed sets exactly: at run time against the
 * lists the engines and the router validate with, and at compile time (`npm run typecheck`) against
 * the union types the TypeScript components take.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { SEMANTIC_INDEXES } from "../../images/router/src/cache/config";
import { routerConfigSchema } from "../../images/router/src/config-schema";
import {
  LlamaCppFlashAttn,
  LlamaCppKvCacheDtype,
  LlamaCppPooling,
  ModelCacheAccessMode,
  ProviderKind,
  RouterLogLevel,
  SemanticCacheIndex,
  ServerRole,
  VllmKvCacheDtype,
  VllmQuantization,
} from "../../components/multi-language";
import type { K8sModelServerArgs, RouterCacheArgs, RouterProviderArgs, RouterServiceArgs } from "../../components";
import { LLAMACPP_FLASH_ATTN, LLAMACPP_KV_CACHE_DTYPES, LLAMACPP_POOLING, VLLM_KV_CACHE_DTYPES } from "../../src/engines";
import type { LlamaCppServerInput, ServerRole as TsServerRole, VllmQuantization as TsVllmQuantization } from "../../src/engines";
import { ModelSchema, ProviderSchema } from "../../src/config";
import { VLLM_QUANTIZATIONS } from "../../src/planner/catalog/quantizations";

const values = (e: Record<string, string>): string[] => Object.values(e);

describe("the multi-language enums", () => {
  it("offer exactly the engines' weight formats, KV-cache types, pooling and flash-attention modes, in order", () => {
    expect(values(VllmQuantization)).toEqual(VLLM_QUANTIZATIONS.map((q) => q.id));
    expect(values(VllmKvCacheDtype)).toEqual([...VLLM_KV_CACHE_DTYPES]);
    expect(values(LlamaCppKvCacheDtype)).toEqual([...LLAMACPP_KV_CACHE_DTYPES]);
    expect(values(LlamaCppPooling)).toEqual([...LLAMACPP_POOLING]);
    expect(values(LlamaCppFlashAttn)).toEqual([...LLAMACPP_FLASH_ATTN]);
  });

  it("offer exactly the roles, log levels, provider kinds and cache index encodings the config and the router accept", () => {
    const modelOptions = ModelSchema.options.map((m) => m.shape.role.unwrap().options);
    for (const roles of modelOptions) expect(values(ServerRole)).toEqual(roles);
    expect(values(RouterLogLevel)).toEqual(routerConfigSchema.shape.logLevel.unwrap().options);
    const kinds = ProviderSchema.options.map((p) => p.shape.kind.value);
    expect(values(ProviderKind).sort()).toEqual([...kinds].sort());
    expect(values(ModelCacheAccessMode)).toEqual(["ReadWriteOnce", "ReadWriteMany"]);
    expect(values(SemanticCacheIndex)).toEqual([...SEMANTIC_INDEXES]);
  });

  it("equal the TypeScript components' union types (checked by tsc)", () => {
    expectTypeOf<`${ServerRole}`>().toEqualTypeOf<TsServerRole>();
    expectTypeOf<`${VllmQuantization}`>().toEqualTypeOf<TsVllmQuantization>();
    expectTypeOf<`${LlamaCppPooling}`>().toEqualTypeOf<NonNullable<LlamaCppServerInput["pooling"]>>();
    expectTypeOf<`${LlamaCppFlashAttn}`>().toEqualTypeOf<NonNullable<LlamaCppServerInput["flashAttn"]>>();
    expectTypeOf<`${LlamaCppKvCacheDtype}`>().toEqualTypeOf<NonNullable<LlamaCppServerInput["kvCacheDtype"]>>();
    expectTypeOf<`${RouterLogLevel}`>().toEqualTypeOf<NonNullable<RouterServiceArgs["logLevel"]>>();
    expectTypeOf<`${ProviderKind}`>().toEqualTypeOf<RouterProviderArgs["kind"]>();
    expectTypeOf<`${ModelCacheAccessMode}`>().toEqualTypeOf<NonNullable<K8sModelServerArgs["modelCacheAccessMode"]>>();
    expectTypeOf<`${SemanticCacheIndex}`>().toEqualTypeOf<NonNullable<NonNullable<RouterCacheArgs["semantic"]>["index"]>>();
    expect(values(ServerRole)).toHaveLength(2);
  });
});
