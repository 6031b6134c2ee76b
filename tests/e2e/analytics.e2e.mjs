#!/usr/bin/env node
// Browser test of the instructors' analytics dashboard through the real server: an instructor made
// with `practica user create` sets up two-factor authentication over the API, a learner answers a
// few exercises of the demo course's first lesson over the API, then the instructor signs in
// through the browser (password, then the TOTP code), follows "Analytics" to the course's
// dashboard and finds the answered exercises with their attempt counts in the item table, the
// lesson in the funnel, the charts drawn, a CSV download and the period presets; axe-core on the
// dashboard.
//
//   PRACTICA_BIN=build/dev/src/practica node tests/e2e/analytics.e2e.mjs   (after `npm run build` in web/)
//
// Starts `$PRACTICA_BIN serve --cookie-secure false` (the test speaks plain HTTP) on a free port
// with a fresh data dir, drives Debian's Chromium through playwright-core, and stops the server
// with SIGTERM. E2E_SCREENSHOT=1 saves the dashboard to /tmp/practica-analytics.png.
// The last line printed is "N passed, M failed"; the exit code is non-zero on any failure.

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assert,
  assertAccessible,
  check,
  launchChromium,
  newPage,
  runE2e,
  startServer,
  stopServer,
  watchErrors,
} from './harness.mjs';
import { call, createStaff, expectStatus, kPassword, signInWithTotp } from './staff.mjs';

const kScreenshot = '/tmp/practica-analytics.png';
const kCourse = 'everyday-data';

// ---- The app, as the instructor drives it ---------------------------------------------------------

function nav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

function itemTable(page) {
  return page.getByRole('table', { name: /^Exercises/ });
}

/** The text of each cell of `row`, keyed by the column headers of `table`. */
async function rowCells(table, row) {
  const headers = (await table.getByRole('columnheader').allInnerTexts()).map((text) =>
    text.replace(/[▲▼↕]/g, '').trim(),
  );
  const cells = (await row.locator('th, td').allInnerTexts()).map((text) => text.trim());
  return Object.fromEntries(headers.map((header, index) => [header, cells[index]]));
}

/** The cells of the one row of `table` that holds `marker` (a locator within the row). */
async function rowWith(table, marker) {
  const row = table.getByRole('row').filter({ has: marker });
  // The report may be loading again (a new period): wait for its table to come back.
  await row.first().waitFor();
  assert((await row.count()) === 1, `${await row.count()} rows match`);
  return rowCells(table, row);
}

/** Clicks `trigger` and resolves with the saved file's name and text. */
async function download(page, trigger) {
  const [saved] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  return { name: saved.suggestedFilename(), text: await readFile(await saved.path(), 'utf8') };
}

