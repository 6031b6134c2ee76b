#!/usr/bin/env node
// Browser test of the authoring pages through the real server: an instructor made with
// `practica user create` (second factor over the API) signs in, follows "Authoring", creates a
// course (a taken slug is refused beside its field), adds two lessons, writes maths in one and
// sees it typeset by KaTeX in the preview, adds a single-choice exercise with two correct options
// (refused beside the options), fixes it, tries it (full score), meets "someone else changed this
// course" with the text kept, reorders the lessons with the keyboard (the order survives a
// reload) and by dragging, and publishes; a visitor then finds the course in the catalog. A
// second course takes a Moodle GIFT bank of two questions in two categories (its outline then
// shows both lessons and their exercises) and downloads itself as GIFT. axe-core on the course,
// lesson and exercise editors.
//
//   PRACTICA_BIN=build/dev/src/practica node tests/e2e/authoring.e2e.mjs   (after `npm run build` in web/)
//
// Starts `$PRACTICA_BIN serve --cookie-secure false` (the test speaks plain HTTP) on a free port
// with a fresh data dir, drives Debian's Chromium through playwright-core, and stops the server
// with SIGTERM. E2E_SCREENSHOT=1 saves the exercise editor to /tmp/practica-authoring.png.
// The last line printed is "N passed, M failed"; the exit code is non-zero on any failure.

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
import { call, createStaff, expectStatus, signInWithTotp } from './staff.mjs';

const kScreenshot = '/tmp/practica-authoring.png';
const kCourse = 'powers-and-roots';
const kTitle = 'Powers and roots';
const kMaths = 'The square of $x$ is $x^2$, and\n\n$$\\sqrt{x^2} = |x|$$';
const kRootsText = 'A square root undoes a square: $\\sqrt{9} = 3$.';
const kGiftCourse = 'averages-quiz';
const kGiftTitle = 'Averages quiz';
const kGiftBank = [
  '$CATEGORY: $course$/top/Averages',
  '',
  '::mean::Which one is the sum divided by the count?{=Mean ~%50%Median#Close. ~Mode}',
  '',
  '$CATEGORY: $course$/top/Spread',
  '',
  '::sd::Is the standard deviation ever negative?{F#It is a square root.}',
  '',
].join('\n');

function nav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

function outline(page) {
  return page.getByRole('region', { name: 'Outline' });
}

/** The lesson titles of the outline, in order. */
async function lessonOrder(page) {
  const links = outline(page).locator('.outline-lesson > .outline-row a');
  await links.first().waitFor();
  return links.allInnerTexts();
}

/** The outline's lesson titles as the server keeps them. */
async function draftOrder(base, token) {
  const draft = await expectStatus(
    call(base, 'GET', `/api/authoring/courses/${kCourse}`, { token }),
    200,
    'the draft',
  );
  return draft.lessons.map((lesson) => lesson.title);
}

