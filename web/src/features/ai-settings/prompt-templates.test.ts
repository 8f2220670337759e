import { describe, expect, it } from "vitest";

import { ApiError } from "../../api/problem";
import { lineOfVariable, lineText, noteProblem, templateFormSchema, templateProblems } from "./prompt-templates";

const SOURCE = ["Write for {{ channel_name }}.", "{% for m in campaign.key_messages %}- {{ m }}", "{% endfor %}", "Hi {{ campaign_nmae }} and {{ campaign.name }}"].join("\n");

const unprocessable = (extra: Record<string, unknown>) =>
  new ApiError({ type: "about:blank", title: "Request validation failed", status: 422, detail: "The template is not valid.", ...extra });

describe("lineOfVariable", () => {
  it("finds the line where a variable is read inside a Jinja tag", () => {
    expect(lineOfVariable(SOURCE, "campaign_nmae")).toBe(4);
    expect(lineOfVariable(SOURCE, "channel_name")).toBe(1);
    expect(lineOfVariable(SOURCE, "campaign")).toBe(2);
  });

  it("ignores attributes, longer names and plain text", () => {
    // `campaign.name` reads `campaign`, not `name`; "Write" is text, not a variable.
    expect(lineOfVariable(SOURCE, "name")).toBeNull();
    expect(lineOfVariable(SOURCE, "channel")).toBeNull();
    expect(lineOfVariable(SOURCE, "Write")).toBeNull();
  });

  it("counts lines inside a tag that spans several", () => {
    expect(lineOfVariable("a\n{{\n  foo\n}}", "foo")).toBe(3);
  });
});

describe("templateProblems", () => {
  it("puts an unknown variable at the line that reads it", () => {
    const error = unprocessable({
      errors: [{ loc: ["body", "template", "campaign_nmae"], msg: "`campaign_nmae` is not a variable", type: "unknown_variable" }],
    });
    expect(templateProblems(error, SOURCE)).toEqual([{ line: 4, message: "`campaign_nmae` is not a variable" }]);
  });

  it("uses the problem's line for a syntax error, and no line for a missing variable", () => {
    const syntax = unprocessable({
      line: 2,
      errors: [{ loc: ["body", "template"], msg: "Template syntax error on line 2: unexpected end", type: "template_syntax" }],
    });
    expect(templateProblems(syntax, SOURCE)).toEqual([{ line: 2, message: "Template syntax error on line 2: unexpected end" }]);
    const missing = unprocessable({
      errors: [{ loc: ["body", "template", "sources"], msg: "The generate template must use `sources`.", type: "missing_variable" }],
    });
    expect(templateProblems(missing, "{{ sources }}")).toEqual([{ line: null, message: "The generate template must use `sources`." }]);
  });

  it("leaves the note's errors to the note, and ignores other statuses", () => {
    const note = unprocessable({ errors: [{ loc: ["body", "note"], msg: "Too long", type: "string_too_long" }] });
    expect(templateProblems(note, SOURCE)).toEqual([]);
    expect(noteProblem(note)).toBe("Too long");
    expect(templateProblems(new ApiError({ type: "about:blank", title: "Conflict", status: 409 }), SOURCE)).toEqual([]);
    expect(templateProblems(unprocessable({}), SOURCE)).toEqual([{ line: null, message: "The template is not valid." }]);
  });
});

describe("the template form", () => {
  it("needs some text, within the API's limits", () => {
    expect(templateFormSchema.safeParse({ template: "  \n", note: "" }).success).toBe(false);
    expect(templateFormSchema.safeParse({ template: "x".repeat(20_001), note: "" }).success).toBe(false);
    expect(templateFormSchema.safeParse({ template: "{{ sources }}", note: "n".repeat(301) }).success).toBe(false);
    expect(templateFormSchema.safeParse({ template: "{{ sources }}", note: "Shorter" }).success).toBe(true);
  });

  it("reads a line's text", () => {
    expect(lineText(SOURCE, 3)).toBe("{% endfor %}");
    expect(lineText(SOURCE, 9)).toBeNull();
  });
});
