/**
 * The admin key, for this browser tab's session only: sessionStorage (never a cookie, never a
 * URL). Closing the tab forgets it.
 */
const STORAGE = 'switchyard.admin-key';

type Listener = (signedIn: boolean) => void;
const listeners = new Set<Listener>();

export function adminKey(): string | null {
  return sessionStorage.getItem(STORAGE);
}

export function signIn(key: string): void {
  sessionStorage.setItem(STORAGE, key);
  for (const listener of listeners) listener(true);
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE);
  for (const listener of listeners) listener(false);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
