import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useState } from "react";

import { type ContentScope, contentKeys } from "../content/queries";
import { type GenerationState, fromResource, isFinished, reduce } from "./generation-state";
import { fetchGeneration, latestGenerationQuery, studioKeys } from "./queries";
import { type Connection, type EventSourceFactory, GenerationStream } from "./sse";
import type { Generation } from "./types";

export interface UseGenerationOptions {
  /** Runs once a generation has ended and the item's data is fresh (its versions changed). */
  onSettled?: () => void;
  /** Tests pass a fake; the browser's EventSource otherwise. */
  eventSource?: EventSourceFactory;
}

export interface GenerationView {
  /** The generation on screen: the one just asked for, or one still running from before. */
  state: GenerationState | null;
  connection: Connection;
  /** Shows a generation the API just queued, and follows its stream. */
  follow: (generation: Generation) => void;
  /** Opens the stream again after the browser gave up on it. */
  reconnect: () => void;
}

/**
 * Follows a generation's progress: the stream's events while it runs, the resource once it has
 * ended. When the connection drops, the browser reconnects on its own; meanwhile (and when it
 * gives up) the resource is read, so a generation that ended while the stream was down still
 * shows its outcome. After a reload, one still running is picked up from the item's newest.
 */
export function useGeneration(scope: ContentScope, contentId: string, options: UseGenerationOptions = {}): GenerationView {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Generation | null>(null);
  const [progress, setProgress] = useState<GenerationState | null>(null);
  const [connection, setConnection] = useState<Connection>("closed");
  const [attempt, setAttempt] = useState(0);
  const latest = useQuery(latestGenerationQuery(scope, contentId)).data;
  const running = latest && !isFinished(latest) ? latest : null;
  const target = chosen ?? running;

  /** Refreshes what a generation changed: the item's current version, its versions, its generations. */
  const refresh = useEffectEvent(async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: contentKeys.detail(scope, contentId), exact: true }),
      queryClient.invalidateQueries({ queryKey: contentKeys.versions(scope, contentId) }),
      queryClient.invalidateQueries({ queryKey: contentKeys.lists(scope) }),
      queryClient.invalidateQueries({ queryKey: studioKeys.generations(scope, contentId) }),
    ]);
    options.onSettled?.();
  });

  /**
   * Reads the resource: once it has ended, it is the final word (with the model's label and the
   * usage, which events do not carry), also for a generation that ended while the stream was down.
   * `ended`: the stream said so, so refresh even if the resource cannot be read now.
   */
  const readResource = useEffectEvent(async (id: string, ended: boolean) => {
    let generation: Generation | null = null;
    try {
      generation = await fetchGeneration(scope, contentId, id);
    } catch {
      // Offline: the browser keeps retrying the stream, and "Reconnect" stays offered.
    }
    if (generation && isFinished(generation)) {
      const final = generation;
      setChosen(final);
      setProgress((previous) => fromResource(final, previous?.id === final.id ? previous : undefined));
      setConnection("closed");
      await refresh();
    } else if (ended) {
      await refresh();
    }
  });

  const openStream = useEffectEvent((generation: Generation) => {
    let local = fromResource(generation);
    const stream = new GenerationStream(
      generation.events_url,
      {
        onEvent: (event) => {
          local = reduce(local, event);
          setProgress(local);
          if (event.kind === "done" || event.kind === "error") void readResource(generation.id, true);
        },
        onConnection: (state) => {
          setConnection(state);
          if (state === "reconnecting" || state === "lost") void readResource(generation.id, false);
        },
      },
      options.eventSource,
    );
    stream.connect();
    return stream;
  });

  useEffect(() => {
    if (!target || isFinished(target)) return;
    const stream = openStream(target);
    return () => stream.close();
  }, [target, attempt]);

  const state = target ? (progress?.id === target.id ? progress : fromResource(target)) : null;
  return {
    state,
    connection: target && !isFinished(target) ? connection : "closed",
    follow: (generation) => {
      setProgress(fromResource(generation));
      setChosen(generation);
    },
    reconnect: () => setAttempt((count) => count + 1),
  };
}
