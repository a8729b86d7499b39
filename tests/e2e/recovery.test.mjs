// Browser end-to-end test of service recovery: a host reports a problem from
// a guest's card in three taps (the button, a category, Send); a manager
// signed in on another device finds the case in the queue, records an
// apology and a £5.00 comp, and resolves it as recovered; the guest's card
// then shows the resolved case with its prompt. Also: the overdue count and
// tab (a case the background worker marks past due), an API error shown by
// its message, phone width, and no cases for kitchen accounts. Runs the real
// binary on a fresh database (setup in helpers.mjs).
//
//   node --test tests/e2e/recovery.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  horizontalOverflow, launchBrowser, newPage as openPage, shot, signIn, startMaitred, teardown,
} from './helpers.mjs';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery' };
const HOST = { email: 'hana@example.com', name: 'Hana Host', password: 'hana password 1' };
const MANAGER = { email: 'mara@example.com', name: 'Mara Manager', password: 'mara password 1' };
const COOK = { email: 'kofi@example.com', name: 'Kofi Cook', password: 'kofi password 1' };
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };

const GUEST = 'Tom Baker';
const OTHER_GUEST = 'Ada Quist';
const WORKER_WAIT_MS = 20_000; // the background worker runs every few seconds

let maitred;
let browser;
let main; // the location
let host;
let manager;
let tomId;
let caseId;
const pageErrors = [];

// The test provokes 409 (closing a case someone else already closed) on purpose.
function newPage(viewport) {
  return openPage(browser, {
    baseURL: maitred.baseURL, viewport, errors: pageErrors, expectedStatuses: [400, 401, 409],
  });
}

