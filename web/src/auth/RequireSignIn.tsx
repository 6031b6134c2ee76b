import { useEffect, type ReactNode } from 'react';
import type { Session, SessionState, User } from '../api/client';
import { LoadingView } from '../components/StatusViews';
import { navigate, paths, usePathname } from '../router/router';
import { useSession } from './useSession';

export interface RequireSignInProps {
  session: Session;
  children: (user: User) => ReactNode;
}

/**
 * Shows its children to a signed-in user. Others go to the log-in page, which brings them back
 * here, except after they chose to leave (logged out, deleted the account): then to the catalog.
 */
export function RequireSignIn({ session, children }: RequireSignInProps) {
  const state = useSession(session);
  const pathname = usePathname();
  const target = redirectFor(state, pathname + window.location.search);

  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target]);

  if (state.status === 'signed-in') return children(state.user);
  return state.status === 'unknown' ? <LoadingView label="Checking your session…" /> : null;
}

function redirectFor(state: SessionState, here: string): string | null {
  if (state.status !== 'signed-out') return null;
  const left = state.reason === 'logged-out' || state.reason === 'deleted';
  return left ? paths.catalog() : paths.login(here);
}
