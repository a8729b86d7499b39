// "Team & locations", for owners and managers: who can sign in, with which
// role and where, and the business's locations. Routes:
//   #/team/staff            the staff list
//   #/team/staff/new        add a staff member
//   #/team/staff/12         one staff member: details and access
//   #/team/locations        the locations
//   #/team/locations/new    the locations, with the owner's "new location" form
//   #/team/talking-points   the conversation starters (talking-points.js)
// The lists are small and unpaged, so each visit reloads them whole.

import { api, isAbort } from './api.js';
import { $, h, setText, show } from './dom.js';
import {
  clockNow, currencyName, currencySymbol, dateOnly, initials, plural, zoneOffset,
} from './format.js';
import { canManage, createStaffForm, ROLE_LABELS } from './staff-form.js';
import { createLocationForm } from './location-form.js';
import { createTalkingPoints } from './talking-points.js';

const AVATAR_TONES = 6;

export function canManageTeam(staff) {
  return Boolean(staff) && (staff.role === 'owner' || staff.role === 'manager');
}

function parse(hash) {
  const m = /^#\/team\/staff\/(\d+)$/.exec(hash);
  if (m) return { name: 'staff-form', id: Number(m[1]) };
  switch (hash) {
    case '#/team/staff': return { name: 'staff' };
    case '#/team/staff/new': return { name: 'staff-form', id: null };
    case '#/team/locations': return { name: 'locations', adding: false };
    case '#/team/locations/new': return { name: 'locations', adding: true };
    case '#/team/talking-points': return { name: 'talking-points' };
    default: return null;
  }
}

function sameView(a, b) {
  return Boolean(a && b) && a.name === b.name && a.id === b.id && a.adding === b.adding;
}

