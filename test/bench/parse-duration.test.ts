import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/bench";

describe("parseDuration", () => {
  it("reads ms, s, m and h, with decimals and spaces", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("2m")).toBe(120_000);
    expect(parseDuration(" 1H ")).toBe(3_600_000);
  });

  it("refuses a bare number, naming the flag and suggesting units", () => {
    expect(() => parseDuration("30", "--duration")).toThrow('--duration "30" has no unit; write 30s or 30ms (units: ms, s, m, h).');
  });

  it("refuses zero, negative and unknown units", () => {
    for (const text of ["0s", "-5s", "10d", "fast"]) {
      expect(() => parseDuration(text, "--timeout")).toThrow(
        `--timeout "${text}" is not a duration > 0; write a number with a unit: 500ms, 30s, 1.5s, 2m or 1h.`,
      );
    }
  });
});
