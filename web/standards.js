// Standards of care: the area behind "Checks" in the top bar. Routes:
//   #/checks             what is due now (everyone; checklist.js)
//   #/checks/41          one check (where deal-breaker alerts link)
//   #/standards          the standards editor (owners, managers)
//   #/standards/hours    opening hours and the overdue grace (owners, managers)
//   #/standards/3        one standard (where overdue-check alerts link)
//   #/audits, #/audits/new, #/audits/5   audits (not the kitchen; audits.js)
//   #/compliance         compliance over time (owners, managers)
// The lists work at one location: the device's (shared with the counter
// and the board), with a picker for staff at more than one.

import { $, h, setText, show } from './dom.js';
import { createChecklist } from './checklist.js';
import { createStandardsEditor } from './standards-editor.js';
import { createHoursForm } from './hours-form.js';
import { createCheckPage, createStandardPage } from './standard-page.js';
import { createAudits } from './audits.js';
import { createCompliance } from './compliance.js';

const LOCATION_KEY = 'maitred.location'; // shared with the card and the board
const NOTICE_MS = 5000;

const TITLES = {
  checks: 'Due now',
  standards: 'Standards',
  hours: 'Opening hours',
  audits: 'Audits',
  'audit-new': 'New routine audit',
  compliance: 'Compliance',
  standard: 'Standard',
  check: 'Check',
  audit: 'Audit',
};

const SUBTITLES = {
  checks: 'Tap Pass when it’s right. Fail asks what’s wrong.',
  standards: '',
  hours: 'Checks come due only while you’re open.',
  audits: '',
  'audit-new': '',
  compliance: 'How well the standards are kept, and what guests say about the same places.',
};

// Which tab each view sits under.
const TAB_OF = {
  checks: 'checks', check: 'checks', standards: 'standards', standard: 'standards', hours: 'hours',
  audits: 'audits', 'audit-new': 'audits', audit: 'audits', compliance: 'compliance',
};

export function isStandardsRoute(hash) {
  return /^#\/(checks|standards|audits|compliance)(\/|$)/.test(hash);
}

// The routes kitchen accounts may use: the checklist and what it links to.
export function kitchenMayOpen(hash) {
  return hash === '#/checks' || /^#\/checks\/\d+$/.test(hash) || /^#\/standards\/\d+$/.test(hash);
}

function parse(hash) {
  let m = /^#\/checks\/(\d+)$/.exec(hash);
  if (m) return { name: 'check', id: Number(m[1]) };
  m = /^#\/standards\/(\d+)$/.exec(hash);
  if (m) return { name: 'standard', id: Number(m[1]) };
  m = /^#\/audits\/(\d+)$/.exec(hash);
  if (m) return { name: 'audit', id: Number(m[1]) };
  switch (hash) {
    case '#/checks': return { name: 'checks' };
    case '#/standards': return { name: 'standards' };
    case '#/standards/hours': return { name: 'hours' };
    case '#/audits': return { name: 'audits' };
    case '#/audits/new': return { name: 'audit-new' };
    case '#/compliance': return { name: 'compliance' };
    default: return null;
  }
}

function manages(staff) {
  return Boolean(staff) && (staff.role === 'owner' || staff.role === 'manager');
}

function allowed(name, staff) {
  if (!staff) return false;
  if (['standards', 'hours', 'compliance'].includes(name)) return manages(staff);
  if (['audits', 'audit-new', 'audit'].includes(name)) return staff.role !== 'kitchen';
  return true;
}

