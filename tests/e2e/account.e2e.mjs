#!/usr/bin/env node
// Browser test of accounts through the real server: sign up, log out, log in, a reload that keeps
// the session (silent refresh), two-factor set-up with a TOTP code computed here, log-in with the
// code, data export and account deletion; axe-core on the sign-up, log-in and account pages.
//
//   PRACTICA_BIN=build/dev/src/practica node tests/e2e/account.e2e.mjs   (after `npm run build` in web/)
//
// Starts `$PRACTICA_BIN serve --cookie-secure false` (the test speaks plain HTTP) on a free port
// with a fresh data dir, drives Debian's Chromium through playwright-core, and stops the server
// with SIGTERM. E2E_SCREENSHOT=1 saves the two-factor set-up to /tmp/practica-account.png.
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
import { base32Decode, currentStep, hotp } from './totp.mjs';

const kScreenshot = '/tmp/practica-account.png';
const kPassword = 'violet kettle drumming 42';

// ---- The app, as a user drives it ----------------------------------------------------------------

function nav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Waits until the header shows `name` as the signed-in user. */
async function expectSignedIn(page, name) {
  await nav(page).getByText(name, { exact: true }).waitFor();
  await nav(page).getByRole('button', { name: 'Log out' }).waitFor();
  assert(
    (await nav(page).getByRole('link', { name: 'Log in' }).count()) === 0,
    'the nav still offers "Log in"',
  );
}

async function expectSignedOut(page) {
  await nav(page).getByRole('link', { name: 'Log in' }).waitFor();
  await nav(page).getByRole('link', { name: 'Sign up' }).waitFor();
}

