import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { draft, draftLesson, fakeAuthoringApi, invalid, staleDraft } from '../../test/authoring';
import { ConflictNotice } from './ConflictNotice';
import { CourseOutline } from './CourseOutline';
import { GiftPanel } from './GiftPanel';
import { useDraft } from './useDraft';

const { saveFile } = vi.hoisted(() => ({ saveFile: vi.fn() }));
vi.mock('../../lib/download', () => ({ saveFile }));

type Api = ReturnType<typeof fakeAuthoringApi>;

/** The panel as the course editor has it: beside the outline, on the page's draft. */
function Editor({ api }: { api: Api }) {
  const editor = useDraft(api, 'algebra');
  if (!editor.draft) return null;
  return (
    <>
      {editor.conflict && (
        <ConflictNotice conflict={editor.conflict} onReload={editor.reload} onDismiss={() => {}} />
      )}
      <CourseOutline api={api} draft={editor.draft} change={editor.change} />
      <GiftPanel api={api} draft={editor.draft} change={editor.change} />
    </>
  );
}

async function renderEditor(api: Api) {
  render(<Editor api={api} />);
  return screen.findByRole('region', { name: 'Moodle GIFT' });
}

function outlineLessons(): string[] {
  const outline = screen.getByRole('region', { name: 'Outline' });
  return within(outline)
    .getAllByRole('link')
    .filter((link) => /\/lessons\/[^/]+$/.test(link.getAttribute('href') ?? ''))
    .map((link) => link.textContent ?? '');
}

function choose(panel: HTMLElement, file: File) {
  fireEvent.change(within(panel).getByLabelText('Import a GIFT file…'), {
    target: { files: [file] },
  });
}

const kBank = new File(['$CATEGORY: Averages\n\n::mean::Which?{=Mean ~Mode}\n'], 'stats.gift', {
  type: '',
});

/** Presses "Import the GIFT file" and then the confirming button, which takes focus. */
function importAfterAsking(panel: HTMLElement) {
  fireEvent.click(within(panel).getByRole('button', { name: 'Import the GIFT file' }));
  const confirm = within(panel).getByRole('button', { name: 'Replace the lessons' });
  expect(document.activeElement).toBe(confirm);
  fireEvent.click(confirm);
}

function listed(region: HTMLElement): string[] {
  return within(region)
    .getAllByRole('listitem')
    .map((item) => item.textContent ?? '');
}

