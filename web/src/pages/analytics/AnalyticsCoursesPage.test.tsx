import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CatalogApi, CourseSummary } from '../../api/client';
import { kAdmin, kInstructor, kLearner } from '../../test/accounts';
import { AnalyticsCoursesPage } from './AnalyticsCoursesPage';

function course(slug: string, title: string): CourseSummary {
  return {
    slug,
    title,
    summary: '',
    language: 'en',
    tags: [],
    lesson_count: 2,
    exercise_count: 1,
  };
}

describe('AnalyticsCoursesPage', () => {
  it('lists the courses, each leading to its dashboard, page by page', async () => {
    const listCourses = vi.fn<CatalogApi['listCourses']>(async (options) =>
      options?.cursor === 'p2'
        ? { items: [course('algebra', 'Algebra')], next_cursor: null }
        : { items: [course('intro-statistics', 'Introduction to Statistics')], next_cursor: 'p2' },
    );
    render(<AnalyticsCoursesPage client={{ listCourses }} user={kInstructor} />);

    expect(await screen.findByRole('heading', { level: 1, name: 'Analytics' })).toBeTruthy();
    expect(
      screen.getByRole('link', { name: 'Introduction to Statistics' }).getAttribute('href'),
    ).toBe('/analytics/courses/intro-statistics');
    fireEvent.click(screen.getByRole('button', { name: 'Show more courses' }));
    expect((await screen.findByRole('link', { name: 'Algebra' })).getAttribute('href')).toBe(
      '/analytics/courses/algebra',
    );
    expect(within(screen.getByRole('list')).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Show more courses' })).toBeNull();
  });

  it('is for admins too, and says when there is no course', async () => {
    render(
      <AnalyticsCoursesPage
        client={{ listCourses: async () => ({ items: [], next_cursor: null }) }}
        user={kAdmin}
      />,
    );
    expect(await screen.findByText('No courses have been published yet.')).toBeTruthy();
  });

  it('is not for learners', () => {
    const listCourses = vi.fn<CatalogApi['listCourses']>();
    render(<AnalyticsCoursesPage client={{ listCourses }} user={kLearner} />);
    expect(
      screen.getByText('Only instructors and administrators can see course analytics.'),
    ).toBeTruthy();
    expect(listCourses).not.toHaveBeenCalled();
  });
});
