// Browser end-to-end test of "Who is leaving": a location with thirty
// guests and months of backdated visits, most coming regularly up to now.
// Lena Ortiz came every week for months and stopped ten weeks ago, with a
// complaint still open; Tom Baker came every five days and stopped two
// months ago, without one. A manager lands on the home page (before the
// first fit it says so), is told there is not enough history while only a
// few guests have come, then refits from the At risk page once all of them
// have: Lena leads the list with her open case, and "Reach out" records a
// follow-up call on it; for Tom it opens a case first. Lena's card asks
// staff to welcome her back, the home page shows the value at risk beside
// the other tiles, hosts see the list without the refit, and the list fits
// a phone. Runs the real binary on a fresh database (setup in helpers.mjs).
//
//   node --test tests/e2e/at-risk.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  horizontalOverflow, launchBrowser, newPage as openPage, shot, signIn, startMaitred, teardown,
} from './helpers.mjs';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery' };
const MANAGER = { email: 'mara@example.com', name: 'Mara Manager', password: 'mara password 1' };
const HOST = { email: 'hana@example.com', name: 'Hana Host', password: 'hana password 1' };
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };

const DAY_MS = 86_400_000;
const WEEKS = 40; // how far back the history goes
const CONCURRENCY = 6; // visits posted at once
const LENA = 'Lena Ortiz';
const TOM = 'Tom Baker';
const LENA_CASE = 'Waited 25 minutes, then the wrong order';
const FIRST_NAMES = ['Ada', 'Bram', 'Cleo', 'Dev', 'Esme', 'Finn', 'Gus', 'Hiro', 'Ines', 'Jonah',
  'Kira', 'Luca', 'Maya', 'Nico', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sami', 'Tess', 'Uma', 'Vik',
  'Wren', 'Xena', 'Yusuf', 'Zoe', 'Ari', 'Bea'];

let maitred;
let browser;
let main;
let lena;
let tom;
let lenaCase;
let manager;
const pageErrors = [];

// The refit answers 422 on purpose while the history is thin.
function newPage(viewport) {
  return openPage(browser, {
    baseURL: maitred.baseURL, viewport, errors: pageErrors, expectedStatuses: [400, 401, 422],
  });
}

