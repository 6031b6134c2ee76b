#!/usr/bin/env node
// Browser test of the learner path through the real server: catalog → course → first lesson,
// with every exercise's input present, maths typeset, and no serious accessibility violations.
//
//   PRACTICA_BIN=build/dev/src/practica node tests/e2e/lesson.e2e.mjs    (after `npm run build` in web/)
//
// Starts `$PRACTICA_BIN serve` on a free port with a fresh data dir, web/dist and the demo content,
// drives Debian's Chromium through playwright-core, and stops the server with SIGTERM.
// E2E_SCREENSHOT=1 also saves the lesson page to /tmp/practica-lesson.png.
// The last line printed is "N passed, M failed"; the exit code is non-zero on any failure.

import { join } from 'node:path';
import {
  assert,
  assertAccessible,
  check,
  getJson,
  launchChromium,
  newPage,
  runE2e,
  startServer,
  stopServer,
  watchErrors,
} from './harness.mjs';

const kScreenshot = '/tmp/practica-lesson.png';

/** What each exercise type must show, as [selector inside the exercise, expected count]. */
function expectedControls(exercise) {
  switch (exercise.type) {
    case 'single_choice':
      return [['input[type=radio]', exercise.options.length]];
    case 'multiple_choice':
      return [['input[type=checkbox]', exercise.options.length]];
    case 'true_false':
      return [['input[type=radio]', 2]];
    case 'numeric':
      return [['input[type=number]', 1]];
    case 'short_text':
      return [['input[type=text]', 1]];
    case 'formula':
      return [
        ['input[type=text]', 1],
        ['.field-help', 1],
      ];
    case 'cloze':
      return [['input.gap, select.gap', exercise.gaps.length]];
    case 'ordering':
      return [
        ['.ordering-item', exercise.items.length],
        ['.ordering-item button', exercise.items.length * 2],
      ];
    case 'matching':
      return [['select', exercise.left.length]];
    default:
      throw new Error(`unknown exercise type ${exercise.type}`);
  }
}