export function createTeam({ getMe, navigate, onLocations, onMeChanged, onSignedOut }) {
  const root = $('team-view');
  const loading = $('team-loading');
  const failed = $('team-failed');
  const notice = $('team-notice');
  const sections = {
    staff: $('staff-list-view'),
    'staff-form': $('staff-edit-view'),
    locations: $('locations-view'),
    'talking-points': $('talking-points-view'),
  };

  const data = { staff: [], locations: [], loaded: false };
  let view = null;
  let controller = null;
  let flash = ''; // a message for the next view, e.g. after adding someone

  const staffForm = createStaffForm({
    data,
    getMe,
    onCreated(staff) {
      data.staff.push(staff);
      sortStaff();
      flash = `${staff.name} can now sign in as ${staff.email}.`;
      navigate('#/team/staff');
    },
    onUpdated(staff) {
      const i = data.staff.findIndex((s) => s.id === staff.id);
      if (i >= 0) data.staff[i] = staff;
      else data.staff.push(staff);
      sortStaff();
      if (getMe() && staff.id === getMe().id) onMeChanged(staff);
    },
    onSignedOut,
  });

  const talkingPoints = createTalkingPoints();

  const locationForm = createLocationForm({
    onCreated(loc) {
      data.locations.push(loc);
      data.locations.sort((a, b) => a.id - b.id);
      onLocations(data.locations);
      flash = `${loc.name} is added. Add staff to it from the Staff tab.`;
      navigate('#/team/locations');
    },
  });

  function sortStaff() {
    data.staff.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  }

  function showNotice(text) {
    setText($('team-notice-text'), text || '');
    show(notice, Boolean(text));
  }

  // ---- loading ----

  async function load() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    show(failed, false);
    show(loading, !data.loaded);
    try {
      const [staff, locations] = await Promise.all([
        api.get('/staff', { signal: mine.signal }),
        api.get('/locations', { signal: mine.signal }),
      ]);
      if (controller !== mine) return false;
      data.staff = staff && Array.isArray(staff.items) ? staff.items : [];
      data.locations = locations && Array.isArray(locations.items) ? locations.items : [];
      data.loaded = true;
      sortStaff();
      onLocations(data.locations);
      return true;
    } catch (err) {
      if (isAbort(err) || controller !== mine) return false;
      if (err.status === 401) return false; // the sign-in screen takes over
      if (!data.loaded) {
        setText($('team-failed-text'), `Couldn’t load the team: ${err.message}`);
        show(failed, true);
      }
      return false;
    } finally {
      if (controller === mine) {
        controller = null;
        show(loading, false);
      }
    }
  }

  // ---- staff list ----

  function locationSummary(staff) {
    if (staff.role === 'owner') return h('span', { class: 'muted' }, 'All locations');
    const byId = new Map(data.locations.map((l) => [l.id, l]));
    const names = staff.location_ids.filter((id) => byId.has(id)).map((id) => byId.get(id).name);
    const hidden = staff.location_ids.length - names.length;
    if (names.length === 0 && hidden === 0) return h('span', { class: 'muted' }, 'None');
    return [
      names.join(', '),
      hidden > 0 ? h('span', { class: 'muted' }, `${names.length ? ' ' : ''}+${hidden} other${hidden === 1 ? '' : 's'}`) : null,
    ];
  }

  function statusPill(disabled) {
    return h('span', { class: `status ${disabled ? 'status-disabled' : 'status-active'}` },
      disabled ? 'Disabled' : 'Active');
  }

  function staffRow(staff, me) {
    const isMe = me && staff.id === me.id;
    const verb = canManage(me, staff) ? 'Edit' : 'View';
    return h('tr', { id: `staff-row-${staff.id}`, class: staff.disabled ? 'is-disabled' : null },
      h('td', { class: 'cell-person', 'data-label': 'Name' },
        h('div', { class: 'person' },
          h('span', {
            class: `avatar avatar-sm avatar-tone-${Math.abs(Number(staff.id) || 0) % AVATAR_TONES}`,
            'aria-hidden': 'true',
          }, initials(staff.name)),
          h('div', { class: 'person-text' },
            h('span', { class: 'person-name' }, staff.name,
              isMe ? h('span', { class: 'tag' }, 'You') : null),
            h('span', { class: 'person-email' }, staff.email)))),
      h('td', { 'data-label': 'Role' },
        h('span', { class: `role role-${staff.role}` }, ROLE_LABELS[staff.role] || staff.role)),
      h('td', { class: 'cell-locations', 'data-label': 'Locations' }, locationSummary(staff)),
      h('td', { 'data-label': 'Status' }, statusPill(staff.disabled)),
      h('td', { class: 'cell-action' },
        h('a', {
          href: `#/team/staff/${staff.id}`,
          class: 'btn btn-small btn-secondary',
          'aria-label': `${verb} ${staff.name}`,
        }, verb)));
  }

  function renderStaffList() {
    const me = getMe();
    $('staff-rows').replaceChildren(...data.staff.map((s) => staffRow(s, me)));
    show($('staff-table'), data.staff.length > 0);
    const others = data.staff.filter((s) => !me || s.id !== me.id);
    show($('staff-empty'), others.length === 0);
    setText($('staff-empty-text'), me && me.role === 'owner'
      ? 'Add hosts, kitchen staff and managers, so everyone signs in with their own account and the timeline shows who did what.'
      : 'Add the hosts and kitchen staff at your locations, so everyone signs in with their own account.');
    const disabled = data.staff.filter((s) => s.disabled).length;
    const active = data.staff.length - disabled;
    setText($('staff-list-sub'), [
      plural(active, 'active account'),
      disabled ? `${disabled} disabled` : null,
      me && me.role === 'manager' ? 'at your locations' : null,
    ].filter(Boolean).join(' · '));
  }

  // ---- locations ----

  function renderLocations() {
    const me = getMe();
    const owner = Boolean(me) && me.role === 'owner';
    show($('location-add-link'), owner && !view.adding);
    setText($('locations-sub'), owner
      ? 'Each location has its own time zone and currency: visit times and money there use them.'
      : 'The locations you work at. Only an owner can add locations.');

    const list = $('location-list');
    list.replaceChildren(...data.locations.map((loc) => {
      const staffCount = data.staff.filter((s) => s.role !== 'owner' && s.location_ids.includes(loc.id)
        && !s.disabled).length;
      const time = clockNow(loc.timezone);
      const offset = zoneOffset(loc.timezone);
      return h('li', { class: 'location', id: `location-${loc.id}` },
        h('h3', { class: 'location-name' }, loc.name),
        h('dl', { class: 'location-facts' },
          h('div', { class: 'fact' },
            h('dt', null, 'Time zone'),
            h('dd', null, loc.timezone,
              time ? h('span', { class: 'fact-sub' }, `${time} now${offset ? ` · ${offset}` : ''}`) : null)),
          h('div', { class: 'fact' },
            h('dt', null, 'Currency'),
            h('dd', null, loc.currency,
              h('span', { class: 'fact-sub' },
                [currencyName(loc.currency), currencySymbol(loc.currency)].filter(Boolean).join(' · ')))),
          h('div', { class: 'fact' },
            h('dt', null, 'Staff'),
            h('dd', null, plural(staffCount, 'person', 'people'),
              h('span', { class: 'fact-sub' }, `Added ${dateOnly(loc.created_at, loc.timezone)}`)))));
    }));
    show(list, data.locations.length > 0);
    show($('locations-empty'), data.locations.length === 0);
    setText($('locations-empty-text'), owner
      ? 'Add the first one: its time zone and currency are used for every visit recorded there.'
      : 'You aren’t assigned to a location yet. Ask an owner or manager to add you to one.');
  }

  // ---- views ----

  function renderTabs() {
    const tab = view.name === 'locations' || view.name === 'talking-points' ? view.name : 'staff';
    for (const a of root.querySelectorAll('.tab')) {
      if (a.dataset.tab === tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    setText($('staff-count'), data.loaded ? String(data.staff.length) : '');
    setText($('locations-count'), data.loaded ? String(data.locations.length) : '');
  }

  function renderStaffForm() {
    const status = $('staff-edit-status');
    const body = $('staff-edit-body');
    if (!data.loaded) {
      show(body, false);
      show(status, false);
      return false;
    }
    if (view.id !== null && !data.staff.some((s) => s.id === view.id)) {
      show(body, false);
      setText(status, 'There is no such staff member, or they don’t work at any of your locations.');
      show(status, true);
      return false;
    }
    show(status, false);
    show(body, true);
    staffForm.render(view.id);
    return true;
  }

  // Draws the current view from `data`. `fresh` is true when the view was
  // just entered, so a form may be reset and focus moved.
  function render(fresh) {
    renderTabs();
    for (const [name, el] of Object.entries(sections)) show(el, data.loaded && name === view.name);
    if (!data.loaded) return;
    if (view.name === 'staff') {
      renderStaffList();
      if (fresh) $('staff-list-title').focus({ preventScroll: true });
    } else if (view.name === 'talking-points') {
      talkingPoints.open(fresh);
      if (fresh) $('tpe-title').focus({ preventScroll: true });
    } else if (view.name === 'staff-form') {
      // A form being filled in is not redrawn under the user's fingers.
      if (!fresh && staffForm.editingId === view.id && $('staff-edit-body').hidden === false) return;
      if (renderStaffForm() && fresh) {
        if (view.id === null) $('member-name').focus({ preventScroll: true });
        else $('staff-edit-title').focus({ preventScroll: true });
      }
    } else {
      const owner = getMe() && getMe().role === 'owner';
      const adding = view.adding && owner;
      const formWasOpen = !$('location-form').hidden;
      show($('location-form'), adding);
      renderLocations();
      if (adding && (fresh || !formWasOpen)) locationForm.open();
      else if (fresh) $('locations-title').focus({ preventScroll: true });
    }
  }

  async function open(hash) {
    const next = parse(hash);
    if (!next) {
      navigate('#/team/staff', { replace: true });
      return;
    }
    const entering = root.hidden;
    const fresh = !sameView(view, next) || entering;
    view = next;
    show(root, true);
    if (fresh) {
      root.scrollTop = 0;
      window.scrollTo(0, 0);
    }
    showNotice(flash);
    flash = '';
    const wasLoaded = data.loaded;
    render(fresh);
    if (entering && !wasLoaded) $('team-title').focus({ preventScroll: true });
    const current = view;
    if (await load()) {
      if (view !== current || root.hidden) return;
      render(!wasLoaded);
    }
  }

  $('team-retry').addEventListener('click', () => {
    if (view) open(location.hash);
  });

  return {
    open,
    close() {
      if (controller) controller.abort();
      controller = null;
      talkingPoints.close();
      show(root, false);
      showNotice('');
    },
    // Forgets everything: called when someone signs out.
    reset() {
      if (controller) controller.abort();
      controller = null;
      data.staff = [];
      data.locations = [];
      data.loaded = false;
      view = null;
      flash = '';
      talkingPoints.reset();
      show(root, false);
    },
  };
}
