import type { SessionState } from '../api/client';
import { isStaff } from '../lib/roles';
import { paths } from '../router/router';

export type NavItem =
  { kind: 'link'; label: string; to: string; badge?: string } | { kind: 'logout'; label: string };

function link(label: string, to: string, badge?: string | null): NavItem {
  return badge ? { kind: 'link', label, to, badge } : { kind: 'link', label, to };
}

/**
 * The main navigation for a session state. Until the app knows whether it is signed in, only the
 * catalog shows, so that "Log in" does not flash up for someone who is. `dueReviews` ("3", "20+")
 * badges the Reviews link.
 */
export function navItems(state: SessionState, dueReviews?: string | null): NavItem[] {
  const catalog = link('Catalog', paths.catalog());
  switch (state.status) {
    case 'unknown':
      return [catalog];
    case 'signed-out':
      return [catalog, link('Log in', paths.login()), link('Sign up', paths.signup())];
    case 'signed-in':
      return [
        catalog,
        link('Progress', paths.progress()),
        link('Reviews', paths.reviews(), dueReviews),
        link('Account', paths.account()),
        ...(isStaff(state.user.role)
          ? [link('Authoring', paths.authoring()), link('Analytics', paths.analytics())]
          : []),
        ...(state.user.role === 'admin' ? [link('Users', paths.adminUsers())] : []),
        { kind: 'logout', label: 'Log out' },
      ];
  }
}

/** Whether `pathname` is the page `to` names, or lies under it (for aria-current). */
export function isCurrent(to: string, pathname: string): boolean {
  if (to === paths.catalog()) return pathname === to;
  return pathname === to || pathname.startsWith(`${to}/`);
}
