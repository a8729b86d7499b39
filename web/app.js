// Entry point of the staff UI: resumes or starts a session, then runs the
// counter view, or "Team & locations" for owners and managers. Routes live in
// the URL fragment (#/guests/12, #/new, #/team/staff) so the back button and
// a reload keep the barista where they were.

import { api, onSessionLost, setCsrfToken } from './api.js';
import { $, busy, setFormError, setText, show } from './dom.js';
import { createSearch } from './search.js';
import { createCard } from './card.js';
import { createGuestForm } from './guest-form.js';
import { canManageTeam, createTeam } from './team.js';
import { ROLE_LABELS } from './staff-form.js';

const NARROW = window.matchMedia('(max-width: 760px)');

const state = {
  staff: null,
  locations: [],
  prefill: '', // what was typed in search when "create one?" was chosen
};

const workspace = $('workspace');
const detailEmpty = $('detail-empty');
const teamLink = $('team-link');
const counterLink = $('counter-link');

const search = createSearch({
  onOpen: (guest) => navigate(`#/guests/${guest.id}`),
  onCreate: (query) => {
    state.prefill = query;
    navigate('#/new');
  },
});

const card = createCard({
  getLocations: () => state.locations,
  onVisitRecorded: () => search.refresh(),
  canManage: () => canManageTeam(state.staff),
  // The duplicate is gone: refresh the results and show the guest kept.
  onMerged: (survivor) => {
    search.refresh();
    navigate(`#/guests/${survivor.id}`, { replace: true });
  },
});

const guestForm = createGuestForm({
  onCreated: (guest) => {
    search.clear();
    navigate(`#/guests/${guest.id}`, { replace: true });
  },
});

const team = createTeam({
  getMe: () => state.staff,
  navigate: (hash, opts) => navigate(hash, opts),
  onLocations: (locations) => {
    state.locations = locations;
    card.refreshLocations();
  },
  onMeChanged: (staff) => {
    state.staff = staff;
    showWhoami(staff);
  },
  onSignedOut: (message) => {
    $('login-email').value = state.staff ? state.staff.email : '';
    signedOut(message);
  },
});

function navigate(hash, { replace = false } = {}) {
  if (location.hash === hash) {
    route();
  } else if (replace) {
    history.replaceState(null, '', hash);
    route();
  } else {
    location.hash = hash;
  }
}

// The top bar offers the other area: the counter from "Team & locations",
// and "Team & locations" (to owners and managers) from the counter.
function showArea(area) {
  const inTeam = area === 'team';
  show(workspace, !inTeam);
  show(counterLink, inTeam);
  show(teamLink, canManageTeam(state.staff));
  if (inTeam) teamLink.setAttribute('aria-current', 'page');
  else teamLink.removeAttribute('aria-current');
  show($('topbar-new-guest'), !inTeam);
}

function route() {
  if (!state.staff) return;
  const kitchen = state.staff.role === 'kitchen';
  show($('kitchen-view'), kitchen);
  if (kitchen) {
    show(workspace, false);
    show($('topbar-new-guest'), false);
    return;
  }
  const hash = location.hash;
  if (hash.startsWith('#/team')) {
    if (!canManageTeam(state.staff)) {
      history.replaceState(null, '', location.pathname + location.search);
      route();
      return;
    }
    card.close();
    guestForm.close();
    showArea('team');
    team.open(hash);
    return;
  }
  team.close();
  showArea('counter');
  const guestMatch = /^#\/guests\/(\d+)$/.exec(hash);
  if (guestMatch) {
    const id = Number(guestMatch[1]);
    guestForm.close();
    show(detailEmpty, false);
    workspace.dataset.pane = 'detail';
    search.markOpen(id);
    card.open(id);
  } else if (hash === '#/new') {
    card.close();
    show(detailEmpty, false);
    workspace.dataset.pane = 'detail';
    search.markOpen(null);
    guestForm.open(state.prefill);
    state.prefill = '';
  } else {
    card.close();
    guestForm.close();
    show(detailEmpty, true);
    workspace.dataset.pane = 'search';
    search.markOpen(null);
    search.focus();
  }
}

