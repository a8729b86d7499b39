// The manager's home page (#/home), where owners and managers land each
// morning: open alerts, the NPS trend, open and overdue cases, the value of
// regulars at risk, compliance with the standards and what is due now, at
// the device's location. Each tile loads on its own and links to its page,
// so one slow or failing request never blanks the others.

import { api, isAbort } from './api.js';
import { $, h, setText, show } from './dom.js';
import { dateTime, money, plural, relativeTime } from './format.js';
import { categoryLabel, dueText } from './case-words.js';
import { AUDIT_KIND_LABELS } from './standards-words.js';
import { fittedText } from './risk-words.js';

const LOCATION_KEY = 'maitred.location'; // shared with the card, the board and the checks
const LIST_LIMIT = 100; // counts above this read "100+"
const SHOWN = 3; // alerts, cases and guests named in a tile
const ALERT_WORDS = {
  case_overdue: 'Case overdue',
  order_late: 'Late order',
  check_overdue: 'Check overdue',
  deal_breaker: 'Deal-breaker failed',
};

function countText(n, more) {
  return `${n}${more ? '+' : ''}`;
}

function pct(v) {
  return v === null || v === undefined ? '—' : `${Number(v).toFixed(1).replace(/\.0$/, '')}%`;
}

function signed(n) {
  if (n === null || n === undefined) return '—';
  return n > 0 ? `+${n}` : String(n);
}

