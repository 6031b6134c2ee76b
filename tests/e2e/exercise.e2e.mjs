#!/usr/bin/env node
// Browser test of grading, progress and reviews through the real server: sign up, open the first
// lesson, answer its first numeric exercise wrongly and then rightly (the answer is read from the
// demo course's source), answer a single-choice exercise, reveal a hint, then find XP and the
// course's completion on /progress and no reviews due on /reviews; axe-core on the lesson (with
// feedback showing), the progress page and the review page.
//
//   PRACTICA_BIN=build/dev/src/practica node tests/e2e/exercise.e2e.mjs   (after `npm run build` in web/)
//
// Starts `$PRACTICA_BIN serve --cookie-secure false` (the test speaks plain HTTP) on a free port
// with a fresh data dir, drives Debian's Chromium through playwright-core, and stops the server
// with SIGTERM. E2E_SCREENSHOT=1 saves the graded lesson to /tmp/practica-exercise.png.
// The last line printed is "N passed, M failed"; the exit code is non-zero on any failure.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assert,
  assertAccessible,
  check,
  kContent,
  launchChromium,
  newPage,
  runE2e,
  startServer,
  stopServer,
  watchErrors,
} from './harness.mjs';

const kScreenshot = '/tmp/practica-exercise.png';
const kPassword = 'violet kettle drumming 42';
const kCourseDir = join(kContent, 'everyday-data');

// ---- What the demo course's source says (the answer keys the browser never sees) -------------

/** The course's first lesson: its slug and the exercises of its Markdown file. */
function firstLesson() {
  const courseYaml = readFileSync(join(kCourseDir, 'course.yaml'), 'utf8');
  const file = courseYaml.match(/^lessons:\s*\n\s+-\s*(\S+)/m)?.[1];
  assert(file, 'course.yaml lists no lesson');
  const text = readFileSync(join(kCourseDir, 'lessons', `${file}.md`), 'utf8');
  const slug = text.match(/^slug:\s*(\S+)/m)?.[1];
  const blocks = [...text.matchAll(/```exercise\n([\s\S]*?)```/g)].map((m) => m[1]);
  return { slug, exercises: blocks.map(parseExercise) };
}

/** The few fields of an exercise's YAML block this test needs (top-level keys only). */
function parseExercise(yaml) {
  const field = (name) => yaml.match(new RegExp(`^${name}:\\s*(.+?)\\s*$`, 'm'))?.[1];
  const options = [];
  const optionsBlock = yaml.match(/^options:\s*\n((?:[ \t]+.*\n?)*)/m)?.[1] ?? '';
  for (const chunk of optionsBlock.split(/^\s+-\s+id:\s*/m).slice(1)) {
    options.push({
      id: chunk.match(/^(\S+)/)?.[1],
      text: unquote(chunk.match(/^\s+text:\s*(.+?)\s*$/m)?.[1] ?? ''),
      correct: /^\s+correct:\s*true\s*$/m.test(chunk),
    });
  }
  const hints = (yaml.match(/^hints:\s*\n((?:[ \t]+-.*\n?)*)/m)?.[1] ?? '')
    .split('\n')
    .map((line) => line.replace(/^\s+-\s*/, '').trim())
    .filter(Boolean)
    .map(unquote);
  const maxAttempts = field('max_attempts');
  return {
    id: field('id'),
    type: field('type'),
    answer: field('answer'),
    maxAttempts: maxAttempts ? Number(maxAttempts) : null,
    options,
    hints,
  };
}

