import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { CourseVersion, Draft } from '../../api/authoring';
import { draft, fakeAuthoringApi, invalid } from '../../test/authoring';
import { PublishPanel } from './PublishPanel';
import type { DraftEditor } from './useDraft';

function version(number: number, live: boolean): CourseVersion {
  return {
    version: number,
    published_by: 'usr_instructor1',
    published_at: '2026-03-0' + number + 'T10:00:00Z',
    source: 'publish',
    draft_revision: number * 3,
    title: 'Algebra',
    lesson_count: 2,
    exercise_count: 3,
    live,
  };
}

function editorFor(current: Draft) {
  const guard: DraftEditor['guard'] = async (send) => send(current.revision);
  return {
    guard,
    update: vi.fn(),
    reload: vi.fn(),
  };
}

describe('PublishPanel', () => {
  it('publishes the draft on its revision and says which version learners see', async () => {
    const current = draft();
    const { lessons: _l, summary: _s, language: _g, tags: _t, ...head } = current;
    const api = fakeAuthoringApi({
      listVersions: async () => ({ items: [], next_cursor: null }),
      publish: async () => ({
        version: 1,
        course: {
          ...head,
          status: 'published',
          live_version: 1,
          latest_version: 1,
          unpublished_changes: false,
        },
      }),
    });
    const editor = editorFor(current);
    render(<PublishPanel api={api} draft={current} editor={editor} />);
    expect(await screen.findByText('No version yet: publishing makes version 1.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Publish the draft' }));
    expect(await screen.findByText('Published version 1: learners see it now.')).toBeTruthy();
    expect(api.publish).toHaveBeenCalledWith('algebra', 7);
    expect(editor.update).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'published', live_version: 1, unpublished_changes: false }),
    );
  });

  it('lists why a draft cannot be published, by lesson', async () => {
    const current = draft();
    const api = fakeAuthoringApi({
      listVersions: async () => ({ items: [], next_cursor: null }),
      publish: async () => {
        throw invalid('The course cannot be published.', [
          { field: 'lessons[1]', message: 'the lesson has no content after its front matter' },
        ]);
      },
    });
    render(<PublishPanel api={api} draft={current} editor={editorFor(current)} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Publish the draft' }));
    expect(
      await screen.findByText('Lesson “Roots”: the lesson has no content after its front matter'),
    ).toBeTruthy();
  });

  it('asks before rolling back, then reloads the draft the rollback made', async () => {
    const current = draft({
      status: 'published',
      live_version: 2,
      latest_version: 2,
      unpublished_changes: false,
    });
    const { lessons: _l, summary: _s, language: _g, tags: _t, ...head } = current;
    const api = fakeAuthoringApi({
      listVersions: async () => ({
        items: [version(2, true), version(1, false)],
        next_cursor: null,
      }),
      rollback: async () => ({
        version: 3,
        rolled_back_to: 1,
        course: { ...head, live_version: 3 },
      }),
    });
    const editor = editorFor(current);
    render(<PublishPanel api={api} draft={current} editor={editor} />);
    const table = await screen.findByRole('table', { name: 'Versions' });
    expect(within(table).getAllByRole('button')).toHaveLength(1); // not on the live one
    fireEvent.click(within(table).getByRole('button', { name: 'Roll back to version 1' }));
    expect(api.rollback).not.toHaveBeenCalled();
    const confirm = within(table).getByRole('button', { name: 'Roll back to version 1' });
    expect(document.activeElement).toBe(confirm);
    fireEvent.click(confirm);
    expect(
      await screen.findByText(
        'Rolled back: version 3, the content of version 1, is live and is the draft.',
      ),
    ).toBeTruthy();
    expect(api.rollback).toHaveBeenCalledWith('algebra', 7, 1);
    await waitFor(() => expect(editor.reload).toHaveBeenCalled());
  });
});