async function openGuest(page, query, name) {
  const search = page.getByRole('combobox', { name: 'Find a guest' });
  await search.fill('');
  await search.press('Escape');
  await search.pressSequentially(query, { delay: 30 });
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

async function casesOf(guestId) {
  return (await maitred.api('GET', `/cases?guest_id=${guestId}&status=all`)).items;
}

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  [main] = (await maitred.api('GET', '/locations')).items;
  main = await maitred.api('PATCH', `/locations/${main.id}`, { currency: 'GBP', timezone: 'Europe/London' });
  await maitred.api('POST', '/staff', { ...HOST, role: 'host', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...MANAGER, role: 'manager', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...COOK, role: 'kitchen', location_ids: [main.id] });
  tomId = (await maitred.api('POST', '/guests', { name: GUEST, phone: '+44 7700 900123' })).id;
  await maitred.api('POST', '/visits', { guest_id: tomId, location_id: main.id, party_size: 2 });

  // Another guest's case, due in a moment: the worker marks it overdue and raises an alert.
  const ada = await maitred.api('POST', '/guests', { name: OTHER_GUEST });
  await maitred.api('POST', '/cases', {
    location_id: main.id, guest_id: ada.id, source: 'staff', category: 'order_late', severity: 'high',
    summary: 'Waited 25 minutes for two flat whites',
    due_at: new Date(Date.now() + 2000).toISOString().replace(/\.\d+Z$/, 'Z'),
  });

  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

describe('service recovery', () => {
  it('lets a host report a problem from the card in three taps', async () => {
    host = await newPage(TABLET);
    await signIn(host, HOST);
    assert.equal(await host.getByRole('link', { name: /^Cases/ }).isVisible(), true, 'hosts see Cases');
    await openGuest(host, 'tom', GUEST);
    assert.equal(await host.locator('#card-cases').isVisible(), false, 'no case banner yet');

    await host.getByRole('button', { name: 'Report a problem' }).click(); // tap 1
    const form = host.locator('#problem-form');
    await form.getByRole('radio', { name: 'Forgotten order' }).click(); // tap 2
    assert.equal(await form.getByRole('radio', { name: 'Medium' }).isChecked(), true, 'severity defaults to medium');
    assert.equal(await form.getByLabel('What happened').inputValue(), 'Forgotten order', 'summary prefilled');
    await shot(host, 'recovery-report-1024');
    await form.getByRole('button', { name: 'Send' }).click(); // tap 3

    const done = host.locator('#problem-done');
    await done.waitFor();
    assert.match(await done.textContent(), /Case opened — Mara Manager will follow up\./);
    assert.equal(await form.isVisible(), false);

    const [c] = await casesOf(tomId);
    caseId = c.id;
    assert.equal(c.source, 'staff');
    assert.equal(c.category, 'order_missing');
    assert.equal(c.severity, 'medium');
    assert.equal(c.summary, 'Forgotten order');
    assert.equal(c.location_id, main.id);
    assert.equal(c.owner.name, MANAGER.name);
    assert.equal(await host.locator('#problem-done-link').getAttribute('href'), `#/cases/${caseId}`);

    // The card now carries the open case as an amber banner with its prompt.
    const banner = host.locator('#card-case-list .card-case.is-open');
    await banner.waitFor();
    assert.match(await banner.textContent(), /Forgotten order on \d+ \w{3} — /);
    assert.equal(await banner.locator('a').getAttribute('href'), `#/cases/${caseId}`);
    await shot(host, 'recovery-card-open-1024');

    // The host owns no case: an empty "Mine".
    await host.getByRole('link', { name: /^Cases/ }).click();
    await host.getByRole('link', { name: 'Mine' }).click();
    await host.locator('#cases-empty', { hasText: 'No open cases — nice.' }).waitFor();
    await host.goBack();
    await host.goBack();
    await host.getByRole('heading', { level: 2, name: GUEST }).waitFor();
  });

  it('shows a manager on another device the case in the queue', async () => {
    manager = await newPage(TABLET);
    await signIn(manager, MANAGER);
    await manager.getByRole('link', { name: /^Cases/ }).click();
    await manager.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await manager.getByRole('link', { name: 'My location' }).click();
    const rows = manager.locator('#case-list .case-row');
    const row = rows.filter({ hasText: GUEST });
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, /Medium/i);
    assert.match(text, /Forgotten order/);
    assert.match(text, /Mara Manager/);
    assert.match(text, /Due (in|tomorrow)/);
    assert.match(text, /Open/);

    // The other guest's case went past due: the worker raises an alert, counted
    // on the Cases link; the case is first in the list, in red.
    const badge = manager.locator('#cases-badge');
    const deadline = Date.now() + WORKER_WAIT_MS;
    while (!(await badge.isVisible())) {
      assert.ok(Date.now() < deadline, 'the worker marks the case overdue');
      await manager.waitForTimeout(1000);
      await manager.reload();
      await row.waitFor();
    }
    assert.equal((await badge.textContent()).trim(), '1');
    assert.equal(await manager.getByRole('link', { name: 'Cases, 1 overdue' }).count(), 1);
    assert.equal((await manager.locator('#cases-overdue-count').textContent()).trim(), '1');
    const late = rows.filter({ hasText: OTHER_GUEST });
    assert.match(await rows.first().textContent(), new RegExp(OTHER_GUEST), 'most urgent first');
    assert.match(await late.textContent(), /Overdue · due/);
    assert.equal(await late.locator('.case-due').evaluate((el) => getComputedStyle(el).color),
      'rgb(180, 35, 24)', 'overdue in red');
    await shot(manager, 'recovery-queue-location-1024');

    await manager.getByRole('link', { name: /^Overdue/ }).click();
    await manager.locator('.tab[aria-current="page"]', { hasText: 'Overdue' }).waitFor();
    await manager.locator('#case-list .case-row', { hasText: GUEST }).waitFor({ state: 'detached' });
    await manager.locator('#case-list .case-row', { hasText: OTHER_GUEST }).waitFor();
    assert.equal(await manager.locator('#case-list .case-row').count(), 1, 'only the overdue case');

    await manager.getByRole('link', { name: 'Mine' }).click();
    await manager.locator('.tab[aria-current="page"]', { hasText: 'Mine' }).waitFor();
    await manager.locator('#case-list .case-row', { hasText: GUEST }).waitFor();
    assert.equal(await manager.locator('#case-list .case-row').count(), 2, 'Mara owns both');
    await shot(manager, 'recovery-queue-mine-1024');
  });

  it('records an apology and a £5.00 comp, and resolves the case as recovered', async () => {
    await manager.locator('#case-list .case-row', { hasText: GUEST }).getByRole('link').click();
    await manager.getByRole('heading', { level: 2, name: 'Forgotten order' }).waitFor();
    const page = manager.locator('#case-body');
    assert.equal(await page.getByRole('link', { name: GUEST }).getAttribute('href'), `#/guests/${tomId}`);
    assert.doesNotMatch(await page.textContent(), /\b(null|undefined|NaN)\b/);
    assert.match(await page.locator('.case-head').textContent(), /Open/);

    // A note needs words: the page says so before asking the server.
    await page.getByRole('button', { name: 'Note', exact: true }).click();
    await manager.locator('#case-action-text-error', { hasText: 'Write the note in Details first' }).waitFor();

    const details = page.getByLabel(/^Details/);
    await details.fill('Said sorry at the table');
    await page.getByRole('button', { name: 'Apology' }).click();
    const timeline = page.locator('.case-timeline');
    await timeline.getByText('Apologised').waitFor();
    assert.match(await timeline.textContent(), /Said sorry at the table/);
    assert.match(await page.locator('.case-head').textContent(), /In progress/);

    await page.getByRole('button', { name: 'Comp…' }).click();
    const amount = page.getByLabel('Comp value in GBP');
    assert.equal(await page.locator('#case-money-prefix').textContent(), '£');
    await amount.fill('5');
    await shot(manager, 'recovery-case-comp-1024');
    await page.getByRole('button', { name: 'Save comp' }).click();
    await timeline.getByText('Gave a comp of £5.00').waitFor();
    assert.match(await page.locator('.case-facts').textContent(), /Comp £5\.00/);

    await page.getByRole('button', { name: 'Resolve…' }).click();
    await page.getByRole('button', { name: 'Recovered', exact: true }).click();
    await timeline.getByText('Resolved — Recovered').waitFor();
    assert.match(await page.locator('.case-head').textContent(), /Resolved/);
    const outcome = page.locator('.case-outcome');
    assert.match(await outcome.textContent(), /Recorded\s*Recovered/);
    assert.match(await outcome.textContent(), /Waiting — window ends \d+ \w{3}/);
    assert.equal(await page.getByRole('button', { name: 'Close case' }).isVisible(), true);
    assert.equal(await page.getByRole('button', { name: 'Reopen' }).isVisible(), true);
    assert.equal(await page.getByRole('button', { name: 'Resolve…' }).count(), 0);
    await shot(manager, 'recovery-case-resolved-1024');

    const c = await maitred.api('GET', `/cases/${caseId}`);
    assert.equal(c.status, 'resolved');
    assert.equal(c.outcome, 'recovered');
    assert.equal(c.comp_cents, 500);
    assert.deepEqual(c.actions.map((a) => [a.kind, a.value_cents, a.by.name]), [
      ['apology', null, MANAGER.name],
      ['comp', 500, MANAGER.name],
    ]);
  });

  it('shows the resolved case on the guest’s card', async () => {
    await host.reload();
    await host.getByRole('heading', { level: 2, name: GUEST }).waitFor();
    const line = host.locator('#card-case-list .card-case');
    await line.first().waitFor();
    assert.equal(await line.count(), 1);
    assert.match(await line.getAttribute('class'), /is-resolved/);
    const { prompt } = (await maitred.api('GET', `/guests/${tomId}/card`)).cases[0];
    assert.match(prompt, /apologised, comp given; welcome them back warmly/);
    assert.equal((await line.textContent()).replace(/^Resolved problem: /, '').replace(/›$/, '').trim(), prompt);
    await shot(host, 'recovery-card-resolved-1024');
    await line.getByRole('link').click();
    await host.getByRole('heading', { level: 2, name: 'Forgotten order' }).waitFor();
    await host.context().close();
  });

  it('shows the server’s message when a change is refused', async () => {
    // Someone else closes the case while the manager's page still shows it resolved.
    await maitred.api('PATCH', `/cases/${caseId}`, { status: 'closed' });
    const page = manager.locator('#case-body');
    await page.getByRole('button', { name: 'Close case' }).click();
    const error = manager.locator('#case-error');
    await error.waitFor();
    assert.ok((await error.textContent()).trim().length > 0, 'the API’s message is shown');
    await manager.reload();
    await manager.getByRole('heading', { level: 2, name: 'Forgotten order' }).waitFor();
    assert.match(await page.locator('.case-head').textContent(), /Closed/);
    assert.match(await page.textContent(), /This case is closed\. Reopen it to record more\./);
    await manager.context().close();
  });

  it('fits a phone: the queue and the case page', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, MANAGER);
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling at the counter');
    await phone.getByRole('link', { name: /^Cases/ }).click();
    await phone.getByRole('link', { name: /Location/ }).click();
    await phone.locator('#case-list .case-row').first().waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling in the queue');
    await shot(phone, 'recovery-queue-390');
    await phone.locator('#case-list .case-row').first().getByRole('link').click();
    await phone.locator('#case-title').waitFor();
    assert.doesNotMatch(await phone.locator('#case-body').textContent(), /\b(null|undefined|NaN)\b/);
    assert.match(await phone.locator('.case-facts').textContent(), /Overdue · due/);
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on the case page');
    await shot(phone, 'recovery-case-390');
    await phone.getByRole('button', { name: 'Comp…' }).click();
    assert.ok(await horizontalOverflow(phone) <= 0, 'nor with the amount box open');
    await phone.setViewportSize({ width: PHONE.width, height: 1800 });
    await shot(phone, 'recovery-case-390-tall');
    await phone.context().close();
  });

  it('shows kitchen staff no cases', async () => {
    const cook = await newPage(TABLET);
    await signIn(cook, COOK, cook.getByRole('heading', { level: 1, name: 'Orders' }));
    assert.equal(await cook.getByRole('link', { name: /^Cases/ }).isVisible(), false);
    await cook.goto(`${maitred.baseURL}/#/cases/${caseId}`);
    await cook.getByRole('heading', { name: 'Signed in to the kitchen' }).waitFor();
    assert.equal(await cook.locator('#cases-view').isVisible(), false);
    await cook.context().close();
  });

  it('raised no page errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
