import { createEvent, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Draft } from '../../api/authoring';
import { draft, fakeAuthoringApi, staleDraft } from '../../test/authoring';
import { CourseOutline } from './CourseOutline';
import { ConflictNotice } from './ConflictNotice';
import { useDraft } from './useDraft';

type Api = ReturnType<typeof fakeAuthoringApi>;

function Outline({ api }: { api: Api }) {
  const editor = useDraft(api, 'algebra');
  if (!editor.draft) return null;
  return (
    <>
      {editor.conflict && (
        <ConflictNotice conflict={editor.conflict} onReload={editor.reload} onDismiss={() => {}} />
      )}
      <CourseOutline api={api} draft={editor.draft} change={editor.change} />
    </>
  );
}

/** An API whose changes answer a draft with the lessons in `after`'s order. */
function apiAnswering(after: Draft) {
  return fakeAuthoringApi({
    getDraft: async () => draft(),
    reorderLessons: async () => after,
    moveExercise: async () => after,
  });
}

const kReordered = draft({ revision: 8, lessons: [...draft().lessons].reverse() });

async function renderOutline(api: Api) {
  render(<Outline api={api} />);
  await screen.findByRole('region', { name: 'Outline' });
}

/** A drag from `source` to `target`; `after`: onto the target's lower half. */
function dragAndDrop(source: Element, target: Element, after: boolean) {
  const dataTransfer = { setData: () => {}, effectAllowed: '', dropEffect: '' };
  fireEvent.dragStart(source, { dataTransfer });
  // jsdom has no layout: every box is at 0, so any clientY > 0 is the lower half. Its drag
  // events are plain Events, without mouse coordinates: the test gives them one.
  for (const type of ['dragOver', 'drop'] as const) {
    const event = createEvent[type](target, { dataTransfer });
    Object.defineProperty(event, 'clientY', { value: after ? 10 : 0 });
    fireEvent(target, event);
  }
  fireEvent.dragEnd(source, { dataTransfer });
}

function lessonItem(title: string): HTMLElement {
  const link = within(screen.getByRole('region', { name: 'Outline' })).getByRole('link', {
    name: title,
  });
  return link.closest('li') as HTMLElement;
}

