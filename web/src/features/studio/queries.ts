import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { isApiError } from "../../api/problem";
import { type ContentScope, contentKeys } from "../content/queries";
import { newIdempotencyKey } from "./idempotency";
import type { Check, Generation, GenerationCreate, Provenance } from "./types";

const CONTENT_PATH = "/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}/contents/{content_id}";
const VERSION_PATH = `${CONTENT_PATH}/versions/{number}` as const;
const GENERATIONS_PATH = `${CONTENT_PATH}/generations` as const;

const pathOf = (scope: ContentScope, contentId: string) => ({
  workspace_id: scope.workspaceId,
  campaign_id: scope.campaignId,
  content_id: contentId,
});

export const studioKeys = {
  check: (scope: ContentScope, contentId: string, number: number) =>
    [...contentKeys.detail(scope, contentId), "check", number] as const,
  provenance: (scope: ContentScope, contentId: string, number: number) =>
    [...contentKeys.detail(scope, contentId), "provenance", number] as const,
  version: (scope: ContentScope, contentId: string, number: number) =>
    [...contentKeys.detail(scope, contentId), "version", number] as const,
  generations: (scope: ContentScope, contentId: string) => [...contentKeys.detail(scope, contentId), "generations"] as const,
};

/** One version (versions never change). */
export const versionQuery = (scope: ContentScope, contentId: string, number: number) =>
  queryOptions({
    queryKey: studioKeys.version(scope, contentId, number),
    queryFn: ({ signal }) => unwrap(api.GET(VERSION_PATH, { params: { path: { ...pathOf(scope, contentId), number } }, signal })),
    staleTime: Infinity,
  });

/** The version's compliance check against the current brand kit (the API runs it if it has none). */
export const checkQuery = (scope: ContentScope, contentId: string, number: number) =>
  queryOptions({
    queryKey: studioKeys.check(scope, contentId, number),
    queryFn: ({ signal }) =>
      unwrap(api.GET(`${VERSION_PATH}/check`, { params: { path: { ...pathOf(scope, contentId), number } }, signal })),
  });

const isMissingProvenance = (error: unknown) =>
  isApiError(error) && error.status === 404 && error.type.endsWith("/provenance-not-found");

/** How a generated version came to be; null for a version a person wrote. */
export const provenanceQuery = (scope: ContentScope, contentId: string, number: number) =>
  queryOptions({
    queryKey: studioKeys.provenance(scope, contentId, number),
    queryFn: async ({ signal }): Promise<Provenance | null> => {
      try {
        return await unwrap(
          api.GET(`${VERSION_PATH}/provenance`, { params: { path: { ...pathOf(scope, contentId), number } }, signal }),
        );
      } catch (error) {
        if (isMissingProvenance(error)) return null;
        throw error;
      }
    },
    staleTime: Infinity,
  });

/** The item's newest generation, to follow one still running after a reload. */
export const latestGenerationQuery = (scope: ContentScope, contentId: string) =>
  queryOptions({
    queryKey: [...studioKeys.generations(scope, contentId), "latest"],
    queryFn: async ({ signal }): Promise<Generation | null> => {
      const page = await unwrap(
        api.GET(GENERATIONS_PATH, { params: { path: pathOf(scope, contentId), query: { limit: 1 } }, signal }),
      );
      return page.items[0] ?? null;
    },
    staleTime: 0,
  });

export async function fetchGeneration(scope: ContentScope, contentId: string, generationId: string): Promise<Generation> {
  return unwrap(
    api.GET(`${GENERATIONS_PATH}/{generation_id}`, {
      params: { path: { ...pathOf(scope, contentId), generation_id: generationId } },
    }),
  );
}

/** Queues a generation or rewrite. Each call is one click: its own `Idempotency-Key`. */
export function useStartGeneration(scope: ContentScope, contentId: string) {
  return useMutation({
    mutationFn: (body: GenerationCreate) =>
      unwrap(
        api.POST(GENERATIONS_PATH, {
          params: { path: pathOf(scope, contentId) },
          body,
          headers: { "Idempotency-Key": newIdempotencyKey() },
        }),
      ),
  });
}

/** Runs the version's check again now (new knowledge may back a claim). */
export function useRecheck(scope: ContentScope, contentId: string, number: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST(`${VERSION_PATH}/check`, { params: { path: { ...pathOf(scope, contentId), number } }, body: {} })),
    onSuccess: (check: Check) => queryClient.setQueryData(studioKeys.check(scope, contentId, number), check),
  });
}