// Noon-ish UTC `days` ago, two hours back so "today" is never in the future.
function daysAgo(days) {
  return new Date(Date.now() - days * DAY_MS - 2 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function guest(name) {
  return maitred.api('POST', '/guests', { name });
}

// Posts visits (each {guest_id, days, spend}) a few at a time.
async function visits(list) {
  for (let i = 0; i < list.length; i += CONCURRENCY) {
    await Promise.all(list.slice(i, i + CONCURRENCY).map((v) => maitred.api('POST', '/visits', {
      guest_id: v.guest_id, location_id: main.id, at: daysAgo(v.days), spend_cents: v.spend,
    })));
  }
}

// A guest who comes every `every` days from `from` days ago until `until`.
function every(g, { every: step, from, until, spend }) {
  const out = [];
  for (let d = from; d >= until; d -= step) out.push({ guest_id: g.id, days: d, spend });
  return out;
}

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  [main] = (await maitred.api('GET', '/locations')).items;
  main = await maitred.api('PATCH', `/locations/${main.id}`, { name: 'Harbour St', timezone: 'Europe/London' });
  await maitred.api('POST', '/staff', { ...MANAGER, role: 'manager', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...HOST, role: 'host', location_ids: [main.id] });

  // First only a few guests, once or twice each: too little to estimate.
  const few = [];
  for (let i = 0; i < 8; i++) {
    const g = await guest(`${FIRST_NAMES[i]} Early`);
    few.push({ guest_id: g.id, days: 3 + i, spend: 650 });
    if (i % 2 === 0) few.push({ guest_id: g.id, days: 20 + i, spend: 700 });
  }
  await visits(few);
  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

// The rest of the history, after the manager was told it was too thin.
async function addHistory() {
  const list = [];
  lena = await guest(LENA);
  list.push(...every(lena, { every: 7, from: WEEKS * 7, until: 70, spend: 1850 }));
  tom = await guest(TOM);
  list.push(...every(tom, { every: 5, from: 200, until: 60, spend: 900 }));
  // Twenty regulars, each coming every 3–9 days up to the last few days.
  for (let i = 0; i < 20; i++) {
    const g = await guest(`${FIRST_NAMES[8 + i]} Regular`);
    const step = 3 + (i % 7);
    list.push(...every(g, { every: step, from: WEEKS * 7 - (i % 5) * 9, until: i % step, spend: 500 + 40 * i }));
  }
  await visits(list);
  // The complaint that went unanswered, and Tom's last (happy) word.
  lenaCase = await maitred.api('POST', '/cases', {
    location_id: main.id, guest_id: lena.id, source: 'staff', category: 'order_wrong', severity: 'medium',
    summary: LENA_CASE,
  });
  await maitred.api('POST', '/feedback', {
    location_id: main.id, guest_id: tom.id, nps: 9, comment: 'Lovely coffee, friendly staff',
  });
}

function riskRow(page, name) {
  return page.locator('.risk-table tbody tr', { hasText: name });
}

describe('who is leaving', () => {
  it('lands a manager on the home page, which says nothing is estimated yet', async () => {
    manager = await newPage(TABLET);
    await signIn(manager, MANAGER, manager.getByRole('heading', { level: 1, name: 'Today' }));
    assert.match(await manager.evaluate(() => location.hash), /^#\/home$/);
    const risk = manager.locator('.home-risk');
    await risk.getByText('not estimated yet').waitFor();
    // Every tile finished loading, and none failed.
    await manager.waitForFunction(() => !document.querySelector('.home-tile[aria-busy="true"]'));
    assert.equal(await manager.locator('.home-tile-error').count(), 0);
  });

  it('says when there is not enough history to estimate', async () => {
    await manager.getByRole('link', { name: 'At risk' }).first().click();
    await manager.getByRole('heading', { level: 1, name: 'At risk' }).waitFor();
    await manager.getByText('No estimate yet').waitFor();
    await manager.getByRole('button', { name: 'Refit now' }).click();
    const error = manager.locator('#risk-content').getByText(/^Not enough history/);
    await error.waitFor();
    assert.match(await error.textContent(), /Not enough history.*fewer than 20 guests/);
    await shot(manager, 'at-risk-thin-1024');
  });

  it('refits and puts Lena first, with her open case', async () => {
    await addHistory();
    await manager.getByRole('button', { name: 'Refit now' }).click();
    await manager.locator('#risk-content .notice-success').waitFor();
    assert.match(await manager.locator('#risk-content .notice-success').textContent(),
      /Refitted with MBG\/NBD from 30 guests/);
    const rows = manager.locator('.risk-table tbody tr');
    await rows.first().waitFor();
    const first = rows.first();
    assert.match(await first.locator('.risk-name').textContent(), new RegExp(LENA));
    assert.equal(await first.locator('.risk-name').getAttribute('href'), `#/guests/${lena.id}`);
    assert.match(await first.textContent(), /31 visits/);
    assert.match(await first.textContent(), /10 weeks ago/);
    assert.match(await first.textContent(), /every week/);
    assert.match(await first.locator('.risk-chance').textContent(), /^(under 1|\d{1,2})%$/);
    const caseLink = first.locator('.risk-case');
    assert.equal(await caseLink.getAttribute('href'), `#/cases/${lenaCase.id}`);
    assert.match(await caseLink.textContent(), /Open case\s+Wrong order/);

    // The figures are the server's.
    const api = await maitred.api('GET', `/insights/at-risk?location_id=${main.id}`);
    assert.equal(api.items[0].guest.id, lena.id);
    assert.ok(api.items.some((i) => i.guest.id === tom.id), 'Tom is at risk too');
    const total = await manager.locator('.risk-total-value').textContent();
    const expected = new Intl.NumberFormat(undefined, { style: 'currency', currency: api.currency })
      .format(api.total_value_at_risk_cents / 100);
    assert.equal(total.trim(), expected);
    assert.match(await manager.locator('.risk-model').textContent(), /Estimated with MBG\/NBD, fitted/);
    const tomRow = riskRow(manager, TOM);
    assert.match(await tomRow.locator('.risk-feedback').textContent(), /Promoter · 9\/10/);

    // Retention after good and bad moments, for managers.
    await manager.locator('.risk-retention-table').waitFor();
    assert.match(await manager.locator('.risk-retention-table').textContent(), /A detractor’s score/);
    await shot(manager, 'at-risk-1024');
    await shot(manager, 'at-risk-1024-full', { fullPage: true });
  });

  it('reaches out to Lena in one tap: a follow-up call on her open case', async () => {
    const row = riskRow(manager, LENA);
    await row.getByRole('button', { name: `Reach out to ${LENA}` }).click();
    await row.getByText('Reached out').waitFor();
    assert.equal(await row.getByRole('link', { name: 'Open case', exact: true }).getAttribute('href'), `#/cases/${lenaCase.id}`);
    const c = await maitred.api('GET', `/cases/${lenaCase.id}`);
    const calls = c.actions.filter((a) => a.kind === 'follow_up_call');
    assert.equal(calls.length, 1);
    assert.match(calls[0].text, /Reached out/);
    assert.equal(calls[0].by.name, MANAGER.name);
    assert.equal(c.status, 'in_progress');

    // After a reload the list still says so: nobody calls her twice.
    await manager.reload();
    const again = riskRow(manager, LENA);
    await again.getByText('Reached out').waitFor();
    assert.equal(await again.getByRole('button', { name: `Reach out to ${LENA}` }).count(), 0);
  });

  it('opens a case for Tom first, since he has none', async () => {
    const row = riskRow(manager, TOM);
    await row.getByRole('button', { name: `Reach out to ${TOM}` }).click();
    await row.getByText('Reached out').waitFor();
    const href = await row.getByRole('link', { name: 'Open case', exact: true }).getAttribute('href');
    const caseId = Number(/^#\/cases\/(\d+)$/.exec(href)[1]);
    const c = await maitred.api('GET', `/cases/${caseId}`);
    assert.equal(c.guest.id, tom.id);
    assert.equal(c.source, 'staff');
    assert.equal(c.category, 'other');
    assert.equal(c.severity, 'low');
    assert.match(c.summary, /Regular at risk/);
    assert.deepEqual(c.actions.map((a) => a.kind), ['follow_up_call']);

    // The case page shows the call.
    await row.getByRole('link', { name: 'Open case', exact: true }).click();
    await manager.locator('#case-body').getByText(/Called the guest|Follow-up call/).first().waitFor();
  });

  it('asks staff at the counter to welcome Lena back', async () => {
    await manager.goto(`/#/guests/${lena.id}`);
    await manager.getByRole('heading', { level: 2, name: LENA }).waitFor();
    const line = manager.locator('#card-risk');
    await line.waitFor();
    assert.equal((await line.textContent()).trim(), 'Not seen for a while — usually every week. Welcome them back.');
    assert.doesNotMatch(await line.textContent(), /%|\d\.\d/);
    await shot(manager, 'card-risk-1024');
    // A regular still coming gets no such line.
    const regular = (await maitred.api('GET', '/guests?q=Luca')).items[0];
    await manager.goto(`/#/guests/${regular.id}`);
    await manager.getByRole('heading', { level: 2, name: regular.name }).waitFor();
    assert.equal(await manager.locator('#card-risk').isVisible(), false);
  });

  it('shows the value at risk beside the other tiles on the home page', async () => {
    await manager.locator('#brand-link').click();
    await manager.getByRole('heading', { level: 1, name: 'Today' }).waitFor();
    await manager.waitForFunction(() => !document.querySelector('.home-tile[aria-busy="true"]'));
    assert.equal(await manager.locator('.home-tile-error').count(), 0);
    const api = await maitred.api('GET', `/insights/at-risk?location_id=${main.id}`);
    const expected = new Intl.NumberFormat(undefined, { style: 'currency', currency: api.currency })
      .format(api.total_value_at_risk_cents / 100);
    const risk = manager.locator('.home-risk');
    assert.equal((await risk.locator('.home-figure-value').textContent()).trim(), expected);
    assert.equal(await risk.getByRole('link', { name: /At risk/ }).getAttribute('href'), '#/at-risk');
    assert.match(await risk.textContent(), new RegExp(LENA));
    // Lena's and Tom's cases are open; one answer so far.
    assert.match(await manager.locator('.home-cases .home-figure').first().textContent(), /^2\s*open/);
    assert.match(await manager.locator('.home-nps').textContent(), /\+100/);
    await manager.locator('.home-nps canvas').first().waitFor();
    assert.match(await manager.locator('.home-due').textContent(), /Everything is checked|checks? due/);
    assert.match(await manager.locator('.home-compliance').textContent(), /no checks in 12 weeks/);
    for (const [tile, href] of [['alerts', '#/cases/overdue'], ['cases', '#/cases/location'], ['due', '#/checks'],
      ['nps', '#/feedback/trends'], ['compliance', '#/compliance']]) {
      assert.equal(await manager.locator(`.home-${tile} .home-tile-link`).getAttribute('href'), href);
    }
    assert.ok(await horizontalOverflow(manager) <= 0, 'no sideways scrolling');
    await shot(manager, 'home-1024', { fullPage: true });
  });

  it('keeps one failing tile from blanking the page', async () => {
    await manager.route('**/api/v1/insights/feedback*', (route) => route.fulfill({
      status: 500, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'internal', message: 'boom', field: null } }),
    }));
    await manager.locator('#counter-link').click();
    await manager.locator('#brand-link').click();
    await manager.waitForFunction(() => !document.querySelector('.home-tile[aria-busy="true"]'));
    await manager.locator('.home-nps .home-tile-error').getByText(/Couldn’t load: Boom/).waitFor();
    assert.equal(await manager.locator('.home-tile-error').count(), 1);
    assert.match(await manager.locator('.home-risk').textContent(), new RegExp(LENA));
    await manager.unroute('**/api/v1/insights/feedback*');
    await manager.locator('.home-nps').getByRole('button', { name: 'Try again' }).click();
    await manager.locator('.home-nps canvas').first().waitFor();
    assert.equal(await manager.locator('.home-tile-error').count(), 0);
    // The 500 was provoked: forget its console line.
    const i = pageErrors.findIndex((e) => /status of 500/.test(e));
    if (i >= 0) pageErrors.splice(i, 1);
  });

  it('shows hosts the list without the refit, and lands them at the counter', async () => {
    const host = await newPage(TABLET);
    await signIn(host, HOST, host.getByRole('combobox', { name: 'Find a guest' }));
    await host.getByRole('link', { name: 'At risk' }).click();
    await riskRow(host, LENA).waitFor();
    assert.equal(await host.getByRole('button', { name: 'Refit now' }).isVisible(), false);
    assert.equal(await host.locator('.risk-retention').isVisible(), false);
    // Lena was reached out to already; the list keeps her (she has not come back).
    await host.goto('/#/home');
    await host.getByRole('combobox', { name: 'Find a guest' }).waitFor();
    await host.context().close();
  });

  it('fits the at-risk list and the home page on a phone', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, MANAGER, phone.getByRole('heading', { level: 1, name: 'Today' }));
    await phone.waitForFunction(() => !document.querySelector('.home-tile[aria-busy="true"]'));
    assert.ok(await horizontalOverflow(phone) <= 0, 'home: no sideways scrolling');
    await shot(phone, 'home-390', { fullPage: true });
    await phone.getByRole('link', { name: 'At risk' }).first().click();
    const row = riskRow(phone, LENA);
    await row.waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'at risk: no sideways scrolling');
    const button = riskRow(phone, 'Regular').first().getByRole('button', { name: /^Reach out/ });
    if (await button.count()) {
      const box = await button.boundingBox();
      assert.ok(box.height >= 40, `Reach out is a big enough target (${box.height})`);
    }
    await shot(phone, 'at-risk-390');
    await shot(phone, 'at-risk-390-full', { fullPage: true });
    await phone.context().close();
  });

  it('raised no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
