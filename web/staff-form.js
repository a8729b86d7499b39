// Adding a staff member, and changing one: name, role, locations, a new
// password, and disabling or enabling the account (after a confirmation,
// because disabling ends their sessions at once). The server decides who may
// do what; the form offers only what the signed-in role may do and shows
// the server's message, under the field it names, when it says no.

import { api } from './api.js';
import {
  $, busy, clearFormErrors, confirmDialog, focusFirstInvalid, h, setFieldError, setFormError, setText,
  show,
} from './dom.js';
import { firstName, initials } from './format.js';

export const ROLES = ['owner', 'manager', 'host', 'kitchen'];
export const ROLE_LABELS = { owner: 'Owner', manager: 'Manager', host: 'Host', kitchen: 'Kitchen' };
const ROLE_HINTS = {
  owner: 'Everything, at every location. Adds locations and manages all staff.',
  manager: 'Guests and visits at their locations, and the host and kitchen accounts there.',
  host: 'Finds and welcomes guests and records visits at their locations.',
  kitchen: 'Works the kitchen at their locations. Doesn’t see guest profiles.',
};
const MANAGED_BY_MANAGERS = ['host', 'kitchen'];
const PASSWORD_MIN_BYTES = 8;
const AVATAR_TONES = 6;

// May `me` change this account (other than through their own)?
export function canManage(me, staff) {
  if (!me || !staff) return false;
  if (me.id === staff.id || me.role === 'owner') return true;
  return me.role === 'manager' && MANAGED_BY_MANAGERS.includes(staff.role);
}

function byteLength(text) {
  return new TextEncoder().encode(text).length;
}

