import type { SessionState } from '../api/client';
import { paths } from '../router/router';

export type NavItem =
  { kind: 'link'; label: string; to: string } | { kind: 'logout'; label: string };

function link(label: string, to: string): NavItem {
  return { kind: 'link', label, to };
}

/**
 * The main navigation for a session state. Until the app knows whether it is signed in, only the
 * catalog shows, so that "Log in" does not flash up for someone who is.
 */
export function navItems(state: SessionState): NavItem[] {
  const catalog = link('Catalog', paths.catalog());
  switch (state.status) {
    case 'unknown':
      return [catalog];
    case 'signed-out':
      return [catalog, link('Log in', paths.login()), link('Sign up', paths.signup())];
    case 'signed-in':
      return [
        catalog,
        link('Account', paths.account()),
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