// One tile: a heading that links to its page, and a body that is loading,
// failed (with Try again), or filled.
function createTile({ key, title, href, linkText }) {
  const headingId = `home-${key}-title`;
  const body = h('div', { class: 'home-tile-body' });
  const el = h('section', { class: `home-tile home-${key}`, 'aria-labelledby': headingId, dataset: { tile: key } },
    h('header', { class: 'home-tile-head' },
      h('h2', { id: headingId, class: 'home-tile-title' }, title),
      h('a', { class: 'home-tile-link', href }, linkText, h('span', { 'aria-hidden': 'true' }, ' ›'))),
    body);
  let retry = null;
  return {
    el,
    loading() {
      el.setAttribute('aria-busy', 'true');
      body.replaceChildren(h('p', { class: 'home-tile-status muted' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading…'));
    },
    failed(message, again) {
      el.removeAttribute('aria-busy');
      retry = again;
      const button = h('button', { type: 'button', class: 'btn btn-small btn-secondary' }, 'Try again');
      button.addEventListener('click', () => retry && retry());
      body.replaceChildren(h('div', { class: 'home-tile-error', role: 'alert' },
        h('span', null, message), button));
    },
    fill(...children) {
      el.removeAttribute('aria-busy');
      body.replaceChildren(...children);
    },
  };
}

function figure(value, label, cls = '') {
  return h('p', { class: `home-figure ${cls}` },
    h('span', { class: 'home-figure-value' }, value),
    h('span', { class: 'home-figure-label' }, label));
}

function emptyLine(text) {
  return h('p', { class: 'home-empty muted' }, text);
}

export function createHome({ getLocations }) {
  const root = $('home-view');
  const title = $('home-title');
  const sub = $('home-sub');
  const locationField = $('home-location-field');
  const locationSelect = $('home-location');
  const grid = $('home-tiles');

  const tiles = {
    // What needs doing today first, then how things are going.
    alerts: createTile({ key: 'alerts', title: 'Open alerts', href: '#/cases/overdue', linkText: 'Overdue cases' }),
    due: createTile({ key: 'due', title: 'Due now', href: '#/checks', linkText: 'Checklist' }),
    cases: createTile({ key: 'cases', title: 'Cases', href: '#/cases/location', linkText: 'All cases' }),
    nps: createTile({ key: 'nps', title: 'NPS, by week', href: '#/feedback/trends', linkText: 'Trends' }),
    risk: createTile({ key: 'risk', title: 'Regulars at risk', href: '#/at-risk', linkText: 'At risk' }),
    compliance: createTile({ key: 'compliance', title: 'Compliance', href: '#/compliance', linkText: 'Compliance' }),
  };
  grid.replaceChildren(...Object.values(tiles).map((t) => t.el));

  let controller = null;
  let charts = null;

  function locationId() {
    const locations = getLocations();
    const saved = Number(localStorage.getItem(LOCATION_KEY));
    if (locations.some((l) => l.id === saved)) return saved;
    return locations.length ? locations[0].id : null;
  }

  function location() {
    return getLocations().find((l) => l.id === locationId()) || null;
  }

  function fillLocations() {
    const locations = getLocations();
    locationSelect.replaceChildren(...locations.map((l) => h('option', { value: String(l.id) }, l.name)));
    const id = locationId();
    if (id !== null) locationSelect.value = String(id);
    show(locationField, locations.length > 1);
    const loc = location();
    setText(sub, loc ? `${loc.name} · ${new Intl.DateTimeFormat(undefined, {
      weekday: 'long', day: 'numeric', month: 'long', timeZone: loc.timezone || undefined,
    }).format(Date.now())}` : '');
  }

  // Runs one tile's loader with the page's abort signal: an error shows in
  // that tile only; leaving the page drops every answer still on its way.
  function run(tile, loader) {
    const signal = controller.signal;
    const again = () => run(tile, loader);
    tile.loading();
    loader(signal).catch((err) => {
      if (isAbort(err) || signal.aborted || err.status === 401) return;
      tile.failed(`Couldn’t load: ${err.message}`, again);
    });
  }

  // ---- the tiles ----

  async function loadAlerts(signal) {
    const res = await api.get('/alerts', { query: { location_id: locationId(), limit: LIST_LIMIT }, signal });
    if (signal.aborted) return;
    const items = res && Array.isArray(res.items) ? res.items : [];
    if (!items.length) {
      tiles.alerts.fill(figure('0', 'open alerts', 'is-good'), emptyLine('Nothing needs attention right now.'));
      return;
    }
    const tz = (location() || {}).timezone;
    tiles.alerts.fill(
      figure(countText(items.length, Boolean(res.next)), items.length === 1 ? 'open alert' : 'open alerts', 'is-poor'),
      h('ul', { class: 'home-list' }, items.slice(0, SHOWN).map((a) => h('li', { class: `home-alert is-${a.kind}` },
        h('a', { href: a.subject && a.subject.link ? a.subject.link.replace(/^\//, '') : '#/cases/overdue' },
          h('span', { class: 'home-alert-kind' }, ALERT_WORDS[a.kind] || a.kind),
          h('span', { class: 'home-alert-text' }, a.message),
          h('time', { class: 'home-sub', datetime: a.raised_at, title: dateTime(a.raised_at, tz) }, relativeTime(a.raised_at)))))),
      items.length > SHOWN ? h('p', { class: 'home-more muted' }, `and ${items.length - SHOWN} more`) : null);
  }

  async function loadCases(signal) {
    const id = locationId();
    const [active, overdue] = await Promise.all([
      api.get('/cases', { query: { location_id: id, status: 'active', limit: LIST_LIMIT }, signal }),
      api.get('/cases', { query: { location_id: id, status: 'active', overdue: 'true', limit: LIST_LIMIT }, signal }),
    ]);
    if (signal.aborted) return;
    const open = Array.isArray(active.items) ? active.items : [];
    const late = Array.isArray(overdue.items) ? overdue.items : [];
    const figures = h('div', { class: 'home-figures' },
      figure(countText(open.length, Boolean(active.next)), 'open', open.length ? '' : 'is-good'),
      h('a', { class: 'home-figure-link', href: '#/cases/overdue' },
        figure(countText(late.length, Boolean(overdue.next)), 'overdue', late.length ? 'is-poor' : 'is-good')));
    if (!open.length) {
      tiles.cases.fill(figures, emptyLine('No open cases.'));
      return;
    }
    tiles.cases.fill(figures, h('ul', { class: 'home-list' }, open.slice(0, SHOWN).map((c) => {
      const due = dueText(c);
      return h('li', { class: `home-case${due.late ? ' is-overdue' : ''}` },
        h('a', { href: `#/cases/${c.id}` },
          h('span', { class: 'home-case-text' }, `${c.guest ? `${c.guest.name} · ` : ''}${categoryLabel(c.category)}`),
          h('span', { class: `home-sub${due.late ? ' is-late' : ''}` }, due.text)));
    })));
  }

  async function loadDue(signal) {
    const res = await api.get('/checks', { query: { location_id: locationId(), due: 'now' }, signal });
    if (signal.aborted) return;
    if (res && res.open === false) {
      const tz = (location() || {}).timezone;
      tiles.due.fill(figure('—', 'closed now'),
        emptyLine(res.next_opening ? `Checks come due again when you open, ${dateTime(res.next_opening, tz)}.` : 'Closed.'));
      return;
    }
    const items = res && Array.isArray(res.items) ? res.items : [];
    const late = items.filter((i) => i.overdue).length;
    const breakers = items.filter((i) => i.standard && i.standard.deal_breaker).length;
    if (!items.length) {
      tiles.due.fill(figure('0', 'checks due', 'is-good'), emptyLine('Everything is checked for now.'));
      return;
    }
    tiles.due.fill(
      h('div', { class: 'home-figures' },
        figure(String(items.length), items.length === 1 ? 'check due' : 'checks due', late ? '' : 'is-fair'),
        figure(String(late), 'overdue', late ? 'is-poor' : 'is-good')),
      breakers ? h('p', { class: 'home-sub' }, `${plural(breakers, 'deal-breaker')} among them`) : null);
  }

  async function loadNps(signal) {
    const [res, mod] = await Promise.all([
      api.get('/insights/feedback', { query: { location_id: locationId(), interval: 'week' }, signal }),
      charts ? Promise.resolve(charts) : import('./home-charts.js'),
    ]);
    charts = mod;
    if (signal.aborted) return;
    const series = Array.isArray(res.series) ? res.series : [];
    const total = res.total || {};
    const latest = [...series].reverse().find((b) => b.nps !== null && b.nps !== undefined);
    if (!Number(total.responses)) {
      tiles.nps.fill(figure('—', 'no answers in 12 weeks'), emptyLine('Scores from surveys and the counter show here.'));
      return;
    }
    const box = h('div', { class: 'home-chart', role: 'img' });
    box.setAttribute('aria-label', latest
      ? `NPS by week over 12 weeks; the latest week with scores is ${signed(latest.nps)}.`
      : 'NPS by week: no scores yet.');
    tiles.nps.fill(
      h('div', { class: 'home-figures' },
        figure(signed(total.nps), 'NPS, 12 weeks', total.nps >= 30 ? 'is-good' : total.nps < 0 ? 'is-poor' : 'is-fair'),
        figure(String(total.responses), total.responses === 1 ? 'answer' : 'answers')),
      box);
    charts.render(series, box);
  }

  async function loadRisk(signal) {
    const res = await api.get('/insights/at-risk', { query: { location_id: locationId(), limit: SHOWN }, signal });
    if (signal.aborted) return;
    const items = Array.isArray(res.items) ? res.items : [];
    const cur = res.currency || (location() || {}).currency || 'GBP';
    if (!res.fitted_at) {
      tiles.risk.fill(figure('—', 'not estimated yet'), emptyLine('Estimated every night from the visit history, or now from the At risk page.'));
      return;
    }
    const value = figure(money(Number(res.total_value_at_risk_cents) || 0, cur), 'value at risk, next 12 months',
      items.length ? 'is-poor' : 'is-good');
    const smallPrint = h('p', { class: 'home-small muted' }, fittedText(res.model, res.fitted_at, (location() || {}).timezone));
    if (!items.length) {
      tiles.risk.fill(value, emptyLine('Nobody is at risk right now.'), smallPrint);
      return;
    }
    tiles.risk.fill(value, h('ul', { class: 'home-list' }, items.map((i) => h('li', null,
      h('a', { href: `#/guests/${i.guest.id}` },
        h('span', { class: 'home-case-text' }, i.guest.name),
        h('span', { class: 'home-sub' }, money(i.value_at_risk_cents, cur)))))), smallPrint);
  }

  async function loadCompliance(signal) {
    const res = await api.get('/insights/standards', { query: { location_id: locationId() }, signal });
    if (signal.aborted) return;
    const t = res.total || {};
    const audits = t.audits || {};
    const latest = audits.latest;
    if (!t.checks && !latest) {
      tiles.compliance.fill(figure('—', 'no checks in 12 weeks'), emptyLine('Set up standards of care to see how well they are kept.'));
      return;
    }
    const tone = t.compliance === null || t.compliance === undefined ? ''
      : t.compliance >= 95 ? 'is-good' : t.compliance < 80 ? 'is-poor' : 'is-fair';
    tiles.compliance.fill(
      h('div', { class: 'home-figures' },
        figure(pct(t.compliance), 'compliance, 12 weeks', tone),
        figure(String(t.deal_breakers_failed || 0), 'deal-breakers failed', t.deal_breakers_failed ? 'is-poor' : 'is-good'),
        figure(String(t.overdue || 0), 'overdue', t.overdue ? 'is-fair' : 'is-good')),
      h('p', { class: 'home-sub' }, latest
        ? h('a', { href: `#/audits/${latest.id}` },
          `Latest audit: ${latest.score === null || latest.score === undefined ? 'pending' : `${latest.score}/100`} · ${AUDIT_KIND_LABELS[latest.kind] || latest.kind}, ${relativeTime(latest.at)}`)
        : 'No audits in 12 weeks.'));
  }

  function loadAll() {
    if (controller) controller.abort();
    controller = new AbortController();
    if (locationId() === null) {
      for (const t of Object.values(tiles)) t.fill(emptyLine('No location yet.'));
      return;
    }
    run(tiles.alerts, loadAlerts);
    run(tiles.cases, loadCases);
    run(tiles.due, loadDue);
    run(tiles.nps, loadNps);
    run(tiles.risk, loadRisk);
    run(tiles.compliance, loadCompliance);
  }

  locationSelect.addEventListener('change', () => {
    localStorage.setItem(LOCATION_KEY, locationSelect.value);
    fillLocations();
    loadAll();
  });

  function abort() {
    if (controller) controller.abort();
    controller = null;
    if (charts) charts.destroy();
  }

  return {
    open() {
      const entering = root.hidden;
      show(root, true);
      fillLocations();
      if (entering) {
        window.scrollTo(0, 0);
        root.scrollTop = 0;
        title.focus({ preventScroll: true });
        loadAll();
      }
    },
    close() {
      abort();
      show(root, false);
    },
    reset() {
      abort();
      show(root, false);
    },
    refreshLocations() {
      if (!root.hidden) fillLocations();
    },
  };
}
