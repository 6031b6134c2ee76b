// What the browser tests share: starting and stopping the real server, Chromium, named checks
// with a closing "N passed, M failed" line, and axe-core audits.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const kRepo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const kWebRoot = join(kRepo, 'web', 'dist');
export const kContent = join(kRepo, 'content');
export const kStepTimeoutMs = 15_000;
const kChromium = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const kStartTimeoutMs = 30_000;
const kChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// playwright-core and axe-core are dev dependencies of the web app.
const requireFromWeb = createRequire(join(kRepo, 'web', 'package.json'));

const results = [];

/** Runs one named check; a throw fails it (and is printed) without stopping the run. */
export async function check(name, body) {
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok - ${name}`);
    return true;
  } catch (error) {
    results.push({ name, ok: false });
    const detail = String(error?.stack ?? error).replaceAll('\n', '\n    ');
    console.log(`FAIL - ${name}\n    ${detail}`);
    return false;
  }
}

export function failed() {
  return results.some((r) => !r.ok);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Runs `main` with the binary from PRACTICA_BIN and a scratch folder (removed afterwards), then
 * prints "N passed, M failed" last and exits non-zero on any failure.
 */
export async function runE2e(main) {
  const bin = process.env.PRACTICA_BIN;
  if (!bin) {
    console.error('PRACTICA_BIN must name the practica binary');
    console.log('0 passed, 1 failed');
    process.exit(2);
  }
  if (!existsSync(join(kWebRoot, 'index.html'))) {
    console.error(`${kWebRoot}/index.html is missing: run "npm run build" in web/ first`);
    console.log('0 passed, 1 failed');
    process.exit(2);
  }
  // Everything a run writes lives under one temporary folder, removed at the end. Playwright
  // puts the browser's fresh profile (user-data dir) under the temporary folder too.
  const scratch = mkdtempSync(join(tmpdir(), 'practica-e2e-'));
  process.env.TMPDIR = mkdtempSync(join(scratch, 'tmp-'));
  try {
    await main({ bin: resolve(bin), scratch });
  } catch (error) {
    results.push({ name: 'e2e harness', ok: false });
    console.log(`FAIL - e2e harness\n    ${error?.stack ?? error}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  process.exit(failed() ? 1 : 0);
}

/**
 * Starts `bin serve` on a free port with a fresh data dir, web/dist and the demo content (plus
 * `extraArgs`), and resolves with { child, port, output } once it logs that it listens.
 */
export function startServer(bin, dataDir, extraArgs = []) {
  const child = spawn(
    bin,
    [
      'serve',
      '--listen',
      '127.0.0.1:0',
      '--data-dir',
      dataDir,
      '--web-root',
      kWebRoot,
      '--seed-content',
      kContent,
      ...extraArgs,
    ],
    { cwd: kRepo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = [];
  child.stderr.setEncoding('utf8').on('data', (chunk) => output.push(chunk));
  return new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "listening" log line within ${kStartTimeoutMs} ms\n${output.join('')}`));
    }, kStartTimeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal})\n${output.join('')}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(`${line}\n`);
      const port = listeningPort(line);
      if (port !== null) {
        clearTimeout(timer);
        resolvePort({ child, port, output });
      }
    });
  });
}

/** The port from a `{"msg":"listening",…,"port":N}` log line, or null for any other line. */
function listeningPort(line) {
  if (!line.includes('"listening"')) return null;
  try {
    const record = JSON.parse(line);
    if (record.msg === 'listening' && Number.isInteger(record.port)) return record.port;
  } catch {
    // Not pure JSON (a prefix, say): fall back to the text itself.
  }
  const match = /"msg"\s*:\s*"listening"/.test(line) && line.match(/"port"\s*:\s*(\d+)/);
  return match ? Number(match[1]) : null;
}

// The first line of every report of AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer
// and ThreadSanitizer: in a sanitized build, any of them in the server's output fails the run.
const kSanitizerMarkers = [
  'ERROR: AddressSanitizer',
  'ERROR: LeakSanitizer',
  ' runtime error: ',
  'WARNING: ThreadSanitizer',
];

/**
 * Stops the server with SIGTERM (SIGKILL after 10 s), so that a sanitized build reports leaks as
 * it exits; a sanitizer report is a failed check. Prints its output if a check failed.
 */
export function stopServer(server) {
  const { child } = server;
  const printOutput = () => {
    const output = server.output.join('');
    if (kSanitizerMarkers.some((marker) => output.includes(marker))) {
      results.push({ name: 'no sanitizer report from the server', ok: false });
      console.log('FAIL - no sanitizer report from the server');
    }
    if (!failed()) return;
    console.log('--- server output ---');
    console.log(server.output.join('').slice(-4000));
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    printOutput();
    return Promise.resolve();
  }
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.removeAllListeners('exit');
    // 'close', not 'exit': by then the last of its output (a leak report) has been read.
    child.on('close', () => {
      clearTimeout(kill);
      printOutput();
      done();
    });
    child.kill('SIGTERM');
  });
}

export function launchChromium() {
  const { chromium } = requireFromWeb('playwright-core');
  return chromium.launch({
    executablePath: kChromium,
    args: kChromiumArgs,
    headless: true,
  });
}

/** A new page in `context` with the step timeout. */
export async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(kStepTimeoutMs);
  return page;
}

/**
 * Collects script errors and console errors of `page`. `expected` lists patterns of console
 * errors that are part of the test (the browser logs every 4xx response, say).
 */
export function watchErrors(page, expected = []) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (!expected.some((pattern) => pattern.test(text))) errors.push(`console error: ${text}`);
  });
  return errors;
}

export async function getJson(base, path) {
  const response = await fetch(base + path, {
    headers: { Accept: 'application/json' },
  });
  assert(response.ok, `GET ${path} answered ${response.status}`);
  return response.json();
}

let axeSource = null;

/**
 * Runs axe-core in the page and fails on serious or critical violations. The page must belong to
 * a context made with bypassCSP, since the server's CSP rightly refuses the injected script.
 */
export async function assertAccessible(page) {
  axeSource ??= readFileSync(requireFromWeb.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations.filter((v) => !serious.includes(v))) {
    console.log(`    note: axe ${v.impact} ${v.id}: ${v.help}`);
  }
  assert(
    serious.length === 0,
    `axe found ${serious.length} serious/critical violations:\n` +
      serious.map((v) => `  ${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`).join('\n'),
  );
}