/** Waits for `text` in the outline's live region (moves and additions are announced there). */
async function announced(page, text) {
  await outline(page).getByRole('status').filter({ hasText: text }).waitFor();
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

    await check('an instructor made with `practica user create` sets up 2FA', async () => {
      instructor = await createStaff(bin, dataDir, base, `ada-${stamp}@example.test`, 'instructor');
    });
    if (!instructor) return;

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await newPage(context);
    // The browser logs each refused request: the silent restore while signed out (401), the
    // log-in that asks for the second factor (401), a taken slug (409), an invalid exercise
    // (400) and the stale draft (412), all part of the test.
    const pageErrors = watchErrors(page, [/status of (400|401|409|412)/]);
    let created = false;

    await check('the instructor signs in and "Authoring" leads to their courses', async () => {
      await signInWithTotp(page, base, instructor);
      await nav(page).getByRole('link', { name: 'Authoring' }).click();
      await page.getByRole('heading', { level: 1, name: 'Authoring' }).waitFor();
      await page.getByText('No courses yet: create your first one below.').waitFor();
    });

    await check('a taken slug is refused beside the Slug field', async () => {
      await page.getByLabel('Title', { exact: true }).fill(kTitle);
      const slug = page.getByLabel('Slug', { exact: true });
      assert((await slug.inputValue()) === kCourse, `suggested slug ${await slug.inputValue()}`);
      // The demo course, loaded as seed content, has this one.
      await slug.fill('everyday-data');
      await page.getByRole('button', { name: 'Create the course' }).click();
      await page.getByText('This is already used by another course.').waitFor();
      assert((await slug.getAttribute('aria-invalid')) === 'true', 'Slug is not marked invalid');
      assert(
        await slug.evaluate((input) => input === document.activeElement),
        'focus is not on the refused field',
      );
    });

    await check('the course is created with its slug, summary and tags', async () => {
      await page.getByLabel('Slug', { exact: true }).fill(kCourse);
      await page.getByLabel('Summary').fill('Squares, square roots and what undoes what.');
      await page.getByLabel('Tags').fill('algebra, powers');
      await page.getByRole('button', { name: 'Create the course' }).click();
      await page.getByRole('heading', { level: 1, name: kTitle }).waitFor();
      assert(page.url() === `${base}/authoring/courses/${kCourse}`, `at ${page.url()}`);
      await page.getByText('Draft, never published.').waitFor();
      created = true;
    });
    if (!created) return;

    await check('two lessons are added, each announced with focus on it', async () => {
      for (const title of ['Squares', 'Roots']) {
        await page.getByLabel('Lesson title').fill(title);
        await page.getByRole('button', { name: 'Add the lesson' }).click();
        await announced(page, `Lesson “${title}” added.`);
        const link = outline(page).getByRole('link', { name: title, exact: true });
        assert(
          await link.evaluate((element) => element === document.activeElement),
          `focus is not on the new lesson ${title}`,
        );
      }
      const order = await lessonOrder(page);
      assert(order.join() === 'Squares,Roots', `outline ${order}`);
    });

    await check('the lesson editor previews maths typeset by KaTeX', async () => {
      await outline(page).getByRole('link', { name: 'Squares', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Lesson: Squares' }).waitFor();
      await page.getByLabel('Text block 1', { exact: true }).fill(kMaths);
      const preview = page.getByRole('region', { name: 'Preview' });
      await preview.locator('.katex-display').waitFor();
      assert(
        (await preview.locator('.katex').count()) >= 3,
        `${await preview.locator('.katex').count()} formulas typeset`,
      );
      await page.getByRole('button', { name: 'Save the lesson' }).click();
      await page.getByText('Saved.', { exact: true }).waitFor();
    });

    await check('two correct options are refused beside the options', async () => {
      await page.getByRole('link', { name: kTitle }).click();
      await outline(page).getByRole('link', { name: 'Add an exercise to “Squares”' }).click();
      await page.getByRole('heading', { level: 1, name: 'New exercise in “Squares”' }).waitFor();
      await page.getByLabel('Id', { exact: true }).fill('three-squared');
      await page.getByLabel('Prompt').fill('What is $3^2$?');
      await page.getByLabel('Option 1 text').fill('9');
      await page.getByLabel('Option 1 is correct').check();
      await page.getByLabel('Option 2 text').fill('6');
      await page.getByLabel('Option 2 is correct').check();
      await page.getByRole('button', { name: 'Add the exercise' }).click();
      const options = page.getByRole('group', { name: 'Options' });
      const error = options.locator('.field-error', { hasText: /exactly one option with correct/ });
      await error.first().waitFor();
      assert(
        await error.first().evaluate((element) => element === document.activeElement),
        'focus is not on the options error',
      );
      assert(
        (await options.getAttribute('aria-describedby'))?.includes(
          await error.first().getAttribute('id'),
        ),
        'the options group is not described by its error',
      );
    });

    await check('fixed, the exercise is added and "Try it" gives the full score', async () => {
      await page.getByLabel('Option 2 is correct').uncheck();
      await page.getByRole('button', { name: 'Add the exercise' }).click();
      await page.getByRole('heading', { level: 1, name: 'Exercise three-squared' }).waitFor();
      assert(
        page.url() === `${base}/authoring/courses/${kCourse}/exercises/three-squared`,
        `at ${page.url()}`,
      );
      const tryIt = page.getByRole('region', { name: 'Try it' });
      await tryIt.locator('.katex').first().waitFor();
      await tryIt.getByRole('radio', { name: '6' }).check();
      await tryIt.getByRole('button', { name: 'Check' }).click();
      await tryIt.getByText('Incorrect — 0 %').waitFor();
      await tryIt.getByRole('button', { name: 'Try again' }).click();
      await tryIt.getByRole('radio', { name: '9' }).check();
      await tryIt.getByRole('button', { name: 'Check' }).click();
      await tryIt.getByText('Correct — 100 %').waitFor();
      if (process.env.E2E_SCREENSHOT === '1') {
        await page.screenshot({ path: kScreenshot, fullPage: true });
        console.log(`    screenshot: ${kScreenshot}`);
      }
    });

    await check("someone else's change refuses a save and keeps the text", async () => {
      await page.getByRole('link', { name: kTitle }).click();
      await outline(page).getByRole('link', { name: 'Roots', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Lesson: Roots' }).waitFor();
      await page.getByLabel('Text block 1', { exact: true }).fill(kRootsText);
      // Meanwhile, in another session, the course changes.
      await expectStatus(
        call(base, 'PATCH', `/api/authoring/courses/${kCourse}`, {
          token: instructor.token,
          body: { summary: 'Squares and square roots.' },
        }),
        200,
        'the change in another session',
      );
      await page.getByRole('button', { name: 'Save the lesson' }).click();
      await page
        .getByRole('heading', { name: 'Someone else changed this course: reload' })
        .waitFor();
      const kept = await page.getByLabel('Your unsaved text: Lesson text').inputValue();
      assert(kept.includes(kRootsText), `the notice keeps ${JSON.stringify(kept)}`);
      assert(
        (await page.getByLabel('Text block 1', { exact: true }).inputValue()) === kRootsText,
        'the editor lost the text',
      );
      await page.getByRole('button', { name: 'Reload the course' }).click();
      await page.getByText('The page now shows the course as it is.').waitFor();
      // The editor shows the reloaded lesson (whose text was never saved) before it is typed
      // again: typing earlier raced the reload, which then put the empty text back.
      const block = page.getByLabel('Text block 1', { exact: true });
      for (let i = 0; i < 50 && (await block.inputValue()) !== ''; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await block.fill(kRootsText);
      await page.getByRole('button', { name: 'Save the lesson' }).click();
      await page.getByText('Saved.', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Dismiss' }).click();
      const saved = await call(base, 'GET', `/api/authoring/courses/${kCourse}`, {
        token: instructor.token,
      });
      const roots = saved.body.lessons.find((lesson) => lesson.title === 'Roots');
      assert(
        JSON.stringify(roots?.blocks ?? []).includes('square root undoes'),
        `the saved lesson: ${JSON.stringify(roots)}`,
      );
    });

    await check('the keyboard reorders the lessons, and the order survives a reload', async () => {
      await page.getByRole('link', { name: kTitle }).click();
      const down = outline(page).getByRole('button', { name: 'Move lesson “Squares” down' });
      await down.focus();
      await page.keyboard.press('Enter');
      await announced(page, 'Lesson “Squares” moved to position 2 of 2.');
      assert(
        await outline(page)
          .getByRole('button', { name: 'Move lesson “Squares” down' })
          .evaluate((element) => element === document.activeElement),
        'focus did not stay on the button',
      );
      let order = await lessonOrder(page);
      assert(order.join() === 'Roots,Squares', `outline ${order}`);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: kTitle }).waitFor();
      order = await lessonOrder(page);
      assert(order.join() === 'Roots,Squares', `after a reload: ${order}`);
    });

    await check('dragging a lesson above another moves it back', async () => {
      const squares = outline(page).locator('.outline-lesson').filter({ hasText: 'Squares' });
      const roots = outline(page).locator('.outline-lesson').filter({ hasText: 'Roots' });
      await squares.locator('.outline-row').dragTo(roots, { targetPosition: { x: 40, y: 6 } });
      await announced(page, 'Lesson “Squares” moved to position 1 of 2.');
      const order = await draftOrder(base, instructor.token);
      assert(order.join() === 'Squares,Roots', `the draft's order: ${order}`);
    });

    await check('publishing makes version 1, live', async () => {
      await page.getByRole('button', { name: 'Publish the draft' }).click();
      await page.getByText('Published version 1: learners see it now.').waitFor();
      const versions = page.getByRole('table', { name: 'Versions' });
      await versions.getByRole('rowheader', { name: /^1\s*live$/ }).waitFor();
    });

    await check('a visitor finds the course in the catalog, lessons in order', async () => {
      const visitor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const learner = await newPage(visitor);
        await learner.goto(base);
        await learner.getByRole('link', { name: new RegExp(kTitle) }).click();
        await learner.getByRole('heading', { level: 1, name: kTitle }).waitFor();
        const lessons = await learner.locator('.lesson-list a').allInnerTexts();
        assert(
          lessons.length === 2 && lessons[0].includes('Squares') && lessons[1].includes('Roots'),
          `the course's lessons: ${lessons}`,
        );
      } finally {
        await visitor.close();
      }
    });

    await check(
      'a GIFT bank of two questions becomes the outline, and downloads again',
      async () => {
        await expectStatus(
          call(base, 'POST', '/api/authoring/courses', {
            token: instructor.token,
            body: { slug: kGiftCourse, title: kGiftTitle },
          }),
          201,
          'the course for the GIFT bank',
        );
        await page.goto(`${base}/authoring/courses/${kGiftCourse}`);
        await page.getByRole('heading', { level: 1, name: kGiftTitle }).waitFor();
        const gift = page.getByRole('region', { name: 'Moodle GIFT' });
        await gift.getByLabel('Import a GIFT file…').setInputFiles({
          name: 'averages.gift',
          mimeType: 'text/plain',
          buffer: Buffer.from(kGiftBank),
        });
        await gift.getByRole('button', { name: 'Import the GIFT file', exact: true }).click();
        await gift.getByRole('button', { name: 'Replace the lessons', exact: true }).click();
        await gift
          .getByRole('status')
          .getByText("The draft's lessons are now the 2 lessons of averages.gift", { exact: false })
          .waitFor();
        const order = await lessonOrder(page);
        assert(order.join() === 'Averages,Spread', `outline ${order}`);
        for (const id of ['mean', 'sd']) {
          await outline(page).getByRole('link', { name: id, exact: true }).waitFor();
        }

        const [download] = await Promise.all([
          page.waitForEvent('download'),
          gift.getByRole('button', { name: 'Download as GIFT', exact: true }).click(),
        ]);
        assert(
          download.suggestedFilename() === `${kGiftCourse}.gift`,
          `downloaded ${download.suggestedFilename()}`,
        );
        const path = await download.path();
        const text = path ? await readFile(path, 'utf8') : '';
        assert(
          text.includes('$CATEGORY: Averages') && text.includes('::mean::'),
          `the GIFT file: ${JSON.stringify(text.slice(0, 200))}`,
        );
      },
    );

    await check('no script errors or blocked resources (CSP) on the authoring pages', async () => {
      assert(pageErrors.length === 0, pageErrors.join('\n'));
    });

    await check('the editors have no serious accessibility violations', async () => {
      // A context for axe only (its script is injected inline, which the CSP rightly blocks),
      // signed in with the first context's refresh cookie, which that context no longer needs.
      const auditContext = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        bypassCSP: true,
      });
      await auditContext.addCookies(await context.cookies());
      await context.close();
      const audit = await newPage(auditContext);
      await audit.goto(`${base}/authoring`);
      await audit.getByRole('link', { name: kTitle }).waitFor();
      await assertAccessible(audit);
      await audit.goto(`${base}/authoring/courses/${kCourse}`);
      await audit.getByRole('table', { name: 'Versions' }).waitFor();
      await assertAccessible(audit);
      await audit.goto(`${base}/authoring/courses/${kCourse}/lessons/squares`);
      await audit.getByRole('region', { name: 'Preview' }).locator('.katex-display').waitFor();
      await assertAccessible(audit);
      await audit.goto(`${base}/authoring/courses/${kCourse}/exercises/three-squared`);
      const tryIt = audit.getByRole('region', { name: 'Try it' });
      await tryIt.getByRole('radio', { name: '9' }).check();
      await tryIt.getByRole('button', { name: 'Check' }).click();
      await tryIt.getByText('Correct — 100 %').waitFor();
      await assertAccessible(audit);
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server);
  }
});
