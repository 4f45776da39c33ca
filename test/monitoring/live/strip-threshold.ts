/**
 * @module Removes the threshold comparison from an alert expression (`x > 0.05` → `x`), so a live test can
 * check that the series an alert watches exist even while the alert, rightly, does not fire.
 */

const COMPARISON_OPS = ["==", "!=", ">=", "<=", ">", "<"] as const;
const SET_OPS = new Set(["and", "or", "unless"]);
const OPEN = "([{";
const CLOSE = ")]}";
const IDENT_START = /[A-Za-z_:]/;
const IDENT_CHAR = /[A-Za-z0-9_:]/;
/** A PromQL scalar literal after a comparison: a decimal or scientific number, Inf or NaN, optionally signed. */
const SCALAR = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9A-Fa-f]+|[Ii][Nn][Ff]|[Nn][Aa][Nn])$/;
/** `on(…)` / `ignoring(…)` right after a set operator belong to the operator, not the right operand. */
const MATCHING_MODIFIER = /^(?:on|ignoring)\s*\([^)]*\)\s*/i;

interface TopLevelToken {
  readonly index: number;
  readonly text: string;
}

/** Comparison and set operators outside parentheses, brackets, braces (label matchers) and strings. */
function scanTopLevel(expr: string): { comparisons: TopLevelToken[]; setOps: TopLevelToken[] } {
  const comparisons: TopLevelToken[] = [];
  const setOps: TopLevelToken[] = [];
  let depth = 0;
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === '"' || c === "'" || c === "`") {
      i++;
      while (i < expr.length && expr[i] !== c) i += c !== "`" && expr[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth--;
    else if (depth === 0 && IDENT_START.test(c) && !IDENT_CHAR.test(expr[i - 1] ?? " ")) {
      let end = i + 1;
      while (end < expr.length && IDENT_CHAR.test(expr[end] as string)) end++;
      const word = expr.slice(i, end);
      if (SET_OPS.has(word.toLowerCase())) setOps.push({ index: i, text: word });
      i = end;
      continue;
    } else if (depth === 0) {
      const op = COMPARISON_OPS.find((o) => expr.startsWith(o, i));
      if (op !== undefined) {
        comparisons.push({ index: i, text: op });
        i += op.length;
        continue;
      }
    }
    i++;
  }
  return { comparisons, setOps };
}

/**
 * Strips ONE top-level trailing comparison with a scalar (`> / < / >= / <= / == / !=`, with or without
 * `bool`), returning the left-hand side. Returns `undefined` when the expression's outermost operator is not
 * such a comparison: no comparison, a comparison inside parentheses, one against a vector, or one under a
 * top-level `and` / `or` / `unless` (split those first, see {@link withoutThresholds}).
 *
 * @example
 * stripTrailingComparison("max by (job) (x) > 0.9"); // "max by (job) (x)"
 * stripTrailingComparison("x > y"); // undefined
 */
export function stripTrailingComparison(expr: string): string | undefined {
  const { comparisons, setOps } = scanTopLevel(expr);
  const last = comparisons.at(-1);
  if (last === undefined || setOps.length > 0) return undefined;
  const rhs = expr.slice(last.index + last.text.length).trim().replace(/^bool\s+/i, "");
  const lhs = expr.slice(0, last.index).trim();
  return SCALAR.test(rhs) && lhs !== "" ? lhs : undefined;
}

/** An alert expression with its thresholds removed. */
export interface ThresholdFreeExpression {
  /** The whole expression, each operand of its top-level `and` / `or` / `unless` stripped of its threshold. */
  readonly expr: string;
  /** Each stripped operand on its own (one entry when there is no top-level set operator). */
  readonly parts: readonly string[];
}

/**
 * Splits an expression at its top-level `and` / `or` / `unless` and strips each operand's trailing
 * comparison with a scalar ({@link stripTrailingComparison}); operands without one stay as they are. Set
 * operators bind looser than comparisons, so the rejoined expression keeps the original structure.
 *
 * @example
 * withoutThresholds("a > 0.05 and b * 300 >= 10");
 * // { expr: "a and b * 300", parts: ["a", "b * 300"] }
 */
export function withoutThresholds(expr: string): ThresholdFreeExpression {
  const { setOps } = scanTopLevel(expr);
  const operands: string[] = [];
  const operators: string[] = [];
  let start = 0;
  for (const op of setOps) {
    operands.push(expr.slice(start, op.index));
    start = op.index + op.text.length;
    const modifier = MATCHING_MODIFIER.exec(expr.slice(start).trimStart());
    const skipped = expr.slice(start).length - expr.slice(start).trimStart().length;
    operators.push(modifier ? `${op.text} ${modifier[0].trim()}` : op.text);
    if (modifier) start += skipped + modifier[0].length;
  }
  operands.push(expr.slice(start));
  const parts = operands.map((o) => stripTrailingComparison(o) ?? o.trim());
  const joined = parts.reduce((acc, part, k) => `${acc} ${operators[k - 1] as string} ${part}`);
  return { expr: joined, parts };
}
