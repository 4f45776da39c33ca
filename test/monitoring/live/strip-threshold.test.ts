import { describe, expect, it } from "vitest";
import { ALERT_NAMES, buildRuleGroups, type AlertingRule } from "../../../src/monitoring";
import { stripTrailingComparison, withoutThresholds } from "./strip-threshold";

describe("stripTrailingComparison", () => {
  it.each([
    ["x > 0.05", "x"],
    ["x < 3", "x"],
    ["x >= 10", "x"],
    ["x <= 1e-3", "x"],
    ["x == 0", "x"],
    ["x != -1", "x"],
    ["x > bool 0", "x"],
    ["x > +Inf", "x"],
    ['up{component="model-server"} == 0', 'up{component="model-server"}'],
    ["max by (job, backend) (shoestring_router_breaker_state) > 0", "max by (job, backend) (shoestring_router_breaker_state)"],
    ["sum by (job) (rate(x[2m])) * 60 > 0", "sum by (job) (rate(x[2m])) * 60"],
  ])("strips the trailing comparison of %s", (expr, lhs) => {
    expect(stripTrailingComparison(expr)).toBe(lhs);
  });

  it("strips only the last comparison of a chain", () => {
    expect(stripTrailingComparison("x > 1 < 5")).toBe("x > 1");
  });

  it("ignores operators inside label matchers, strings, ranges and parentheses", () => {
    expect(stripTrailingComparison('x{a!="b", c=~"d|e", f!~">2"}')).toBeUndefined();
    expect(stripTrailingComparison("sum(x > 1)")).toBeUndefined();
    expect(stripTrailingComparison('label_replace(x, "y", ">= 2", "z", "") > 1')).toBe('label_replace(x, "y", ">= 2", "z", "")');
  });

  it("leaves comparisons with a vector or under a set operator alone", () => {
    expect(stripTrailingComparison("x > y")).toBeUndefined();
    expect(stripTrailingComparison("x > 2 * 3")).toBeUndefined();
    expect(stripTrailingComparison("a > 1 and b > 2")).toBeUndefined();
    expect(stripTrailingComparison("count(up == 0) or vector(0)")).toBeUndefined();
  });

  it("does not take metric names that contain and/or/unless for set operators", () => {
    expect(stripTrailingComparison("command_total + sensor_orders > 4")).toBe("command_total + sensor_orders");
  });
});

describe("withoutThresholds", () => {
  it("strips each operand of a top-level and/or/unless and keeps the operators", () => {
    expect(withoutThresholds("a > 0.05 and b * 300 >= 10")).toEqual({ expr: "a and b * 300", parts: ["a", "b * 300"] });
    expect(withoutThresholds("sum(a) > 10 or sum(b) > 10")).toEqual({ expr: "sum(a) or sum(b)", parts: ["sum(a)", "sum(b)"] });
    expect(withoutThresholds("a > 1 unless b")).toEqual({ expr: "a unless b", parts: ["a", "b"] });
  });

  it("keeps vector matching modifiers with their operator", () => {
    expect(withoutThresholds("a > 1 and on (job) b < 2")).toEqual({ expr: "a and on (job) b", parts: ["a", "b"] });
  });

  it("returns an expression without thresholds as it is", () => {
    expect(withoutThresholds("sum(rate(x[5m]))")).toEqual({ expr: "sum(rate(x[5m]))", parts: ["sum(rate(x[5m]))"] });
  });

  it("removes every shipped alert's threshold comparison", () => {
    const alerts = buildRuleGroups().flatMap((g) => g.rules).filter((r): r is AlertingRule => "alert" in r);
    expect(alerts.map((a) => a.alert)).toEqual([...ALERT_NAMES]);
    for (const a of alerts) {
      for (const part of withoutThresholds(a.expr).parts) expect(part, a.alert).not.toMatch(/(?:==|!=|>=|<=|>|<)\s*[\d.]+\s*$/);
    }
  });
});
