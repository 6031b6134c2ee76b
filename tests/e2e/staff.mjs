// What the browser tests for instructors and admins share: the API as a script speaks it,
// accounts made with `practica user create` and their second factor, and signing in through the
// browser with a TOTP code.

import { spawnSync } from 'node:child_process';
import { assert } from './harness.mjs';
import { base32Decode, currentStep, hotp } from './totp.mjs';

export const kPassword = 'violet kettle drumming 42';

/** Calls the API; resolves with { status, body } (the body parsed when it is JSON). */
export async function call(base, method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed };
}

export async function expectStatus(promise, status, what) {
  const result = await promise;
  assert(
    result.status === status,
    `${what}: ${result.status} (want ${status}) ${JSON.stringify(result.body)}`,
  );
  return result.body;
}

/** `practica user create`, against the running server's data dir; the password on stdin. */
export function createUser(bin, dataDir, email, role) {
  const result = spawnSync(
    bin,
    ['user', 'create', '--email', email, '--role', role, '--data-dir', dataDir],
    { input: `${kPassword}\n`, encoding: 'utf8', timeout: 60_000 },
  );
  assert(
    result.status === 0,
    `user create exited ${result.status}: ${result.stderr}${result.error ?? ''}`,
  );
}

/**
 * Makes an instructor or admin and sets up their second factor over the API. Resolves with
 * { email, id, secret, step (the TOTP step used), token (an access token with the factor) }.
 */
export async function createStaff(bin, dataDir, base, email, role) {
  createUser(bin, dataDir, email, role);
  const login = await expectStatus(
    call(base, 'POST', '/api/auth/login', { body: { email, password: kPassword } }),
    200,
    `${role} log-in`,
  );
  assert(login.user.role === role, `role ${login.user.role}`);
  const enrol = await expectStatus(
    call(base, 'POST', '/api/me/mfa/totp', { token: login.access_token, body: {} }),
    201,
    `${role} TOTP enrolment`,
  );
  const step = currentStep();
  const confirmed = await expectStatus(
    call(base, 'POST', '/api/me/mfa/totp/confirm', {
      token: login.access_token,
      body: { code: hotp(base32Decode(enrol.secret), step) },
    }),
    200,
    `${role} TOTP confirmation`,
  );
  return { email, id: login.user.id, secret: enrol.secret, step, token: confirmed.access_token };
}

/** Signs `staff` in through the browser: password, then a TOTP code. */
export async function signInWithTotp(page, base, staff) {
  await page.goto(`${base}/login`);
  await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
  await page.getByLabel('Email').fill(staff.email);
  await page.getByLabel('Password', { exact: true }).fill(kPassword);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
  // A code is good once: the set-up used one step, so take a later one (the server accepts one
  // step ahead for clock drift).
  const step = Math.max(currentStep(), staff.step + 1);
  await page.getByLabel('Authentication code').fill(hotp(base32Decode(staff.secret), step));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Log out' })
    .waitFor();
}
