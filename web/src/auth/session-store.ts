// The signed-in session, in memory only. The session cookie is httpOnly (JS never sees it);
// the CSRF token comes from the session endpoint's body and is never written to storage.
import type { Session } from "./session-api";

type Listener = () => void;

let current: Session | null = null;
const listeners = new Set<Listener>();

// Arrow functions: React's useSyncExternalStore receives `get` and `subscribe` detached.
export const sessionStore = {
  get: (): Session | null => current,
  set: (session: Session | null): void => {
    current = session;
    listeners.forEach((listener) => listener());
  },
  csrfToken: (): string | null => current?.csrf_token ?? null,
  subscribe: (listener: Listener): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
