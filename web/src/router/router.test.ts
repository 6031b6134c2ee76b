import { describe, expect, it } from 'vitest';
import { matchPath, nextPath, paths } from './router';

describe('matchPath', () => {
  it('matches literal segments and captures decoded parameters', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/courses/:course', '/courses/intro-statistics')).toEqual({
      course: 'intro-statistics',
    });
    expect(matchPath('/courses/:course/lessons/:lesson', '/courses/a%20b/lessons/x/')).toEqual({
      course: 'a b',
      lesson: 'x',
    });
  });

  it('rejects other paths and malformed escapes', () => {
    expect(matchPath('/courses/:course', '/courses')).toBeNull();
    expect(matchPath('/courses/:course', '/courses/a/b')).toBeNull();
    expect(matchPath('/', '/anything')).toBeNull();
    expect(matchPath('/courses/:course', '/courses/%E0%A4%A')).toBeNull();
  });

  it('builds paths that match the routes', () => {
    expect(matchPath('/courses/:course/lessons/:lesson', paths.lesson('c/1', 'l'))).toEqual({
      course: 'c/1',
      lesson: 'l',
    });
  });
});

describe('nextPath', () => {
  it('returns in-app paths and the catalog for anything else', () => {
    expect(nextPath('?next=%2Faccount')).toBe('/account');
    expect(nextPath(`?${new URLSearchParams({ next: paths.lesson('c', 'l') })}`)).toBe(
      '/courses/c/lessons/l',
    );
    expect(nextPath('')).toBe('/');
    expect(nextPath('?next=https://evil.example/')).toBe('/');
    expect(nextPath('?next=//evil.example/')).toBe('/');
    expect(nextPath('?next=/%5Cevil.example/')).toBe('/');
  });

  it('is what the login and signup paths carry', () => {
    expect(paths.login('/admin/users')).toBe('/login?next=%2Fadmin%2Fusers');
    expect(nextPath(paths.signup('/account').slice('/signup'.length))).toBe('/account');
    expect(paths.login('/')).toBe('/login');
  });
});
