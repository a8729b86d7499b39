// Browser end-to-end test of the standards of care ("Moments of truth"): a
// manager's board is open on one tablet; on another, a host opens "Due
// now", sees the restroom deal-breaker first, fails it with a note and a
// photo in two taps. The manager's board shows the deal-breaker alert at
// once, without a reload, and links to the check (note, photo, case); the
// case, from the check, is in the manager's queue. Passing the last item
// empties the list. Also: a mystery shopper answers a one-time link on a
// phone and sees the score (and the link then says it was used); a routine
// audit through the form; the mystery-link dialog; the standards editor
// and opening hours with the server's field errors; phone width. Runs the
// real binary on a fresh database (setup in helpers.mjs).
//
//   node --test tests/e2e/standards.test.mjs

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

const RESTROOM = 'Restroom clean, lit, paper or dryer';
const TABLES = 'Tables wiped and set';
const FAIL_NOTE = 'No paper towels, one light out';
const ALERT_WAIT_MS = 10_000;
const WORKER_WAIT_MS = 20_000; // the background worker runs every few seconds
const RED = 'rgb(180, 35, 24)'; // --danger in app.css
// A 1×1 PNG, as a camera would hand over a (much larger) photo.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64',
);

let maitred;
let browser;
let main; // the location
let restroom; // the deal-breaker standard
let tables; // an hourly standard that is not one
let manager; // the manager's tablet, on the board
let host; // the host's tablet, on "Due now"
let checkId;
const pageErrors = [];

// The mystery page provokes 404 (an unknown link) and 409 (a used one) on
// purpose; the hours editor a 400.
function newPage(viewport) {
  return openPage(browser, {
    baseURL: maitred.baseURL, viewport, errors: pageErrors, expectedStatuses: [400, 401, 404, 409],
  });
}

function dueItem(page, text) {
  return page.locator('.due-item', { hasText: text });
}

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  [main] = (await maitred.api('GET', '/locations')).items;
  main = await maitred.api('PATCH', `/locations/${main.id}`, { name: 'Harbour St', timezone: 'Europe/London' });
  await maitred.api('POST', '/staff', { ...HOST, role: 'host', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...MANAGER, role: 'manager', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...COOK, role: 'kitchen', location_ids: [main.id] });
  const touchpoints = (await maitred.api('GET', `/touchpoints?location_id=${main.id}`)).items;
  const at = (key) => touchpoints.find((t) => t.key === key).id;
  // No opening hours: always open, so both are due at once.
  tables = await maitred.api('POST', '/standards', {
    location_id: main.id, touchpoint_id: at('table'), text: TABLES, frequency_minutes: 60,
  });
  restroom = await maitred.api('POST', '/standards', {
    location_id: main.id, touchpoint_id: at('restroom'), text: RESTROOM, frequency_minutes: 60, deal_breaker: true,
  });
  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

