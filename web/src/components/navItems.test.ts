import { describe, expect, it } from 'vitest';
import { kAdmin, kInstructor, kLearner } from '../test/accounts';
import { isCurrent, navItems } from './navItems';

function labels(items: ReturnType<typeof navItems>): string[] {
  return items.map((item) => item.label);
}

describe('navItems', () => {
  it('offers log-in and sign-up when signed out, and nothing about accounts until known', () => {
    expect(labels(navItems({ status: 'unknown' }))).toEqual(['Catalog']);
    expect(navItems({ status: 'signed-out' })).toEqual([
      { kind: 'link', label: 'Catalog', to: '/' },
      { kind: 'link', label: 'Log in', to: '/login' },
      { kind: 'link', label: 'Sign up', to: '/signup' },
    ]);
  });

  it('gives everyone progress, reviews and their account; staff authoring and analytics; admins users', () => {
    expect(labels(navItems({ status: 'signed-in', user: kLearner }))).toEqual([
      'Catalog',
      'Progress',
      'Reviews',
      'Account',
      'Log out',
    ]);
    expect(labels(navItems({ status: 'signed-in', user: kInstructor }))).toEqual([
      'Catalog',
      'Progress',
      'Reviews',
      'Account',
      'Authoring',
      'Analytics',
      'Log out',
    ]);
    expect(navItems({ status: 'signed-in', user: kAdmin }, '3')).toEqual([
      { kind: 'link', label: 'Catalog', to: '/' },
      { kind: 'link', label: 'Progress', to: '/progress' },
      { kind: 'link', label: 'Reviews', to: '/reviews', badge: '3' },
      { kind: 'link', label: 'Account', to: '/account' },
      { kind: 'link', label: 'Authoring', to: '/authoring' },
      { kind: 'link', label: 'Analytics', to: '/analytics' },
      { kind: 'link', label: 'Users', to: '/admin/users' },
      { kind: 'logout', label: 'Log out' },
    ]);
  });

  it('marks the catalog current only on its own page, and others under their paths', () => {
    expect(isCurrent('/', '/')).toBe(true);
    expect(isCurrent('/', '/courses/x')).toBe(false);
    expect(isCurrent('/admin/users', '/admin/users')).toBe(true);
    expect(isCurrent('/account', '/accounts')).toBe(false);
  });
});
