// Browser end-to-end test of the order board ("No forgotten order", "The
// server tells the chef"): the kitchen's board is open on one tablet; on
// another, a host opens an allergic guest's card and places an order from
// the counter (items, a modifier, a special request). The ticket appears on
// the board without a reload, under the allergy banner; accepting asks the
// cook to confirm the flags (cancelling the question leaves it placed),
// then it moves on and says who checked them; ready and served take it off
// the board. The card shows the open order meanwhile. Also: a ticket's
// clock turning amber, then red with a beep; cancelling with a reason; the
// ticket page alerts link to; the location picker; phone width. Runs the
// real binary on a fresh database (setup in helpers.mjs).
//
//   node --test tests/e2e/board.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  horizontalOverflow, launchBrowser, newPage as openPage, shot, signIn, startMaitred, teardown,
} from './helpers.mjs';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery' };
const HOST = { email: 'hana@example.com', name: 'Hana Host', password: 'hana password 1' };
const COOK = { email: 'kofi@example.com', name: 'Kofi Cook', password: 'kofi password 1' };
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };
const TV = { width: 1920, height: 1080 };

const GUEST = 'Dalya Moss';
const ALLERGY = 'Sesame: hives and swelling';
const PREFERENCE = 'Green Tabasco, bottle behind the bar';
const REQUEST = 'Bring the salad first';
const RED = 'rgb(180, 35, 24)'; // --danger in app.css
const TIME = '\\d\\d?:\\d\\d(\\s?[AP]M)?'; // a time of day, as this browser's locale writes it

let maitred;
let browser;
let main; // the location
let dalyaId;
let cook; // the kitchen's board
let host; // the counter
let orderId;
const pageErrors = [];

// The test provokes 400 (a field the server refuses) on purpose.
function newPage(viewport) {
  return openPage(browser, { baseURL: maitred.baseURL, viewport, errors: pageErrors });
}