describe('standards of care', () => {
  it('has the manager’s board open, live, with no alerts yet', async () => {
    manager = await newPage(TABLET);
    await signIn(manager, MANAGER);
    await manager.getByRole('link', { name: 'Board' }).click();
    await manager.locator('#board-live[data-status="live"]').waitFor();
    assert.equal(await manager.locator('#board-alerts').isVisible(), false);
    await manager.evaluate(() => { window.notReloaded = true; });
  });

  it('shows a host what is due now, the deal-breaker first', async () => {
    host = await newPage(TABLET);
    await signIn(host, HOST);
    await host.getByRole('link', { name: /^Checks/ }).click();
    await host.getByRole('heading', { level: 1, name: 'Due now' }).waitFor();
    const items = host.locator('.due-item');
    await items.first().waitFor();
    assert.equal(await items.count(), 2);
    const first = items.first();
    assert.match(await first.locator('.due-text').textContent(), new RegExp(RESTROOM));
    assert.match(await first.getAttribute('class'), /\bis-deal-breaker\b/);
    assert.match(await first.locator('.deal-breaker-tag').textContent(), /Deal-breaker/i);
    assert.match(await first.locator('.due-touchpoint').textContent(), /Restroom/);
    assert.match(await first.locator('.due-last').textContent(), /Never checked/);
    assert.equal(await dueItem(host, TABLES).locator('.deal-breaker-tag').count(), 0);
    const pass = first.getByRole('button', { name: `Pass: ${RESTROOM}` });
    const box = await pass.boundingBox();
    assert.ok(box.height >= 56 && box.width >= 100, `Pass is a big target (${box.width}×${box.height})`);
    await shot(host, 'standards-due-1024');
  });

  it('fails the deal-breaker in two taps, with a note and a photo', async () => {
    const item = dueItem(host, RESTROOM);
    await item.getByRole('button', { name: `Fail: ${RESTROOM}` }).click();
    const form = item.locator('.check-fail');
    await form.waitFor();
    const note = form.getByLabel('What’s wrong?');
    assert.equal(await note.evaluate((el) => el === document.activeElement), true, 'the note has the focus');
    const file = form.locator('input[type="file"]');
    assert.equal(await file.getAttribute('accept'), 'image/*');
    assert.equal(await file.getAttribute('capture'), 'environment');

    // The note is required: nothing is sent without it.
    await form.getByRole('button', { name: 'Record fail' }).click();
    await form.locator('.field-error', { hasText: 'Say what’s wrong' }).waitFor();
    assert.equal((await maitred.api('GET', `/checks?location_id=${main.id}`)).items.length, 0);

    await note.fill(FAIL_NOTE);
    await file.setInputFiles({ name: 'restroom.png', mimeType: 'image/png', buffer: PHOTO });
    await form.locator('canvas.photo-preview').waitFor();
    await shot(host, 'standards-fail-1024');
    await form.getByRole('button', { name: 'Record fail' }).click();

    // Recorded: it leaves the list, and says a case was opened.
    await item.waitFor({ state: 'detached' });
    const done = host.locator('#std-checks .notice-success');
    await done.waitFor();
    assert.match(await done.textContent(), /A case was opened/);
    assert.equal(await host.locator('.due-item').count(), 1);

    const [check] = (await maitred.api('GET', `/checks?location_id=${main.id}`)).items;
    checkId = check.id;
    assert.equal(check.standard_id, restroom.id);
    assert.equal(check.result, 'fail');
    assert.equal(check.note, FAIL_NOTE);
    assert.equal(check.by.name, HOST.name);
    assert.equal(check.photo.type, 'image/jpeg', 'sent as a JPEG from the canvas');
    assert.ok(check.case_id, 'a failed deal-breaker opens a case');
  });

  it('alerts the manager’s board at once, without a reload', async () => {
    const alert = manager.locator('.board-alert-deal_breaker');
    await alert.waitFor({ timeout: ALERT_WAIT_MS });
    assert.equal(await manager.evaluate(() => window.notReloaded), true, 'the board was not reloaded');
    const link = alert.getByRole('link', { name: 'Open' });
    assert.match(await link.getAttribute('href'), new RegExp(`#/checks/${checkId}$`));
    await shot(manager, 'standards-board-alert-1024');

    // The check's page: the note, the photo, who and the case.
    await link.click();
    await manager.getByRole('heading', { level: 2, name: RESTROOM }).waitFor();
    assert.equal(await manager.locator('.check-note').textContent(), FAIL_NOTE);
    const photo = manager.locator('.check-photo img');
    assert.equal(await photo.getAttribute('src'), `/api/v1/checks/${checkId}/photo`);
    await manager.waitForFunction(() => document.querySelector('.check-photo img').naturalWidth > 0);
    assert.match(await manager.locator('.case-facts').textContent(), new RegExp(HOST.name));
    await shot(manager, 'standards-check-1024');
  });

  it('puts the case, from the check, in the manager’s queue', async () => {
    const [check] = (await maitred.api('GET', `/checks?location_id=${main.id}`)).items;
    const theCase = await maitred.api('GET', `/cases/${check.case_id}`);
    assert.equal(theCase.source, 'check');
    assert.equal(theCase.source_id, checkId);
    assert.equal(theCase.owner.name, MANAGER.name);

    await manager.getByRole('link', { name: /^Cases/ }).click();
    const row = manager.locator(`.case-row[data-case-id="${check.case_id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /Deal-breaker failed/);
    await shot(manager, 'standards-case-queue-1024');
    await row.locator('a').click();
    const from = manager.getByRole('link', { name: 'A failed check' });
    await from.waitFor();
    assert.equal(await from.getAttribute('href'), `#/checks/${checkId}`);
  });

  it('passes in one tap, until nothing is due', async () => {
    await dueItem(host, TABLES).getByRole('button', { name: `Pass: ${TABLES}` }).click();
    await host.locator('.due-empty', { hasText: 'Nothing due — all standards checked' }).waitFor();
    assert.equal(await host.locator('.due-item').count(), 0);
    const [latest] = (await maitred.api('GET', `/checks?location_id=${main.id}&standard_id=${tables.id}`)).items;
    assert.equal(latest.result, 'pass');
    await shot(host, 'standards-due-empty-1024');

    // The standard's own page: its last check and recent checks.
    await host.goto(`${maitred.baseURL}/#/standards/${restroom.id}`);
    await host.getByRole('heading', { level: 2, name: RESTROOM }).waitFor();
    await host.locator('.check-row', { hasText: FAIL_NOTE }).waitFor();
    await shot(host, 'standards-standard-1024');
  });

  it('lets a mystery shopper answer a one-time link on a phone', async () => {
    const link = await maitred.api('POST', '/audits', { location_id: main.id, kind: 'mystery' });
    assert.match(link.url, /^\/a\/[A-Za-z0-9_-]+$/);
    const phone = await newPage(PHONE);
    await phone.goto(link.url);
    await phone.getByRole('heading', { level: 1, name: 'Mystery shop at Harbour St' }).waitFor();
    const restroomQ = phone.locator('.standard', { hasText: RESTROOM });
    const tablesQ = phone.locator('.standard', { hasText: TABLES });
    assert.match(await restroomQ.getAttribute('class'), /\bis-deal-breaker\b/);

    // A fail needs a note, and every standard an answer.
    await restroomQ.getByRole('radio', { name: `Fail: ${RESTROOM}` }).check();
    await phone.getByRole('button', { name: 'Send' }).click();
    await restroomQ.locator('.error', { hasText: 'Say what you found' }).waitFor();
    await tablesQ.locator('.error', { hasText: 'Choose pass, fail or N/A' }).waitFor();
    await restroomQ.getByRole('textbox').fill('Bin overflowing');
    await tablesQ.getByRole('radio', { name: `Pass: ${TABLES}` }).check();
    await phone.getByLabel('Anything else about your visit?').fill('Saturday lunch');
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on a phone');
    await shot(phone, 'standards-mystery-390', { fullPage: true });
    await phone.getByRole('button', { name: 'Send' }).click();

    // One passed, one failed: 50, but a failed deal-breaker caps it at 49.
    await phone.getByRole('heading', { name: 'Thank you!' }).waitFor();
    assert.equal((await phone.locator('#message-score').textContent()).replace(/\s+/g, ''), '49/100');
    await shot(phone, 'standards-mystery-thanks-390');
    const audit = await maitred.api('GET', `/audits/${link.id}`);
    assert.equal(audit.status, 'submitted');
    assert.equal(audit.score, 49);
    assert.equal(audit.shopper_note, 'Saturday lunch');

    // Used once; an unknown link says so too.
    await phone.reload();
    await phone.getByRole('heading', { name: 'Already sent' }).waitFor();
    await phone.goto('/a/AAAAAAAAAAAAAAAAAAAAAA');
    await phone.getByRole('heading', { name: 'Link not found' }).waitFor();
    await phone.context().close();
  });

  it('records a routine audit through the form and shows its score', async () => {
    await manager.getByRole('link', { name: /^Checks/ }).click();
    await manager.getByRole('link', { name: 'Audits' }).click();
    await manager.getByRole('heading', { level: 1, name: 'Audits' }).waitFor();
    // The mystery audit is listed with its score.
    await manager.locator('.audit-row', { hasText: 'Mystery shop' }).locator('.score-badge', { hasText: '49' }).waitFor();

    // A link from the UI: the full address, shown once, with a copy button.
    await manager.getByRole('button', { name: 'Mystery-shop link' }).click();
    const dialog = manager.locator('#mystery-dialog');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const url = dialog.getByLabel('Link', { exact: true });
    await url.waitFor();
    assert.match(await url.inputValue(), new RegExp(`^${maitred.baseURL}/a/[A-Za-z0-9_-]+$`));
    assert.ok(await dialog.getByRole('button', { name: 'Copy' }).isVisible());
    await shot(manager, 'standards-mystery-link-1024');
    await dialog.getByRole('button', { name: 'Done' }).click();

    await manager.getByRole('link', { name: 'New routine audit' }).click();
    const form = manager.locator('.audit-form');
    await form.waitFor();
    const items = form.locator('.audit-item');
    assert.equal(await items.count(), 2);
    assert.match(await items.first().textContent(), new RegExp(RESTROOM), 'deal-breakers first');
    await form.getByRole('radio', { name: `Fail: ${TABLES}` }).check();
    await form.getByRole('button', { name: 'Submit audit' }).click();
    await form.locator('.field-error', { hasText: 'Choose pass, fail or N/A' }).waitFor();
    await form.locator('.field-error', { hasText: 'Say what’s wrong' }).waitFor();
    await form.getByRole('radio', { name: `Pass: ${RESTROOM}` }).check();
    await form.getByRole('radio', { name: `Pass: ${TABLES}` }).check();
    await shot(manager, 'standards-audit-form-1024');
    await form.getByRole('button', { name: 'Submit audit' }).click();
    await manager.getByRole('heading', { level: 2, name: 'Score 100 / 100' }).waitFor();
    assert.match(await manager.locator('.audit-page').textContent(), /2 passed · 0 failed · 0 n\/a/);
    await shot(manager, 'standards-audit-done-1024');
  });

  it('shows compliance by touchpoint beside what guests say', async () => {
    await manager.getByRole('link', { name: 'Compliance' }).click();
    await manager.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor();
    const row = manager.locator('.cmp-table tbody tr[data-touchpoint="restroom"]');
    await row.waitFor();
    const insights = await maitred.api('GET', `/insights/standards?location_id=${main.id}`);
    const restroomRow = insights.touchpoints.find((t) => t.touchpoint.key === 'restroom');
    assert.ok(restroomRow.deal_breakers_failed >= 1);
    assert.equal((await row.locator('td').nth(2).textContent()).trim(), String(restroomRow.deal_breakers_failed));
    await manager.locator('#cmp-compliance-chart .uplot').waitFor();
    await manager.locator('#cmp-problems-chart .uplot').waitFor();
    assert.match(await manager.locator('.cmp-audit-tile').textContent(), /Latest audit/);
    await shot(manager, 'standards-compliance-1024', { fullPage: true });
  });

  it('turns a check red once past the grace, and alerts the board', async () => {
    // No grace: a new standard is due at once, and overdue at the worker's next pass.
    await manager.getByRole('link', { name: 'Hours' }).click();
    const grace = manager.getByLabel('Minutes of grace');
    await grace.waitFor();
    assert.equal(await grace.inputValue(), '15', 'the default');
    await grace.fill('0');
    await manager.locator('.grace-form').getByRole('button', { name: 'Save' }).click();
    await manager.locator('.grace-form .form-saved', { hasText: 'Saved.' }).waitFor();
    assert.equal((await maitred.api('GET', `/locations/${main.id}`)).checks.grace_minutes, 0);

    const touchpoints = (await maitred.api('GET', `/touchpoints?location_id=${main.id}`)).items;
    const menu = await maitred.api('POST', '/standards', {
      location_id: main.id, touchpoint_id: touchpoints.find((t) => t.key === 'entrance').id,
      text: 'Menu board lit', frequency_minutes: 60,
    });
    await manager.getByRole('link', { name: 'Board' }).click();
    const alert = manager.locator('.board-alert-check_overdue');
    await alert.waitFor({ timeout: WORKER_WAIT_MS });
    assert.match(await alert.getByRole('link', { name: 'Open' }).getAttribute('href'), new RegExp(`#/standards/${menu.id}$`));

    await host.goto(`${maitred.baseURL}/#/checks`);
    const item = dueItem(host, 'Menu board lit');
    await item.locator('.due-when.is-overdue', { hasText: /^Overdue by / }).waitFor();
    assert.match(await item.getAttribute('class'), /\bis-overdue\b/);
    assert.equal(await item.locator('.due-when').evaluate((el) => getComputedStyle(el).color), RED);
    await shot(host, 'standards-overdue-1024');

    // Checking it clears the alert, live.
    await item.getByRole('button', { name: 'Pass: Menu board lit' }).click();
    await alert.waitFor({ state: 'detached', timeout: ALERT_WAIT_MS });
    await maitred.api('PATCH', `/locations/${main.id}`, { check_grace_minutes: 15 });
  });

  it('edits standards and opening hours, with the server’s errors by the field', async () => {
    await manager.getByRole('link', { name: /^Checks/ }).click();
    await manager.getByRole('link', { name: 'Standards', exact: true }).click();
    await manager.locator('.std-row', { hasText: RESTROOM }).waitFor();
    await manager.getByRole('button', { name: 'Add standard' }).click();
    const form = manager.locator('.std-form');
    await form.getByLabel('What good looks like').fill('Door glass clean');
    await form.getByLabel('Touchpoint').selectOption({ label: 'Entrance' });
    await form.getByLabel('Checked').selectOption({ label: 'Daily' });
    await form.getByRole('button', { name: 'Add standard' }).click();
    const added = manager.locator('.std-row', { hasText: 'Door glass clean' });
    await added.waitFor();
    assert.match(await added.textContent(), /Daily/);
    await added.getByRole('button', { name: 'Retire' }).click();
    await manager.locator('.std-retired .std-row', { hasText: 'Door glass clean' }).waitFor();
    const created = (await maitred.api('GET', `/standards?location_id=${main.id}`)).items
      .find((s) => s.text === 'Door glass clean');
    assert.equal(created.frequency_minutes, 1440);
    assert.equal(created.touchpoint.key, 'entrance');
    assert.equal(created.active, false);
    await shot(manager, 'standards-editor-1024');

    await manager.getByRole('link', { name: 'Hours' }).click();
    await manager.getByRole('heading', { level: 1, name: 'Opening hours' }).waitFor();
    await manager.getByRole('button', { name: 'Add hours on Monday' }).click();
    await manager.getByLabel('Monday opens 1').fill('07:00');
    await manager.getByLabel('Monday closes 1').fill('07:00'); // opens and closes at once: refused
    await manager.getByRole('button', { name: 'Save hours' }).click();
    const span = manager.locator('.hours-day[data-day="mon"] .hours-span').first();
    await span.locator('.field-error:not([hidden])').waitFor();
    await manager.getByLabel('Monday closes 1').fill('17:00');
    await manager.getByRole('button', { name: 'Save hours' }).click();
    await manager.locator('.form-saved', { hasText: 'Hours saved.' }).waitFor();
    const hours = await maitred.api('GET', `/locations/${main.id}/hours`);
    assert.deepEqual(hours.hours, [{ day: 'mon', opens: '07:00', closes: '17:00' }]);
    await shot(manager, 'standards-hours-1024');
  });

  it('gives the kitchen its own checks, and nothing of audits or standards', async () => {
    const cook = await newPage(TABLET);
    await signIn(cook, COOK, cook.getByRole('heading', { level: 1, name: 'Orders' }));
    await cook.getByRole('link', { name: /^Checks/ }).click();
    await cook.getByRole('heading', { level: 1, name: 'Due now' }).waitFor();
    assert.equal(await cook.locator('#due-role').inputValue(), 'kitchen', 'the kitchen’s standards by default');
    await cook.locator('.due-empty, .due-item').first().waitFor();
    assert.equal(await cook.locator('.std-tabs .tab[data-tab="audits"]').isVisible(), false);
    assert.equal(await cook.locator('.std-tabs .tab[data-tab="standards"]').isVisible(), false);
    await cook.goto(`${maitred.baseURL}/#/audits`);
    await cook.getByRole('heading', { name: 'Signed in to the kitchen' }).waitFor();
    await cook.getByRole('link', { name: 'Checks due now' }).click();
    await cook.getByRole('heading', { level: 1, name: 'Due now' }).waitFor();
    await cook.context().close();
  });

  it('fits a phone', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, HOST);
    await phone.goto(`${maitred.baseURL}/#/checks`);
    await phone.getByRole('heading', { level: 1, name: 'Due now' }).waitFor();
    await phone.locator('.due-empty, .due-item').first().waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on a phone');
    await shot(phone, 'standards-due-390');
    await phone.context().close();
  });

  it('raised no page errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