describe('CourseOutline', () => {
  it('moves a lesson down with the keyboard: announced, focus kept, If-Match sent', async () => {
    const api = apiAnswering(kReordered);
    await renderOutline(api);
    const down = screen.getByRole('button', { name: 'Move lesson “Powers” down' });
    down.focus();
    fireEvent.click(down);

    await screen.findByText('Lesson “Powers” moved to position 2 of 2.');
    expect(api.reorderLessons).toHaveBeenCalledWith('algebra', 7, ['roots', 'powers']);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move lesson “Powers” down');
    const titles = screen
      .getAllByRole('link', { name: /^(Powers|Roots)$/ })
      .map((a) => a.textContent);
    expect(titles).toEqual(['Roots', 'Powers']);
    // Already last: nothing is sent, and it says so.
    fireEvent.click(screen.getByRole('button', { name: 'Move lesson “Powers” down' }));
    await screen.findByText('Lesson “Powers” is already last.');
    expect(api.reorderLessons).toHaveBeenCalledTimes(1);
  });

  it('sends for a lesson dragged below the next the request Move down sends', async () => {
    const keyboard = apiAnswering(kReordered);
    await renderOutline(keyboard);
    fireEvent.click(screen.getByRole('button', { name: 'Move lesson “Powers” down' }));
    await screen.findByText('Lesson “Powers” moved to position 2 of 2.');
    document.body.innerHTML = '';

    const dragged = apiAnswering(kReordered);
    await renderOutline(dragged);
    const powersRow = lessonItem('Powers').querySelector('.outline-row') as HTMLElement;
    dragAndDrop(powersRow, lessonItem('Roots'), true);
    await screen.findByText('Lesson “Powers” moved to position 2 of 2.');
    expect(dragged.reorderLessons.mock.calls).toEqual(keyboard.reorderLessons.mock.calls);
  });

  it('sends for an exercise dragged into the next lesson the request Move down sends', async () => {
    const moved = draft({ revision: 8 });
    const keyboard = apiAnswering(moved);
    await renderOutline(keyboard);
    fireEvent.click(screen.getByRole('button', { name: 'Move exercise “p2” down' }));
    await waitFor(() => expect(keyboard.moveExercise).toHaveBeenCalled());
    expect(keyboard.moveExercise).toHaveBeenCalledWith('algebra', 7, 'p2', 'roots', 0);
    document.body.innerHTML = '';

    const dragged = apiAnswering(moved);
    await renderOutline(dragged);
    const p2 = screen.getByRole('link', { name: 'p2' }).closest('li') as HTMLElement;
    const r1 = screen.getByRole('link', { name: 'r1' }).closest('li') as HTMLElement;
    dragAndDrop(p2, r1, false);
    await waitFor(() => expect(dragged.moveExercise).toHaveBeenCalled());
    expect(dragged.moveExercise.mock.calls).toEqual(keyboard.moveExercise.mock.calls);
  });

  it('ignores a lesson dropped among exercises', async () => {
    const api = apiAnswering(kReordered);
    await renderOutline(api);
    const powersRow = lessonItem('Powers').querySelector('.outline-row') as HTMLElement;
    const r1 = screen.getByRole('link', { name: 'r1' }).closest('li') as HTMLElement;
    dragAndDrop(powersRow, r1, true);
    expect(api.reorderLessons).not.toHaveBeenCalled();
    expect(api.moveExercise).not.toHaveBeenCalled();
  });

  it('adds a lesson with a slug from its title, and moves focus to it', async () => {
    const added = draft({
      revision: 8,
      lessons: [
        ...draft().lessons,
        { slug: 'logs-and-exps', title: 'Logs & exps', blocks: [], exercises: [] },
      ],
    });
    const api = fakeAuthoringApi({ getDraft: async () => draft(), addLesson: async () => added });
    await renderOutline(api);
    fireEvent.change(screen.getByLabelText('Lesson title'), { target: { value: 'Logs & exps' } });
    expect((screen.getByLabelText('Lesson slug') as HTMLInputElement).value).toBe('logs-exps');
    fireEvent.change(screen.getByLabelText('Lesson slug'), { target: { value: 'logs-and-exps' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add the lesson' }));
    await screen.findByText('Lesson “Logs & exps” added.');
    expect(api.addLesson).toHaveBeenCalledWith('algebra', 7, {
      slug: 'logs-and-exps',
      title: 'Logs & exps',
    });
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Logs & exps' }));
  });

  it('asks before deleting a lesson, then moves focus to the next one', async () => {
    const after = draft({ revision: 8, lessons: [draft().lessons[1]!] });
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      deleteLesson: async () => after,
    });
    await renderOutline(api);
    fireEvent.click(screen.getByRole('button', { name: 'Delete lesson “Powers”' }));
    expect(api.deleteLesson).not.toHaveBeenCalled();
    const confirm = screen.getByRole('button', { name: 'Delete the lesson' });
    expect(document.activeElement).toBe(confirm);
    fireEvent.click(confirm);
    await screen.findByText('Lesson “Powers” deleted.');
    expect(api.deleteLesson).toHaveBeenCalledWith('algebra', 7, 'powers');
    expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Roots' }));
  });

  it('says someone else changed the course when a move meets a newer draft', async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      reorderLessons: async () => {
        throw staleDraft();
      },
    });
    await renderOutline(api);
    fireEvent.click(screen.getByRole('button', { name: 'Move lesson “Roots” up' }));
    expect(
      await screen.findByRole('heading', { name: 'Someone else changed this course: reload' }),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reload the course' }));
    await waitFor(() => expect(api.getDraft).toHaveBeenCalledTimes(2));
  });
});
