import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient, kProblemTypes } from '../../api/client';
import {
  authResult,
  jsonResponse,
  kInstructor,
  kLearner,
  problemResponse,
} from '../../test/accounts';
import {
  kActivity,
  kAnalyticsCourse,
  kCompletions,
  kEmptyReports,
  kFunnel,
  kItems,
  kRetention,
  kToday,
} from '../../test/analytics';
import { CourseAnalyticsPage } from './CourseAnalyticsPage';

// Chart.js needs a real canvas, which jsdom lacks: each chart stands in as the image it is.
vi.mock('./charts', async () => {
  const { createElement } = await import('react');
  const chart = ({ label }: { label: string }) =>
    createElement('canvas', { role: 'img', 'aria-label': label });
  return { ItemScatter: chart, FunnelChart: chart, ActivityChart: chart, CompletionsChart: chart };
});

const kCsv = 'exercise,attempts\r\npick-mean,12\r\n';

type Reports = Record<string, unknown>;

/** The API as the dashboard sees it, behind a mocked fetch; `answer` may override any path. */
function server(
  reports: Reports = {
    items: kItems,
    funnel: kFunnel,
    activity: kActivity,
    completions: kCompletions,
    retention: kRetention,
  },
  answer: (url: URL) => Response | null = () => null,
) {
  const fetch = vi.fn(async (input: RequestInfo | URL, _init?: RequestInit) => {
    const url = new URL(String(input), 'http://practica.test');
    const special = answer(url);
    if (special) return special;
    if (url.pathname === '/api/auth/login') return jsonResponse(authResult(kInstructor, 'tok-1'));
    if (url.pathname === '/api/courses/intro-statistics') return jsonResponse(kAnalyticsCourse);
    const report = url.pathname.match(/^\/api\/analytics\/courses\/intro-statistics\/(\w+)$/)?.[1];
    if (report && url.searchParams.get('format') === 'csv') {
      return new Response(kCsv, {
        headers: {
          'Content-Type': 'text/csv',
          'Content-Disposition': `attachment; filename="intro-statistics-${report}.csv"`,
        },
      });
    }
    if (report && reports[report]) return jsonResponse(reports[report]);
    return problemResponse({ title: 'Not Found', status: 404 });
  });
  return { fetch, client: createApiClient({ fetch, locks: null }) };
}

function requested(fetch: ReturnType<typeof server>['fetch']): string[] {
  return fetch.mock.calls.map(([input]) => String(input));
}

function renderPage(client: ReturnType<typeof server>['client'], user = kInstructor) {
  return render(
    <CourseAnalyticsPage client={client} course="intro-statistics" user={user} today={kToday} />,
  );
}

function itemRefs(): string[] {
  const table = screen.getByRole('table', { name: /^Exercises/ });
  return within(table)
    .getAllByRole('rowheader')
    .map((cell) => cell.querySelector('code')?.textContent ?? '');
}

