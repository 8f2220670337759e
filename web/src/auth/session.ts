// Session state for the app: restored from the cookie at start, set by sign-in, cleared by
// sign-out or by any 401.
import { useSyncExternalStore } from "react";

import { type Session, fetchSession } from "./session-api";
import { sessionStore } from "./session-store";

let restoring: Promise<Session | null> | null = null;

/** The current session; asks the server once (GET /auth/session) when none is known yet. */
export function ensureSession(): Promise<Session | null> {
  const known = sessionStore.get();
  if (known) return Promise.resolve(known);
  restoring ??= fetchSession()
    .then((session) => {
      sessionStore.set(session);
      return session;
    })
    .finally(() => {
      restoring = null;
    });
  return restoring;
}

export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}

/**
 * Where to go after signing in: only a path on this origin, so a crafted `?redirect=` link
 * cannot send someone elsewhere.
 */
export function safeRedirect(target: string | undefined): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  if (target.startsWith("/sign-in")) return "/";
  return target;
}
