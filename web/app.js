// Entry point of the staff UI: resumes or starts a session, then runs the
// counter view, the order board (where kitchen accounts land), the checks
// of the standards of care (everyone; audits, standards and compliance for
// some), the service-recovery cases and guest feedback (not for kitchen
// accounts), the regulars at risk (not for kitchen accounts), or "Team &
// locations" for owners and managers, whose day starts on their home page.
// Routes live in the URL fragment (#/guests/12, #/guests/12/order, #/new,
// #/board, #/orders/7, #/checks, #/standards/3, #/audits, #/cases/mine,
// #/feedback/inbox, #/at-risk, #/home, #/team/staff)
// so the back button and a reload keep the barista where they were. Signing
// in without one lands owners and managers on #/home, kitchen accounts on
// the board and everyone else at the counter.

import { api, onSessionLost, setCsrfToken } from './api.js';
import { $, busy, setFormError, setText, show } from './dom.js';
import { createSearch } from './search.js';
import { createCard } from './card.js';
import { createGuestForm } from './guest-form.js';
import { canManageTeam, createTeam } from './team.js';
import { createCases } from './cases.js';
import { createBoard } from './board.js';
import { createFeedback } from './feedback.js';
import { createOrderForm } from './order-form.js';
import { createStandards, isStandardsRoute, kitchenMayOpen } from './standards.js';
import { createHome } from './home.js';
import { createAtRisk } from './at-risk.js';
import { canSeeRisk, manages } from './risk-words.js';
import { ROLE_LABELS } from './staff-form.js';

const NARROW = window.matchMedia('(max-width: 760px)');
const ALERTS_LIMIT = 100;
const ALERTS_REFRESH_MS = 15_000; // route changes refresh the count at most this often
const ALERTS_POLL_MS = 60_000; // and it refreshes on its own this often
const LOCATION_KEY = 'maitred.location'; // the counter's location, as card.js keeps it

const state = {
  staff: null,
  locations: [],
  prefill: '', // what was typed in search when "create one?" was chosen
  placed: null, // the order just placed from the counter, to confirm on the card
  orderFromCard: null, // the guest whose card opened the order form
  routed: 0, // how many times route() ran: a later route() must not redo a newer one
};

const workspace = $('workspace');
const detailEmpty = $('detail-empty');
const teamLink = $('team-link');
const counterLink = $('counter-link');
const casesLink = $('cases-link');
const boardLink = $('board-link');
const feedbackLink = $('feedback-link');
const checksLink = $('checks-link');
const riskLink = $('risk-link');
const brandLink = $('brand-link');

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
  onNewOrder: (guestId) => {
    state.orderFromCard = guestId;
    navigate(`#/guests/${guestId}/order`);
  },
});

// Leaving the order form returns to the card: a step back when the card
// opened it, so the back button doesn't lead into the form again.
function backToCard(guestId) {
  if (guestId && state.orderFromCard === guestId && location.hash === `#/guests/${guestId}/order`) {
    history.back();
  } else {
    navigate(guestId ? `#/guests/${guestId}` : '#/', { replace: true });
  }
}

