import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { kInstructor } from '../../test/accounts';
import { draft, fakeAuthoringApi, invalid, staleDraft } from '../../test/authoring';
import { editorBlocks, lessonBlocks, LessonEditorPage } from './LessonEditorPage';

function renderEditor(api: ReturnType<typeof fakeAuthoringApi>) {
  render(<LessonEditorPage api={api} course="algebra" lesson="powers" user={kInstructor} />);
}

function textBlock(n: number) {
  return screen.getByLabelText(`Text block ${n}`) as HTMLTextAreaElement;
}

describe('LessonEditorPage', () => {
  it('previews the text as the server renders it, once typing pauses', async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      preview: async (markdown) => `<p>rendered: ${markdown.trim()}</p>`,
    });
    renderEditor(api);
    const preview = await screen.findByRole('region', { name: 'Preview' });
    await waitFor(() => expect(preview.textContent).toContain('rendered: Text of Powers.'));
    fireEvent.change(textBlock(1), { target: { value: 'Squares: $x^2$' } });
    await waitFor(() => expect(preview.textContent).toContain('rendered: Squares: $x^2$'));
    expect(api.preview).toHaveBeenCalledTimes(2);
    // The exercises keep their places, shown by id.
    expect(preview.textContent).toContain('Exercise p1');
  });

  it('saves the title and body with If-Match, and shows field errors beside the text', async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      preview: async () => '<p></p>',
      updateLesson: async () => {
        throw invalid('The lesson body is not valid.', [
          {
            field: 'blocks[0].markdown',
            message: 'opens an exercise block: add exercises with the exercise editor',
          },
        ]);
      },
    });
    renderEditor(api);
    fireEvent.change(await screen.findByLabelText('Title'), { target: { value: 'Powers of ten' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the lesson' }));
    await screen.findByText(
      'This opens an exercise block: add exercises with the exercise editor.',
    );
    expect(api.updateLesson).toHaveBeenCalledWith('algebra', 7, 'powers', {
      title: 'Powers of ten',
      blocks: [{ markdown: 'Text of Powers.\n' }, { exercise: 'p1' }, { exercise: 'p2' }],
    });
    expect(textBlock(1).getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(textBlock(1));
  });

  it('keeps the unsaved text in view when someone else changed the course (412)', async () => {
    let version = 0;
    const api = fakeAuthoringApi({
      getDraft: async () => {
        version += 1;
        return version === 1
          ? draft()
          : draft({
              revision: 9,
              lessons: [
                {
                  ...draft().lessons[0]!,
                  blocks: [{ markdown: 'Their text.\n' }, { exercise: 'p1' }, { exercise: 'p2' }],
                },
              ],
            });
      },
      preview: async () => '<p></p>',
      updateLesson: async () => {
        throw staleDraft();
      },
    });
    renderEditor(api);
    await screen.findByLabelText('Text block 1');
    fireEvent.change(textBlock(1), { target: { value: 'My careful prose.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save the lesson' }));

    const heading = await screen.findByRole('heading', {
      name: 'Someone else changed this course: reload',
    });
    expect(document.activeElement).toBe(heading);
    const kept = screen.getByLabelText('Your unsaved text: Lesson text') as HTMLTextAreaElement;
    expect(kept.value).toContain('My careful prose.');
    expect(kept.readOnly).toBe(true);
    // The editor still holds it too, until the author reloads.
    expect(textBlock(1).value).toBe('My careful prose.');

    fireEvent.click(screen.getByRole('button', { name: 'Reload the course' }));
    // The page stays while the draft is read again, then shows theirs.
    expect(textBlock(1).value).toBe('My careful prose.');
    await waitFor(() => expect(textBlock(1).value).toBe('Their text.\n'));
    expect(screen.getByText(/The page now shows the course as it is\./)).toBeTruthy();
    expect(
      (screen.getByLabelText('Your unsaved text: Lesson text') as HTMLTextAreaElement).value,
    ).toContain('My careful prose.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByLabelText('Your unsaved text: Lesson text')).toBeNull();
  });

  it('reads a body without text with a block to write in, and leaves empty text out', () => {
    const lesson = { slug: 'x', title: 'X', blocks: [{ exercise: 'e1' }], exercises: [] };
    const blocks = editorBlocks(lesson);
    expect(blocks.map((block) => block.kind)).toEqual(['markdown', 'exercise']);
    expect(lessonBlocks(blocks)).toEqual([{ exercise: 'e1' }]);
  });
});
