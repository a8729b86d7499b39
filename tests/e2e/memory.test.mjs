// Browser end-to-end test of guest memory ("Green Tabasco behind the bar",
// "The server tells the chef", "Authentic, not scripted"): a host creates a
// guest at the counter and notes a pinned preference, a dietary need and an
// allergy in a few taps; a manager signed in on another device finds the
// guest and sees them all, with the flags in the red banner. Also: marking a
// suggested talking point used, noting what was talked about, finding a
// guest by a note, merging a duplicate, and the manager's talking-points
// editor. Runs the real binary on a fresh database (setup in helpers.mjs).
//
//   node --test tests/e2e/

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
const PHONE = { width: 375, height: 740 };

const GUEST = 'Nadia Okafor';
const TABASCO = 'green Tabasco (bottle behind the bar)';
const OIL = 'oil intolerance';
const TALKING_POINTS = [
  'How’s your day going?',
  'Anything nice planned for the weekend?',
  'Tried the new seasonal menu?',
  'Been anywhere good lately?',
];
const RED_BANNER = 'rgb(180, 35, 24)'; // --danger in app.css

let maitred;
let browser;
let host; // Hana's page, on a tablet
let manager; // Mara's page, in its own browser context (signed in separately)
let nadiaId;
const guests = {};
const pageErrors = [];

// The test provokes 409 (a talking point that already exists) on purpose.
function newPage(viewport) {
  return openPage(browser, {
    baseURL: maitred.baseURL, viewport, errors: pageErrors, expectedStatuses: [400, 401, 409],
  });
}

async function notesOf(guestId) {
  return (await maitred.api('GET', `/guests/${guestId}/notes`)).items;
}

