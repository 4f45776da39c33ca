/**
 * @module Reads the zod schema as data: the field at a path, its description, default and a
 * human type label. Error messages and the generated config reference both use it, so they
 * describe a field the same way.
 */
import { z } from "zod";

/** A field schema with its wrappers (optional, default, prefault) peeled off. */
export interface FieldInfo {
  /** The innermost schema (object, array, string, union, …). */
  inner: z.ZodType;
  /** First `.describe()` text found from the outside in. */
  description?: string;
  /** Present when the field has a default (`.default()` or `.prefault()`). */
  default?: { value: unknown };
  /** True when the field may be left out (optional or defaulted). */
  optional: boolean;
}

/** Peels wrapper schemas, collecting description and default on the way. */
export function unwrap(schema: z.ZodType): FieldInfo {
  let current: z.ZodType = schema;
  let description: string | undefined;
  let dflt: { value: unknown } | undefined;
  let optional = false;
  for (;;) {
    description ??= current.description;
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      dflt ??= { value: structuredClone(current.def.defaultValue) };
      optional = true;
      current = current.def.innerType as z.ZodType;
    } else if (current instanceof z.ZodOptional) {
      optional = true;
      current = current.def.innerType as z.ZodType;
    } else if (current instanceof z.ZodNullable || current instanceof z.ZodReadonly) {
      current = current.def.innerType as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.def.in as z.ZodType;
    } else {
      return { inner: current, description, default: dflt, optional };
    }
  }
}

/** The discriminator key of a discriminated union, if `schema` is one. */
export function discriminatorOf(schema: z.ZodType): string | undefined {
  return schema instanceof z.ZodUnion ? (schema.def as { discriminator?: string }).discriminator : undefined;
}

/** The variants of a discriminated union with their discriminator values. */
export function variantsOf(schema: z.ZodType): { value: string; schema: z.ZodObject }[] {
  const key = discriminatorOf(schema);
  if (!key || !(schema instanceof z.ZodUnion)) return [];
  return (schema.options as z.ZodType[]).flatMap((option) => {
    const object = unwrap(option).inner;
    if (!(object instanceof z.ZodObject)) return [];
    const literal = unwrap(object.shape[key] as z.ZodType).inner;
    const values = literal instanceof z.ZodLiteral ? [...literal.values] : [];
    return values.map((value) => ({ value: String(value), schema: object }));
  });
}

/** Picks the union variant `raw` selects by its discriminator, if any. */
function selectVariant(schema: z.ZodType, raw: unknown): z.ZodObject | undefined {
  const key = discriminatorOf(schema);
  if (!key || typeof raw !== "object" || raw === null) return undefined;
  const value = (raw as Record<string, unknown>)[key];
  // Only a primitive can name a variant; String() of an arbitrary object may throw ({ toString: {} }).
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return undefined;
  return variantsOf(schema).find((v) => v.value === String(value))?.schema;
}

/** The schema one step down from `schema` at `key`, using `raw` to pick union variants. */
export function childSchema(schema: z.ZodType, key: PropertyKey, raw: unknown): z.ZodType | undefined {
  const inner = unwrap(schema).inner;
  if (inner instanceof z.ZodObject) return inner.shape[String(key)] as z.ZodType | undefined;
  if (inner instanceof z.ZodArray) return inner.element as z.ZodType;
  if (inner instanceof z.ZodRecord) return inner.valueType as z.ZodType;
  const variant = selectVariant(inner, raw);
  return variant ? childSchema(variant, key, raw) : undefined;
}

/** The schema at `path` (as zod reports it), following `raw` through unions; undefined if unknown. */
export function schemaAtPath(root: z.ZodType, path: readonly PropertyKey[], raw: unknown): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  let value: unknown = raw;
  for (const key of path) {
    if (!schema) return undefined;
    schema = childSchema(schema, key, value);
    value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return schema;
}

/** The object schema at a path (the variant `raw` selects, for unions), for listing its keys. */
export function objectAt(schema: z.ZodType | undefined, raw: unknown): z.ZodObject | undefined {
  if (!schema) return undefined;
  const inner = unwrap(schema).inner;
  return inner instanceof z.ZodObject ? inner : selectVariant(inner, raw);
}

interface Bound {
  value: number;
  inclusive: boolean;
}

