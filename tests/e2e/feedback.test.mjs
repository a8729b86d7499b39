// Browser end-to-end test of "Shop your business": a host makes a survey
// link for a guest's visit; the guest opens it on a phone, scores 3 and
// complains about the wait, and gets a thank-you (the link then says it was
// already answered). A manager signed in on a tablet finds the comment in
// the Feedback inbox with its "wait" words marked and a link to the case it
// opened, which is in the case queue. Praise recorded at the counter that
// names a staff member shows on the kudos wall; the trends draw their
// charts; the survey link and its QR code from the guest card; phone
// widths. Runs the real binary on a fresh database (setup in helpers.mjs).
//
//   node --test tests/e2e/feedback.test.mjs

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  horizontalOverflow, launchBrowser, newPage as openPage, shot, signIn, startMaitred, teardown,
} from './helpers.mjs';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery' };
const HOST = { email: 'hana@example.com', name: 'Hana Host', password: 'hana password 1' };
const MANAGER = { email: 'mara@example.com', name: 'Mara Manager', password: 'mara password 1' };
const BARISTA = { email: 'sam@example.com', name: 'Sam Okafor', password: 'sam password 12' };
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };
const SMALL_PHONE = { width: 360, height: 740 };

const GUEST = 'Dalya Moss';
const FAN = 'Theo Lambert';
const LINK_GUEST = 'Ada Quist';
const COMPLAINT = 'We waited 45 minutes for our food and nobody said sorry';
const PRAISE = 'Sam made the best flat white I have had in years, so friendly and kind!';

let maitred;
let browser;
let main; // the location
let visitId;
let survey; // the link the host made
let feedback; // the guest's answer, as the API has it
let manager;
const pageErrors = [];

// The survey page provokes 404 (an unknown link) and 409 (answered) on purpose.
function newPage(viewport) {
  return openPage(browser, {
    baseURL: maitred.baseURL, viewport, errors: pageErrors, expectedStatuses: [400, 401, 404, 409],
  });
}