function sameSet(a, b) {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

export function createStaffForm({ data, getMe, onCreated, onUpdated, onSignedOut }) {
  const form = $('staff-form');
  const name = $('member-name');
  const email = $('member-email');
  const role = $('member-role');
  const password = $('member-password');
  const checks = $('staff-location-checks');
  const submit = $('staff-submit');
  const saved = $('staff-form-saved');
  const note = $('staff-form-note');
  const access = $('staff-access');
  const accessError = $('staff-access-error');
  const accessDone = $('staff-access-done');

  let target = null; // the account being edited; null when adding
  let editable = true;

  function me() {
    return getMe() || {};
  }

  function assignableRoles() {
    return me().role === 'owner' ? ROLES : MANAGED_BY_MANAGERS;
  }

  function self() {
    return Boolean(target && target.id === me().id);
  }

  function checkedLocationIds() {
    return [...checks.querySelectorAll('input[type="checkbox"]:checked')].map((el) => Number(el.value));
  }

  function fillRoles(current) {
    let options = assignableRoles();
    if (self()) options = [current];
    else if (current && !options.includes(current)) options = [current, ...options];
    role.replaceChildren(...options.map((r) => h('option', { value: r }, ROLE_LABELS[r] || r)));
    role.value = current || (options.includes('host') ? 'host' : options[0]);
    role.disabled = !editable || self();
  }

  function updateRoleHint() {
    let hint = ROLE_HINTS[role.value] || '';
    if (self()) hint = `You can’t change your own role. ${hint}`;
    else if (editable && me().role === 'manager') hint = `${hint} Only an owner can add or change managers and owners.`;
    setText($('member-role-hint'), hint);
    updateLocationsField();
  }

  function renderChecks(selected) {
    const locations = data.locations;
    if (locations.length === 0) {
      checks.replaceChildren(me().role === 'owner'
        ? h('p', { class: 'muted' }, 'There are no locations yet. ',
          h('a', { href: '#/team/locations/new' }, 'Add a location first'))
        : h('p', { class: 'muted' }, 'You don’t work at any location yet. Ask an owner to add you to one.'));
      return;
    }
    checks.replaceChildren(...locations.map((loc) => h('label', { class: 'check' },
      h('input', {
        type: 'checkbox',
        name: 'location',
        value: String(loc.id),
        checked: selected.includes(loc.id),
        disabled: !editable,
      }),
      h('span', { class: 'check-text' },
        h('span', { class: 'check-label' }, loc.name),
        h('span', { class: 'check-sub' }, `${loc.timezone} · ${loc.currency}`)))));
  }

  function updateLocationsField() {
    const owner = role.value === 'owner';
    show(checks, !owner);
    const visible = new Set(data.locations.map((l) => l.id));
    const hidden = target ? target.location_ids.filter((id) => !visible.has(id)).length : 0;
    let hint;
    if (owner) hint = 'Owners work at every location.';
    else if (!target) hint = 'Where they work. They see only these locations.';
    else hint = 'Where they work. They see only these locations. With none, they can sign in but see no location.';
    if (!owner && hidden > 0) {
      hint += ` They also work at ${hidden === 1 ? 'a location' : `${hidden} locations`} you can’t see; that stays as it is.`;
    }
    setText($('staff-locations-hint'), hint);
  }

  function renderHeader() {
    const avatar = $('staff-edit-avatar');
    if (!target) {
      show(avatar, false);
      setText($('staff-edit-title'), 'Add staff');
      setText($('staff-edit-sub'), 'They can sign in as soon as you save.');
      return;
    }
    show(avatar, true);
    setText(avatar, initials(target.name));
    avatar.className = `avatar avatar-tone-${Math.abs(Number(target.id) || 0) % AVATAR_TONES}`;
    setText($('staff-edit-title'), target.name);
    const parts = [target.email, ROLE_LABELS[target.role] || target.role];
    if (target.disabled) parts.push('Disabled');
    if (self()) parts.push('This is you');
    setText($('staff-edit-sub'), parts.join(' · '));
  }

  function renderAccess() {
    const manageable = Boolean(target) && editable && !self();
    show(access, Boolean(target));
    setFormError(accessError, '');
    show(accessDone, false);
    if (!target) return;
    const first = firstName(target.name);
    const status = $('staff-access-status');
    status.className = `status ${target.disabled ? 'status-disabled' : 'status-active'}`;
    setText(status, target.disabled ? 'Disabled' : 'Active');
    let text;
    if (self()) text = 'This is your account. You can’t disable it yourself.';
    else if (!manageable) text = target.disabled ? `${first} can’t sign in.` : `${first} can sign in.`;
    else if (target.disabled) text = `${first} can’t sign in. Enabling lets them sign in again with their password.`;
    else text = `${first} can sign in. Disabling signs them out everywhere at once.`;
    setText($('staff-access-text'), text);
    show($('staff-disable'), manageable && !target.disabled);
    show($('staff-enable'), manageable && target.disabled);
  }

  // Shows the form for `id`, or an empty one to add someone when id is null.
  function render(id) {
    target = id === null ? null : data.staff.find((s) => s.id === id) || null;
    editable = !target || canManage(me(), target);
    clearFormErrors(form);
    form.reset();
    form.classList.toggle('is-edit', Boolean(target));
    show(saved, false);

    renderHeader();
    name.value = target ? target.name : '';
    name.disabled = !editable;
    show($('member-email-field'), !target);
    email.value = '';
    fillRoles(target ? target.role : null);

    password.value = '';
    password.disabled = !editable;
    setText($('member-password-label'), target ? 'New password' : 'Password');
    show($('member-password-optional'), Boolean(target));
    let passwordHint = `At least ${PASSWORD_MIN_BYTES} characters.`;
    if (target && self()) passwordHint += ' Changing your own password signs you out everywhere, including here.';
    else if (target) passwordHint += ' Leave blank to keep the current one. A new password signs them out everywhere.';
    else passwordHint += ' Share it with them in person; they can change it later.';
    setText($('member-password-hint'), passwordHint);

    const selected = target
      ? target.location_ids
      : (data.locations.length === 1 ? [data.locations[0].id] : []);
    renderChecks(selected);
    updateRoleHint();

    show(note, !editable);
    setText(note, editable ? '' : 'Only an owner can change managers and owners.');
    // Someone the caller may only look at: no password box, nothing to save.
    show($('member-password-field'), editable);
    show($('staff-form-foot'), editable);
    setText(submit, target ? 'Save changes' : 'Add staff member');
    renderAccess();
  }

  function validate(body) {
    if (!body.name) setFieldError(form, 'name', 'Enter their name');
    if (!target) {
      if (!body.email) setFieldError(form, 'email', 'Enter the email they will sign in with');
      else if (!/^[^\s@]+@[^\s@]+$/.test(body.email)) setFieldError(form, 'email', 'Enter an email address such as ana@example.com');
      if (!body.password) setFieldError(form, 'password', 'Choose a password for them');
    }
    if (body.password && byteLength(body.password) < PASSWORD_MIN_BYTES) {
      setFieldError(form, 'password', `Use at least ${PASSWORD_MIN_BYTES} characters`);
    }
    // The server insists too: everyone but an owner works at given locations.
    if (!target && body.role !== 'owner' && (!body.location_ids || body.location_ids.length === 0)) {
      setFieldError(form, 'location_ids', 'Choose at least one location');
    }
    return !focusFirstInvalid(form);
  }

  function showServerError(err) {
    if (err.status === 401) return; // the sign-in screen takes over
    // A location that isn't visible comes back as location_ids.
    if (!setFieldError(form, err.field, err.message)) setFormError($('staff-form-error'), err.message);
    if (!focusFirstInvalid(form)) $('staff-form-error').scrollIntoView({ block: 'nearest' });
  }

  async function create() {
    const body = {
      name: name.value.trim(),
      email: email.value.trim(),
      role: role.value,
      password: password.value,
    };
    if (body.role !== 'owner') body.location_ids = checkedLocationIds();
    if (!validate(body)) return;
    let created;
    try {
      created = await busy(form, () => api.post('/staff', body));
    } catch (err) {
      showServerError(err);
      return;
    }
    form.reset();
    onCreated(created);
  }

  async function update() {
    const body = {};
    const newName = name.value.trim();
    if (newName !== target.name) body.name = newName;
    if (!role.disabled && role.value !== target.role) body.role = role.value;
    if (role.value !== 'owner') {
      const visible = new Set(data.locations.map((l) => l.id));
      const before = target.location_ids.filter((id) => visible.has(id));
      const after = checkedLocationIds();
      if (!sameSet(before, after)) body.location_ids = after;
    }
    if (password.value) body.password = password.value;
    if (!validate({ ...body, name: newName })) return;
    if (Object.keys(body).length === 0) {
      setText(saved, 'No changes to save.');
      show(saved, true);
      return;
    }
    const id = target.id;
    const wasSelf = self();
    let updated;
    try {
      updated = await busy(form, () => api.patch(`/staff/${id}`, body));
    } catch (err) {
      showServerError(err);
      return;
    }
    if (wasSelf && body.password) {
      onSignedOut('Your password was changed, which signed you out everywhere. Sign in with the new password.');
      return;
    }
    onUpdated(updated);
    if (!target || target.id !== id) return;
    render(id);
    setText(saved, 'Saved.');
    show(saved, true);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFormErrors(form);
    show(saved, false);
    if (!editable) return;
    if (target) update();
    else create();
  });

  role.addEventListener('change', updateRoleHint);

  async function setDisabled(disabled) {
    if (!target) return;
    const who = target;
    setFormError(accessError, '');
    if (disabled) {
      const ok = await confirmDialog({
        title: `Disable ${who.name}?`,
        text: 'Disabling signs them out everywhere at once, on every device. They can’t sign in again until someone enables the account.',
        ok: 'Disable account',
      });
      if (!ok || target !== who) return;
    }
    let updated;
    try {
      updated = await busy(access, () => api.patch(`/staff/${who.id}`, { disabled }));
    } catch (err) {
      if (err.status !== 401) setFormError(accessError, err.message);
      return;
    }
    onUpdated(updated);
    if (!target || target.id !== who.id) return;
    render(who.id);
    setText(accessDone, disabled
      ? `Done: ${updated.name} is disabled and has been signed out everywhere.`
      : `Done: ${updated.name} can sign in again.`);
    show(accessDone, true);
    (disabled ? $('staff-enable') : $('staff-disable')).focus();
  }

  $('staff-disable').addEventListener('click', () => setDisabled(true));
  $('staff-enable').addEventListener('click', () => setDisabled(false));

  return {
    render,
    get editingId() {
      return target ? target.id : null;
    },
  };
}