function goToSearch() {
  if (location.hash) {
    history.pushState(null, '', location.pathname + location.search);
  }
  route();
}

// ---- session ----

function showLogin(message) {
  state.staff = null;
  setCsrfToken(null);
  team.reset();
  show($('boot'), false);
  show($('counter-view'), false);
  show($('login-view'), true);
  const notice = $('login-notice');
  setText(notice, message || '');
  show(notice, Boolean(message));
  const email = $('login-email');
  (email.value ? $('login-password') : email).focus();
}

function showWhoami(staff) {
  setText($('staff-name'), staff.name);
  setText($('staff-role'), ROLE_LABELS[staff.role] || staff.role);
}

async function startSession(session) {
  state.staff = session.staff;
  setCsrfToken(session.csrf_token);
  showWhoami(session.staff);
  show(teamLink, canManageTeam(session.staff));
  show($('boot'), false);
  show($('login-view'), false);
  show($('counter-view'), true);
  if (!location.hash.startsWith('#/')) search.focus(); // before anything slower
  try {
    const res = await api.get('/locations');
    state.locations = res && Array.isArray(res.items) ? res.items : [];
  } catch {
    state.locations = [];
  }
  card.refreshLocations();
  route();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const email = $('login-email').value.trim();
  const password = $('login-password').value;
  const error = $('login-error');
  setFormError(error, '');
  show($('login-notice'), false);
  if (!email || !password) {
    setFormError(error, 'Enter your email and password.');
    (email ? $('login-password') : $('login-email')).focus();
    return;
  }
  try {
    const session = await busy(form, () => api.post('/session', { email, password }));
    $('login-password').value = '';
    await startSession(session);
  } catch (err) {
    setFormError(error, err.message);
    $('login-password').value = '';
    $('login-password').focus();
  }
});

$('logout-btn').addEventListener('click', async () => {
  const button = $('logout-btn');
  button.disabled = true;
  try {
    await api.del('/session');
  } catch (err) {
    // 401 means the session was already gone: signing out succeeded anyway.
    if (err.status !== 401) {
      button.disabled = false;
      window.alert(`Couldn’t sign out: ${err.message}`);
      return;
    }
  }
  button.disabled = false;
  $('login-email').value = '';
  signedOut('You have signed out.');
});

// Clears what the last person saw, then asks for a sign-in.
function signedOut(message) {
  search.clear();
  card.close();
  guestForm.close();
  state.locations = [];
  history.replaceState(null, '', location.pathname + location.search);
  showLogin(message);
}

onSessionLost(() => {
  if (state.staff) showLogin('Your session has ended. Please sign in again.');
});

// ---- global wiring ----

for (const el of document.querySelectorAll('[data-action="new-guest"]')) {
  el.addEventListener('click', () => {
    state.prefill = '';
    navigate('#/new');
  });
}
for (const el of document.querySelectorAll('[data-action="back"]')) {
  el.addEventListener('click', goToSearch);
}
for (const el of document.querySelectorAll('[data-action="next-guest"]')) {
  el.addEventListener('click', () => {
    search.clear();
    goToSearch();
  });
}

window.addEventListener('hashchange', route);

// "/" jumps to the search box from anywhere that isn't a text field.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement
      || t instanceof HTMLSelectElement || (t instanceof HTMLElement && t.isContentEditable)) return;
  if (!state.staff || document.querySelector('dialog[open]')) return;
  event.preventDefault();
  if (workspace.hidden || (NARROW.matches && workspace.dataset.pane !== 'search')) goToSearch();
  else search.focus();
});

async function boot() {
  try {
    const session = await api.get('/session');
    await startSession(session);
  } catch (err) {
    showLogin(err.status === 401 ? '' : err.message);
  }
}

boot();