const orderForm = createOrderForm({
  getLocations: () => state.locations,
  onPlaced: (order, guestId) => {
    state.placed = order;
    backToCard(guestId);
  },
  onBack: backToCard,
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
    board.refreshLocations();
    standards.refreshLocations();
    home.refreshLocations();
    atRisk.refreshLocations();
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

const cases = createCases({
  getMe: () => state.staff,
  getLocations: () => state.locations,
  getLocationId: () => currentLocationId(),
  navigate: (hash, opts) => navigate(hash, opts),
  onChanged: () => refreshAlerts({ force: true }),
});

const feedback = createFeedback({
  getMe: () => state.staff,
  getLocations: () => state.locations,
  getLocationId: () => currentLocationId(),
  navigate: (hash, opts) => navigate(hash, opts),
});

const board = createBoard({
  getMe: () => state.staff,
  getLocations: () => state.locations,
  onAlertsChanged: () => refreshAlerts({ force: true }),
});

const standards = createStandards({
  getMe: () => state.staff,
  getLocations: () => state.locations,
  navigate: (hash, opts) => navigate(hash, opts),
  onAlertsChanged: () => refreshAlerts({ force: true }),
  // The overdue grace is a location setting: keep the known location current.
  onLocation: (loc) => {
    const i = state.locations.findIndex((l) => l.id === loc.id);
    if (i >= 0) state.locations[i] = loc;
  },
});

const home = createHome({ getLocations: () => state.locations });

const atRisk = createAtRisk({
  getMe: () => state.staff,
  getLocations: () => state.locations,
});

// The location this device works at: the one chosen for visits on the card,
// else the only or first one.
function currentLocationId() {
  const saved = Number(localStorage.getItem(LOCATION_KEY));
  if (state.locations.some((l) => l.id === saved)) return saved;
  return state.locations.length ? state.locations[0].id : null;
}

function canSeeCases(staff) {
  return Boolean(staff) && staff.role !== 'kitchen';
}

function isKitchen(staff) {
  return Boolean(staff) && staff.role === 'kitchen';
}

// ---- open alerts: the counts on the Cases and Board links ----

let alertsAt = 0;
let alertsController = null;

async function refreshAlerts({ force = false } = {}) {
  if (!canSeeCases(state.staff)) return;
  if (!force && Date.now() - alertsAt < ALERTS_REFRESH_MS) return;
  alertsAt = Date.now();
  if (alertsController) alertsController.abort();
  const mine = new AbortController();
  alertsController = mine;
  try {
    const res = await api.get('/alerts', { query: { limit: ALERTS_LIMIT }, signal: mine.signal });
    if (alertsController !== mine) return;
    const items = res && Array.isArray(res.items) ? res.items : [];
    const overdue = items.filter((a) => a.kind === 'case_overdue').length;
    const late = items.filter((a) => a.kind === 'order_late').length;
    const checks = items.filter((a) => a.kind === 'check_overdue' || a.kind === 'deal_breaker').length;
    showAlertCount(overdue, Boolean(res && res.next));
    showLateCount(late, Boolean(res && res.next));
    showChecksCount(checks, Boolean(res && res.next));
    cases.setOverdueCount(overdue);
  } catch {
    // The count is a convenience: the queue itself shows what is due.
  } finally {
    if (alertsController === mine) alertsController = null;
  }
}

setInterval(() => {
  if (state.staff && document.visibilityState === 'visible') refreshAlerts({ force: true });
}, ALERTS_POLL_MS);

function showAlertCount(n, more) {
  const badge = $('cases-badge');
  setText(badge, n > 0 ? `${n}${more ? '+' : ''}` : '');
  show(badge, n > 0);
  casesLink.setAttribute('aria-label', n > 0 ? `Cases, ${n}${more ? ' or more' : ''} overdue` : 'Cases');
}

function showLateCount(n, more) {
  const badge = $('board-badge');
  setText(badge, n > 0 ? `${n}${more ? '+' : ''}` : '');
  show(badge, n > 0);
  boardLink.setAttribute('aria-label', n > 0 ? `Board, ${n}${more ? ' or more' : ''} late` : 'Board');
}

function showChecksCount(n, more) {
  const badge = $('checks-badge');
  setText(badge, n > 0 ? `${n}${more ? '+' : ''}` : '');
  show(badge, n > 0);
  checksLink.setAttribute('aria-label', n > 0 ? `Checks, ${n}${more ? ' or more' : ''} need attention` : 'Checks');
}

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

// The top bar offers the other areas: the counter from elsewhere (not to
// the kitchen), the board and the checks to everyone, cases to everyone but
// the kitchen, and "Team & locations" to owners and managers.
function showArea(area) {
  const atCounter = area === 'counter';
  show(workspace, atCounter);
  show(counterLink, !atCounter && !isKitchen(state.staff));
  show(boardLink, true);
  show(checksLink, true);
  show(teamLink, canManageTeam(state.staff));
  show(casesLink, canSeeCases(state.staff));
  show(feedbackLink, canSeeCases(state.staff));
  show(riskLink, canSeeRisk(state.staff));
  for (const [link, name] of [[teamLink, 'team'], [casesLink, 'cases'], [feedbackLink, 'feedback'],
    [boardLink, 'board'], [checksLink, 'checks'], [riskLink, 'risk'], [brandLink, 'home']]) {
    if (area === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  show($('topbar-new-guest'), atCounter);
}

function isBoardRoute(hash) {
  if (hash === '#/board' || /^#\/orders\/\d+$/.test(hash)) return true;
  // Kitchen accounts land on the board.
  return isKitchen(state.staff) && (hash === '' || hash === '#' || hash === '#/');
}

function route() {
  if (!state.staff) return;
  state.routed++;
  const kitchen = isKitchen(state.staff);
  const hash = location.hash;
  const onBoard = isBoardRoute(hash);
  const onStandards = isStandardsRoute(hash) && (!kitchen || kitchenMayOpen(hash));
  const onHome = hash === '#/home';
  const onRisk = hash === '#/at-risk';
  if (!onHome) home.close();
  if (!onRisk) atRisk.close();
  // Kitchen accounts don't see guests, cases or the team: anything but the
  // board and the checks says so.
  show($('kitchen-view'), kitchen && !onBoard && !onStandards);
  if (onStandards) {
    card.close();
    guestForm.close();
    orderForm.close();
    team.close();
    cases.close();
    feedback.close();
    board.close();
    showArea('checks');
    standards.open(hash);
    refreshAlerts();
    return;
  }
  standards.close();
  if (onBoard || kitchen) {
    card.close();
    guestForm.close();
    orderForm.close();
    team.close();
    cases.close();
    feedback.close();
    showArea(onBoard ? 'board' : 'kitchen');
    if (onBoard) board.open(hash);
    else board.close();
    refreshAlerts();
    return;
  }
  board.close();
  refreshAlerts();
  if (onHome || onRisk) {
    // Home is for owners and managers; hosts have the counter.
    if (onHome && !manages(state.staff)) {
      history.replaceState(null, '', '#/');
      route();
      return;
    }
    card.close();
    guestForm.close();
    orderForm.close();
    team.close();
    cases.close();
    feedback.close();
    showArea(onHome ? 'home' : 'risk');
    if (onHome) home.open();
    else atRisk.open();
    return;
  }
  if (hash.startsWith('#/cases')) {
    card.close();
    guestForm.close();
    orderForm.close();
    team.close();
    feedback.close();
    showArea('cases');
    cases.open(hash);
    return;
  }
  cases.close();
  if (hash === '#/feedback' || hash.startsWith('#/feedback/')) {
    card.close();
    guestForm.close();
    orderForm.close();
    team.close();
    showArea('feedback');
    feedback.open(hash);
    return;
  }
  feedback.close();
  if (hash.startsWith('#/team')) {
    if (!canManageTeam(state.staff)) {
      history.replaceState(null, '', location.pathname + location.search);
      route();
      return;
    }
    card.close();
    guestForm.close();
    orderForm.close();
    showArea('team');
    team.open(hash);
    return;
  }
  team.close();
  showArea('counter');
  const guestMatch = /^#\/guests\/(\d+)$/.exec(hash);
  const orderMatch = /^#\/guests\/(\d+)\/order$/.exec(hash);
  if (guestMatch) {
    const id = Number(guestMatch[1]);
    guestForm.close();
    orderForm.close();
    show(detailEmpty, false);
    workspace.dataset.pane = 'detail';
    search.markOpen(id);
    card.open(id);
    if (state.placed && state.placed.guest && state.placed.guest.id === id) card.orderPlaced(state.placed);
    state.placed = null;
    state.orderFromCard = null;
  } else if (orderMatch) {
    const id = Number(orderMatch[1]);
    card.close();
    guestForm.close();
    show(detailEmpty, false);
    workspace.dataset.pane = 'detail';
    search.markOpen(id);
    orderForm.open(id);
  } else if (hash === '#/new') {
    card.close();
    orderForm.close();
    show(detailEmpty, false);
    workspace.dataset.pane = 'detail';
    search.markOpen(null);
    guestForm.open(state.prefill);
    state.prefill = '';
  } else {
    card.close();
    guestForm.close();
    orderForm.close();
    show(detailEmpty, true);
    workspace.dataset.pane = 'search';
    search.markOpen(null);
    search.focus();
  }
}

// The counter's search is "#/": a bare address is where each role lands.
function goToSearch() {
  if (location.hash !== '#/') {
    history.pushState(null, '', `${location.pathname}${location.search}#/`);
  }
  route();
}

// Where signing in leads when the address names no page.
function landingHash(staff) {
  return manages(staff) ? '#/home' : '';
}

// ---- session ----

function showLogin(message) {
  state.staff = null;
  setCsrfToken(null);
  team.reset();
  cases.reset();
  feedback.reset();
  board.reset();
  standards.reset();
  home.reset();
  atRisk.reset();
  card.close();
  showAlertCount(0, false);
  showLateCount(0, false);
  showChecksCount(0, false);
  alertsAt = 0;
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
  show(casesLink, canSeeCases(session.staff));
  show(feedbackLink, canSeeCases(session.staff));
  show(riskLink, canSeeRisk(session.staff));
  brandLink.setAttribute('href', manages(session.staff) ? '#/home' : isKitchen(session.staff) ? '#/board' : '#/');
  const landing = landingHash(session.staff);
  if (landing && (location.hash === '' || location.hash === '#')) {
    history.replaceState(null, '', `${location.pathname}${location.search}${landing}`);
  }
  show(boardLink, true);
  show(checksLink, true);
  show($('boot'), false);
  show($('login-view'), false);
  show($('counter-view'), true);
  if (!location.hash.startsWith('#/')) search.focus(); // before anything slower
  const routed = state.routed;
  try {
    const res = await api.get('/locations');
    state.locations = res && Array.isArray(res.items) ? res.items : [];
  } catch {
    state.locations = [];
  }
  card.refreshLocations();
  board.refreshLocations();
  standards.refreshLocations();
  home.refreshLocations();
  atRisk.refreshLocations();
  // Show where the URL points, unless the user has moved on meanwhile (a
  // second pass over "#/new" would empty the form they are filling in).
  if (state.routed === routed) route();
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
  orderForm.close();
  orderForm.clear();
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
  if (!state.staff || isKitchen(state.staff) || document.querySelector('dialog[open]')) return;
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
