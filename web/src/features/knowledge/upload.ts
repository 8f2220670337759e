// Uploads a document with progress. `fetch` cannot report upload progress, so this one call uses
// XMLHttpRequest; like `api`, it sends the session cookie (same origin) and the CSRF token, and
// turns a failure into an `ApiError` carrying the problem+json.
import { CSRF_HEADER } from "../../auth/session-api";
import { sessionStore } from "../../auth/session-store";
import { ApiError, isApiError } from "../../api/problem";
import type { KnowledgeDocument } from "./types";

/** The server's default upload limit (`BRANDFLOW_KNOWLEDGE_MAX_UPLOAD_BYTES`); it has the last word. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** What the API reads: the type is sniffed from the bytes, the extension only helps the picker. */
export const ACCEPTED_EXTENSIONS = [".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"] as const;

export interface UploadRequest {
  workspaceId: string;
  file: File;
  /** Defaults to the file name on the server. */
  title?: string;
  tags?: readonly string[];
  /** Called with the share of bytes sent, 0 to 1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export const uploadPath = (workspaceId: string) => `/api/v1/workspaces/${workspaceId}/knowledge/documents`;

export function uploadDocument({ workspaceId, file, title, tags = [], onProgress, signal }: UploadRequest): Promise<KnowledgeDocument> {
  const form = new FormData();
  form.append("file", file, file.name);
  if (title?.trim()) form.append("title", title.trim());
  for (const tag of tags) form.append("tags", tag);

  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", uploadPath(workspaceId));
    xhr.responseType = "text";
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    const csrf = sessionStore.csrfToken();
    if (csrf) xhr.setRequestHeader(CSRF_HEADER, csrf);

    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && body !== undefined) {
        onProgress?.(1);
        resolve(body as KnowledgeDocument);
        return;
      }
      reject(ApiError.from(body ?? xhr.responseText, new Response(null, { status: xhr.status || 500, statusText: xhr.statusText })));
    });
    xhr.addEventListener("error", () => reject(ApiError.network(new Error("upload failed"))));
    xhr.addEventListener("abort", () => reject(new DOMException("The upload was cancelled.", "AbortError")));

    if (signal?.aborted) {
      reject(new DOMException("The upload was cancelled.", "AbortError"));
      return;
    }
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** What became of one file, as the upload list shows it. */
export type UploadOutcome =
  | { kind: "uploaded"; document: KnowledgeDocument }
  | { kind: "duplicate"; documentId: string | null; message: string }
  | { kind: "refused"; message: string }
  | { kind: "failed"; message: string }
  | { kind: "cancelled" };

/** Sorts an upload's error into what the person can do about it. */
export function outcomeOf(error: unknown): UploadOutcome {
  if (error instanceof DOMException && error.name === "AbortError") return { kind: "cancelled" };
  if (!isApiError(error)) return { kind: "failed", message: error instanceof Error ? error.message : "The upload failed." };
  const message = error.detail ?? error.title;
  switch (error.status) {
    case 409: {
      const id = (error.problem as { document_id?: unknown }).document_id;
      return { kind: "duplicate", documentId: typeof id === "string" ? id : null, message };
    }
    case 413:
      return { kind: "refused", message: `Too large. ${message}` };
    case 415:
      return { kind: "refused", message: `Not a supported file type (text, Markdown, HTML, PDF or Word .docx). ${message}` };
    case 422:
      return { kind: "refused", message: error.errors.length > 0 ? error.errors.map((e) => e.msg).join(" ") || message : message };
    default:
      return { kind: "failed", message };
  }
}

/** A refusal known before sending any byte, or null. */
export function precheck(file: File): UploadOutcome | null {
  if (file.size === 0) return { kind: "refused", message: "The file is empty." };
  if (file.size > MAX_UPLOAD_BYTES) {
    return { kind: "refused", message: `Too large: files may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` };
  }
  return null;
}
