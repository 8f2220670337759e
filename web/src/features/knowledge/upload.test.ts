import { describe, expect, it } from "vitest";

import { ApiError } from "../../api/problem";
import { sessionStore } from "../../auth/session-store";
import { WORKSPACE, document, installFakeXhr } from "./knowledge-test-backend";
import { MAX_UPLOAD_BYTES, outcomeOf, precheck, uploadDocument } from "./upload";

const file = (name: string, text = "Grip that holds on wet rock.") => new File([text], name, { type: "text/markdown" });

describe("uploadDocument", () => {
  it("posts the file and its tags as multipart with the CSRF token, reporting progress", async () => {
    sessionStore.set({ user: { id: "u1", email: "w@x.example", display_name: "W" }, csrf_token: "csrf-9", expires_at: "2999-01-01T00:00:00Z" });
    const calls = installFakeXhr(() => ({ status: 201, body: document("d1", { status: "queued" }) }));
    const progress: number[] = [];

    const created = await uploadDocument({ workspaceId: WORKSPACE, file: file("guide.md"), tags: ["brand", "voice"], onProgress: (f) => progress.push(f) });

    expect(created.id).toBe("d1");
    const [call] = calls;
    expect(call?.method).toBe("POST");
    expect(call?.url).toBe(`/api/v1/workspaces/${WORKSPACE}/knowledge/documents`);
    expect(call?.headers["x-csrf-token"]).toBe("csrf-9");
    expect((call?.body.get("file") as File).name).toBe("guide.md");
    expect(call?.body.getAll("tags")).toEqual(["brand", "voice"]);
    expect(progress[0]).toBe(0.5);
    expect(progress.at(-1)).toBe(1);
  });

  it("rejects with the problem the API answered", async () => {
    installFakeXhr(() => ({
      status: 409,
      body: { type: "about:blank", title: "Conflict", status: 409, detail: "Already there as “Guide”.", document_id: "d7" },
    }));
    const error: unknown = await uploadDocument({ workspaceId: WORKSPACE, file: file("guide.md") }).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect(outcomeOf(error)).toEqual({ kind: "duplicate", documentId: "d7", message: "Already there as “Guide”." });
  });
});

describe("outcomeOf", () => {
  const apiError = (status: number, detail: string) => new ApiError({ type: "about:blank", title: "Refused", status, detail });

  it("explains refusals by their status", () => {
    expect(outcomeOf(apiError(415, "The bytes are an image."))).toMatchObject({ kind: "refused", message: expect.stringContaining("Not a supported file type") as string });
    expect(outcomeOf(apiError(413, "Over the limit."))).toMatchObject({ kind: "refused", message: "Too large. Over the limit." });
    expect(outcomeOf(apiError(503, "Try later."))).toEqual({ kind: "failed", message: "Try later." });
    expect(outcomeOf(new DOMException("stop", "AbortError"))).toEqual({ kind: "cancelled" });
  });

  it("refuses empty and oversized files before sending them", () => {
    expect(precheck(new File([], "empty.txt"))).toEqual({ kind: "refused", message: "The file is empty." });
    const huge = { name: "huge.pdf", size: MAX_UPLOAD_BYTES + 1 } as File;
    expect(precheck(huge)).toMatchObject({ kind: "refused" });
    expect(precheck(file("ok.md"))).toBeNull();
  });
});
