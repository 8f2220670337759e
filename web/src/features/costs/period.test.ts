import { describe, expect, it } from "vitest";

import { MAX_REPORT_DAYS, addDays, customRangeErrors, daysIn, nextMonthStart, resolvePeriod, todayUtc } from "./period";

const TODAY = "2026-11-29";

describe("resolvePeriod", () => {
  it("is this month, from the 1st to today, by default", () => {
    expect(resolvePeriod({}, TODAY)).toEqual({ kind: "month", from: "2026-11-01", to: TODAY });
  });

  it("counts the last 30 and 90 days with today included", () => {
    const thirty = resolvePeriod({ period: "30d" }, TODAY);
    expect(thirty).toEqual({ kind: "30d", from: "2026-10-31", to: TODAY });
    expect(daysIn(thirty.from, thirty.to)).toBe(30);
    const ninety = resolvePeriod({ period: "90d" }, "2026-03-01");
    expect(ninety.from).toBe("2025-12-02");
    expect(daysIn(ninety.from, ninety.to)).toBe(90);
  });

  it("takes a custom range as given and fills in a missing end", () => {
    expect(resolvePeriod({ period: "custom", from: "2026-01-05", to: "2026-02-10" }, TODAY)).toEqual({
      kind: "custom",
      from: "2026-01-05",
      to: "2026-02-10",
    });
    expect(resolvePeriod({ period: "custom", from: "2026-01-05" }, TODAY)).toEqual({ kind: "custom", from: "2026-01-05", to: TODAY });
  });
});

describe("customRangeErrors", () => {
  it("accepts a range of at most a year", () => {
    expect(customRangeErrors("2026-01-01", "2026-01-01")).toBeNull();
    expect(customRangeErrors("2024-01-01", addDays("2024-01-01", MAX_REPORT_DAYS - 1))).toBeNull();
  });

  it("names each problem on its field", () => {
    expect(customRangeErrors("", "2026-01-01")).toEqual({ from: "Enter the first day." });
    expect(customRangeErrors("2026-02-30", "nonsense")).toEqual({ from: "Enter the first day.", to: "Enter the last day." });
    expect(customRangeErrors("2026-02-01", "2026-01-31")).toEqual({ to: "The last day is before the first." });
    expect(customRangeErrors("2024-01-01", addDays("2024-01-01", MAX_REPORT_DAYS))).toEqual({ to: "A report covers at most 366 days." });
  });
});

describe("days and months", () => {
  it("crosses month, year and leap days in UTC", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(todayUtc(new Date("2026-11-29T23:59:59-05:00"))).toBe("2026-11-30");
  });

  it("finds when a budget month ends", () => {
    expect(nextMonthStart("2026-11")?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(nextMonthStart("2026-12")?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(nextMonthStart("garbage")).toBeNull();
  });
});
