import { useSyncExternalStore } from 'react';
import { type SessionSnapshot, session } from './session.ts';

/** The signed-in user (or null) and why they were signed out; re-renders on every change. */
export function useSession(): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
