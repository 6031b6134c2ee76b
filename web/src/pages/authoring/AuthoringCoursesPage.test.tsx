import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { kInstructor, kLearner } from '../../test/accounts';
import { draft, fakeAuthoringApi, invalid } from '../../test/authoring';
import { AuthoringCoursesPage } from './AuthoringCoursesPage';

describe('AuthoringCoursesPage', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it("lists the author's courses with where each stands", async () => {
    const { lessons: _lessons, summary: _s, language: _l, tags: _t, ...head } = draft();
    const api = fakeAuthoringApi({
      listCourses: async () => ({
        items: [
          {
            ...head,
            status: 'published',
            live_version: 2,
            latest_version: 2,
            unpublished_changes: true,
          },
          { ...head, slug: 'logic', title: 'Logic' },
        ],
        next_cursor: null,
      }),
    });
    render(<AuthoringCoursesPage api={api} user={kInstructor} />);
    const table = await screen.findByRole('table', { name: 'My courses' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      'AlgebraalgebraPublished: version 2 is live, with unpublished changes',
      'LogiclogicDraft, never published',
    ]);
    expect(within(table).getByRole('link', { name: 'Algebra' }).getAttribute('href')).toBe(
      '/authoring/courses/algebra',
    );
  });

  it("creates a course, with the server's errors beside the fields", async () => {
    let calls = 0;
    const api = fakeAuthoringApi({
      listCourses: async () => ({ items: [], next_cursor: null }),
      createCourse: async () => {
        calls += 1;
        if (calls === 1) {
          throw invalid('The course fields are not valid.', [
            { field: 'language', message: "'language' must be a BCP 47 tag, got 'english'" },
            { field: 'tags[1]', message: 'must be at most 64 bytes' },
          ]);
        }
        if (calls === 2) {
          throw new ApiError({
            type: 'about:blank',
            title: 'Conflict',
            status: 409,
            detail: 'A course with the slug "averages-and-more" exists.',
            errors: [{ field: 'slug', message: 'is already used by another course' }],
          });
        }
        return draft({ slug: 'averages-2' });
      },
    });
    render(<AuthoringCoursesPage api={api} user={kInstructor} />);
    await screen.findByText('No courses yet: create your first one below.');
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Averages & more' } });
    expect((screen.getByLabelText('Slug') as HTMLInputElement).value).toBe('averages-more');
    fireEvent.change(screen.getByLabelText('Slug'), { target: { value: 'averages-and-more' } });
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'english' } });
    fireEvent.change(screen.getByLabelText('Tags'), {
      target: { value: 'stats, ' + 'x'.repeat(70) },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create the course' }));

    expect(await screen.findByText("This must be a BCP 47 tag, got 'english'.")).toBeTruthy();
    expect(screen.getByText('This must be at most 64 bytes.')).toBeTruthy();
    expect(screen.getByLabelText('Language').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(screen.getByLabelText('Language'));

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'en' } });
    fireEvent.change(screen.getByLabelText('Tags'), { target: { value: 'stats' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the course' }));
    expect(await screen.findByText('This is already used by another course.')).toBeTruthy();
    expect(screen.getByLabelText('Slug').getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(screen.getByLabelText('Slug'), { target: { value: 'averages-2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the course' }));
    await waitFor(() => expect(window.location.pathname).toBe('/authoring/courses/averages-2'));
    expect(api.createCourse).toHaveBeenLastCalledWith({
      slug: 'averages-2',
      title: 'Averages & more',
      summary: '',
      language: 'en',
      tags: ['stats'],
    });
  });

  it('is not for learners', () => {
    const api = fakeAuthoringApi();
    render(<AuthoringCoursesPage api={api} user={kLearner} />);
    expect(screen.getByText('Only instructors and administrators can write courses.')).toBeTruthy();
    expect(api.listCourses).not.toHaveBeenCalled();
  });
});
