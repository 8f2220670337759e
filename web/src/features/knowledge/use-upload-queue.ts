import { useRef, useState } from "react";

import { useUploadDocument } from "./queries";
import { type UploadOutcome, outcomeOf, precheck } from "./upload";

/** How many files go up at once; the rest wait their turn. */
export const UPLOAD_CONCURRENCY = 2;

export interface UploadItem {
  id: string;
  name: string;
  size: number;
  state: "waiting" | "uploading" | "done";
  /** Share of the bytes sent, 0 to 1. */
  progress: number;
  outcome?: UploadOutcome;
}

interface Job {
  id: string;
  file: File;
  tags: readonly string[];
  controller: AbortController;
}

let nextId = 0;

/**
 * Several files uploading side by side, each with its own progress and outcome. The uploads go
 * through one mutation (so a 401 still leads to sign-in) and carry on if the screen changes.
 */
export function useUploadQueue(workspaceId: string, concurrency = UPLOAD_CONCURRENCY) {
  const upload = useUploadDocument(workspaceId);
  const [items, setItems] = useState<UploadItem[]>([]);
  const waiting = useRef<Job[]>([]);
  const jobs = useRef(new Map<string, Job>());
  const active = useRef(0);
  // Files whose upload failed on the way (network, server error), kept for "Try again".
  const retryable = useRef(new Map<string, { file: File; tags: readonly string[] }>());

  const patch = (id: string, change: Partial<UploadItem>) =>
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...change } : item)));

  const pump = () => {
    while (active.current < concurrency && waiting.current.length > 0) {
      const job = waiting.current.shift();
      if (!job) break;
      active.current += 1;
      patch(job.id, { state: "uploading", progress: 0 });
      upload
        .mutateAsync({
          file: job.file,
          tags: job.tags,
          signal: job.controller.signal,
          onProgress: (progress) => patch(job.id, { progress }),
        })
        .then((document) => patch(job.id, { state: "done", progress: 1, outcome: { kind: "uploaded", document } }))
        .catch((error: unknown) => {
          const outcome = outcomeOf(error);
          if (outcome.kind === "failed") retryable.current.set(job.id, { file: job.file, tags: job.tags });
          patch(job.id, { state: "done", outcome });
        })
        .finally(() => {
          active.current -= 1;
          jobs.current.delete(job.id);
          pump();
        });
    }
  };

  const enqueue = (file: File, tags: readonly string[], id = `upload-${(nextId += 1)}`) => {
    const refused = precheck(file);
    if (refused) return { id, name: file.name, size: file.size, state: "done", progress: 0, outcome: refused } satisfies UploadItem;
    const job: Job = { id, file, tags, controller: new AbortController() };
    waiting.current.push(job);
    jobs.current.set(id, job);
    return { id, name: file.name, size: file.size, state: "waiting", progress: 0 } satisfies UploadItem;
  };

  /** Queues `files`, each with `tags`, and starts as many as may run. */
  const add = (files: readonly File[], tags: readonly string[]) => {
    const added = files.map((file) => enqueue(file, tags));
    setItems((list) => [...added, ...list]);
    pump();
  };

  const cancel = (id: string) => {
    const job = jobs.current.get(id);
    if (!job) return;
    job.controller.abort();
    const queued = waiting.current.findIndex((candidate) => candidate.id === id);
    if (queued >= 0) {
      waiting.current.splice(queued, 1);
      jobs.current.delete(id);
      patch(id, { state: "done", outcome: { kind: "cancelled" } });
    }
  };

  const retry = (id: string) => {
    const failed = retryable.current.get(id);
    if (!failed) return;
    retryable.current.delete(id);
    const again = enqueue(failed.file, failed.tags, id);
    patch(id, { ...again, outcome: again.outcome });
    pump();
  };

  const canRetry = (item: UploadItem) => item.outcome?.kind === "failed";

  /** Forgets the finished uploads (the documents stay in the library). */
  const clearFinished = () => {
    retryable.current.clear();
    setItems((list) => list.filter((item) => item.state !== "done"));
  };

  return { items, add, cancel, retry, canRetry, clearFinished };
}