// Counts the board's beeps: every tone starts an oscillator.
function countBeeps(page) {
  return page.addInitScript(() => {
    window.beeps = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function countedStart(...args) {
      window.beeps += 1;
      return start.apply(this, args);
    };
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

function column(page, status) {
  return page.locator(`#tickets-${status}`);
}

function ticket(page, id) {
  return page.locator(`.ticket[data-order-id="${id}"]`);
}

async function order(id) {
  return maitred.api('GET', `/orders/${id}`);
}

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  [main] = (await maitred.api('GET', '/locations')).items;
  main = await maitred.api('PATCH', `/locations/${main.id}`, { name: 'Harbour St', timezone: 'Europe/London' });
  await maitred.api('POST', '/staff', { ...HOST, role: 'host', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...COOK, role: 'kitchen', location_ids: [main.id] });
  dalyaId = (await maitred.api('POST', '/guests', { name: GUEST, phone: '+44 7700 900123' })).id;
  await maitred.api('POST', `/guests/${dalyaId}/notes`, {
    kind: 'allergy', text: ALLERGY, allergen: 'sesame', severity: 'severe',
  });
  await maitred.api('POST', `/guests/${dalyaId}/notes`, { kind: 'dietary', text: 'Vegetarian' });
  await maitred.api('POST', `/guests/${dalyaId}/notes`, { kind: 'preference', text: PREFERENCE, pinned: true });
  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

describe('the order board', () => {
  it('is where the kitchen lands: no open orders yet, live', async () => {
    cook = await newPage(TABLET);
    await countBeeps(cook);
    await signIn(cook, COOK, cook.getByRole('heading', { level: 1, name: 'Orders' }));
    await cook.locator('#board-empty', { hasText: 'No open orders' }).waitFor();
    await cook.locator('#board-live[data-status="live"]').waitFor();
    assert.equal((await cook.locator('#board-place').textContent()).trim(), 'Harbour St');
    assert.equal(await cook.locator('#board-location-field').isVisible(), false, 'one location: no picker');
    assert.equal(await cook.getByRole('link', { name: /^Cases/ }).isVisible(), false);
    assert.equal(await cook.getByRole('link', { name: 'Counter' }).isVisible(), false);

    // Sound needs a tap first; the switch is that tap.
    const sound = cook.getByRole('button', { name: 'Sound off' });
    await sound.click();
    await cook.getByRole('button', { name: 'Sound on' }).waitFor();
    assert.equal(await cook.locator('#board-sound').getAttribute('aria-pressed'), 'true');
    await cook.waitForFunction(() => window.beeps > 0); // a sample tone
    await shot(cook, 'board-empty-1024');

    // Guests' cards stay closed to the kitchen; the page says where to go.
    await cook.goto(`${maitred.baseURL}/#/guests/${dalyaId}`);
    await cook.getByRole('heading', { name: 'Signed in to the kitchen' }).waitFor();
    await cook.getByRole('link', { name: 'Open the board' }).click();
    await cook.locator('#board-empty').waitFor();
    await cook.evaluate(() => { window.notReloaded = true; });
  });

  it('lets a host order from the card, with the guest’s flags in view', async () => {
    host = await newPage(TABLET);
    await signIn(host, HOST);
    await openGuest(host, 'dal', GUEST);
    const orders = host.locator('#card-orders');
    assert.match(await orders.textContent(), /None right now/);
    await orders.getByRole('button', { name: 'New order' }).click();

    await host.getByRole('heading', { level: 2, name: 'New order' }).waitFor();
    assert.equal(await host.locator('#order-new-guest').textContent(), `For ${GUEST}`);
    const flags = host.locator('#order-flags');
    await flags.locator('li', { hasText: 'Sesame allergy' }).waitFor();
    assert.match(await flags.textContent(), /Vegetarian/);
    const form = host.locator('#order-form');
    assert.equal(await form.getByLabel('Location').isVisible(), false, 'one location: no choice');

    await form.getByLabel('Item 1', { exact: true }).fill('Caesar salad');
    await form.getByLabel('Modifiers 1').fill('no croutons, dressing on the side');
    await form.getByLabel('Note 1').fill('for the fundraiser table');
    await form.getByRole('button', { name: 'Add item' }).click();
    await form.getByLabel('Item 2', { exact: true }).fill('Flat white');
    await form.getByLabel('Qty 2').fill('2');
    await form.getByLabel('Modifiers 2').fill('oat');
    // A third row with only a note: the item's name is missing.
    await form.getByRole('button', { name: 'Add item' }).click();
    await form.getByLabel('Note 3').fill('extra hot');
    await form.getByLabel('Special requests').fill(REQUEST);
    assert.equal(await host.locator('#order-promised-hint').textContent(), 'Leave empty for the usual 15 minutes.');
    await form.getByLabel('Ready in').fill('20');
    await shot(host, 'board-order-form-1024', { fullPage: true });
    await form.getByRole('button', { name: 'Send to kitchen' }).click();
    await form.locator('.order-item').nth(2).locator('.order-name .field-error', { hasText: 'Enter what they ordered' }).waitFor();
    assert.equal(await form.getByLabel('Item 3', { exact: true }).getAttribute('aria-invalid'), 'true');
    await form.getByRole('button', { name: 'Remove item 3' }).click();
    assert.equal(await form.getByLabel('Item 3', { exact: true }).count(), 0);

    // The server's refusal lands under the part of the row it names.
    await form.getByLabel('Item 2', { exact: true }).fill('Flat\u0007white');
    await form.getByRole('button', { name: 'Send to kitchen' }).click();
    const serverError = form.locator('.order-item').nth(1).locator('.order-name .field-error');
    await serverError.waitFor();
    assert.ok((await serverError.textContent()).trim().length > 0, 'the API’s message is shown');
    assert.equal((await maitred.api('GET', `/orders?location_id=${main.id}&status=all`)).items.length, 0,
      'nothing was placed');
    await form.getByLabel('Item 2', { exact: true }).fill('Flat white');
    await form.getByRole('button', { name: 'Send to kitchen' }).click();

    // Back on the card: the order is open, and says so.
    await host.getByRole('heading', { level: 2, name: GUEST }).waitFor();
    assert.match(host.url(), new RegExp(`#/guests/${dalyaId}$`));
    const done = host.locator('#order-done');
    await done.waitFor();
    orderId = Number(/Order #(\d+) sent to the kitchen\./.exec(await done.textContent())[1]);
    const line = orders.locator('.card-order');
    await line.waitFor();
    assert.match(await line.textContent(), /Placed\s*1× Caesar salad, 2× Flat white\s*just now/);
    assert.equal(await line.locator('a').getAttribute('href'), `#/orders/${orderId}`);
    await shot(host, 'board-card-open-order-1024');

    const placed = await order(orderId);
    assert.equal(placed.status, 'placed');
    assert.equal(placed.location_id, main.id);
    assert.equal(placed.guest.id, dalyaId);
    assert.equal(placed.placed_by.name, HOST.name);
    assert.equal(placed.special_requests, REQUEST);
    assert.deepEqual(placed.items.map((i) => [i.name, i.quantity, i.modifiers, i.note]), [
      ['Caesar salad', 1, ['no croutons', 'dressing on the side'], 'for the fundraiser table'],
      ['Flat white', 2, ['oat'], null],
    ]);
    assert.deepEqual(placed.flags.map((f) => f.text), [ALLERGY, 'Vegetarian']);
    assert.equal((Date.parse(placed.promised_at) - Date.parse(placed.placed_at)) / 60000, 20);
  });

  it('shows the ticket on the board at once, under the allergy banner', async () => {
    const t = column(cook, 'placed').locator(`.ticket[data-order-id="${orderId}"]`);
    await t.waitFor();
    assert.equal(await cook.evaluate(() => window.notReloaded), true, 'the board was not reloaded');
    assert.equal(await cook.locator('#board-empty').isVisible(), false);
    assert.equal((await cook.locator('#count-placed').textContent()).trim(), '1');
    const banner = t.locator('.ticket-flags');
    assert.match(await banner.textContent(), /Severe\s*Sesame allergy\s*Sesame: hives and swelling/);
    assert.match(await banner.textContent(), /Vegetarian/);
    assert.match(await banner.textContent(), /Confirm these when accepting/);
    assert.equal(await banner.evaluate((el) => getComputedStyle(el).backgroundColor), RED);
    assert.match(await t.locator('.ticket-prefs').textContent(), new RegExp(PREFERENCE));
    const items = await t.locator('.ticket-item').allTextContents();
    assert.equal(items.length, 2);
    assert.match(items[0], /1×\s*Caesar salad\s*no croutons\s*dressing on the side\s*for the fundraiser table/);
    assert.match(items[1], /2×\s*Flat white\s*oat/);
    assert.match(await t.locator('.ticket-requests').textContent(), new RegExp(REQUEST));
    assert.match(await t.locator('.ticket-guest').textContent(), new RegExp(GUEST));
    assert.match(await t.locator('.ticket-age').textContent(), /^0:\d\d$/);
    assert.match(await t.locator('.ticket-due').textContent(), /^due in [45] min$/);
    assert.match(await t.getAttribute('class'), /\bis-ok\b/);
    await cook.waitForFunction(() => window.beeps > 1); // the new-ticket tone
    await shot(cook, 'board-placed-1024');
  });

  it('asks the cook to confirm the flags before accepting', async () => {
    const t = ticket(cook, orderId);
    const dialog = cook.locator('#flags-dialog');
    await t.getByRole('button', { name: 'Accept' }).click();
    await dialog.waitFor();
    assert.match(await dialog.textContent(), new RegExp(`Order #${orderId} for ${GUEST}`));
    assert.deepEqual(
      (await dialog.locator('.flag-what').allTextContents()).map((s) => s.trim()),
      ['Sesame allergy', 'Vegetarian'],
    );
    await shot(cook, 'board-confirm-flags-1024');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await column(cook, 'placed').locator('.ticket').count(), 1, 'still placed');
    assert.equal((await order(orderId)).status, 'placed');

    await t.getByRole('button', { name: 'Accept' }).click();
    await dialog.getByRole('button', { name: 'Confirm and accept' }).click();
    const accepted = column(cook, 'accepted').locator(`.ticket[data-order-id="${orderId}"]`);
    await accepted.waitFor();
    assert.equal(await column(cook, 'placed').locator('.ticket').count(), 0);
    assert.match(await accepted.locator('.ticket-ack').textContent(), new RegExp(`Checked by ${COOK.name} · ${TIME}`));
    assert.match(await accepted.locator('.ticket-meta').textContent(), new RegExp(`Accepted ${TIME} by ${COOK.name}`));
    assert.match(await accepted.locator('.ticket-due').textContent(), /^due in (19|20) min$/);
    const now = await order(orderId);
    assert.equal(now.status, 'accepted');
    assert.equal(now.flags_acknowledged.by.name, COOK.name);
    assert.equal(now.accepted_by.name, COOK.name);
    await shot(cook, 'board-accepted-1024');

    // The counter sees it move on without asking.
    await host.locator('#card-orders .card-order', { hasText: 'Accepted' }).waitFor();
  });

  it('takes the ticket off the board once ready and served', async () => {
    await ticket(cook, orderId).getByRole('button', { name: 'Ready' }).click();
    const ready = column(cook, 'ready').locator(`.ticket[data-order-id="${orderId}"]`);
    await ready.waitFor();
    assert.match(await ready.locator('.ticket-due').textContent(), /^due in [45] min$/);
    await host.locator('#card-orders .card-order', { hasText: 'Ready' }).waitFor();
    await ready.getByRole('button', { name: 'Served' }).click();
    await ticket(cook, orderId).waitFor({ state: 'detached' });
    await cook.locator('#board-empty', { hasText: 'No open orders' }).waitFor();
    const served = await order(orderId);
    assert.equal(served.status, 'served');
    assert.equal(served.served_by.name, COOK.name);

    await host.locator('#card-orders .card-order').waitFor({ state: 'detached' });
    assert.match(await host.locator('#card-orders').textContent(), /None right now/);
  });

  it('shows one ticket on its own page, with its history', async () => {
    await host.goto(`${maitred.baseURL}/#/orders/${orderId}`);
    const page = host.locator('#order-body');
    await page.locator('.ticket').waitFor();
    assert.match(await page.locator('.ticket-closed').textContent(), /Served/);
    assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 0);
    const history = await page.locator('.order-events li').allTextContents();
    assert.equal(history.length, 5);
    assert.match(history[0], new RegExp(`Placed by ${HOST.name}`));
    assert.match(history.join('\n'), new RegExp(`Allergies and dietary needs checked by ${COOK.name}`));
    assert.match(history[history.length - 1], new RegExp(`Served by ${COOK.name}`));
    assert.equal(await page.getByRole('link', { name: `${GUEST}’s card` }).getAttribute('href'), `#/guests/${dalyaId}`);
    assert.doesNotMatch(await page.textContent(), /\b(null|undefined|NaN)\b/);
    await shot(host, 'board-order-page-1024', { fullPage: true });
  });

  it('turns a ticket amber, then red with a beep, as its clock runs out', async () => {
    const clockPage = await newPage(TABLET);
    await countBeeps(clockPage);
    await clockPage.clock.install();
    await signIn(clockPage, COOK, clockPage.locator('#board-empty'));
    await clockPage.getByRole('button', { name: 'Sound off' }).click();
    const quick = await maitred.api('POST', '/orders', {
      location_id: main.id, items: [{ name: 'Espresso' }],
    });
    const t = ticket(clockPage, quick.id);
    await t.waitFor();
    assert.match(await t.locator('.ticket-guest').textContent(), /No guest/);
    assert.equal(await t.locator('.ticket-flags').count(), 0, 'no banner without flags');
    assert.match(await t.getAttribute('class'), /\bis-ok\b/);

    await clockPage.clock.fastForward('04:10'); // under a minute left to accept it
    await clockPage.locator(`.ticket.is-soon[data-order-id="${quick.id}"]`).waitFor();
    const before = await clockPage.evaluate(() => window.beeps);
    await clockPage.clock.fastForward('01:00'); // past its accept time
    await clockPage.locator(`.ticket.is-late[data-order-id="${quick.id}"]`).waitFor();
    assert.equal(await t.locator('.ticket-late').isVisible(), true);
    assert.match(await t.locator('.ticket-due').textContent(), /^(under a minute|1 min) late$/);
    assert.equal(await t.locator('.ticket-age').evaluate((el) => getComputedStyle(el).color), RED);
    await clockPage.waitForFunction((n) => window.beeps >= n + 3, before); // three tones
    await shot(clockPage, 'board-late-1024');

    // Cancelling asks why; one tap is not enough.
    await t.getByRole('button', { name: /^Cancel order/ }).click();
    const dialog = clockPage.locator('#cancel-dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /No guest · 1× Espresso/);
    await dialog.getByRole('button', { name: 'Guest left' }).click();
    assert.equal(await dialog.getByLabel('Why?').inputValue(), 'Guest left');
    await dialog.getByRole('button', { name: 'Cancel order' }).click();
    await t.waitFor({ state: 'detached' });
    const cancelled = await order(quick.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cancel_reason, 'Guest left');
    await clockPage.context().close();
  });

  it('offers a choice of location to those who work at several', async () => {
    const pier = await maitred.api('POST', '/locations', { name: 'Pier Kiosk', timezone: 'Europe/London', currency: 'GBP' });
    const me = (await maitred.api('GET', '/staff')).items.find((s) => s.email === COOK.email);
    await maitred.api('PATCH', `/staff/${me.id}`, { location_ids: [main.id, pier.id] });
    await maitred.api('POST', '/orders', { location_id: main.id, items: [{ name: 'Croissant' }] });
    const page = await newPage(TABLET);
    await signIn(page, COOK, page.locator('.ticket'));
    const select = page.locator('#board-location');
    assert.equal(await page.getByRole('combobox', { name: 'Location' }).isVisible(), true);
    assert.equal(await page.locator('#board-place').textContent(), '');
    await select.selectOption({ label: 'Pier Kiosk' });
    await page.locator('#board-empty').waitFor();
    await page.reload();
    await page.locator('#board-empty').waitFor();
    assert.equal(await select.inputValue(), String(pier.id), 'remembered');
    await select.selectOption({ label: 'Harbour St' });
    await page.locator('.ticket').waitFor();
    await page.context().close();
  });

  it('fits a phone and reads from across the room on a TV', async () => {
    await maitred.api('POST', '/orders', {
      location_id: main.id, guest_id: dalyaId, special_requests: 'Table 4, by the window',
      items: [{ name: 'Mushroom risotto', quantity: 2, modifiers: ['no parmesan', 'extra rocket'] }],
    });
    const phone = await newPage(PHONE);
    await signIn(phone, COOK, phone.locator('.ticket').first());
    await phone.locator('.ticket').nth(1).waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on the board');
    await shot(phone, 'board-390');
    await phone.setViewportSize({ width: PHONE.width, height: 1800 });
    await shot(phone, 'board-390-tall');
    await phone.context().close();

    const counter = await newPage(PHONE);
    await signIn(counter, HOST);
    await openGuest(counter, 'dal', GUEST);
    await counter.locator('#card-orders .card-order').waitFor();
    assert.ok(await horizontalOverflow(counter) <= 0, 'no sideways scrolling on the card');
    await counter.locator('#card-orders').scrollIntoViewIfNeeded();
    await shot(counter, 'board-card-390');
    await counter.getByRole('button', { name: 'New order' }).click();
    await counter.locator('#order-flags li').first().waitFor();
    await counter.getByRole('button', { name: 'Add item' }).click();
    assert.ok(await horizontalOverflow(counter) <= 0, 'no sideways scrolling in the order form');
    await counter.setViewportSize({ width: PHONE.width, height: 1600 });
    await shot(counter, 'board-order-form-390');
    await counter.context().close();

    const tv = await newPage(TV);
    await signIn(tv, COOK, tv.locator('.ticket').first());
    await shot(tv, 'board-1920');
    const size = await tv.locator('.ticket-guest').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 24, `guest names are large on a TV (${size}px)`);
    await tv.context().close();
  });

  it('raised no page errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
