// Browser end-to-end test of "Team & locations": the owner adds a location
// and a host who works there; the host signs in on another device; the owner
// disables the host, which signs them out at once and stops them signing in
// again. Runs the real binary on a fresh database (setup in helpers.mjs).
//
//   node --test tests/e2e/

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  horizontalOverflow, launchBrowser, newPage as openPage, shot, signIn, startMaitred, teardown,
} from './helpers.mjs';

const OWNER = { email: 'olive@example.com', name: 'Olive Owner', password: 'correct horse battery' };
const HUGO = { email: 'hugo@example.com', name: 'Hugo Host', password: 'hugo password 1' };
const MANAGER = { email: 'mara@example.com', name: 'Mara Manager', password: 'manager pass 1' };
const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 375, height: 740 };

let maitred;
let browser;
let owner; // the owner's page, on a tablet
let hugo; // Hugo's page, on a phone, in a separate browser context
const pageErrors = [];

// The test provokes 400 (bad time zone), 401 (Hugo after being disabled)
// and 409 (an email already in use) on purpose.
function newPage(viewport) {
  return openPage(browser, {
    baseURL: maitred.baseURL, viewport, errors: pageErrors, expectedStatuses: [400, 401, 409],
  });
}

async function staffByEmail(email) {
  const { items } = await maitred.api('GET', '/staff');
  return items.find((s) => s.email === email);
}

before(async () => {
  maitred = await startMaitred({ owner: OWNER });
  browser = await launchBrowser();
});

after(() => teardown(browser, maitred));

