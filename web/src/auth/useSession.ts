import { useSyncExternalStore } from 'react';
import type { Session, SessionState } from '../api/client';

/** The client's session state; re-renders the caller when it changes. */
export function useSession(session: Session): SessionState {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}