async function signUp(page, base, { name, email }) {
  await page.goto(`${base}/signup`);
  await page.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(kPassword);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function logOut(page) {
  await nav(page).getByRole('button', { name: 'Log out' }).click();
  await expectSignedOut(page);
}

/** Logs in from the nav's link, by email and password (and no more). */
async function logInWithPassword(page, email) {
  await nav(page).getByRole('link', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(kPassword);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

async function openAccount(page) {
  await nav(page).getByRole('link', { name: 'Account' }).click();
  await page.getByRole('heading', { level: 1, name: 'Account' }).waitFor();
}

/** Clicks `trigger` and resolves with the saved file's name and text. */
async function download(page, trigger) {
  const [saved] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const path = await saved.path();
  return {
    name: saved.suggestedFilename(),
    text: await readFile(path, 'utf8'),
  };
}

await runE2e(async ({ bin, scratch }) => {
  let server = null;
  let browser = null;
  try {
    await check('server starts and reports its port', async () => {
      server = await startServer(bin, join(scratch, 'data'), ['--cookie-secure', 'false']);
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
    // The browser logs each 401: the silent restore while signed out, the log-in that asks for
    // the second factor, and the log-in refused after the account is deleted.
    const pageErrors = watchErrors(page, [/status of 401/]);

    const stamp = Date.now().toString(36);
    const learner = { name: 'Ada E2E', email: `ada-${stamp}@example.test` };
    let signedUp = false;
    let confirmedStep = null;
    let secret = null;

    await check('TOTP helper matches RFC 6238 (SHA-1 test vector)', async () => {
      const key = Buffer.from('12345678901234567890');
      assert(hotp(key, Math.floor(59 / 30), 8) === '94287082', 'T=59 should give 94287082');
      assert(hotp(key, Math.floor(1111111109 / 30), 8) === '07081804', 'T=1111111109');
      assert(base32Decode('GEZDGNBV').toString() === '12345', 'base32 decoding');
    });

    await check('sign up a new learner', async () => {
      await signUp(page, base, learner);
      await page.waitForURL(`${base}/`);
      signedUp = true;
    });
    if (!signedUp) return;

    await check('the nav shows the account name after signing up', async () => {
      await expectSignedIn(page, learner.name);
      await nav(page).getByRole('link', { name: 'Account' }).waitFor();
      assert(
        (await nav(page).getByRole('link', { name: 'Users' }).count()) === 0,
        'a learner sees "Users"',
      );
    });

    await check(
      'the tokens are out of reach of scripts (no storage, HttpOnly cookie)',
      async () => {
        const stored = await page.evaluate(() => ({
          local: Object.keys(localStorage),
          session: Object.keys(sessionStorage),
          cookie: document.cookie,
        }));
        assert(stored.local.length === 0, `localStorage holds ${stored.local}`);
        assert(stored.session.length === 0, `sessionStorage holds ${stored.session}`);
        assert(stored.cookie === '', `document.cookie shows ${JSON.stringify(stored.cookie)}`);
        const cookies = await context.cookies(`${base}/api/auth/refresh`);
        assert(cookies.length > 0, 'no refresh cookie was set');
        for (const cookie of cookies) {
          assert(cookie.httpOnly, `cookie ${cookie.name} is not HttpOnly`);
          assert(cookie.sameSite !== 'None', `cookie ${cookie.name} is SameSite=None`);
        }
      },
    );

    await check('log out', async () => {
      await logOut(page);
      assert(
        (await page.evaluate(() => document.cookie)) === '',
        'a cookie is readable after logging out',
      );
    });

    await check('log in again with the same email and password', async () => {
      await logInWithPassword(page, learner.email);
      await expectSignedIn(page, learner.name);
    });

    await check('a reload keeps the session (silent refresh)', async () => {
      await page.reload();
      await expectSignedIn(page, learner.name);
    });

    await check('set up two-factor authentication on the account page', async () => {
      await openAccount(page);
      await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      assert(
        (await page.locator('svg.qr-code path').getAttribute('d'))?.startsWith('M'),
        'the QR code has no modules',
      );
      secret = (await page.locator('.totp-secret').innerText()).replace(/\s+/g, '');
      assert(/^[A-Z2-7]{16,}$/.test(secret), `the key does not look like base32: ${secret}`);
      if (process.env.E2E_SCREENSHOT === '1') {
        await page.screenshot({ path: kScreenshot, fullPage: true });
        console.log(`    screenshot: ${kScreenshot}`);
      }
      const step = currentStep();
      await page
        .getByLabel('The 6-digit code the app shows')
        .fill(hotp(base32Decode(secret), step));
      await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
      const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
      await codes.first().waitFor();
      confirmedStep = step;
      const shown = await codes.allInnerTexts();
      assert(shown.length === 10, `${shown.length} recovery codes shown, want 10`);
      assert(
        shown.every((code) => /^[a-z0-9]{4}(-[a-z0-9]{4})+$/.test(code.trim())),
        `recovery codes look wrong: ${shown.join(', ')}`,
      );
    });

    await check('recovery codes download as a file, then leave the page', async () => {
      assert(confirmedStep !== null, 'two-factor set-up did not finish');
      const saved = await download(page, page.getByRole('button', { name: 'Download codes' }));
      assert(saved.name === 'practica-recovery-codes.txt', `saved as ${saved.name}`);
      const inFile = saved.text.match(/^[a-z0-9]{4}(-[a-z0-9]{4})+$/gm) ?? [];
      assert(inFile.length === 10, `${inFile.length} codes in the file`);
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByRole('list', { name: 'Recovery codes' }).waitFor({ state: 'detached' });
      await page.getByText('On', { exact: true }).waitFor();
    });

    await check('log out, log in: asked for the code, enter it, signed in', async () => {
      assert(secret && confirmedStep !== null, 'two-factor set-up did not finish');
      await logOut(page);
      await logInWithPassword(page, learner.email);
      await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
      // A code is good once: the set-up used one step, so take a later one (the server accepts
      // one step ahead for clock drift).
      const step = Math.max(currentStep(), confirmedStep + 1);
      await page.getByLabel('Authentication code').fill(hotp(base32Decode(secret), step));
      await page.getByRole('button', { name: 'Verify' }).click();
      await expectSignedIn(page, learner.name);
    });

    await check('download my data as practica-export.json', async () => {
      await openAccount(page);
      const saved = await download(page, page.getByRole('button', { name: 'Download my data' }));
      assert(saved.name === 'practica-export.json', `saved as ${saved.name}`);
      const data = JSON.parse(saved.text);
      assert(JSON.stringify(data).includes(learner.email), 'the export lacks the email');
    });

    await check('sign-up page has no serious accessibility violations', async () => {
      await auditPage.goto(`${base}/signup`);
      await auditPage.getByRole('heading', { level: 1, name: 'Create your account' }).waitFor();
      await expectSignedOut(auditPage);
      await assertAccessible(auditPage);
    });

    await check('log-in page has no serious accessibility violations', async () => {
      await auditPage.goto(`${base}/login`);
      await auditPage.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      await expectSignedOut(auditPage);
      await assertAccessible(auditPage);
    });

    await check('account page has no serious accessibility violations', async () => {
      const other = {
        name: 'Grace E2E',
        email: `grace-${stamp}@example.test`,
      };
      await signUp(auditPage, base, other);
      await expectSignedIn(auditPage, other.name);
      await openAccount(auditPage);
      await assertAccessible(auditPage);
    });

    await check('two-factor set-up has no serious accessibility violations', async () => {
      await auditPage.getByRole('button', { name: 'Set up two-factor authentication' }).click();
      await auditPage.getByRole('img', { name: /QR code/ }).waitFor();
      await assertAccessible(auditPage);
    });

    await check('delete the account with the password: signed out, and gone', async () => {
      await openAccount(page);
      await page.getByRole('button', { name: 'Delete my account…' }).click();
      await page.getByLabel('Your password, to confirm').fill(kPassword);
      await page.getByRole('button', { name: 'Delete my account for good' }).click();
      await page.getByText('Your account and its data have been deleted.').waitFor();
      await expectSignedOut(page);
      await logInWithPassword(page, learner.email);
      await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
      assert(
        (await page.getByRole('heading', { level: 1, name: 'Log in' }).count()) === 1,
        'a deleted account got past the log-in page',
      );
    });

    await check('no script errors or blocked resources (CSP) on any page', async () => {
      assert(pageErrors.length === 0, pageErrors.join('\n'));
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server);
  }
});
