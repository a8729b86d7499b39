// Browser end-to-end test of the counter story ("Don't I know you?"): a
// barista signs in, finds a returning guest by typing part of a name, opens
// the card, records a visit and sees the count go up. Runs the real binary
// on a fresh database and a free loopback port, and drives headless Chromium
// (setup and environment variables in helpers.mjs).
//
//   node --test tests/e2e/

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  horizontalOverflow, launchBrowser, newPage as openPage, shot, signIn, startMaitred, teardown,
} from './helpers.mjs';

const OWNER = { email: 'host@example.com', name: 'Hana Host', password: 'correct horse battery' };
const XSS_NAME = 'Dalí <img src=x onerror=alert(1)>';

let maitred;
let baseURL;
let browser;
const guests = {};
const pageErrors = [];

function apiCall(method, urlPath, body) {
  return maitred.api(method, urlPath, body);
}

// The test provokes 400 (bad email) and 401 (wrong password, no session yet)
// on purpose.
function newPage(viewport) {
  return openPage(browser, { baseURL, viewport, errors: pageErrors });
}

function login(page) {
  return signIn(page, OWNER);
}

// ---------- fixture ----------

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  baseURL = maitred.baseURL;

  guests.dalya = await apiCall('POST', '/guests', {
    name: 'Dalya Moss', phone: '+44 7700 900123', email: 'dalya@example.com',
  });
  guests.dale = await apiCall('POST', '/guests', { name: 'Dale Cooper', card: 'C-1001' });
  guests.xss = await apiCall('POST', '/guests', { name: XSS_NAME });
  guests.ravi = await apiCall('POST', '/guests', { name: 'Ravi Patel', phone: '+44 7700 900456' });
  // A weekly regular: six visits, a week apart, the last five days ago.
  const { items: locations } = await apiCall('GET', '/locations');
  const DAY_MS = 24 * 60 * 60 * 1000;
  for (const daysAgo of [40, 33, 26, 19, 12, 5]) {
    await apiCall('POST', '/visits', {
      guest_id: guests.ravi.id,
      location_id: locations[0].id,
      at: new Date(Date.now() - daysAgo * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z'),
      party_size: 1,
      spend_cents: 450,
    });
  }
  for (let i = 1; i <= 12; i++) {
    await apiCall('POST', '/guests', { name: `Pager Person ${String(i).padStart(2, '0')}` });
  }

  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

// ---------- tests ----------

describe('counter view', () => {
  let page;

  it('serves the UI with a strict CSP', async () => {
    const res = await fetch(`${baseURL}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /text\/html/);
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /default-src 'self'/);
    const js = await fetch(`${baseURL}/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') || '', /javascript/);
  });

  it('rejects a wrong password with the server’s message', async () => {
    page = await newPage({ width: 1024, height: 768 });
    await page.goto('/#/'); // the counter: an owner signing in at "/" lands on the home page
    const email = page.locator('#login-form').getByLabel('Email');
    await email.waitFor();
    await shot(page, 'login-1024');
    await email.fill(OWNER.email);
    await page.locator('#login-form').getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.locator('#login-error');
    await error.waitFor();
    assert.ok((await error.textContent()).trim().length > 0, 'an error message is shown');
    assert.equal(await page.locator('#counter-view').isVisible(), false);
  });

  it('signs in and finds a guest by typing part of the name', async () => {
    await page.locator('#login-form').getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const search = page.getByRole('combobox', { name: 'Find a guest' });
    await search.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'search-input');
    assert.equal(await page.locator('#staff-name').textContent(), OWNER.name);

    await search.pressSequentially('dal', { delay: 40 });
    const dalya = page.getByRole('option', { name: /Dalya Moss/ });
    await dalya.waitFor();
    assert.match(await dalya.textContent(), /\+44 7700 900123/);
    assert.match(await dalya.textContent(), /0 visits/);
    await page.getByRole('option', { name: /Dale Cooper/ }).waitFor();
    await shot(page, 'results-1024');
  });

  it('renders a name containing markup as literal text', async () => {
    const option = page.getByRole('option', { name: /Dalí/ });
    await option.waitFor();
    assert.ok((await option.textContent()).includes('<img src=x onerror=alert(1)>'));
    assert.equal(await page.locator('#results-list img').count(), 0, 'no element was injected');
    assert.equal(await page.locator('img[src="x"]').count(), 0);
  });

  it('Escape clears the search, ↓ and Enter open a guest', async () => {
    const search = page.getByRole('combobox', { name: 'Find a guest' });
    await search.press('Escape');
    assert.equal(await search.inputValue(), '');
    assert.equal(await page.getByRole('option').count(), 0);

    await search.pressSequentially('dal', { delay: 40 });
    await page.getByRole('option', { name: /Dalya Moss/ }).waitFor();
    const count = await page.getByRole('option').count();
    for (let i = 0; i < count; i++) {
      const selected = page.locator('[role="option"][aria-selected="true"]');
      if (/Dalya Moss/.test(await selected.textContent())) break;
      await search.press('ArrowDown');
    }
    assert.match(await page.locator('[role="option"][aria-selected="true"]').textContent(), /Dalya Moss/);
    await search.press('Enter');

    await page.getByRole('heading', { level: 2, name: 'Dalya Moss' }).waitFor();
    assert.match(page.url(), new RegExp(`#/guests/${guests.dalya.id}$`));
    assert.equal((await page.locator('#card-visits').textContent()).trim(), '0');
    assert.match(await page.locator('#card-contact').textContent(), /dalya@example\.com/);
    assert.ok((await page.locator('#card-greeting').textContent()).trim().length > 0);
    await shot(page, 'card-new-1024');
  });

  it('records a visit and shows the new count and a confirmation', async () => {
    const form = page.locator('#visit-form');
    await form.getByRole('button', { name: 'More people' }).click();
    assert.equal(await form.getByLabel('Party size').inputValue(), '2');
    await form.getByLabel(/Spend/).fill('12.50');
    await form.getByRole('button', { name: 'Record visit' }).click();

    const confirm = page.locator('#visit-confirm');
    await confirm.waitFor();
    assert.match(await confirm.textContent(), /Visit recorded/);
    await page.waitForFunction(() => document.querySelector('#card-visits').textContent.trim() === '1');
    assert.equal(await page.locator('#visit-list li').count(), 1);
    assert.match(await page.locator('#visit-list').textContent(), /12[.,]50/);
    assert.match(await page.locator('#visit-list').textContent(), /2 guests/);
    assert.equal(await form.getByLabel(/Spend/).inputValue(), '', 'the form is reset');

    const { items } = await apiCall('GET', `/visits?guest_id=${guests.dalya.id}`);
    assert.equal(items.length, 1);
    assert.equal(items[0].spend_cents, 1250);
    assert.equal(items[0].party_size, 2);

    // The result row in the search list is refreshed too.
    await page.getByRole('option', { name: /Dalya Moss.*1 visit\b/ }).waitFor();
    await shot(page, 'card-visit-1024');
  });

  it('rejects a malformed spend before sending anything', async () => {
    const form = page.locator('#visit-form');
    await form.getByLabel(/Spend/).fill('12.345');
    await form.getByRole('button', { name: 'Record visit' }).click();
    await page.locator('#visit-spend-error').waitFor();
    assert.equal(await form.getByLabel(/Spend/).getAttribute('aria-invalid'), 'true');
    assert.equal((await page.locator('#card-visits').textContent()).trim(), '1');
    await form.getByLabel(/Spend/).fill('');
  });

  it('shows a regular with the badge, usual interval and recent visits', async () => {
    const search = page.getByRole('combobox', { name: 'Find a guest' });
    await search.fill('');
    await search.pressSequentially('ravi', { delay: 30 });
    await page.getByRole('option', { name: /Ravi Patel.*6 visits/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Ravi Patel' }).waitFor();
    const { recognition } = await apiCall('GET', `/guests/${guests.ravi.id}/card`);
    assert.equal((await page.locator('#card-visits').textContent()).trim(), '6');
    assert.equal(await page.locator('#card-regular').isVisible(), recognition.regular === true);
    assert.equal((await page.locator('#card-greeting').textContent()).trim(), recognition.greeting);
    assert.equal((await page.locator('#card-last').textContent()).trim(), '5 days ago');
    if (recognition.usual_interval_days === 7) {
      assert.equal((await page.locator('#card-interval').textContent()).trim(), 'Weekly');
    }
    assert.equal(await page.locator('#visit-list li').count(), 5, 'the five most recent visits');
    await shot(page, 'card-regular-1024');
  });

  it('pages through results with Load more', async () => {
    const search = page.getByRole('combobox', { name: 'Find a guest' });
    await search.fill('');
    await search.press('Escape');
    await search.pressSequentially('pager', { delay: 30 });
    await page.getByRole('option', { name: /Pager Person/ }).first().waitFor();
    const more = page.getByRole('button', { name: 'Load more' });
    await more.waitFor();
    const first = await page.getByRole('option').count();
    assert.ok(first < 12, `first page is a page (${first})`);
    await more.click();
    await page.waitForFunction(() => document.querySelectorAll('[role="option"]').length >= 12);
    const names = await page.getByRole('option').locator('.result-name').allTextContents();
    assert.equal(new Set(names).size, names.length, 'no duplicates across pages');
  });

  it('offers to create a guest when nothing matches, and shows field errors', async () => {
    const search = page.getByRole('combobox', { name: 'Find a guest' });
    await search.press('Escape');
    await search.pressSequentially('Zephyrine Quill', { delay: 20 });
    const empty = page.locator('#results-empty');
    await empty.waitFor();
    assert.match(await empty.textContent(), /No guest matches ‘Zephyrine Quill’/);
    await page.locator('#results-create').click();

    const form = page.locator('#guest-form');
    await page.getByRole('heading', { name: 'New guest' }).waitFor();
    assert.equal(await form.getByLabel('Name').inputValue(), 'Zephyrine Quill');

    // Client-side: the name is required.
    await form.getByLabel('Name').fill('');
    await form.getByRole('button', { name: 'Create guest' }).click();
    await page.locator('#guest-name-error').waitFor();
    assert.equal(await form.getByLabel('Name').getAttribute('aria-invalid'), 'true');

    // Server-side: a malformed email comes back naming the field.
    await form.getByLabel('Name').fill('Zephyrine Quill');
    await form.getByLabel(/Email/).fill('not-an-email');
    await form.getByRole('button', { name: 'Create guest' }).click();
    await page.locator('#guest-email-error').waitFor();
    assert.equal(await form.getByLabel(/Email/).getAttribute('aria-invalid'), 'true');
    await shot(page, 'new-guest-error-1024');

    await form.getByLabel(/Email/).fill('zeph@example.com');
    await form.getByLabel(/Phone/).fill('+44 7700 900789');
    await form.getByRole('button', { name: 'Create guest' }).click();
    await page.getByRole('heading', { level: 2, name: 'Zephyrine Quill' }).waitFor();
    assert.equal((await page.locator('#card-visits').textContent()).trim(), '0');
  });

  it('resumes the session on reload and signs out', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Zephyrine Quill' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
    assert.equal(status, 401);
    await page.context().close();
  });

  it('works on a phone-sized screen', async () => {
    const phone = await newPage({ width: 375, height: 740 });
    await login(phone);
    await shot(phone, 'search-375');
    const search = phone.getByRole('combobox', { name: 'Find a guest' });
    await search.pressSequentially('dal', { delay: 40 });
    await phone.getByRole('option', { name: /Dalya Moss/ }).waitFor();
    await shot(phone, 'results-375');
    await phone.getByRole('option', { name: /Dalya Moss/ }).click();
    await phone.getByRole('heading', { level: 2, name: 'Dalya Moss' }).waitFor();
    assert.equal(await phone.locator('.pane-search').isVisible(), false, 'one pane at a time');
    const overflow = await horizontalOverflow(phone);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    await shot(phone, 'card-375');
    await shot(phone, 'card-375-full', { fullPage: true });
    await phone.getByRole('button', { name: 'Search' }).first().click();
    await search.waitFor();
    await phone.context().close();
  });

  it('raised no page errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