async function openGuest(page, query, name) {
  const search = page.getByRole('combobox', { name: 'Find a guest' });
  await search.fill('');
  await search.press('Escape');
  await search.pressSequentially(query, { delay: 30 });
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

// Opens the note form and picks a kind: the two taps the story promises.
async function startNote(page, kind) {
  await page.getByRole('button', { name: 'Add note' }).click();
  const chip = page.locator('#note-form').getByRole('radio', { name: kind, exact: true });
  await chip.click();
  await page.waitForFunction(() => document.activeElement?.id === 'note-text');
}

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  const { items: locations } = await maitred.api('GET', '/locations');
  const main = locations[0];
  await maitred.api('POST', '/staff', { ...HOST, role: 'host', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...MANAGER, role: 'manager', location_ids: [main.id] });
  await maitred.api('POST', '/staff', { ...COOK, role: 'kitchen', location_ids: [main.id] });

  // The same person, entered twice.
  guests.theo = await maitred.api('POST', '/guests', { name: 'Theo Lambert', phone: '+44 7700 900555' });
  guests.theodore = await maitred.api('POST', '/guests', {
    name: 'Theodore Lambert', email: 'theo.lambert@example.com',
  });
  await maitred.api('POST', '/visits', { guest_id: guests.theodore.id, location_id: main.id, party_size: 2 });
  await maitred.api('POST', `/guests/${guests.theodore.id}/notes`, { kind: 'general', text: 'Plays cello in the quartet' });

  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

describe('guest memory', () => {
  it('lets a host create a guest, whose card starts with empty states', async () => {
    host = await newPage(TABLET);
    await signIn(host, HOST);
    const search = host.getByRole('combobox', { name: 'Find a guest' });
    await search.pressSequentially(GUEST, { delay: 20 });
    await host.locator('#results-empty', { hasText: `No guest matches ‘${GUEST}’` }).waitFor();
    await host.locator('#results-create').click();
    const form = host.locator('#guest-form');
    assert.equal(await form.getByLabel('Name').inputValue(), GUEST);
    await form.getByRole('button', { name: 'Create guest' }).click();
    await host.getByRole('heading', { level: 2, name: GUEST }).waitFor();
    nadiaId = Number(/#\/guests\/(\d+)$/.exec(host.url())[1]);

    await host.locator('#notes-empty', { hasText: 'No notes yet.' }).waitFor();
    assert.equal(await host.locator('#card-prefs-empty').isVisible(), true);
    assert.match(await host.locator('#card-prefs-empty').textContent(), /No preferences yet/);
    assert.equal(await host.locator('#card-flags').isVisible(), false, 'no banner without flags');
    assert.equal(await host.locator('#topic-empty').isVisible(), true);
    const noStarters = host.locator('#convo-tp-empty');
    assert.equal((await noStarters.textContent()).trim(),
      'No conversation starters yet — a manager can add them.', 'and a host gets no editor link');
    assert.equal(await host.locator('#convo-try-row').isVisible(), false);
    await shot(host, 'memory-card-empty-1024');

    // A manager adds talking points; the card suggests three of them.
    for (const text of TALKING_POINTS) await maitred.api('POST', '/talking-points', { text });
    await host.reload();
    await host.getByRole('heading', { level: 2, name: GUEST }).waitFor();
    const suggestions = host.locator('#convo-try').getByRole('button');
    await suggestions.first().waitFor();
    assert.equal(await suggestions.count(), 3, 'three talking points suggested');
    assert.match(await suggestions.first().textContent(), /How’s your day going\?/);
    assert.equal(await host.locator('#convo-used-row').isVisible(), false, 'nothing used yet');
    assert.equal(await noStarters.isVisible(), false);
  });

  it('adds a pinned preference: Add note, Preference, type, Pin, Enter', async () => {
    await startNote(host, 'Preference');
    const form = host.locator('#note-form');
    assert.equal(await form.getByRole('checkbox', { name: 'Pin' }).isVisible(), true);
    assert.equal(await host.locator('#note-allergen-field').isVisible(), false, 'no allergens for a preference');
    await host.keyboard.type(TABASCO); // the text box has the focus already
    await form.getByRole('checkbox', { name: 'Pin' }).check();
    await shot(host, 'memory-note-form-1024');
    await form.getByRole('textbox').press('Enter');
    await form.waitFor({ state: 'hidden' });

    const pref = host.locator('#card-pref-list li').first();
    await pref.getByText(TABASCO).waitFor();
    assert.match(await pref.getAttribute('class'), /is-pinned/);
    assert.match(await pref.textContent(), /Pinned/);
    assert.equal(await pref.locator('svg.icon-pin').count(), 1, 'a pin icon');
    const item = host.locator('#note-list li').filter({ hasText: TABASCO });
    assert.match(await item.textContent(), /Preference/);
    assert.match(await item.textContent(), /Pinned/);
    assert.match(await item.textContent(), /Hana Host/);
    assert.equal(await host.locator('#notes-empty').isVisible(), false);

    const [note] = await notesOf(nadiaId);
    assert.equal(note.kind, 'preference');
    assert.equal(note.text, TABASCO);
    assert.equal(note.pinned, true);
    assert.equal(note.author.name, HOST.name);
  });

  it('adds a dietary note, shown in the red banner', async () => {
    await startNote(host, 'Dietary');
    const form = host.locator('#note-form');
    assert.equal(await host.locator('#note-severity-field').isVisible(), true, 'severity is offered');
    assert.equal(await form.getByRole('checkbox', { name: 'Pin' }).isVisible(), false);
    await form.getByRole('textbox').fill(OIL);
    await form.getByRole('button', { name: 'Save note' }).click();
    await form.waitFor({ state: 'hidden' });

    const banner = host.getByRole('region', { name: 'Allergies & dietary' });
    await banner.getByText(OIL).waitFor();
    assert.equal(await banner.evaluate((el) => getComputedStyle(el).backgroundColor), RED_BANNER);
    assert.match(await banner.locator('li').first().textContent(), /Dietary/);
    const notes = await notesOf(nadiaId);
    assert.equal(notes[0].kind, 'dietary');
    assert.equal(notes[0].text, OIL);
    assert.equal(notes[0].severity, null);
  });

  it('asks for the allergen and severity, then puts a life-threatening allergy first', async () => {
    await startNote(host, 'Allergy');
    const form = host.locator('#note-form');
    const allergens = host.locator('#note-allergen-field').getByRole('radio');
    assert.equal(await allergens.count(), 15, 'the 14 allergens and Other');
    await form.getByRole('button', { name: 'Save note' }).click();
    await host.locator('#note-allergen-error', { hasText: 'Choose the allergen' }).waitFor();
    await host.locator('#note-severity-error', { hasText: 'Choose how severe it is' }).waitFor();
    assert.equal(await host.locator('#note-allergen-field').getAttribute('aria-invalid'), 'true');
    await shot(host, 'memory-allergy-errors-1024');

    await form.getByRole('radio', { name: 'Peanuts' }).click();
    await form.getByRole('radio', { name: 'Life-threatening' }).click();
    await form.getByRole('textbox').fill('Carries an EpiPen');
    await form.getByRole('button', { name: 'Save note' }).click();
    await form.waitFor({ state: 'hidden' });

    const flags = host.locator('#card-flag-list li');
    await flags.filter({ hasText: 'Peanuts allergy' }).waitFor();
    assert.equal(await flags.count(), 2);
    assert.match(await flags.nth(0).textContent(), /Life-threatening.*Peanuts allergy.*Carries an EpiPen/);
    assert.match(await flags.nth(1).textContent(), new RegExp(OIL));
    assert.match(await host.locator('#card-flags').getAttribute('class'), /is-critical/);
    await shot(host, 'memory-card-flags-1024');
  });

  it('checks an edit, and shows the server’s message next to the field it names', async () => {
    await startNote(host, 'Note');
    const form = host.locator('#note-form');
    await form.getByRole('textbox').fill('Prefers the window table');
    await form.getByRole('textbox').press('Enter');
    const item = host.locator('#note-list li').filter({ hasText: 'Prefers the window table' });
    await item.waitFor();

    await item.getByRole('button', { name: /^Edit note/ }).click();
    await host.waitForFunction(() => document.activeElement?.id === 'note-text');
    const editForm = item.locator('#note-form');
    assert.equal(await editForm.getByRole('radio', { name: 'Note', exact: true }).isChecked(), true);
    await editForm.getByRole('radio', { name: 'Allergy' }).click();
    await editForm.getByRole('radio', { name: 'Other' }).click();
    await editForm.getByRole('radio', { name: 'Mild' }).click();
    await editForm.getByRole('textbox').fill('');
    await editForm.getByRole('button', { name: 'Save changes' }).click();
    await host.locator('#note-text-error', { hasText: 'Say what they are allergic to' }).waitFor();

    // Past the box's own limit, only the server says no, naming "text".
    await editForm.getByRole('radio', { name: 'Note', exact: true }).click();
    await editForm.getByRole('textbox').evaluate((el) => { el.removeAttribute('maxlength'); });
    await editForm.getByRole('textbox').fill('x'.repeat(1001));
    await editForm.getByRole('button', { name: 'Save changes' }).click();
    const textError = host.locator('#note-text-error');
    await textError.waitFor();
    assert.match(await textError.textContent(), /1000/);
    assert.equal(await editForm.getByRole('textbox').getAttribute('aria-invalid'), 'true');
  });

  it('edits a note and deletes one after a confirmation', async () => {
    const item = host.locator('#note-list li').filter({ hasText: 'Prefers the window table' });
    const editForm = item.locator('#note-form');
    await editForm.getByRole('textbox').fill('Prefers the corner table');
    await editForm.getByRole('textbox').press('Enter');
    const edited = host.locator('#note-list li').filter({ hasText: 'Prefers the corner table' });
    await edited.waitFor();
    assert.equal(await host.locator('#note-list li').filter({ hasText: 'window table' }).count(), 0);

    await edited.getByRole('button', { name: /^Delete note/ }).click();
    const dialog = host.getByRole('dialog', { name: 'Delete this note?' });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Prefers the corner table/);
    await shot(host, 'memory-delete-dialog-1024');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await edited.count(), 1, 'Cancel kept it');

    await edited.getByRole('button', { name: /^Delete note/ }).click();
    await dialog.getByRole('button', { name: 'Delete note' }).click();
    await edited.waitFor({ state: 'detached' });
    assert.equal((await notesOf(nadiaId)).some((n) => /corner table/.test(n.text)), false);
  });

  it('marks a suggested talking point used, which moves it to “used recently”', async () => {
    const tryList = host.locator('#convo-try');
    await tryList.getByRole('button', { name: /How’s your day going\?/ }).click();
    const used = host.locator('#convo-used li').filter({ hasText: 'How’s your day going?' });
    await used.waitFor();
    assert.match(await used.textContent(), /just now/);
    assert.match(await used.textContent(), /Hana Host/);
    assert.equal(await tryList.getByRole('button', { name: /How’s your day going\?/ }).count(), 0);
    assert.equal(await tryList.getByRole('button').count(), 3, 'the fourth point is suggested now');
    assert.match(await tryList.textContent(), /Been anywhere good lately\?/);

    const card = await maitred.api('GET', `/guests/${nadiaId}/card`);
    assert.equal(card.conversation.talking_points.recently_used[0].text, 'How’s your day going?');
  });

  it('notes what was talked about, with when and who', async () => {
    const box = host.getByRole('textbox', { name: 'What did you talk about?' });
    await box.fill('Training for a marathon in April');
    await box.press('Enter');
    const topic = host.locator('#topic-list li').filter({ hasText: 'Training for a marathon in April' });
    await topic.waitFor();
    assert.match(await topic.textContent(), /just now · Hana Host/);
    assert.equal(await box.inputValue(), '');
    assert.equal(await host.locator('#topic-empty').isVisible(), false);
    await shot(host, 'memory-card-host-1024', { fullPage: true });
  });

  it('shows a manager on another device the pinned preference and the flags', async () => {
    manager = await newPage(TABLET);
    await signIn(manager, MANAGER);
    assert.equal(await manager.locator('#staff-name').textContent(), MANAGER.name);
    await openGuest(manager, 'nadia', GUEST);

    const banner = manager.getByRole('region', { name: 'Allergies & dietary' });
    await banner.waitFor();
    assert.match(await banner.textContent(), /oil intolerance/);
    assert.match(await banner.textContent(), /Peanuts allergy/);
    assert.equal(await banner.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(140, 21, 12)',
      'darker red with a life-threatening flag');

    const pref = manager.locator('#card-pref-list li').first();
    assert.match(await pref.textContent(), /Pinned/);
    assert.match(await pref.textContent(), /green Tabasco \(bottle behind the bar\)/);
    assert.equal(await pref.locator('svg.icon-pin').count(), 1);

    const topic = manager.locator('#topic-list li').first();
    assert.match(await topic.textContent(), /Training for a marathon in April.*Hana Host/);
    assert.match(await manager.locator('#convo-used').textContent(), /How’s your day going\?/);
    await shot(manager, 'memory-card-manager-1024');
    await shot(manager, 'memory-card-manager-1024-full', { fullPage: true });
  });

  it('finds the guest by what a note says, showing the snippet', async () => {
    const search = manager.getByRole('combobox', { name: 'Find a guest' });
    await search.fill('');
    await search.press('Escape');
    await search.pressSequentially('marathon', { delay: 30 });
    const option = manager.getByRole('option', { name: /Nadia Okafor/ });
    await option.waitFor();
    const snippet = option.locator('.result-note');
    assert.match(await snippet.textContent(), /^Note: .*Training for a marathon/);
    assert.equal(await snippet.locator('mark').first().textContent(), 'marathon');
    await shot(manager, 'memory-search-note-1024');
  });

  it('merges a duplicate, which disappears from search', async () => {
    await openGuest(manager, 'lambert', 'Theo Lambert');
    assert.equal(await manager.locator('#results-list').getByRole('option').count(), 2,
      'both records are found');

    await manager.getByRole('button', { name: 'Guest menu' }).click();
    await manager.getByRole('menuitem', { name: 'Merge duplicate…' }).click();
    const dialog = manager.getByRole('dialog', { name: 'Merge duplicate' });
    await dialog.waitFor();
    const other = dialog.getByRole('button', { name: /Theodore Lambert/ });
    await other.waitFor();
    assert.equal(await dialog.getByRole('button', { name: /^Theo Lambert/ }).count(), 0,
      'the guest on the card is not offered');
    await shot(manager, 'memory-merge-pick-1024');
    await other.click();
    assert.equal((await manager.locator('#merge-question').textContent()).trim(),
      'Merge Theodore Lambert into Theo Lambert? Visits and notes move; Theodore Lambert is removed.');
    await shot(manager, 'memory-merge-confirm-1024');
    await dialog.getByRole('button', { name: 'Merge into Theo Lambert' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The survivor's card, with what the duplicate brought.
    await manager.getByRole('heading', { level: 2, name: 'Theo Lambert' }).waitFor();
    assert.match(manager.url(), new RegExp(`#/guests/${guests.theo.id}$`));
    await manager.locator('#card-contact').getByText('theo.lambert@example.com').waitFor();
    assert.equal((await manager.locator('#card-visits').textContent()).trim(), '1');
    await manager.locator('#note-list').getByText('Plays cello in the quartet').waitFor();

    // Search no longer finds the duplicate.
    await manager.waitForFunction(() => document.querySelectorAll('[role="option"]').length === 1);
    const search = manager.getByRole('combobox', { name: 'Find a guest' });
    await search.fill('');
    await search.press('Escape');
    await search.pressSequentially('theodore', { delay: 30 });
    await manager.locator('#results-empty').waitFor();
    assert.equal(await manager.getByRole('option', { name: /Theodore/ }).count(), 0);
    const gone = await fetch(`${maitred.baseURL}/api/v1/guests/${guests.theodore.id}`, {
      headers: { Authorization: `Bearer ${maitred.token}` },
    });
    assert.equal(gone.status, 404);
  });

  it('lets a manager add, rename, retire and restore talking points', async () => {
    await manager.getByRole('link', { name: 'Team & locations' }).click();
    await manager.getByRole('link', { name: /Talking points/ }).click();
    await manager.getByRole('heading', { level: 2, name: 'Talking points' }).waitFor();
    const active = manager.locator('#tpe-active li');
    await active.first().waitFor();
    assert.equal(await active.count(), 4);

    const input = manager.getByRole('textbox', { name: 'New talking point' });
    await input.fill('Seen any good films lately?');
    await input.press('Enter');
    await active.filter({ hasText: 'Seen any good films lately?' }).waitFor();
    assert.equal(await input.inputValue(), '');

    // The same words as an active point, differently cased: the server says no.
    await input.fill('how’s your day going?');
    await input.press('Enter');
    const error = manager.locator('#tpe-new-error');
    await error.waitFor();
    assert.ok((await error.textContent()).trim().length > 0);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await input.fill('');

    await manager.getByRole('button', { name: 'Rename “Tried the new seasonal menu?”' }).click();
    const rename = manager.getByRole('textbox', { name: /New wording for/ });
    await rename.fill('Tried the autumn menu?');
    await rename.press('Enter');
    await active.filter({ hasText: 'Tried the autumn menu?' }).waitFor();

    await manager.getByRole('button', { name: 'Retire “Anything nice planned for the weekend?”' }).click();
    const retired = manager.locator('#tpe-retired li').filter({ hasText: 'Anything nice planned for the weekend?' });
    await retired.waitFor();
    assert.equal(await active.filter({ hasText: 'Anything nice planned' }).count(), 0);
    await shot(manager, 'memory-talking-points-1024', { fullPage: true });
    await retired.getByRole('button', { name: /^Restore/ }).click();
    await active.filter({ hasText: 'Anything nice planned for the weekend?' }).waitFor();

    const { items } = await maitred.api('GET', '/talking-points');
    assert.deepEqual(items.filter((tp) => tp.active).map((tp) => tp.text), [
      'How’s your day going?',
      'Anything nice planned for the weekend?',
      'Tried the autumn menu?',
      'Been anywhere good lately?',
      'Seen any good films lately?',
    ]);
    await manager.context().close();
  });

  it('keeps the talking-points editor from hosts', async () => {
    assert.equal(await host.getByRole('link', { name: 'Team & locations' }).isVisible(), false);
    await host.evaluate(() => { location.hash = '#/team/talking-points'; });
    await host.getByRole('combobox', { name: 'Find a guest' }).waitFor();
    assert.equal(await host.locator('#talking-points-view').isVisible(), false);
    await host.context().close();
  });

  it('works on a phone-sized screen', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, HOST);
    await openGuest(phone, 'nadia', GUEST);
    await phone.locator('#card-flags').waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on the card');
    await shot(phone, 'memory-card-375');
    await shot(phone, 'memory-card-375-full', { fullPage: true });
    await startNote(phone, 'Allergy');
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling with the note form open');
    await shot(phone, 'memory-note-form-375');
    await phone.locator('#note-cancel').click();
    await phone.locator('#note-form').waitFor({ state: 'hidden' });
    await phone.context().close();
  });

  it('shows kitchen staff no guest search and no profiles', async () => {
    const cook = await newPage(TABLET);
    await signIn(cook, COOK, cook.getByRole('heading', { level: 1, name: 'Orders' }));
    assert.equal(await cook.getByRole('combobox', { name: 'Find a guest' }).isVisible(), false);
    assert.equal(await cook.getByRole('button', { name: /New guest/ }).isVisible(), false);
    await cook.goto(`${maitred.baseURL}/#/guests/${nadiaId}`);
    await cook.getByRole('heading', { name: 'Signed in to the kitchen' }).waitFor();
    assert.equal(await cook.getByRole('heading', { level: 2, name: GUEST }).isVisible(), false);
    await shot(cook, 'memory-kitchen-1024');
    await cook.context().close();
  });

  it('raised no page errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
