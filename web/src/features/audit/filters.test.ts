import { describe, expect, it } from "vitest";

import { auditFilterFormSchema, toAuditQuery, toAuditSearch, toFilterValues } from "./filters";
import { auditSearchSchema } from "./search";

describe("auditSearchSchema", () => {
  it("keeps valid filters and drops malformed ones", () => {
    expect(auditSearchSchema.parse({ action: "campaigns.campaign_created", from: "2030-01-31", to: "31/01/2030", actor: "" })).toEqual({
      action: "campaigns.campaign_created",
      from: "2030-01-31",
    });
  });
});

describe("toAuditQuery", () => {
  it("turns whole local days into the API's instants, both days included", () => {
    expect(toAuditQuery({ from: "2030-01-31", to: "2030-02-02", actor: "u1", object_type: "campaign" })).toEqual({
      action: undefined,
      object_type: "campaign",
      actor_id: "u1",
      occurred_after: new Date(2030, 0, 31).toISOString(),
      occurred_before: new Date(2030, 1, 3).toISOString(),
      cursor: undefined,
      limit: 50,
    });
  });
});

describe("the filter form", () => {
  it("round-trips the URL, leaving out empty fields and the cursor", () => {
    const values = toFilterValues({ action: "members.member_invited", cursor: "c2" });
    expect(values).toEqual({ action: "members.member_invited", object_type: "", actor: "", from: "", to: "" });
    expect(toAuditSearch({ ...values, object_type: "invitation" })).toEqual({
      action: "members.member_invited",
      object_type: "invitation",
      actor: undefined,
      from: undefined,
      to: undefined,
      cursor: undefined,
    });
  });

  it("refuses a range that ends before it starts", () => {
    const result = auditFilterFormSchema.safeParse({ action: "", object_type: "", actor: "", from: "2030-02-02", to: "2030-02-01" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ["to"], message: "“To” is before “From”." });
  });
});
