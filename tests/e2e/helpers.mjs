// Shared setup for the browser tests: runs the real maitred binary on a fresh
// database in a temporary folder and a free loopback port, stops it by its
// PID, and opens headless Chromium pages that record page errors and CSP
// violations.
//
// MAITRED_BIN    server binary (default build/maitred, relative to the repo)
// CHROMIUM_BIN   browser (default /usr/bin/chromium)
// E2E_SHOTS_DIR  where screenshots go (default: a maitred-e2e-shots folder
//                in the system temp dir)

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.resolve(ROOT, process.env.MAITRED_BIN || 'build/maitred');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const SHOTS = process.env.E2E_SHOTS_DIR || path.join(os.tmpdir(), 'maitred-e2e-shots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

const COMMAND_TIMEOUT_MS = 30_000;
const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
export const UI_TIMEOUT_MS = 10_000;

// Runs one maitred command to completion; rejects with its output on failure.
export function run(args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`maitred ${args.join(' ')} exited ${code ?? signal}\n${stderr}${stdout}`));
    });
    child.stdin.on('error', () => {}); // the command may not read stdin at all
    child.stdin.end(input ?? '');
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, log) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`maitred serve exited early (${child.exitCode ?? child.signalCode})\n${log()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`maitred serve not healthy in time\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Creates a database with one owner and an owner token, and serves it.
// Returns { baseURL, token, api(method, path, body), log(), stop() }.
export async function startMaitred({ owner }) {
  if (!fs.existsSync(BIN)) {
    throw new Error(`maitred binary not found at ${BIN}: build it first or set MAITRED_BIN`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maitred-e2e-'));
  const db = path.join(tmp, 'maitred.db');
  let server = null;
  let serverLog = '';
  const log = () => serverLog;

  async function stop() {
    try {
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = once(server, 'exit');
        process.kill(server.pid, 'SIGTERM');
        const timeout = new Promise((r) => setTimeout(r, STOP_TIMEOUT_MS, 'timeout'));
        if ((await Promise.race([exited, timeout])) === 'timeout') {
          process.kill(server.pid, 'SIGKILL');
          await exited;
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  try {
    await run(['init', '--db', db]);
    await run(['user', 'add', '--db', db, '--email', owner.email, '--name', owner.name, '--role', 'owner'],
      { input: `${owner.password}\n` });
    const token = (await run(['token', 'create', '--db', db, '--name', 'e2e', '--role', 'owner'])).stdout.trim();
    if (!/^\S+$/.test(token)) throw new Error(`token create printed more than a token: ${token}`);

    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (d) => { serverLog += d; });
    server.stderr.on('data', (d) => { serverLog += d; });
    await waitForHealth(baseURL, server, log);

    // Calls the API with the owner token; throws on any error status.
    async function api(method, urlPath, body) {
      const res = await fetch(`${baseURL}/api/v1${urlPath}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      const data = text ? JSON.parse(text) : null;
      if (!res.ok) throw new Error(`${method} ${urlPath} -> ${res.status} ${text}`);
      return data;
    }

    return { baseURL, token, api, log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// launch() gives the browser a fresh temporary profile and removes it on close.
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// A page in its own browser context (its own cookies), which appends page
// errors, CSP violations and unexpected dialogs to `errors`. Chromium logs
// every 4xx response as a console error; `expectedStatuses` lists the ones
// the test provokes on purpose.
export async function newPage(browser, { baseURL, viewport, errors, expectedStatuses = [400, 401] }) {
  const context = await browser.newContext({ baseURL, viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const label = `${viewport.width}x${viewport.height}`;
  const expected = new RegExp(`status of (${expectedStatuses.join('|')})\\b`);
  page.on('pageerror', (err) => errors.push(`${label} pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (expected.test(msg.text())) return;
    errors.push(`${label} console: ${msg.text()}`);
  });
  page.on('dialog', (dialog) => {
    errors.push(`${label} unexpected dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return page;
}

// Signs in and waits for the page the account lands on. By default it signs
// in at the counter ("/#/") and waits for the guest search; given `landing`,
// it signs in at "/", where each role lands on its own page (owners and
// managers on their home page, the kitchen on the board, hosts at the
// counter), and waits for that.
export async function signIn(page, { email, password }, landing = null) {
  await page.goto(landing ? '/' : '/#/');
  const form = page.locator('#login-form');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await (landing || page.getByRole('combobox', { name: 'Find a guest' })).waitFor();
}

export async function shot(page, name, { fullPage = false } = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// Pixels the page is wider than the window (0 or less means no sideways scrolling).
export function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/* Closes the browser and stops the server; each step is guarded so a failure
 * in one still runs the other. */
export async function teardown(browser, maitred) {
  try {
    if (browser) await browser.close();
  } catch (err) {
    console.error('closing the browser failed:', err);
  }
  try {
    if (maitred) await maitred.stop();
  } catch (err) {
    console.error('stopping the server failed:', err);
  }
}
