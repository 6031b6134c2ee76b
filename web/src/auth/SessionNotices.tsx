import { useState } from 'react';
import type { Session, SessionState } from '../api/client';
import { kRoleNames } from '../lib/roles';
import { Link, paths, usePathname } from '../router/router';
import { useSession } from './useSession';

/**
 * Messages about the session at the top of every page: why it ended, and, for instructors and
 * admins without a second factor, that their role needs one before its pages open.
 */
export function SessionNotices({ session }: { session: Session }) {
  const state = useSession(session);
  const pathname = usePathname();
  const [dismissed, setDismissed] = useState<SessionState | null>(null);

  if (state.status === 'signed-in') {
    const { user } = state;
    if (user.role === 'learner' || user.mfa_enabled) return null;
    const role = kRoleNames[user.role].toLowerCase();
    return (
      <div className="banner banner-warning">
        <p>
          <strong>Set up two-factor authentication.</strong> Your {role} account needs it before the{' '}
          {role} pages open.{' '}
          {pathname === paths.account() ? (
            <a href="#two-factor">Set it up below</a>
          ) : (
            <Link to={`${paths.account()}#two-factor`}>Set it up on your account page</Link>
          )}
          .
        </p>
      </div>
    );
  }
  if (state.status !== 'signed-out' || state === dismissed) return null;
  const message =
    state.reason === 'expired'
      ? 'Your session has ended. Log in again to carry on.'
      : state.reason === 'deleted'
        ? 'Your account and its data have been deleted.'
        : null;
  if (!message) return null;
  return (
    <div className="banner" role="status">
      <p>
        {message}{' '}
        {state.reason === 'expired' && pathname !== paths.login() && (
          <Link to={paths.login(pathname)}>Log in</Link>
        )}
      </p>
      <button type="button" className="link-button" onClick={() => setDismissed(state)}>
        Dismiss
      </button>
    </div>
  );
}
