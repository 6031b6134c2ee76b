import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type CatalogApi, type CourseSummary } from '../../api/client';
import { CatalogPage } from './CatalogPage';

const kStatistics: CourseSummary = {
  slug: 'intro-statistics',
  title: 'Introduction to Statistics',
  summary: 'Means, medians and spread, with practice.',
  language: 'en',
  tags: ['statistics', 'beginner'],
  lesson_count: 3,
  exercise_count: 1,
};

function client(listCourses: CatalogApi['listCourses']): CatalogApi {
  return {
    listCourses,
    getCourse: () => Promise.reject(new Error('unused')),
    getLesson: () => Promise.reject(new Error('unused')),
  };
}

describe('CatalogPage', () => {
  it('lists each course with its summary, counts and tags, linking to its page', async () => {
    render(
      <CatalogPage client={client(async () => ({ items: [kStatistics], next_cursor: null }))} />,
    );

    const link = await screen.findByRole('link', { name: 'Introduction to Statistics' });
    expect(link.getAttribute('href')).toBe('/courses/intro-statistics');
    const card = link.closest('article') as HTMLElement;
    expect(within(card).getByText('Means, medians and spread, with practice.')).toBeTruthy();
    expect(within(card).getByText('3 lessons · 1 exercise')).toBeTruthy();
    expect(
      within(card)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['statistics', 'beginner']);
    expect(screen.queryByRole('button', { name: 'Show more courses' })).toBeNull();
  });

  it('loads the next page when asked', async () => {
    const listCourses = vi.fn<CatalogApi['listCourses']>(async (options) =>
      options?.cursor === 'p2'
        ? { items: [{ ...kStatistics, slug: 'b', title: 'Second' }], next_cursor: null }
        : { items: [kStatistics], next_cursor: 'p2' },
    );
    render(<CatalogPage client={client(listCourses)} />);

    fireEvent.click(await screen.findByRole('button', { name: 'Show more courses' }));

    expect(await screen.findByRole('link', { name: 'Second' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Introduction to Statistics' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Show more courses' })).toBeNull();
  });

  it('shows a server problem with a way to try again', async () => {
    const listCourses = vi
      .fn<CatalogApi['listCourses']>()
      .mockRejectedValueOnce(
        new ApiError({
          type: 'about:blank',
          title: 'Service unavailable',
          status: 503,
          detail: 'Try later.',
        }),
      )
      .mockResolvedValueOnce({ items: [kStatistics], next_cursor: null });
    render(<CatalogPage client={client(listCourses)} />);

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'Service unavailable' })).toBeTruthy();
    expect(alert.textContent).toContain('Try later.');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('link', { name: 'Introduction to Statistics' })).toBeTruthy();
  });

  it('says when there are no courses yet', async () => {
    render(<CatalogPage client={client(async () => ({ items: [], next_cursor: null }))} />);
    expect(await screen.findByText('No courses have been published yet.')).toBeTruthy();
  });
});