/** Numeric bounds from a number schema's checks (zod keeps them as check definitions). */
export function numberBounds(schema: z.ZodNumber): { min?: Bound; max?: Bound } {
  const out: { min?: Bound; max?: Bound } = {};
  for (const check of schema.def.checks ?? []) {
    const def = check._zod.def as { check: string; value?: number; inclusive?: boolean };
    if (def.value === undefined || !Number.isFinite(def.value) || Math.abs(def.value) >= Number.MAX_SAFE_INTEGER) continue;
    if (def.check === "greater_than") out.min = { value: def.value, inclusive: def.inclusive ?? false };
    if (def.check === "less_than") out.max = { value: def.value, inclusive: def.inclusive ?? false };
  }
  return out;
}

const STRING_FORMATS: Record<string, string> = {
  hostname: "hostname",
  url: "http(s) URL",
  ipv4: "IPv4 address",
  cidrv4: "IPv4 CIDR",
};

/** A short human label for a field's type, e.g. `integer 1–65535`, `"vllm" | "llamacpp"`, `list of string`. */
export function typeLabel(schema: z.ZodType): string {
  const inner = unwrap(schema).inner;
  if (inner instanceof z.ZodNumber) {
    const { min, max } = numberBounds(inner);
    const base = inner.format === "safeint" || inner.isInt ? "integer" : "number";
    if (min?.inclusive && max?.inclusive) return `${base} ${min.value}–${max.value}`;
    const parts = [min && `${min.inclusive ? "≥" : ">"} ${min.value}`, max && `${max.inclusive ? "≤" : "<"} ${max.value}`];
    return [base, parts.filter(Boolean).join(", ")].filter(Boolean).join(" ");
  }
  if (inner instanceof z.ZodString || inner instanceof z.ZodStringFormat) {
    return STRING_FORMATS[(inner.def as { format?: string }).format ?? ""] ?? "string";
  }
  if (inner instanceof z.ZodBoolean) return "boolean";
  if (inner instanceof z.ZodEnum) return inner.options.map((o) => JSON.stringify(o)).join(" | ");
  if (inner instanceof z.ZodLiteral) return [...inner.values].map((v) => JSON.stringify(v)).join(" | ");
  if (inner instanceof z.ZodArray) {
    const element = typeLabel(inner.element as z.ZodType);
    return `list of ${element.includes(" | ") ? `(${element})` : element}`;
  }
  if (inner instanceof z.ZodRecord) {
    return `map of ${typeLabel(inner.keyType as z.ZodType)} → ${typeLabel(inner.valueType as z.ZodType)}`;
  }
  if (inner instanceof z.ZodObject) return "map";
  if (inner instanceof z.ZodUnion) {
    const key = discriminatorOf(inner);
    if (key) return `map (by ${key})`;
    return (inner.options as z.ZodType[]).map(typeLabel).join(" | ");
  }
  return "value";
}

/** One field met while walking the schema. */
export interface WalkedField {
  /** Dotted path with `[]` for list items and `<key>` for map keys, e.g. `models[].source.repo`. */
  path: string;
  /** The field's own schema (wrappers included). */
  schema: z.ZodType;
  /** For fields inside a union variant, e.g. `{ key: "kind", value: "docker-ssh", all: [...] }`. */
  variant?: { key: string; value: string; all: string[] };
}

/**
 * Visits every object field under `schema`, depth-first in declaration order, including the fields
 * of every union variant and of list items and map values.
 */
export function walkFields(schema: z.ZodType, prefix: string, visit: (field: WalkedField) => void, variant?: WalkedField["variant"]): void {
  const inner = unwrap(schema).inner;
  const join = (key: string) => (prefix ? `${prefix}.${key}` : key);
  if (inner instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(inner.shape)) {
      visit({ path: join(key), schema: field as z.ZodType, variant });
      walkFields(field as z.ZodType, join(key), visit, variant);
    }
  } else if (inner instanceof z.ZodArray) {
    walkFields(inner.element as z.ZodType, `${prefix}[]`, visit, variant);
  } else if (inner instanceof z.ZodRecord) {
    walkFields(inner.valueType as z.ZodType, `${prefix}.<key>`, visit, variant);
  } else if (inner instanceof z.ZodUnion) {
    const key = discriminatorOf(inner);
    const variants = variantsOf(inner);
    const all = variants.map((v) => v.value);
    for (const option of inner.options as z.ZodType[]) {
      const object = unwrap(option).inner;
      const value = variants.find((v) => v.schema === object)?.value;
      walkFields(option, prefix, visit, key && value ? { key, value, all } : variant);
    }
  }
}
