import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { isInProgress } from "./labels";
import type { DocumentStatus, DocumentType, DocumentUpdate, KnowledgeDocument, SearchRequest } from "./types";
import { type UploadRequest, uploadDocument } from "./upload";

export const DOCUMENT_PAGE_SIZE = 25;
export const CHUNK_PAGE_SIZE = 50;
export const SEARCH_LIMIT = 20;
/** How often a screen showing a queued or processing document asks again. */
export const STATUS_POLL_MS = 2_000;

const DOCUMENTS_PATH = "/api/v1/workspaces/{workspace_id}/knowledge/documents";
const DOCUMENT_PATH = `${DOCUMENTS_PATH}/{document_id}` as const;
const SEARCH_PATH = "/api/v1/workspaces/{workspace_id}/knowledge/search";

export interface DocumentFilters {
  status?: DocumentStatus;
  document_type?: DocumentType;
  tag?: string[];
  q?: string;
}

export const knowledgeKeys = {
  all: (workspaceId: string) => ["workspaces", workspaceId, "knowledge"] as const,
  lists: (workspaceId: string) => [...knowledgeKeys.all(workspaceId), "list"] as const,
  detail: (workspaceId: string, documentId: string) => [...knowledgeKeys.all(workspaceId), "detail", documentId] as const,
  chunks: (workspaceId: string, documentId: string) => [...knowledgeKeys.detail(workspaceId, documentId), "chunks"] as const,
  searches: (workspaceId: string) => [...knowledgeKeys.all(workspaceId), "search"] as const,
};

/** The file as uploaded (an attachment); the session cookie authorizes the plain link. */
export const downloadUrl = (workspaceId: string, documentId: string) =>
  `/api/v1/workspaces/${workspaceId}/knowledge/documents/${documentId}/file`;

const pollWhileInProgress = (documents: readonly KnowledgeDocument[] | undefined) =>
  documents?.some((document) => isInProgress(document.status)) ? STATUS_POLL_MS : false;

/** One page of the library, newest first; refreshed while a document on it is being ingested. */
export const documentListQuery = (workspaceId: string, filters: DocumentFilters, cursor?: string) =>
  queryOptions({
    queryKey: [...knowledgeKeys.lists(workspaceId), filters, cursor ?? null],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET(DOCUMENTS_PATH, {
          params: { path: { workspace_id: workspaceId }, query: { ...filters, cursor, limit: DOCUMENT_PAGE_SIZE } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => pollWhileInProgress(query.state.data?.items),
  });

export const documentQuery = (workspaceId: string, documentId: string) =>
  queryOptions({
    queryKey: knowledgeKeys.detail(workspaceId, documentId),
    queryFn: ({ signal }) =>
      unwrap(api.GET(DOCUMENT_PATH, { params: { path: { workspace_id: workspaceId, document_id: documentId } }, signal })),
    refetchInterval: (query) => pollWhileInProgress(query.state.data ? [query.state.data] : undefined),
  });

/** The document's chunks in order, a page at a time. */
export const chunkListQuery = (workspaceId: string, documentId: string) =>
  infiniteQueryOptions({
    queryKey: knowledgeKeys.chunks(workspaceId, documentId),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET(`${DOCUMENT_PATH}/chunks`, {
          params: {
            path: { workspace_id: workspaceId, document_id: documentId },
            query: { cursor: pageParam, limit: CHUNK_PAGE_SIZE },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

/** A search is a read: POST only because its filters do not fit a URL well. */
export const knowledgeSearchQuery = (workspaceId: string, request: SearchRequest) =>
  queryOptions({
    queryKey: [...knowledgeKeys.searches(workspaceId), request],
    queryFn: ({ signal }) =>
      unwrap(api.POST(SEARCH_PATH, { params: { path: { workspace_id: workspaceId } }, body: request, signal })),
    placeholderData: keepPreviousData,
  });

export function useUploadDocument(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: Omit<UploadRequest, "workspaceId">) => uploadDocument({ ...request, workspaceId }),
    onSuccess: (created) => {
      queryClient.setQueryData(knowledgeKeys.detail(workspaceId, created.id), created);
      return queryClient.invalidateQueries({ queryKey: knowledgeKeys.lists(workspaceId) });
    },
  });
}

/** Saves the document everywhere it is shown, and refreshes lists (filters may no longer match). */
function useSaveDocument(workspaceId: string) {
  const queryClient = useQueryClient();
  return (saved: KnowledgeDocument) => {
    queryClient.setQueryData(knowledgeKeys.detail(workspaceId, saved.id), saved);
    return queryClient.invalidateQueries({ queryKey: knowledgeKeys.lists(workspaceId) });
  };
}

export function useUpdateDocument(workspaceId: string, documentId: string) {
  const save = useSaveDocument(workspaceId);
  return useMutation({
    mutationFn: (body: DocumentUpdate) =>
      unwrap(api.PATCH(DOCUMENT_PATH, { params: { path: { workspace_id: workspaceId, document_id: documentId } }, body })),
    onSuccess: save,
  });
}

export function useReingestDocument(workspaceId: string) {
  const save = useSaveDocument(workspaceId);
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: string) =>
      unwrap(api.POST(`${DOCUMENT_PATH}/reingest`, { params: { path: { workspace_id: workspaceId, document_id: documentId } } })),
    onSuccess: async (saved) => {
      queryClient.removeQueries({ queryKey: knowledgeKeys.chunks(workspaceId, saved.id) });
      await save(saved);
    },
  });
}

export function useDeleteDocument(workspaceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: string) =>
      unwrap(api.DELETE(DOCUMENT_PATH, { params: { path: { workspace_id: workspaceId, document_id: documentId } } })),
    onSuccess: (_, documentId) => {
      queryClient.removeQueries({ queryKey: knowledgeKeys.detail(workspaceId, documentId) });
      void queryClient.invalidateQueries({ queryKey: knowledgeKeys.searches(workspaceId) });
      return queryClient.invalidateQueries({ queryKey: knowledgeKeys.lists(workspaceId) });
    },
  });
}