describe('GiftPanel', () => {
  beforeEach(() => saveFile.mockClear());

  it('downloads the draft as GIFT, leaving out what GIFT cannot hold when asked', async () => {
    const blob = new Blob(['$CATEGORY: Powers\n'], { type: 'text/plain' });
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      downloadGift: async () => ({ blob, filename: 'algebra.gift' }),
    });
    const panel = await renderEditor(api);
    fireEvent.click(within(panel).getByRole('button', { name: 'Download as GIFT' }));
    expect(await within(panel).findByText('The GIFT file is downloading.')).toBeTruthy();
    expect(api.downloadGift).toHaveBeenLastCalledWith('algebra', false);
    expect(saveFile).toHaveBeenCalledWith(blob, 'algebra.gift');

    fireEvent.click(within(panel).getByLabelText('Leave out what GIFT cannot hold'));
    fireEvent.click(within(panel).getByRole('button', { name: 'Download as GIFT' }));
    expect(
      await within(panel).findByText(
        'The GIFT file is downloading, without what GIFT cannot hold.',
      ),
    ).toBeTruthy();
    expect(api.downloadGift).toHaveBeenLastCalledWith('algebra', true);
  });

  it('lists the exercises GIFT cannot hold, each linking to its editor', async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      downloadGift: async () => {
        throw invalid('the GIFT file has 2 problems', [
          { field: 'exercise p2', message: 'an ordering exercise: GIFT has no ordering question' },
          { field: 'exercise r1', message: 'hints: GIFT has no hints' },
        ]);
      },
    });
    const panel = await renderEditor(api);
    fireEvent.click(within(panel).getByRole('button', { name: 'Download as GIFT' }));
    const alert = within(panel).getByRole('alert');
    await within(alert).findByText(/GIFT cannot hold these/);
    expect(listed(alert)).toEqual([
      'Exercise p2: an ordering exercise: GIFT has no ordering question',
      'Exercise r1: hints: GIFT has no hints',
    ]);
    expect(within(alert).getByRole('link', { name: 'p2' }).getAttribute('href')).toBe(
      '/authoring/courses/algebra/exercises/p2',
    );
    expect(saveFile).not.toHaveBeenCalled();
  });

  it('imports a GIFT file after asking: the outline shows its lessons, and its notes are listed', async () => {
    const imported = draft({
      revision: 8,
      lessons: [
        draftLesson('averages', 'Averages', ['mean']),
        draftLesson('spread', 'Spread', ['sd']),
      ],
    });
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      uploadGift: async () => ({
        ...imported,
        gift_problems: ['algebra.gift:3: note: the style attribute is not kept'],
      }),
    });
    const panel = await renderEditor(api);
    const trigger = within(panel).getByRole('button', { name: 'Import the GIFT file' });
    expect((trigger as HTMLButtonElement).disabled).toBe(true); // until a file is chosen
    choose(panel, kBank);
    fireEvent.click(within(panel).getByRole('button', { name: 'Import the GIFT file' }));
    expect(
      within(panel).getByText('Replace the draft’s 2 lessons with the questions in stats.gift?'),
    ).toBeTruthy();
    expect(api.uploadGift).not.toHaveBeenCalled();
    fireEvent.click(within(panel).getByRole('button', { name: 'Replace the lessons' }));

    expect(
      await within(panel).findByText(
        "The draft's lessons are now the 2 lessons of stats.gift: publish it to show learners.",
      ),
    ).toBeTruthy();
    expect(api.uploadGift).toHaveBeenCalledWith('algebra', 7, kBank, false);
    const status = within(panel).getByRole('status');
    expect(listed(status)).toEqual(['algebra.gift:3: note: the style attribute is not kept']);
    expect(outlineLessons()).toEqual(['Averages', 'Spread']);
    // Back on the button pressed, as after every confirmed action.
    await waitFor(() =>
      expect(document.activeElement).toBe(
        within(panel).getByRole('button', { name: 'Import the GIFT file' }),
      ),
    );
  });

  it('sends skip_unsupported when asked to skip what Practica cannot represent', async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      uploadGift: async () => draft({ revision: 8 }),
    });
    const panel = await renderEditor(api);
    choose(panel, kBank);
    fireEvent.click(within(panel).getByLabelText('Skip what Practica cannot represent'));
    importAfterAsking(panel);
    await within(panel).findByText(/The draft's lessons are now/);
    expect(api.uploadGift).toHaveBeenCalledWith('algebra', 7, kBank, true);
    expect(within(within(panel).getByRole('status')).queryAllByRole('listitem')).toEqual([]);
  });

  it("lists a bad file's problems by line, and the draft stays as it was", async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      uploadGift: async () => {
        throw invalid('the GIFT file has 2 problems', [
          { field: 'algebra.gift:3', message: 'the answer block is not closed' },
          {
            field: 'algebra.gift:7',
            message:
              "a one-answer question with 2 fully right answers: Practica's single choice has one",
          },
        ]);
      },
    });
    const panel = await renderEditor(api);
    choose(panel, kBank);
    importAfterAsking(panel);
    const alert = within(panel).getByRole('alert');
    await within(alert).findByText(/stats\.gift has 2 problems; nothing was changed\./);
    expect(listed(alert)).toEqual([
      'Line 3: the answer block is not closed',
      "Line 7: a one-answer question with 2 fully right answers: Practica's single choice has one",
    ]);
    expect(outlineLessons()).toEqual(['Powers', 'Roots']);
  });

  it('says someone else changed the course when the draft is stale', async () => {
    const api = fakeAuthoringApi({
      getDraft: async () => draft(),
      uploadGift: async () => {
        throw staleDraft();
      },
    });
    const panel = await renderEditor(api);
    choose(panel, kBank);
    importAfterAsking(panel);
    expect(
      await screen.findByRole('heading', { name: 'Someone else changed this course: reload' }),
    ).toBeTruthy();
    expect(within(panel).getByRole('alert').textContent).toBe('');
    expect(outlineLessons()).toEqual(['Powers', 'Roots']);
  });

  it('refuses a file over 8 MiB without sending it', async () => {
    const api = fakeAuthoringApi({ getDraft: async () => draft() });
    const panel = await renderEditor(api);
    const big = new File(['x'], 'huge.gift');
    Object.defineProperty(big, 'size', { value: 9 * 1024 * 1024 });
    choose(panel, big);
    importAfterAsking(panel);
    expect(
      await within(panel).findByText(
        'huge.gift is larger than 8 MiB, the most a GIFT upload can be.',
      ),
    ).toBeTruthy();
    expect(api.uploadGift).not.toHaveBeenCalled();
  });
});