await runE2e(async ({ bin, scratch }) => {
  let server = null;
  let browser = null;
  try {
    await check('server starts and reports its port', async () => {
      server = await startServer(bin, join(scratch, 'data'));
    });
    if (!server) return;
    const base = `http://127.0.0.1:${server.port}`;

    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
    });
    const page = await newPage(context);
    // A second context only for axe: its script is injected inline, which the app's CSP blocks
    // (the first context keeps the CSP, so the app itself is tested under it).
    const auditContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const auditPage = await newPage(auditContext);
    // Signed out, the app's silent session restore is answered 401, which the browser logs.
    const pageErrors = watchErrors(page, [/status of 401/]);

    const catalog = await getJson(base, '/api/courses');
    const course = catalog.items?.[0];
    let outline = null;
    let lesson = null;

    await check('catalog shows the demo course', async () => {
      assert(course, '/api/courses lists no course: was the demo content seeded?');
      await page.goto(base + '/');
      await page.getByRole('heading', { level: 1, name: 'Courses' }).waitFor();
      const link = page.getByRole('link', { name: course.title, exact: true });
      await link.waitFor();
      assert(
        (await link.getAttribute('href')) === `/courses/${course.slug}`,
        'course link has the wrong href',
      );
    });

    await check('catalog has no serious accessibility violations', async () => {
      await auditPage.goto(base + '/');
      await auditPage.getByRole('link', { name: course.title, exact: true }).waitFor();
      await assertAccessible(auditPage);
    });

    await check('course page opens from the catalog', async () => {
      outline = await getJson(base, `/api/courses/${encodeURIComponent(course.slug)}`);
      await page.getByRole('link', { name: course.title, exact: true }).click();
      await page.waitForURL(`**/courses/${course.slug}`);
      await page.getByRole('heading', { level: 1, name: outline.title }).waitFor();
      assert(outline.lessons.length > 0, 'the demo course has no lessons');
      const items = page.locator('.lesson-list li');
      assert(
        (await items.count()) === outline.lessons.length,
        'lesson list length differs from the API',
      );
    });

    await check('first lesson opens with its title, text and exercises', async () => {
      const first = outline.lessons[0];
      lesson = await getJson(
        base,
        `/api/courses/${encodeURIComponent(course.slug)}/lessons/${encodeURIComponent(first.slug)}`,
      );
      await page.locator('.lesson-list a').first().click();
      await page.waitForURL(`**/courses/${course.slug}/lessons/${first.slug}`);
      await page.getByRole('heading', { level: 1, name: lesson.title }).waitFor();
      const text = (await page.locator('.lesson-body').innerText()).trim();
      assert(text.length > 20, `lesson text is too short: ${JSON.stringify(text)}`);
      assert(lesson.exercises.length > 0, 'the first lesson has no exercise');
    });

    await check('every exercise of the lesson shows the input of its type', async () => {
      const kinds = new Set();
      for (const exercise of lesson.exercises) {
        const section = page.locator(`section.exercise[data-exercise-id="${exercise.id}"]`);
        await section.waitFor();
        for (const [selector, count] of expectedControls(exercise)) {
          const found = await section.locator(selector).count();
          assert(
            found === count,
            `${exercise.id} (${exercise.type}): ${found} × "${selector}", want ${count}`,
          );
        }
        if (exercise.type === 'formula') {
          const help = await section.locator('.field-help').innerText();
          for (const name of exercise.variables) {
            assert(help.includes(name), `${exercise.id}: variable ${name} not shown in "${help}"`);
          }
        }
        kinds.add(exercise.type);
      }
      console.log(`    exercise types shown: ${[...kinds].sort().join(', ')}`);
    });

    await check('maths is typeset by KaTeX', async () => {
      const texts = [lesson.html, ...lesson.exercises.map((e) => e.prompt_html)].join(' ');
      if (!texts.includes('$')) {
        console.log('    (the lesson has no maths; nothing to typeset)');
        return;
      }
      await page.locator('.katex').first().waitFor();
    });

    await check('inputs work from the keyboard', async () => {
      const ordering = lesson.exercises.find((e) => e.type === 'ordering');
      const input = page
        .locator('section.exercise input:not([type=radio]):not([type=checkbox])')
        .first();
      if ((await input.count()) > 0) {
        await input.focus();
        await page.keyboard.type('42');
        assert((await input.inputValue()) === '42', 'typing did not reach the input');
      }
      if (ordering) {
        const section = page.locator(`section.exercise[data-exercise-id="${ordering.id}"]`);
        const before = await section.locator('.ordering-text').allInnerTexts();
        await section.locator('.ordering-item button').nth(1).focus(); // first item's "down"
        await page.keyboard.press('Enter');
        const after = await section.locator('.ordering-text').allInnerTexts();
        assert(after[0] === before[1] && after[1] === before[0], `order did not change: ${after}`);
        const focused = await page.evaluate(() =>
          document.activeElement?.getAttribute('aria-label'),
        );
        assert(/down$/.test(focused ?? ''), `focus did not stay on the moved item: ${focused}`);
      }
    });

    await check('lesson page has no serious accessibility violations', async () => {
      await auditPage.goto(`${base}/courses/${course.slug}/lessons/${lesson.slug}`);
      await auditPage.getByRole('heading', { level: 1, name: lesson.title }).waitFor();
      await auditPage
        .locator('section.exercise')
        .nth(lesson.exercises.length - 1)
        .waitFor();
      if (lesson.html.includes('$')) await auditPage.locator('.katex').first().waitFor();
      await assertAccessible(auditPage);
    });

    if (process.env.E2E_SCREENSHOT === '1') {
      await page.screenshot({ path: kScreenshot, fullPage: true });
      console.log(`    screenshot: ${kScreenshot}`);
    }

    await check('a lesson URL opened directly loads the lesson', async () => {
      await page.goto(`${base}/courses/${course.slug}/lessons/${lesson.slug}`);
      await page.getByRole('heading', { level: 1, name: lesson.title }).waitFor();
    });

    await check('an unknown course shows a not-found page', async () => {
      await page.goto(`${base}/courses/no-such-course-e2e`);
      await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      // The browser logs the 404 response itself; that one is expected.
      for (let i = pageErrors.length - 1; i >= 0; i--) {
        if (/404/.test(pageErrors[i])) pageErrors.splice(i, 1);
      }
    });

    await check('no script errors or blocked resources (CSP) on any page', async () => {
      assert(pageErrors.length === 0, pageErrors.join('\n'));
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server);
  }
});
