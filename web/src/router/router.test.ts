import { describe, expect, it } from 'vitest';
import { matchPath, paths } from './router';

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
