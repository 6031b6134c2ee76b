import { useEffect, useState } from 'react';
import type { AuthApi, LearningApi } from '../api/client';
import { useSession } from '../auth/useSession';
import { Link, paths, usePathname } from '../router/router';
import { isCurrent, navItems } from './navItems';

export interface SiteNavProps {
  client: AuthApi & Pick<LearningApi, 'listReviews'>;
}

/** The header's navigation: what the visitor may open, by role, and who is signed in. */
export function SiteNav({ client }: SiteNavProps) {
  const state = useSession(client.session);
  const pathname = usePathname();
  const [loggingOut, setLoggingOut] = useState(false);
  const dueReviews = useDueReviews(
    client,
    state.status === 'signed-in' ? state.user.id : null,
    pathname === paths.reviews(),
  );

  // Pages for signed-in users send the visitor on (RequireSignIn); others stay where they are.
  async function logOut() {
    setLoggingOut(true);
    try {
      await client.logout();
    } catch {
      // Signed out here all the same; the server's session lapses on its own.
    } finally {
      setLoggingOut(false);
    }
  }

  return (
    <nav aria-label="Main" className="site-nav-wrap">
      {state.status === 'signed-in' && (
        <p className="site-user">
          Signed in as <strong>{state.user.display_name}</strong>
        </p>
      )}
      <ul className="site-nav">
        {navItems(state, dueReviews).map((item) => (
          <li key={item.label}>
            {item.kind === 'link' ? (
              <Link to={item.to} aria-current={isCurrent(item.to, pathname) ? 'page' : undefined}>
                {item.label}
                {item.badge && (
                  <span className="nav-badge">
                    {' '}
                    {item.badge}
                    <span className="visually-hidden"> due</span>
                  </span>
                )}
              </Link>
            ) : (
              <button type="button" className="link-button" onClick={logOut} disabled={loggingOut}>
                {item.label}
              </button>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * How many review cards are due ("3", "20+"), or null for none or not known. Asked once per
 * sign-in and again on leaving the review page (where the count changes); hidden on that page,
 * which shows its own.
 */
function useDueReviews(
  client: Pick<LearningApi, 'listReviews'>,
  userId: string | null,
  onReviewPage: boolean,
): string | null {
  const key = userId === null || onReviewPage ? null : userId;
  const [due, setDue] = useState<{ key: string; count: string | null } | null>(null);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    client.listReviews({}, controller.signal).then(
      (page) => {
        const count = page.items.length;
        const text = count === 0 ? null : page.next_cursor ? `${count}+` : String(count);
        if (!controller.signal.aborted) setDue({ key, count: text });
      },
      () => {}, // a badge is extra: without it, the link still works
    );
    return () => controller.abort();
  }, [key, onReviewPage]);
  return due !== null && due.key === key ? due.count : null;
}
