import { useState } from 'react';
import type { AuthApi } from '../api/client';
import { useSession } from '../auth/useSession';
import { Link, usePathname } from '../router/router';
import { isCurrent, navItems } from './navItems';

/** The header's navigation: what the visitor may open, by role, and who is signed in. */
export function SiteNav({ client }: { client: AuthApi }) {
  const state = useSession(client.session);
  const pathname = usePathname();
  const [loggingOut, setLoggingOut] = useState(false);

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
        {navItems(state).map((item) => (
          <li key={item.label}>
            {item.kind === 'link' ? (
              <Link to={item.to} aria-current={isCurrent(item.to, pathname) ? 'page' : undefined}>
                {item.label}
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