describe('team & locations', () => {
  it('shows the owner the staff list', async () => {
    owner = await newPage(TABLET);
    await signIn(owner, OWNER);
    const link = owner.getByRole('link', { name: 'Team & locations' });
    await link.click();
    await owner.getByRole('heading', { level: 1, name: 'Team & locations' }).waitFor();
    assert.match(owner.url(), /#\/team\/staff$/);
    assert.equal(await link.getAttribute('aria-current'), 'page');
    const row = owner.getByRole('row', { name: /Olive Owner/ });
    await row.waitFor();
    assert.match(await row.textContent(), /You/);
    assert.match(await row.textContent(), /Owner/);
    assert.match(await row.textContent(), /All locations/);
    assert.match(await row.textContent(), /Active/);
    await owner.locator('#staff-empty').waitFor(); // nobody else yet
    await shot(owner, 'team-empty-1024');
  });

  it('adds a location, showing the server’s field errors', async () => {
    await owner.getByRole('link', { name: /^Locations/ }).click();
    await owner.getByRole('heading', { level: 2, name: 'Locations' }).waitFor();
    await owner.getByRole('link', { name: 'Add location' }).click();
    const form = owner.locator('#location-form');
    await form.getByLabel('Name').waitFor();
    await owner.waitForFunction(() => document.activeElement?.id === 'location-name');
    assert.ok(await owner.locator('#timezone-options option[value="Europe/London"]').count() === 1,
      'the time zone field suggests common zones');

    await form.getByLabel('Name').fill('Market Hall');
    await form.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await form.getByLabel('Currency').fill('gbp');
    assert.equal(await form.getByLabel('Currency').inputValue(), 'GBP', 'typed in capitals');
    await form.getByRole('button', { name: 'Add location' }).click();
    const tzError = owner.locator('#location-timezone-error');
    await tzError.waitFor();
    assert.match(await tzError.textContent(), /IANA time zone/);
    assert.equal(await form.getByLabel('Time zone').getAttribute('aria-invalid'), 'true');
    await shot(owner, 'location-error-1024');

    await form.getByLabel('Time zone').fill('Europe/London');
    await form.getByRole('button', { name: 'Add location' }).click();
    const item = owner.getByRole('listitem').filter({ hasText: 'Market Hall' });
    await item.waitFor();
    assert.match(await item.textContent(), /Europe\/London/);
    assert.match(await item.textContent(), /GBP/);
    assert.match(await owner.locator('#team-notice').textContent(), /Market Hall is added/);
    assert.equal(await form.isVisible(), false, 'the form closes');
    await shot(owner, 'locations-1024');

    const { items } = await maitred.api('GET', '/locations');
    const hall = items.find((l) => l.name === 'Market Hall');
    assert.ok(hall, 'the location exists');
    assert.equal(hall.timezone, 'Europe/London');
    assert.equal(hall.currency, 'GBP');
  });

  it('adds a host at Market Hall', async () => {
    await owner.getByRole('link', { name: /^Staff/ }).click();
    await owner.getByRole('link', { name: 'Add staff' }).first().click();
    await owner.getByRole('heading', { level: 2, name: 'Add staff' }).waitFor();
    const form = owner.locator('#staff-form');
    await owner.waitForFunction(() => document.activeElement?.id === 'member-name');

    await form.getByLabel('Name').fill(HUGO.name);
    await form.getByLabel('Email').fill(HUGO.email);
    await form.getByLabel('Role').selectOption('host');
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Add staff member' }).click();
    await owner.locator('#member-password-error').waitFor();
    await owner.locator('#staff-locations-error').waitFor(); // none ticked yet
    assert.equal(await form.getByLabel('Password').getAttribute('aria-invalid'), 'true');

    await form.getByLabel('Password').fill(HUGO.password);
    await form.getByRole('checkbox', { name: /Market Hall/ }).check();
    assert.equal(await form.getByRole('checkbox', { name: /Main/ }).isChecked(), false);
    await shot(owner, 'staff-add-1024');
    await form.getByRole('button', { name: 'Add staff member' }).click();

    const row = owner.getByRole('row', { name: /Hugo Host/ });
    await row.waitFor();
    assert.match(await row.textContent(), /Host/);
    assert.match(await row.textContent(), /Market Hall/);
    assert.match(await row.textContent(), /Active/);
    assert.match(await owner.locator('#team-notice').textContent(), /Hugo Host can now sign in/);
    assert.equal(await owner.locator('#staff-empty').isVisible(), false);
    await shot(owner, 'staff-1024');

    const created = await staffByEmail(HUGO.email);
    const { items } = await maitred.api('GET', '/locations');
    assert.equal(created.role, 'host');
    assert.deepEqual(created.location_ids, [items.find((l) => l.name === 'Market Hall').id]);
  });

  it('shows the server’s message when the email is taken', async () => {
    await owner.getByRole('link', { name: 'Add staff' }).first().click();
    const form = owner.locator('#staff-form');
    await form.getByLabel('Name').fill('Hugo Again');
    await form.getByLabel('Email').fill(HUGO.email);
    await form.getByLabel('Password').fill('another password');
    await form.getByRole('checkbox', { name: /Main/ }).check();
    await form.getByRole('button', { name: 'Add staff member' }).click();
    const error = owner.locator('#member-email-error');
    await error.waitFor();
    assert.match(await error.textContent(), /already exists/);
    await form.getByRole('link', { name: 'Cancel' }).click();
    await owner.getByRole('row', { name: /Hugo Host/ }).waitFor();
    assert.equal(await owner.getByRole('row', { name: /Hugo Again/ }).count(), 0);
  });

  it('lets Hugo sign in on his own device, without the team area', async () => {
    hugo = await newPage(PHONE);
    await signIn(hugo, HUGO);
    assert.equal(await hugo.locator('#staff-name').textContent(), HUGO.name);
    assert.equal(await hugo.getByRole('link', { name: 'Team & locations' }).isVisible(), false);
    // A host who types the address lands back on the counter.
    await hugo.evaluate(() => { location.hash = '#/team/staff'; });
    await hugo.getByRole('combobox', { name: 'Find a guest' }).waitFor();
    assert.equal(await hugo.locator('#team-view').isVisible(), false);
    await shot(hugo, 'hugo-counter-375');
  });

  it('disables Hugo after a confirmation, which Escape cancels', async () => {
    await owner.getByRole('link', { name: 'Edit Hugo Host' }).click();
    await owner.getByRole('heading', { level: 2, name: 'Hugo Host' }).waitFor();
    await shot(owner, 'staff-edit-1024');

    const disable = owner.getByRole('button', { name: 'Disable account' });
    await disable.click();
    const dialog = owner.getByRole('dialog', { name: 'Disable Hugo Host?' });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Disabling signs them out everywhere at once/);
    await shot(owner, 'staff-disable-dialog-1024');
    await owner.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await staffByEmail(HUGO.email)).disabled, false, 'Escape changed nothing');

    await disable.click();
    await dialog.getByRole('button', { name: 'Disable account' }).click();
    await owner.getByRole('button', { name: 'Enable account' }).waitFor();
    assert.match(await owner.locator('#staff-access').textContent(), /Disabled/);
    assert.match(await owner.locator('#staff-access-done').textContent(), /signed out everywhere/);
    assert.equal((await staffByEmail(HUGO.email)).disabled, true);
    await shot(owner, 'staff-disabled-1024');
  });

  it('sends Hugo to the sign-in screen on his next action', async () => {
    const search = hugo.getByRole('combobox', { name: 'Find a guest' });
    await search.pressSequentially('dal', { delay: 30 });
    await hugo.locator('#login-view').waitFor();
    assert.match(await hugo.locator('#login-notice').textContent(), /session has ended/);
    assert.equal(await hugo.locator('#counter-view').isVisible(), false);
    await shot(hugo, 'hugo-signed-out-375');
  });

  it('refuses Hugo’s sign-in now', async () => {
    const form = hugo.locator('#login-form');
    await form.getByLabel('Email').fill(HUGO.email);
    await form.getByLabel('Password').fill(HUGO.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    const error = hugo.locator('#login-error');
    await error.waitFor();
    assert.match(await error.textContent(), /wrong email or password/i);
    assert.equal(await hugo.locator('#counter-view').isVisible(), false);
    await hugo.context().close();
  });

  it('enables Hugo again, changes his role and locations', async () => {
    await owner.getByRole('button', { name: 'Enable account' }).click();
    await owner.getByRole('button', { name: 'Disable account' }).waitFor();
    const form = owner.locator('#staff-form');
    await form.getByLabel('Role').selectOption('kitchen');
    await form.getByRole('checkbox', { name: /Main/ }).check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await owner.locator('#staff-form-saved').getByText('Saved.').waitFor();
    const hugoNow = await staffByEmail(HUGO.email);
    assert.equal(hugoNow.disabled, false);
    assert.equal(hugoNow.role, 'kitchen');
    assert.equal(hugoNow.location_ids.length, 2);

    await owner.getByRole('link', { name: 'All staff' }).click();
    const row = owner.getByRole('row', { name: /Hugo Host/ });
    await row.waitFor();
    assert.match(await row.textContent(), /Kitchen/);
    assert.match(await row.textContent(), /Main, Market Hall|Market Hall, Main/);
  });

  it('does not offer to change the owner’s own role or disable them', async () => {
    await owner.getByRole('link', { name: 'Edit Olive Owner' }).click();
    await owner.getByRole('heading', { level: 2, name: 'Olive Owner' }).waitFor();
    assert.equal(await owner.locator('#staff-form').getByLabel('Role').isDisabled(), true);
    assert.equal(await owner.getByRole('button', { name: 'Disable account' }).count(), 0);
    assert.match(await owner.locator('#staff-access').textContent(), /your account/);
    await owner.getByRole('link', { name: 'All staff' }).click();
    await owner.getByRole('row', { name: /Hugo Host/ }).waitFor();
  });

  it('lets a manager add only hosts and kitchen staff', async () => {
    const { items } = await maitred.api('GET', '/locations');
    const main = items.find((l) => l.name === 'Main');
    await maitred.api('POST', '/staff', { ...MANAGER, role: 'manager', location_ids: [main.id] });
    const page = await newPage(TABLET);
    await signIn(page, MANAGER);
    await page.getByRole('link', { name: 'Team & locations' }).click();
    // Hugo works at Main too now; Olive is an owner, so the manager may only view her.
    await page.getByRole('row', { name: /Hugo Host/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'View Olive Owner' }).count(), 1);
    await page.getByRole('link', { name: 'Add staff' }).first().click();
    const role = page.locator('#staff-form').getByLabel('Role');
    await role.waitFor();
    const options = await role.locator('option').allTextContents();
    assert.deepEqual(options, ['Host', 'Kitchen']);
    // Market Hall is not one of the manager's locations.
    assert.deepEqual(await page.locator('#staff-form').getByRole('checkbox').count(), 1);
    await page.getByRole('link', { name: /^Locations/ }).click();
    await page.getByRole('listitem').filter({ hasText: 'Main' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Add location' }).isVisible(), false);
    await shot(page, 'manager-locations-1024');
    await page.context().close();
  });

  it('works on a phone-sized screen', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, OWNER);
    await phone.getByRole('link', { name: 'Team & locations' }).click();
    await phone.getByRole('row', { name: /Hugo Host/ }).waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on the staff list');
    await shot(phone, 'staff-375');
    await shot(phone, 'staff-375-full', { fullPage: true });

    await phone.getByRole('link', { name: 'Edit Hugo Host' }).click();
    await phone.getByRole('heading', { level: 2, name: 'Hugo Host' }).waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on the staff page');
    await shot(phone, 'staff-edit-375-full', { fullPage: true });
    await phone.getByRole('button', { name: 'Disable account' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Disable Hugo Host?' });
    await dialog.waitFor();
    await shot(phone, 'staff-disable-dialog-375');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await phone.getByRole('link', { name: /^Locations/ }).click();
    await phone.getByRole('link', { name: 'Add location' }).click();
    await phone.locator('#location-form').getByLabel('Name').waitFor();
    assert.ok(await horizontalOverflow(phone) <= 0, 'no sideways scrolling on the locations page');
    await shot(phone, 'locations-add-375-full', { fullPage: true });

    await phone.getByRole('link', { name: 'Counter' }).click();
    await phone.getByRole('combobox', { name: 'Find a guest' }).waitFor();
    assert.equal(await phone.locator('#team-view').isVisible(), false);
    await phone.context().close();
  });

  it('raised no page errors or CSP violations', () => {
    assert.deepEqual(pageErrors, []);
  });
});