function unquote(text) {
  return text.replace(/^(["'])(.*)\1$/, '$2');
}

// ---- The app, as a learner drives it -----------------------------------------------------------

function nav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

async function signUp(page, base, { name, email }) {
  await page.goto(`${base}/signup`);
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(kPassword);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${base}/`);
  await nav(page).getByRole('button', { name: 'Log out' }).waitFor();
}

function exerciseSection(page, id) {
  return page.locator(`section.exercise[data-exercise-id="${id}"]`);
}

/** Clicks the exercise's Check button and waits for its verdict; resolves with the result text. */
async function checkAnswer(section) {
  await section.getByRole('button', { name: 'Check', exact: true }).click();
  const result = section.locator('.practice-result .result');
  await result.waitFor();
  return (await result.innerText()).replace(/\s+/g, ' ');
}

const normalise = (text) => text.replace(/\s+/g, ' ').trim();

await runE2e(async ({ bin, scratch }) => {
  let server = null;
  let browser = null;
  try {
    await check('server starts and reports its port', async () => {
      server = await startServer(bin, join(scratch, 'data'), ['--cookie-secure', 'false']);
    });
    if (!server) return;
    const base = `http://127.0.0.1:${server.port}`;

    const lesson = firstLesson();
    const numeric = lesson.exercises.find(
      (e) => e.type === 'numeric' && e.answer !== undefined && Number.isFinite(Number(e.answer)),
    );
    const single = lesson.exercises.find(
      (e) => e.type === 'single_choice' && e.options.some((o) => o.correct),
    );
    const hinted = lesson.exercises.find(
      (e) => e.hints.length > 0 && e.id !== numeric?.id && e.id !== single?.id,
    );

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await newPage(context);
    // A second context only for axe: its script is injected inline, which the app's CSP blocks
    // (the first context keeps the CSP, so the app itself is tested under it).
    const auditContext = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
    });
    const auditPage = await newPage(auditContext);
    // The browser logs the 401 of the silent restore while signed out, and a 404 if the server
    // has no progress yet for a course the learner never touched.
    const pageErrors = watchErrors(page, [/status of 401/, /status of 404/]);

    const stamp = Date.now().toString(36);
    let signedUp = false;
    let lessonOpen = false;
    let courseTitle = null;
    let lessonPath = null;

    await check("the first lesson's source has the exercises this test needs", async () => {
      assert(lesson.slug, 'the first lesson has no slug');
      assert(numeric, 'no numeric exercise with a single `answer:` in the first lesson');
      assert(single, 'no single-choice exercise with a correct option in the first lesson');
      assert(hinted, 'no other exercise with hints in the first lesson');
    });

    await check('sign up a new learner', async () => {
      await signUp(page, base, { name: 'Ada Grader', email: `ada-${stamp}@example.test` });
      signedUp = true;
    });
    if (!signedUp) return;

    await check('the nav offers Progress and Reviews', async () => {
      await nav(page).getByRole('link', { name: 'Progress' }).waitFor();
      await nav(page)
        .getByRole('link', { name: /^Reviews/ })
        .waitFor();
    });

    await check('open the first lesson from the catalog', async () => {
      const course = page.locator('.course-card').first();
      courseTitle = normalise(await course.locator('.course-card-title').innerText());
      await course.getByRole('link').first().click();
      await page.getByRole('heading', { level: 1, name: courseTitle }).waitFor();
      await page.locator('.lesson-list a').first().click();
      await page.waitForURL(`**/lessons/${lesson.slug}`);
      lessonPath = new URL(page.url()).pathname;
      await exerciseSection(page, numeric.id).waitFor();
      lessonOpen = true;
    });
    if (!lessonOpen) return;

    await check('Check stays disabled until the numeric exercise has an answer', async () => {
      const button = exerciseSection(page, numeric.id).getByRole('button', {
        name: 'Check',
        exact: true,
      });
      assert(
        (await button.getAttribute('aria-disabled')) === 'true',
        'Check is enabled with no answer',
      );
    });

    await check('a wrong numeric answer is marked Incorrect, with the tries left', async () => {
      const section = exerciseSection(page, numeric.id);
      await section
        .getByLabel('Your answer (a number)')
        .fill(String(Number(numeric.answer) + 1000));
      const result = await checkAnswer(section);
      assert(/Incorrect — 0 %/.test(result), `result reads "${result}"`);
      if (numeric.maxAttempts !== null) {
        const left = numeric.maxAttempts - 1;
        const want = left === 1 ? '1 try left' : `${left} tries left`;
        assert(result.includes(want), `result "${result}" lacks "${want}"`);
      }
      assert(
        (await section.getByRole('region', { name: 'Explanation' }).count()) === 0,
        'the explanation shows after a wrong answer with tries left',
      );
    });

    await check('Try again, then the right answer: Correct, and the explanation', async () => {
      const section = exerciseSection(page, numeric.id);
      await section.getByRole('button', { name: 'Try again' }).click();
      const input = section.getByLabel('Your answer (a number)');
      assert(await input.isEnabled(), 'the answer is still locked after Try again');
      await input.fill(String(numeric.answer));
      const result = await checkAnswer(section);
      assert(/^\W*Correct — \d+ %/.test(result), `result reads "${result}"`);
      const explanation = section.getByRole('region', { name: 'Explanation' });
      await explanation.waitFor();
      assert((await explanation.innerText()).trim().length > 10, 'the explanation is empty');
      assert(
        (await section.getByRole('button', { name: 'Try again' }).count()) === 0,
        'Try again is offered after a correct answer',
      );
    });

    await check('a single-choice answer is graded, with feedback beside the option', async () => {
      const section = exerciseSection(page, single.id);
      const right = single.options.find((o) => o.correct);
      await section.getByRole('radio', { name: right.text, exact: true }).check();
      const result = await checkAnswer(section);
      assert(/Correct/.test(result), `result reads "${result}"`);
      await section.locator('.choice-correct').waitFor();
    });

    await check('Show a hint reveals the first hint', async () => {
      const section = exerciseSection(page, hinted.id);
      await section.getByRole('button', { name: 'Show a hint' }).click();
      const hints = section.getByRole('list', { name: 'Hints' });
      await hints.waitFor();
      const shown = normalise(await hints.innerText());
      const want = normalise(hinted.hints[0].replace(/[*_`$]/g, '')).slice(0, 24);
      assert(shown.startsWith('Hint 1:'), `hint list reads "${shown}"`);
      assert(shown.includes(want), `hint list "${shown}" lacks "${want}"`);
    });

    if (process.env.E2E_SCREENSHOT === '1') {
      await page.screenshot({ path: kScreenshot, fullPage: true });
      console.log(`    screenshot: ${kScreenshot}`);
    }

    await check('the course page shows the completion so far', async () => {
      await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').nth(1).click();
      const section = page.getByRole('region', { name: 'Your progress' });
      await section.waitFor();
      const value = await section.locator('progress').evaluate((bar) => bar.value);
      assert(value > 0, `course completion is ${value}`);
    });

    await check('/progress shows XP, the streak and the course with a completion', async () => {
      await nav(page).getByRole('link', { name: 'Progress' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your progress' }).waitFor();
      const xp = Number(await page.locator('.progress-xp').innerText());
      assert(xp > 0, `XP is ${xp}`);
      const streak = await page.locator('.progress-streak').innerText();
      assert(/^\d+-day streak$/.test(streak.trim()), `streak reads "${streak}"`);
      const course = page.locator('.progress-course', { hasText: courseTitle });
      await course.waitFor();
      const value = await course.locator('progress').evaluate((bar) => bar.value);
      assert(value > 0, `${courseTitle} completion is ${value}`);
    });

    await check('/reviews has nothing due yet (new cards are due tomorrow)', async () => {
      await nav(page)
        .getByRole('link', { name: /^Reviews/ })
        .click();
      await page.getByRole('heading', { level: 1, name: 'Reviews' }).waitFor();
      await page.getByText('No reviews due — come back tomorrow').waitFor();
    });

    await check('graded lesson has no serious accessibility violations', async () => {
      await signUp(auditPage, base, { name: 'Grace Grader', email: `grace-${stamp}@example.test` });
      // The lesson answered wrongly, so that verdicts, feedback, tries and a hint all show.
      await auditPage.goto(base + lessonPath);
      const section = exerciseSection(auditPage, single.id);
      const wrong = single.options.find((o) => !o.correct);
      await section.getByRole('radio', { name: wrong.text, exact: true }).check();
      await checkAnswer(section);
      const numericSection = exerciseSection(auditPage, numeric.id);
      await numericSection.getByLabel('Your answer (a number)').fill('-1');
      await checkAnswer(numericSection);
      await exerciseSection(auditPage, hinted.id)
        .getByRole('button', { name: 'Show a hint' })
        .click();
      await exerciseSection(auditPage, hinted.id).getByRole('list', { name: 'Hints' }).waitFor();
      await assertAccessible(auditPage);
    });

    await check('progress page has no serious accessibility violations', async () => {
      await auditPage.goto(`${base}/progress`);
      await auditPage.getByRole('heading', { level: 1, name: 'Your progress' }).waitFor();
      await auditPage.locator('.progress-course').first().waitFor();
      await assertAccessible(auditPage);
    });

    await check('review page has no serious accessibility violations', async () => {
      await auditPage.goto(`${base}/reviews`);
      await auditPage.getByRole('heading', { level: 1, name: 'Reviews' }).waitFor();
      await auditPage.locator('.review-done, .review-position').first().waitFor();
      await assertAccessible(auditPage);
    });

    await check('no script errors or blocked resources (CSP) on any page', async () => {
      assert(pageErrors.length === 0, pageErrors.join('\n'));
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server);
  }
});