export function createStandards({ getMe, getLocations, navigate, onLocation, onAlertsChanged }) {
  const root = $('standards-view');
  const title = $('standards-title');
  const sub = $('standards-sub');
  const notice = $('std-notice');
  const locationField = $('std-location-field');
  const locationSelect = $('std-location');
  const sections = {
    checks: $('std-checks'),
    standards: $('std-standards'),
    hours: $('std-hours'),
    standard: $('std-standard'),
    check: $('std-check'),
    audits: $('std-audits'),
    'audit-new': $('std-audit-new'),
    audit: $('std-audit'),
    compliance: $('std-compliance'),
  };

  let view = null;
  let noticeTimer = null;

  function timeZoneOf(id) {
    const loc = getLocations().find((l) => l.id === id);
    return loc ? loc.timezone : undefined;
  }

  function locationId() {
    const locations = getLocations();
    const saved = Number(localStorage.getItem(LOCATION_KEY));
    if (locations.some((l) => l.id === saved)) return saved;
    return locations.length ? locations[0].id : null;
  }

  function flash(text) {
    setText($('std-notice-text'), text);
    show(notice, Boolean(text));
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => show(notice, false), NOTICE_MS);
  }

  function setTitle(text) {
    setText(title, text);
  }

  const checklist = createChecklist({ root: sections.checks, getMe, timeZoneOf, onAlertsChanged });
  const editor = createStandardsEditor({ root: sections.standards, onChanged: flash });
  const hours = createHoursForm({ root: sections.hours, onSaved: () => {}, onLocation });
  const standardPage = createStandardPage({
    root: sections.standard, getMe, timeZoneOf, onTitle: () => setTitle(TITLES.standard),
  });
  const checkPage = createCheckPage({
    root: sections.check, getMe, timeZoneOf, onTitle: () => setTitle(TITLES.check),
  });
  const audits = createAudits({
    listRoot: sections.audits,
    newRoot: sections['audit-new'],
    auditRoot: sections.audit,
    getMe,
    timeZoneOf,
    navigate,
    onTitle: () => setTitle(TITLES.audit),
  });
  const compliance = createCompliance({ root: sections.compliance });
  const parts = [checklist, editor, hours, standardPage, checkPage, audits, compliance];

  function fillLocations() {
    const locations = getLocations();
    locationSelect.replaceChildren(...locations.map((l) => h('option', { value: String(l.id) }, l.name)));
    const id = locationId();
    if (id !== null) locationSelect.value = String(id);
    const perLocation = view && ['checks', 'standards', 'hours', 'audits', 'audit-new', 'compliance'].includes(view.name);
    show(locationField, Boolean(perLocation) && locations.length > 1);
  }

  locationSelect.addEventListener('change', () => {
    localStorage.setItem(LOCATION_KEY, locationSelect.value);
    if (view) openView(view, true);
  });

  function renderTabs() {
    const me = getMe();
    for (const a of root.querySelectorAll('.std-tabs .tab')) {
      show(a, allowed(a.dataset.tab, me));
      if (a.dataset.tab === TAB_OF[view.name]) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  function closeParts() {
    for (const p of parts) p.close();
  }

  function openView(target, fresh) {
    closeParts();
    for (const [name, el] of Object.entries(sections)) show(el, name === target.name);
    setTitle(TITLES[target.name]);
    setText(sub, SUBTITLES[target.name] || '');
    show(sub, Boolean(SUBTITLES[target.name]));
    renderTabs();
    fillLocations();
    const id = locationId();
    switch (target.name) {
      case 'checks': checklist.open(id); break;
      case 'standards': editor.open(id); break;
      case 'hours': hours.open(id); break;
      case 'standard': standardPage.open(target.id); break;
      case 'check': checkPage.open(target.id); break;
      case 'audits': audits.openList(id); break;
      case 'audit-new': audits.openNew(id); break;
      case 'audit': audits.openAudit(target.id); break;
      case 'compliance': compliance.open(id); break;
      default: break;
    }
    if (fresh) {
      window.scrollTo(0, 0);
      root.scrollTop = 0;
    }
  }

  return {
    open(hash) {
      const target = parse(hash);
      if (!target || !allowed(target.name, getMe())) {
        navigate('#/checks', { replace: true });
        return;
      }
      const entering = root.hidden;
      const fresh = entering || !view || view.name !== target.name || view.id !== target.id;
      if (fresh && view && view.name !== target.name) show(notice, false);
      view = target;
      show(root, true);
      openView(target, fresh);
      if (entering) title.focus({ preventScroll: true });
    },
    close() {
      if (!view) return;
      view = null;
      closeParts();
      show(root, false);
    },
    reset() {
      this.close();
      for (const p of parts) if (p.reset) p.reset();
      show(notice, false);
    },
    refreshLocations() {
      if (view) fillLocations();
    },
  };
}
