import { describe, expect, it } from "vitest";

import { formatCount, formatDay, formatMonth, formatPercent, formatUsd, formatUsdShort, fractionDigitsFor, shareOf } from "./format";

describe("formatUsd", () => {
  it.each([
    ["0", "$0.00"],
    ["12.345678", "$12.35"],
    ["1234567.5", "$1,234,567.50"],
    ["0.5", "$0.50"],
    ["0.10", "$0.10"],
    ["0.125", "$0.125"],
    ["0.0153", "$0.0153"],
    ["0.0042", "$0.0042"],
    ["0.01", "$0.01"],
    ["0.00000015", "$0.00000015"],
    ["0.000000000001", "$0.000000000001"],
    ["-0.25", "-$0.25"],
  ])("writes %s as %s", (amount, expected) => {
    expect(formatUsd(amount)).toBe(expected);
  });

  it("keeps fractions of a cent visible instead of rounding them to $0.00", () => {
    expect(formatUsd("0.004999")).toBe("$0.005");
    expect(formatUsd(0.0001234)).toBe("$0.000123");
  });

  it("shows a dash for nothing and the raw text for what is not a number", () => {
    expect(formatUsd(null)).toBe("—");
    expect(formatUsd(undefined)).toBe("—");
    expect(formatUsd("")).toBe("—");
    expect(formatUsd("abc")).toBe("abc USD");
  });

  it("uses cents from a dollar up and three significant digits below", () => {
    expect(fractionDigitsFor(0)).toBe(2);
    expect(fractionDigitsFor(5)).toBe(2);
    expect(fractionDigitsFor(0.5)).toBe(3);
    expect(fractionDigitsFor(0.002)).toBe(5);
    expect(fractionDigitsFor(1e-15)).toBe(12);
  });
});

describe("short and other formats", () => {
  it("abbreviates large axis amounts only", () => {
    expect(formatUsdShort(1500)).toBe("$1.5K");
    expect(formatUsdShort(0.004)).toBe("$0.004");
    expect(formatUsdShort(12)).toBe("$12.00");
  });

  it("formats counts, percentages, days and months", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatPercent("85.25")).toBe("85.3%");
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent("x")).toBe("—");
    expect(formatDay("2026-11-03")).toBe("Nov 3");
    expect(formatDay("not-a-day")).toBe("not-a-day");
    expect(formatMonth("2026-11")).toBe("November 2026");
  });

  it("computes shares, 0 for an empty total", () => {
    expect(shareOf("0.25", "1")).toBe(25);
    expect(shareOf("1", "0")).toBe(0);
  });
});