// The API as a signed-in staff member: a session cookie and its CSRF token.
async function signInApi(who) {
  const res = await fetch(`${maitred.baseURL}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  assert.equal(res.status, 200, `sign-in as ${who.email}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await res.json();
  return async (method, urlPath, body) => {
    const r = await fetch(`${maitred.baseURL}/api/v1${urlPath}`, {
      method,
      headers: {
        Cookie: cookie, 'X-CSRF-Token': csrf, Accept: 'application/json', 'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${urlPath} -> ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

async function openGuest(page, query, name) {
  const search = page.getByRole('combobox', { name: 'Find a guest' });
  await search.fill('');
  await search.press('Escape');
  await search.pressSequentially(query, { delay: 30 });
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  [main] = (await maitred.api('GET', '/locations')).items;
  main = await maitred.api('PATCH', `/locations/${main.id}`, {
    name: 'Harbour St', currency: 'GBP', timezone: 'Europe/London',
  });
  await maitred.api('POST', '/staff', { ...HOST, role: 'host', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...MANAGER, role: 'manager', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...BARISTA, role: 'host', location_ids: [main.id] });
  const guest = await maitred.api('POST', '/guests', { name: GUEST, phone: '+44 7700 900123' });
  visitId = (await maitred.api('POST', '/visits', { guest_id: guest.id, location_id: main.id, party_size: 2 })).id;
  await maitred.api('POST', '/guests', { name: FAN });
  const linkGuest = await maitred.api('POST', '/guests', { name: LINK_GUEST });
  await maitred.api('POST', '/visits', { guest_id: linkGuest.id, location_id: main.id });
  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

describe('feedback', () => {
  it('lets a guest answer the survey from a link on a phone', async () => {
    const hostApi = await signInApi(HOST);
    survey = await hostApi('POST', '/surveys', { visit_id: visitId });
    assert.match(survey.url, /^\/s\/[A-Za-z0-9_-]{22}$/);

    const phone = await newPage(PHONE);
    await phone.goto(survey.url);
    await phone.getByRole('heading', { level: 1, name: 'How was your visit to Harbour St?' }).waitFor();
    assert.match(await phone.locator('#hello').textContent(), /^Hi Dalya,/);
    const nps = phone.getByRole('group', { name: 'How likely are you to recommend Harbour St to a friend?' });
    assert.equal(await nps.getByRole('radio').count(), 11, 'scores 0 to 10');
    assert.equal(await nps.getByRole('radio', { name: '0, not likely' }).count(), 1);
    assert.equal(await nps.getByRole('radio', { name: '10, very likely' }).count(), 1);
    const box = await nps.locator('label').first().boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `big tap targets (${box.width}x${box.height})`);
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling at 390 px');
    await shot(phone, 'feedback-survey-390', { fullPage: true });

    // Sending without a score says what is missing, and sends nothing.
    await phone.getByRole('button', { name: 'Send' }).click();
    await phone.getByText('Choose a number from 0 to 10.').waitFor();

    await nps.getByRole('radio', { name: '3', exact: true }).check();
    const counter = phone.getByRole('group', { name: 'Counter' });
    assert.equal(await counter.getByRole('radio', { name: 'Counter: skip' }).isChecked(), true, 'ratings start skipped');
    await counter.getByRole('radio', { name: 'Counter: 4 out of 5' }).check();
    await phone.getByLabel(/Anything you’d like to tell us/).fill(COMPLAINT);
    await phone.getByRole('button', { name: 'Send' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Thank you, Dalya!' }).waitFor();
    await shot(phone, 'feedback-survey-thanks-390');

    [feedback] = (await maitred.api('GET', '/feedback')).items;
    assert.equal(feedback.nps, 3);
    assert.equal(feedback.comment, COMPLAINT);
    assert.equal(feedback.source, 'survey');
    assert.deepEqual(feedback.ratings.map((r) => [r.touchpoint.key, r.rating]), [['counter', 4]]);
    assert.ok(feedback.themes.some((t) => t.theme === 'wait'), 'the comment is about the wait');
    assert.ok(feedback.case_id, 'a detractor opens a case');

    // The same link again: already answered.
    await phone.reload();
    await phone.getByRole('heading', { level: 1, name: 'Already answered' }).waitFor();
    assert.equal(await phone.locator('#survey-form').isVisible(), false);
    await shot(phone, 'feedback-survey-answered-390');

    // A link that never existed, on the smallest phone.
    const small = await newPage(SMALL_PHONE);
    await small.goto('/s/AAAAAAAAAAAAAAAAAAAAAA');
    await small.getByRole('heading', { level: 1, name: 'Link not found' }).waitFor();
    await phone.context().close();
    await small.context().close();
  });

  it('shows the manager the comment with its theme and the case it opened', async () => {
    manager = await newPage(TABLET);
    await signIn(manager, MANAGER);
    await manager.getByRole('link', { name: 'Feedback', exact: true }).click();
    await manager.getByRole('heading', { level: 1, name: 'Feedback' }).waitFor();
    const item = manager.locator(`.fb-item[data-feedback-id="${feedback.id}"]`);
    await item.waitFor();
    assert.equal((await item.locator('.fb-comment').textContent()).trim(), COMPLAINT);
    const waitWords = item.locator('mark.theme-word[data-theme="wait"]');
    assert.deepEqual(await waitWords.allTextContents(), ['waited', 'minutes'], 'the wait is highlighted');
    assert.equal(await item.locator('.theme-chip', { hasText: 'Wait' }).count(), 1);
    assert.match(await item.locator('.theme-chip', { hasText: 'Wait' }).getAttribute('class'), /is-negative/);
    assert.match(await item.locator('.fb-score').textContent(), /^3\/10/);
    assert.match(await item.locator('.fb-ratings').textContent(), /Counter/);
    assert.equal(await item.getByRole('link', { name: GUEST }).getAttribute('href'), `#/guests/${feedback.guest.id}`);
    assert.ok(await horizontalOverflow(manager) <= 0, 'no sideways scrolling at 1024 px');
    await shot(manager, 'feedback-inbox-1024');

    // Filters: detractors with the "wait" theme keep it; promoters don't.
    const filters = manager.getByRole('form', { name: 'Filter feedback' });
    await filters.getByLabel('Theme', { exact: true }).selectOption('wait');
    await item.waitFor();
    await filters.getByLabel('Score', { exact: true }).selectOption('promoter');
    await manager.getByText('Nothing matches these filters').waitFor();
    await manager.getByRole('button', { name: 'Clear filters' }).click();
    await item.waitFor();
    await filters.getByLabel('From', { exact: true }).fill('2999-01-01');
    await manager.getByText('Nothing matches these filters').waitFor();
    await manager.getByRole('button', { name: 'Clear filters' }).click();
    await item.waitFor();

    const caseLink = item.getByRole('link', { name: `Case #${feedback.case_id}` });
    assert.equal(await caseLink.getAttribute('href'), `#/cases/${feedback.case_id}`);
    await caseLink.click();
    await manager.locator('#case-body').getByText(/Feedback 3\/10/).first().waitFor();

    // The case is in the manager's queue.
    await manager.getByRole('link', { name: /^Cases/ }).first().click();
    await manager.getByRole('link', { name: 'My location' }).click();
    const row = manager.locator(`#case-list .case-row[data-case-id="${feedback.case_id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(GUEST));
    assert.match(await row.textContent(), /Late order/);
  });

  it('puts praise recorded at the counter on the kudos wall', async () => {
    await manager.getByRole('link', { name: 'Feedback', exact: true }).click();
    await manager.getByRole('link', { name: 'Record feedback' }).click();
    const form = manager.locator('#fb-record-form');
    await form.getByRole('heading', { name: 'Record feedback' }).waitFor();
    await form.getByRole('searchbox', { name: /^Guest/ }).pressSequentially('theo', { delay: 30 });
    await form.getByRole('button', { name: new RegExp(FAN) }).click();
    assert.equal(await form.locator('#fb-record-guest-name').textContent(), FAN);
    await form.getByRole('radio', { name: '10', exact: true }).check();
    await form.getByLabel('What did they say?').fill(PRAISE);
    await shot(manager, 'feedback-record-1024');
    await form.getByRole('button', { name: 'Save feedback' }).click();
    await manager.getByText(`Feedback from ${FAN} recorded.`).waitFor();
    const praise = manager.locator('.fb-item', { hasText: PRAISE });
    await praise.waitFor();
    assert.match(await praise.locator('.fb-kudos').textContent(), /Kudos: Sam Okafor/);
    assert.match(await praise.locator('.fb-meta').textContent(), /At the counter by Mara Manager/);

    await manager.getByRole('link', { name: 'Kudos' }).click();
    const card = manager.locator('.kudos-card', { hasText: BARISTA.name });
    await card.waitFor();
    assert.match(await card.locator('.kudos-count').textContent(), /1 kudos/);
    assert.match(await card.textContent(), /best flat white/);
    await shot(manager, 'feedback-kudos-1024');
  });

  it('draws NPS and themes over time for managers', async () => {
    await manager.getByRole('link', { name: 'Trends' }).click();
    await manager.locator('#fb-nps-chart canvas').waitFor();
    await manager.locator('#fb-themes-chart canvas').waitFor();
    const tiles = manager.locator('#fb-tiles');
    assert.match(await tiles.locator('.is-nps').textContent(), /NPS\s*0/); // one promoter, one detractor
    assert.match(await manager.locator('#fb-theme-table').textContent(), /Wait/);
    assert.equal(await manager.locator('link[href="vendor/uPlot.min.css"]').count(), 1);
    assert.ok(await horizontalOverflow(manager) <= 0, 'no sideways scrolling at 1024 px');
    await shot(manager, 'feedback-trends-1024');
    await manager.locator('#fb-themes-chart').scrollIntoViewIfNeeded();
    await shot(manager, 'feedback-trends-themes-1024');
  });

  it('fits a phone', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, MANAGER);
    await phone.getByRole('link', { name: 'Feedback', exact: true }).click();
    await phone.locator(`.fb-item[data-feedback-id="${feedback.id}"]`).waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'inbox: no sideways scrolling');
    await shot(phone, 'feedback-inbox-390');
    await shot(phone, 'feedback-inbox-390-full', { fullPage: true });
    await phone.getByRole('link', { name: 'Trends' }).click();
    await phone.locator('#fb-themes-chart canvas').waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'trends: no sideways scrolling');
    await shot(phone, 'feedback-trends-390', { fullPage: true });
    await phone.getByRole('link', { name: 'Kudos' }).click();
    await phone.locator('.kudos-card').first().waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'kudos: no sideways scrolling');
    await phone.context().close();
  });

  it('makes a survey link with its QR code from the guest card', async () => {
    const host = await newPage(TABLET);
    await signIn(host, HOST);
    assert.equal(await host.getByRole('link', { name: 'Feedback', exact: true }).isVisible(), true, 'hosts see Feedback');
    await openGuest(host, 'ada', LINK_GUEST);
    await host.locator('#visit-list').getByRole('button', { name: /^Survey link/ }).click();
    const dialog = host.getByRole('dialog', { name: `Survey link for Ada` });
    // the link appears once the server has answered
    const linkInput = dialog.getByLabel('Link');
    await host.waitForFunction((el) => el.value !== '', await linkInput.elementHandle());
    const url = await linkInput.inputValue();
    assert.match(url, new RegExp(`^${maitred.baseURL}/s/[A-Za-z0-9_-]{22}$`));
    const qr = dialog.getByRole('img', { name: 'QR code of the survey link' });
    await qr.waitFor();
    await host.waitForFunction(() => document.getElementById('survey-dialog-qr').naturalWidth > 0);
    await shot(host, 'feedback-survey-link-1024');
    await dialog.getByRole('button', { name: 'Done' }).click();

    // Hosts don't see the trends; the guest menu records feedback for this guest.
    await host.getByRole('button', { name: 'Guest menu' }).click();
    await host.getByRole('menuitem', { name: 'Record feedback…' }).click();
    await host.locator('#fb-record-guest-name', { hasText: LINK_GUEST }).waitFor();
    assert.equal(await host.getByRole('link', { name: 'Trends' }).isVisible(), false);
    await host.context().close();
  });

  it('pages the inbox with the server’s cursor', async () => {
    for (let i = 1; i <= 20; i++) {
      await maitred.api('POST', '/feedback', { location_id: main.id, nps: 8, comment: `Nice enough, visit ${i}` });
    }
    await manager.getByRole('link', { name: 'Inbox' }).click();
    const items = manager.locator('#feedback-list .fb-item');
    await manager.locator('.fb-item', { hasText: 'visit 20' }).waitFor();
    assert.equal(await items.count(), 20, 'one page');
    await manager.getByRole('button', { name: 'Load more' }).click();
    await manager.locator(`.fb-item[data-feedback-id="${feedback.id}"]`).waitFor();
    assert.equal(await items.count(), 22, 'the rest');
    assert.equal(await manager.getByRole('button', { name: 'Load more' }).isVisible(), false);
  });

  it('raised no page errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
