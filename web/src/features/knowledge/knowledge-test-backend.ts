// For the knowledge screens' tests only: an in-memory knowledge base on the fake network of
// src/test/fake-api.ts, and a fake XMLHttpRequest for uploads (jsdom's would go to the network).
import { vi } from "vitest";

import type { Permission } from "../../api/types";
import { type FakeApi, installFakeApi, json, problem } from "../../test/fake-api";
import type { Chunk, KnowledgeDocument, SearchRequest, SearchResponse } from "./types";

export const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
export const USER = { id: "00000000-0000-4000-8000-0000000000e1", email: "writer@northwind.example", display_name: "Wren Writer" };
export const EDITOR: Permission[] = ["workspace:read", "knowledge:read", "knowledge:write"];
export const READER: Permission[] = ["workspace:read", "knowledge:read"];

const at = "2030-01-01T00:00:00Z";

export function document(id: string, overrides: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
  return {
    id,
    workspace_id: WORKSPACE,
    title: `Document ${id}`,
    filename: `${id}.md`,
    document_type: "markdown",
    media_type: "text/markdown",
    size_bytes: 2048,
    sha256: id.padEnd(64, "0"),
    tags: [],
    metadata: {},
    status: "indexed",
    failure_reason: null,
    chunk_count: 3,
    page_count: null,
    embedding_model: "all-MiniLM-L6-v2",
    embedding_dimension: 384,
    uploaded_by: USER.id,
    created_at: at,
    updated_at: at,
    indexed_at: at,
    ...overrides,
  };
}

export function chunk(documentId: string, ordinal: number, text: string, page: number | null = null): Chunk {
  return { id: `${documentId}-c${ordinal}`, document_id: documentId, ordinal, text, start_offset: ordinal * 100, end_offset: ordinal * 100 + text.length, page, token_count: 20 };
}

export interface KnowledgeServer {
  fake: FakeApi;
  documents: KnowledgeDocument[];
  chunks: Map<string, Chunk[]>;
  searches: SearchRequest[];
  searchResponse: (request: SearchRequest) => SearchResponse;
}

/** A workspace's knowledge base: list (with the filters), get, patch, delete, re-ingest, chunks, search. */
export function knowledgeBackend(permissions: Permission[] = EDITOR, documents: KnowledgeDocument[] = []): KnowledgeServer {
  const server: KnowledgeServer = {
    fake: installFakeApi(),
    documents,
    chunks: new Map(),
    searches: [],
    searchResponse: (request) => ({ query: request.query, mode: request.mode, embedding_model: null, results: [] }),
  };
  const find = (id: string | undefined) => server.documents.find((item) => item.id === id);
  server.fake
    .on("GET /api/v1/auth/session", () => json({ user: USER, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user: USER, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme Running", slug: "acme", role: "editor", permissions, created_at: at }),
    )
    .on("GET /api/v1/workspaces/{id}/knowledge/documents", (request) => {
      const url = new URL(request.url);
      const status = url.searchParams.get("status");
      const tags = url.searchParams.getAll("tag");
      const q = url.searchParams.get("q")?.toLowerCase();
      const items = server.documents.filter(
        (item) =>
          (!status || item.status === status) &&
          tags.every((tag) => item.tags.includes(tag)) &&
          (!q || item.title.toLowerCase().includes(q) || item.filename.toLowerCase().includes(q)),
      );
      return json({ items, next_cursor: null });
    })
    .on("GET /api/v1/workspaces/{id}/knowledge/documents/{id}", (_, match) => {
      const found = find(match[2]);
      return found ? json(found) : problem(404, "Not found", "No such document in this workspace.");
    })
    .on("PATCH /api/v1/workspaces/{id}/knowledge/documents/{id}", async (request, match) => {
      const found = find(match[2]);
      if (!found) return problem(404, "Not found", "No such document in this workspace.");
      Object.assign(found, (await request.json()) as Partial<KnowledgeDocument>, { updated_at: "2030-01-02T00:00:00Z" });
      return json(found);
    })
    .on("DELETE /api/v1/workspaces/{id}/knowledge/documents/{id}", (_, match) => {
      server.documents = server.documents.filter((item) => item.id !== match[2]);
      return new Response(null, { status: 204 });
    })
    .on("POST /api/v1/workspaces/{id}/knowledge/documents/{id}/reingest", (_, match) => {
      const found = find(match[2]);
      if (!found) return problem(404, "Not found", "No such document in this workspace.");
      Object.assign(found, { status: "queued", failure_reason: null });
      return json(found, { status: 202 });
    })
    .on("GET /api/v1/workspaces/{id}/knowledge/documents/{id}/chunks", (_, match) =>
      json({ items: server.chunks.get(match[2] ?? "") ?? [], next_cursor: null }),
    )
    .on("POST /api/v1/workspaces/{id}/knowledge/search", async (request) => {
      const body = (await request.json()) as SearchRequest;
      server.searches.push(body);
      return json(server.searchResponse(body));
    });
  return server;
}

export interface XhrCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: FormData;
}

export interface XhrReply {
  status: number;
  body?: unknown;
}

/**
 * Replaces XMLHttpRequest: each `send` reports half the bytes sent, then waits for `reply`
 * (which may hold the upload open), then reports the rest and answers.
 */
export function installFakeXhr(reply: (call: XhrCall) => XhrReply | Promise<XhrReply>) {
  const calls: XhrCall[] = [];
  class FakeXhr extends EventTarget {
    readonly upload = new EventTarget();
    status = 0;
    statusText = "";
    responseText = "";
    responseType = "";
    private method = "GET";
    private url = "";
    private headers: Record<string, string> = {};
    private aborted = false;

    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }

    setRequestHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    }

    abort() {
      this.aborted = true;
      this.dispatchEvent(new Event("abort"));
    }

    send(body: FormData) {
      const call = { method: this.method, url: this.url, headers: this.headers, body };
      calls.push(call);
      const total = 100; // ProgressEvent counts whole bytes; any total will do for the fake
      void (async () => {
        await Promise.resolve();
        this.upload.dispatchEvent(new ProgressEvent("progress", { lengthComputable: true, loaded: total / 2, total }));
        const answer = await reply(call);
        if (this.aborted) return;
        this.upload.dispatchEvent(new ProgressEvent("progress", { lengthComputable: true, loaded: total, total }));
        this.status = answer.status;
        this.responseText = answer.body === undefined ? "" : JSON.stringify(answer.body);
        this.dispatchEvent(new Event("load"));
      })();
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return calls;
}

/** A reply the test releases when it wants the upload to finish. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