await runE2e(async ({ bin, scratch }) => {
  let server = null;
  let browser = null;
  const dataDir = join(scratch, 'data');
  try {
    await check('server starts and reports its port', async () => {
      server = await startServer(bin, dataDir, ['--cookie-secure', 'false']);
    });
    if (!server) return;
    const base = `http://127.0.0.1:${server.port}`;
    const stamp = Date.now().toString(36);
    let instructor = null;
    let lesson = null;
    // What the learner answered: exercise ref → attempts made.
    const answered = new Map();

    await check('an instructor made with `practica user create` sets up 2FA', async () => {
      instructor = await createStaff(
        bin,
        dataDir,
        base,
        `grace-${stamp}@example.test`,
        'instructor',
      );
    });

    await check('an admin makes the instructor an owner of the course', async () => {
      // Instructors read the analytics of the courses they own; the demo course, loaded as seed
      // content, has no owners until an admin names them.
      const admin = await createStaff(bin, dataDir, base, `root-${stamp}@example.test`, 'admin');
      await expectStatus(
        call(base, 'PUT', `/api/authoring/courses/${kCourse}/owners`, {
          token: admin.token,
          body: { owners: [instructor.id] },
        }),
        200,
        'setting the owners',
      );
    });

    await check('a learner answers exercises of the first lesson over the API', async () => {
      const signup = await expectStatus(
        call(base, 'POST', '/api/auth/signup', {
          body: {
            email: `ada-${stamp}@example.test`,
            password: kPassword,
            display_name: 'Ada Analytics',
          },
        }),
        201,
        'learner sign-up',
      );
      const token = signup.access_token;
      const course = await expectStatus(
        call(base, 'GET', `/api/courses/${kCourse}`, { token }),
        200,
        'the course',
      );
      const first = course.lessons[0];
      lesson = await expectStatus(
        call(base, 'GET', `/api/courses/${kCourse}/lessons/${first.slug}`, { token }),
        200,
        'the first lesson',
      );
      // A numeric exercise twice (two tries allowed), a single-choice and a true/false once.
      const plan = [
        [lesson.exercises.find((e) => e.type === 'numeric' && e.max_attempts !== 1), [0, 1]],
        [lesson.exercises.find((e) => e.type === 'single_choice'), null],
        [lesson.exercises.find((e) => e.type === 'true_false'), [true]],
      ];
      for (const [exercise, answers] of plan) {
        assert(exercise, `the first lesson lacks an exercise the test answers`);
        for (const answer of answers ?? [exercise.options[0].id]) {
          await expectStatus(
            call(base, 'POST', `/api/exercises/${encodeURIComponent(exercise.ref)}/attempts`, {
              token,
              body: { answer },
              headers: { 'Idempotency-Key': randomUUID() },
            }),
            201,
            `an attempt at ${exercise.ref}`,
          );
          answered.set(exercise.ref, (answered.get(exercise.ref) ?? 0) + 1);
        }
      }
      await expectStatus(
        call(base, 'GET', `/api/analytics/courses/${kCourse}/items`, { token }),
        403,
        "a learner's request for analytics",
      );
    });
    if (!instructor || answered.size === 0) return;

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await newPage(context);
    // The browser logs the 401 of the silent restore while signed out, and that of the log-in
    // that asks for the second factor.
    const pageErrors = watchErrors(page, [/status of 401/]);
    let dashboardOpen = false;

    await check('the instructor signs in through the browser with the TOTP code', async () => {
      await signInWithTotp(page, base, instructor);
    });

    await check('"Analytics" in the nav leads to the course and its dashboard', async () => {
      await nav(page).getByRole('link', { name: 'Analytics' }).click();
      await page.getByRole('heading', { level: 1, name: 'Analytics' }).waitFor();
      const course = page.getByRole('link', { name: 'Everyday Data' });
      assert(
        (await course.getAttribute('href')) === `/analytics/courses/${kCourse}`,
        `the course links to ${await course.getAttribute('href')}`,
      );
      await course.click();
      await page.getByRole('heading', { level: 1, name: 'Analytics: Everyday Data' }).waitFor();
      await itemTable(page).waitFor();
      dashboardOpen = true;
    });
    if (!dashboardOpen) return;

    await check('the item table shows each answered exercise with its attempts', async () => {
      const table = itemTable(page);
      for (const [ref, attempts] of answered) {
        const cells = await rowWith(table, page.locator('code', { hasText: ref }));
        assert(cells.Attempts === String(attempts), `${ref}: ${JSON.stringify(cells)}`);
        assert(cells.Learners === '1', `${ref}: ${JSON.stringify(cells)}`);
        assert(cells.Lesson === lesson.title, `${ref}: lesson ${cells.Lesson}`);
      }
      assert(
        (await table.getByRole('columnheader', { name: /Facility/ }).getAttribute('aria-sort')) ===
          'ascending',
        'the table is not sorted by facility',
      );
    });

    await check('the funnel shows the lesson, attempted by the learner', async () => {
      const funnel = page.getByRole('region', { name: 'Lesson funnel' });
      const table = funnel.getByRole('table');
      const cells = await rowWith(
        table,
        page.getByRole('rowheader', { name: lesson.title, exact: true }),
      );
      assert(cells.Attempted === '1', `funnel row: ${JSON.stringify(cells)}`);
      const chart = funnel.getByRole('img', { name: /^Bar chart of \d+ lessons/ });
      const box = await chart.boundingBox();
      assert(box && box.width > 100 && box.height > 100, `the funnel chart is ${box}`);
    });

    await check('active learners and the retention grid count the learner', async () => {
      await page
        .getByRole('region', { name: 'Active learners' })
        .getByRole('img', { name: /^Bar chart of active learners per week/ })
        .waitFor();
      const grid = page.getByRole('region', { name: 'Retention' }).getByRole('table');
      const cohorts = grid.locator('tbody tr');
      await cohorts.first().waitFor();
      assert((await cohorts.count()) === 1, `${await cohorts.count()} cohorts`);
      const cohort = await rowCells(grid, cohorts);
      assert(cohort.Learners === '1', `cohort row: ${JSON.stringify(cohort)}`);
      assert(cohort['Week 0'].startsWith('100 %'), `cohort row: ${JSON.stringify(cohort)}`);
      if (process.env.E2E_SCREENSHOT === '1') {
        await page.screenshot({ path: kScreenshot, fullPage: true });
        console.log(`    screenshot: ${kScreenshot}`);
      }
    });

    await check("the exercises' CSV downloads with the answered exercises in it", async () => {
      const saved = await download(
        page,
        page.getByRole('button', { name: 'Download CSV of exercises' }),
      );
      assert(saved.name.endsWith('.csv'), `saved as ${saved.name}`);
      for (const ref of answered.keys()) {
        const id = ref.slice(ref.indexOf('.') + 1);
        assert(saved.text.includes(id), `the CSV lacks ${id}:\n${saved.text.slice(0, 500)}`);
      }
    });

    await check(
      'a later start than end is refused beside the field; a preset applies',
      async () => {
        const from = page.getByLabel('From', { exact: true });
        const to = await page.getByLabel('To', { exact: true }).inputValue();
        await from.fill(to.replace(/^(\d{4})/, (year) => String(Number(year) + 1)));
        await page.getByText('The first day must be on or before the last day.').waitFor();
        assert((await from.getAttribute('aria-invalid')) === 'true', 'From is not marked invalid');
        await page.getByRole('button', { name: 'Last 7 days' }).click();
        await page.getByText(/^From \S+ to \S+ \(7 days, UTC\)\.$/).waitFor();
        const cells = await rowWith(
          itemTable(page),
          page.locator('code', { hasText: [...answered.keys()][0] }),
        );
        assert(cells.Attempts === String([...answered.values()][0]), JSON.stringify(cells));
      },
    );

    await check('no script errors or blocked resources (CSP) on the dashboard', async () => {
      assert(pageErrors.length === 0, pageErrors.join('\n'));
    });

    await check('the dashboard has no serious accessibility violations', async () => {
      // A context for axe only (its script is injected inline, which the CSP rightly blocks),
      // signed in with the first context's refresh cookie, which that context no longer needs.
      const auditContext = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        bypassCSP: true,
      });
      await auditContext.addCookies(await context.cookies());
      await context.close();
      const auditPage = await newPage(auditContext);
      await auditPage.goto(`${base}/analytics/courses/${kCourse}`);
      await itemTable(auditPage).waitFor();
      await auditPage.getByRole('region', { name: 'Retention' }).getByRole('table').waitFor();
      await assertAccessible(auditPage);
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server);
  }
});