/** jsdom's Blob has no text(). */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function section(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

describe('CourseAnalyticsPage', () => {
  it('loads every report for the last 90 days and shows charts with tables', async () => {
    const { fetch, client } = server();
    renderPage(client);

    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Analytics: Introduction to Statistics',
      }),
    ).toBeTruthy();
    await screen.findByRole('table', { name: /^Exercises/ });
    await waitFor(() => expect(screen.queryAllByRole('status', { name: /Loading/ })).toEqual([]));
    const range = 'from=2026-08-28&to=2026-11-25';
    expect(requested(fetch)).toEqual(
      expect.arrayContaining([
        `/api/analytics/courses/intro-statistics/items?${range}`,
        `/api/analytics/courses/intro-statistics/funnel?${range}`,
        `/api/analytics/courses/intro-statistics/activity?${range}&interval=week`,
        `/api/analytics/courses/intro-statistics/completions?${range}`,
        `/api/analytics/courses/intro-statistics/retention?${range}`,
      ]),
    );
    expect(screen.getByText('From 2026-08-28 to 2026-11-25 (90 days, UTC).')).toBeTruthy();

    // Two exercises have both statistics: the scatter places those, and says so.
    expect(
      within(section('Exercises')).getByRole('img', { name: /^Scatter plot of 2 exercises/ }),
    ).toBeTruthy();
    const funnel = section('Lesson funnel');
    expect(within(funnel).getByRole('img', { name: /^Bar chart of 2 lessons/ })).toBeTruthy();
    const averages = within(funnel).getByRole('rowheader', { name: 'Averages' }).closest('tr');
    expect(
      within(averages as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['10', '8', '5']);
    expect(within(section('Active learners')).getByRole('img')).toBeTruthy();
    expect(
      within(section('Course completions')).getByText(
        '2 learners completed the course in this period, 5 in all (3 before it).',
      ),
    ).toBeTruthy();

    // Retention: the rate as text, the cell shaded by it, weeks not reached left empty.
    const grid = within(section('Retention')).getByRole('table');
    const cohort = within(grid).getByRole('rowheader', { name: '2026-11-09' }).closest('tr');
    const cells = within(cohort as HTMLElement).getAllByRole('cell');
    expect(cells.map((cell) => cell.firstChild?.textContent)).toEqual([
      '9',
      '100 %',
      '56 %',
      '33 %',
    ]);
    expect(cells[2]?.className).toContain('heat-6');
    expect(cells[2]?.textContent).toBe('56 %, 5 of 9');
    const later = within(grid).getByRole('rowheader', { name: '2026-11-16' }).closest('tr');
    expect(within(later as HTMLElement).getAllByRole('cell')[3]?.textContent).toBe(
      'not reached yet',
    );
    expect(document.body.textContent).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('sorts the exercises hardest first, then by any column from its header button', async () => {
    const { client } = server();
    renderPage(client);
    await screen.findByRole('table', { name: /^Exercises/ });

    // Exercises nobody answered are left out unless asked for.
    expect(screen.getByText(/^3 of 4 exercises answered in this period\./)).toBeTruthy();
    expect(itemRefs()).not.toContain('intro-statistics.never-tried');
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Also list the 1 exercise without attempts' }),
    );

    // Facility ascending; exercises without one (too few first attempts) come last.
    expect(itemRefs()).toEqual([
      'intro-statistics.pick-mean',
      'intro-statistics.median-robust',
      'intro-statistics.range-width',
      'intro-statistics.never-tried',
    ]);
    const table = screen.getByRole('table', { name: /^Exercises/ });
    expect(table.querySelector('caption')?.textContent).toBe(
      'Exercises, sorted by facility, ascending',
    );
    const facility = within(table).getByRole('columnheader', { name: /Facility/ });
    expect(facility.getAttribute('aria-sort')).toBe('ascending');

    fireEvent.click(within(table).getByRole('button', { name: /Attempts/ }));
    expect(itemRefs()).toEqual([
      'intro-statistics.pick-mean',
      'intro-statistics.median-robust',
      'intro-statistics.range-width',
      'intro-statistics.never-tried',
    ]);
    const attempts = within(table).getByRole('columnheader', { name: /Attempts/ });
    expect(attempts.getAttribute('aria-sort')).toBe('descending');
    expect(facility.hasAttribute('aria-sort')).toBe(false);

    fireEvent.click(within(table).getByRole('button', { name: /Attempts/ }));
    expect(attempts.getAttribute('aria-sort')).toBe('ascending');
    expect(itemRefs()[0]).toBe('intro-statistics.never-tried');

    fireEvent.click(within(table).getByRole('button', { name: /Discrimination/ }));
    expect(itemRefs()).toEqual([
      'intro-statistics.pick-mean',
      'intro-statistics.median-robust',
      'intro-statistics.range-width',
      'intro-statistics.never-tried',
    ]);
    fireEvent.click(within(table).getByRole('button', { name: /Lesson/ }));
    expect(itemRefs().slice(0, 2).sort()).toEqual([
      'intro-statistics.median-robust',
      'intro-statistics.pick-mean',
    ]);

    const row = within(table)
      .getByRole('rowheader', { name: /pick-mean/ })
      .closest('tr');
    expect(
      within(row as HTMLElement)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual([
      'Averages',
      'single choice',
      '12',
      '7',
      '57.1 %',
      '48.8 %',
      '63.2',
      '8.4 s',
      '"b" × 3',
    ]);
    const untried = within(table)
      .getByRole('rowheader', { name: /never-tried/ })
      .closest('tr');
    expect(within(untried as HTMLElement).getAllByText('not enough data')).toHaveLength(4);
  });

  it('says beside "From" when it is after "To", and applies only a valid period', async () => {
    const { fetch, client } = server();
    renderPage(client);
    await screen.findByRole('table', { name: /^Exercises/ });
    const calls = fetch.mock.calls.length;

    const from = screen.getByLabelText('From');
    fireEvent.change(from, { target: { value: '2026-11-26' } });
    const message = 'The first day must be on or before the last day.';
    expect(screen.getByText(message).id).toBe(from.getAttribute('aria-describedby'));
    expect(from.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(document.activeElement).toBe(from);
    expect(fetch.mock.calls.length).toBe(calls);

    fireEvent.change(from, { target: { value: '2026-11-01' } });
    expect(screen.queryByText(message)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('From 2026-11-01 to 2026-11-25 (25 days, UTC).');
    await waitFor(() =>
      expect(requested(fetch)).toContain(
        '/api/analytics/courses/intro-statistics/items?from=2026-11-01&to=2026-11-25',
      ),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Last 7 days' }));
    expect(screen.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe('2026-11-19');
    await waitFor(() =>
      expect(requested(fetch)).toContain(
        '/api/analytics/courses/intro-statistics/funnel?from=2026-11-19&to=2026-11-25',
      ),
    );
  });

  it('asks for active learners per month when the switch says so', async () => {
    const { fetch, client } = server();
    renderPage(client);
    await screen.findByRole('table', { name: /^Exercises/ });
    fireEvent.click(screen.getByRole('radio', { name: 'Month' }));
    await waitFor(() =>
      expect(requested(fetch)).toContain(
        '/api/analytics/courses/intro-statistics/activity?from=2026-08-28&to=2026-11-25&interval=month',
      ),
    );
  });

  describe('CSV download', () => {
    let saved: { href: string; download: string }[];
    let blobs: Blob[];
    beforeEach(() => {
      saved = [];
      blobs = [];
      URL.createObjectURL = vi.fn((blob: Blob) => {
        blobs.push(blob);
        return `blob:practica/${blobs.length}`;
      });
      URL.revokeObjectURL = vi.fn();
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
        this: HTMLAnchorElement,
      ) {
        saved.push({ href: this.href, download: this.download });
      });
    });
    afterEach(() => {
      Reflect.deleteProperty(URL, 'createObjectURL');
      Reflect.deleteProperty(URL, 'revokeObjectURL');
    });

    it("fetches the report's CSV with the token and saves the server's text", async () => {
      const { fetch, client } = server();
      await client.login({ email: kInstructor.email, password: 'x' });
      renderPage(client);
      await screen.findByRole('table', { name: /^Exercises/ });

      fireEvent.click(screen.getByRole('button', { name: 'Download CSV of exercises' }));
      await waitFor(() => expect(saved).toHaveLength(1));

      const call = fetch.mock.calls.find(([input]) => String(input).includes('format=csv'));
      expect(String(call?.[0])).toBe(
        '/api/analytics/courses/intro-statistics/items?format=csv&from=2026-08-28&to=2026-11-25',
      );
      const headers = call?.[1]?.headers as Record<string, string>;
      expect(headers.Authorization).toBe('Bearer tok-1');
      expect(headers.Accept).toBe('text/csv');
      expect(saved[0]).toEqual({
        href: 'blob:practica/1',
        download: 'intro-statistics-items.csv',
      });
      expect(blobs[0]?.type).toBe('text/csv');
      expect(await readText(blobs[0] as Blob)).toBe(kCsv);
    });

    it('says so beside the button when the download fails', async () => {
      const { client } = server(undefined, (url) =>
        url.searchParams.get('format') === 'csv'
          ? problemResponse({ title: 'Service Unavailable', status: 503, detail: 'Try later.' })
          : null,
      );
      renderPage(client);
      await screen.findByRole('table', { name: /^Exercises/ });
      fireEvent.click(screen.getByRole('button', { name: 'Download CSV of retention' }));
      const alert = await within(section('Retention')).findByRole('alert');
      expect(alert.textContent).toBe('The CSV file could not be downloaded: Try later.');
      expect(saved).toEqual([]);
    });
  });

  it('shows empty states, not empty charts, for a course nobody has used yet', async () => {
    const { client } = server(kEmptyReports);
    renderPage(client);

    expect(
      await screen.findByText('No learner answered an exercise of this course in this period.'),
    ).toBeTruthy();
    expect(
      await screen.findByText('No learner opened a lesson of this course in this period.'),
    ).toBeTruthy();
    expect(
      await screen.findByText('No learner was active in this course in this period.'),
    ).toBeTruthy();
    expect(await screen.findByText('No learner has completed this course yet.')).toBeTruthy();
    expect(await screen.findByText('No learner started this course in this period.')).toBeTruthy();
    expect(screen.queryAllByRole('img')).toEqual([]);
    expect(screen.queryAllByRole('table')).toEqual([]);
    // The period and the downloads stay, for another period or the (empty) files.
    expect(screen.getAllByRole('button', { name: /^Download CSV/ })).toHaveLength(5);
    expect(document.body.textContent).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('says an exercise cannot be placed yet when none has both statistics', async () => {
    const { client } = server({
      ...kEmptyReports,
      items: {
        ...kItems,
        items: kItems.items.map((entry) => ({ ...entry, facility: null, discrimination: null })),
      },
    });
    renderPage(client);
    expect(
      await screen.findByText(
        'Too few first attempts yet to place any exercise by facility and discrimination.',
      ),
    ).toBeTruthy();
    expect(screen.getByRole('table', { name: /^Exercises/ })).toBeTruthy();
  });

  it('leads an instructor without two-factor authentication to set it up', async () => {
    const { client } = server(undefined, (url) =>
      url.pathname.startsWith('/api/analytics/')
        ? problemResponse({
            type: kProblemTypes.mfaEnrollmentRequired,
            title: 'Forbidden',
            status: 403,
          })
        : null,
    );
    renderPage(client);
    expect(await screen.findByText('Two-factor authentication is required.')).toBeTruthy();
    expect(
      screen.getByRole('link', { name: 'Set it up on your account page' }).getAttribute('href'),
    ).toBe('/account#two-factor');
  });

  it('shows a learner who typed the address that the page is not for them', () => {
    const { fetch, client } = server();
    renderPage(client, kLearner);
    expect(
      screen.getByText('Only instructors and administrators can see course analytics.'),
    ).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});
