// Who is leaving (#/at-risk): the regulars who seem to have stopped coming,
// the most value at risk first, with how often they used to come, the
// chance they are still coming and their last experience (an open case, a
// last score). "Reach out" records a follow-up call on their open case, or
// opens a low-severity case for them first. Owners and managers can refit
// the model now and see retention after good and bad moments. The list
// works at the device's location (shared with the counter), with a picker
// for staff at more than one; it is paged by the server's cursor.

import { api, isAbort } from './api.js';
import { $, h, setText, show } from './dom.js';
import { dateOnly, dateTime, money, plural, relativeTime } from './format.js';
import { categoryLabel } from './case-words.js';
import { CATEGORY_LABELS as FEEDBACK_LABELS } from './feedback-words.js';
import {
  chanceText, everyText, fittedText, manages, modelName, rateText, sinceText,
} from './risk-words.js';

const PAGE_SIZE = 20;
const LOCATION_KEY = 'maitred.location'; // shared with the card, the board and the checks
const REACH_OUT_TEXT = 'Reached out: we miss you';
const REACH_OUT_SUMMARY = 'Regular at risk — reach out';

export function createAtRisk({ getMe, getLocations }) {
  const root = $('risk-view');
  const title = $('risk-title');
  const locationField = $('risk-location-field');
  const locationSelect = $('risk-location');
  const refitButton = $('risk-refit');

  let controller = null;
  let data = null; // the first page's answer: total, model, fitted_at, currency
  let items = [];
  let next = null;
  let reached = new Map(); // guest id → { caseId } once reached out (or its case opened)
  let retentionController = null;

  const statusEl = h('div', { class: 'list-status', role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', null, 'Loading…'));
  const failedText = h('span');
  const retry = h('button', { type: 'button', class: 'btn btn-small btn-secondary' }, 'Try again');
  const failed = h('div', { class: 'form-error load-error', role: 'alert', hidden: true }, failedText, retry);
  const refitNotice = h('p', { class: 'notice notice-success', role: 'status', hidden: true });
  const refitError = h('p', { class: 'form-error', role: 'alert', hidden: true });

  const totalValue = h('dd', { class: 'fb-tile-value risk-total-value' });
  const totalSub = h('dd', { class: 'fb-tile-sub' });
  const smallPrint = h('p', { class: 'risk-model muted' });
  const summary = h('div', { class: 'risk-summary', hidden: true },
    h('dl', { class: 'fb-tile risk-total' },
      h('dt', { class: 'fb-tile-label' }, 'Value at risk'),
      totalValue, totalSub),
    smallPrint);

  const tableBody = h('tbody');
  const table = h('table', { class: 'data-table risk-table', hidden: true },
    h('caption', { class: 'visually-hidden' }, 'Regulars at risk, the most value first'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Guest'),
      h('th', { scope: 'col' }, 'Last visit'),
      h('th', { scope: 'col' }, 'Usually'),
      h('th', { scope: 'col', class: 'num' }, 'Still coming'),
      h('th', { scope: 'col', class: 'num' }, 'Value at risk'),
      h('th', { scope: 'col' }, 'Last experience'),
      h('th', { scope: 'col', class: 'cell-action' }, h('span', { class: 'visually-hidden' }, 'Reach out')))),
    tableBody);
  const more = h('button', { type: 'button', class: 'btn btn-secondary btn-block load-more', hidden: true }, 'Load more');

  const emptyTitle = h('p', { class: 'empty-state-title' });
  const emptyText = h('p', { class: 'muted' });
  const empty = h('div', { class: 'empty-state risk-empty', hidden: true }, emptyTitle, emptyText);

  const retentionBody = h('div', { class: 'risk-retention-body' });
  const retention = h('section', { class: 'panel risk-retention', 'aria-labelledby': 'risk-retention-title', hidden: true },
    h('h2', { id: 'risk-retention-title', class: 'panel-title' }, 'Do good moments bring guests back?'),
    h('p', { class: 'muted fb-chart-note' },
      'Guests who came back within 60 days of a moment, and what they spent in those 60 days. Only moments at least 60 days old count.'),
    retentionBody);

  $('risk-content').replaceChildren(statusEl, failed, refitNotice, refitError, summary, empty, table, more, retention);

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
  }

  function currency() {
    if (data && data.currency) return data.currency;
    const loc = location();
    return loc ? loc.currency : 'GBP';
  }

  // ---- one row ----

  function experience(item) {
    const parts = [];
    if (item.open_case) {
      const c = item.open_case;
      parts.push(h('a', { class: 'risk-case', href: `#/cases/${c.id}` },
        h('span', { class: 'risk-case-tag' }, c.status === 'in_progress' ? 'Case in progress' : 'Open case'),
        ' ', categoryLabel(c.category)));
    }
    if (item.last_feedback) {
      const f = item.last_feedback;
      const word = FEEDBACK_LABELS[f.category] || 'Feedback';
      const score = f.nps === null || f.nps === undefined ? '' : ` · ${f.nps}/10`;
      parts.push(h('a', {
        class: `risk-feedback is-${f.category || 'none'}`, href: `#/feedback/inbox`, title: dateTime(f.at),
      }, `${word}${score}`, h('span', { class: 'risk-sub' }, relativeTime(f.at))));
    }
    if (!parts.length) parts.push(h('span', { class: 'muted' }, 'Nothing on record'));
    return parts;
  }

  function reachOutCell(item) {
    const done = reached.get(item.guest.id) ||
      (item.reached_out ? { caseId: item.reached_out.case_id, done: true } : null);
    if (done && done.done) {
      return h('span', { class: 'risk-reached', role: 'status' },
        h('span', { class: 'risk-reached-text' }, '✓ Reached out'),
        h('a', { class: 'btn btn-small btn-ghost', href: `#/cases/${done.caseId}` }, 'Open case'));
    }
    const name = item.guest.name;
    const button = h('button', {
      type: 'button', class: 'btn btn-small btn-primary risk-reach', 'aria-label': `Reach out to ${name}`,
    }, 'Reach out');
    const error = h('p', { class: 'form-error risk-reach-error', role: 'alert', hidden: true });
    button.addEventListener('click', () => reachOut(item, button, error));
    return [button, error];
  }

  function row(item) {
    const g = item.guest;
    const loc = location();
    return h('tr', { dataset: { guestId: String(g.id) } },
      h('td', { class: 'cell-person' },
        h('a', { class: 'risk-name', href: `#/guests/${g.id}` }, g.name),
        h('span', { class: 'risk-sub' }, plural(Number(item.visits) || 0, 'visit'))),
      h('td', { dataset: { label: 'Last visit' } },
        h('span', { title: dateOnly(item.last_visit_at, loc ? loc.timezone : undefined) }, sinceText(item.last_visit_at))),
      h('td', { dataset: { label: 'Usually' } }, everyText(item.usual_interval_days) || '—'),
      h('td', { class: 'num risk-chance', dataset: { label: 'Still coming' } }, chanceText(item.p_alive)),
      h('td', { class: 'num risk-value', dataset: { label: 'Value at risk' } }, money(item.value_at_risk_cents, currency())),
      h('td', { class: 'risk-experience', dataset: { label: 'Last experience' } }, experience(item)),
      h('td', { class: 'cell-action' }, reachOutCell(item)));
  }

  function renderRows() {
    tableBody.replaceChildren(...items.map(row));
    show(table, items.length > 0);
    show(more, Boolean(next));
  }

  function renderSummary() {
    const fitted = Boolean(data && data.fitted_at);
    show(summary, fitted);
    if (fitted) {
      setText(totalValue, money(Number(data.total_value_at_risk_cents) || 0, currency()));
      setText(totalSub, 'What these regulars would spend in the next 12 months if they still came');
      const loc = location();
      setText(smallPrint, fittedText(data.model, data.fitted_at, loc ? loc.timezone : undefined));
    }
    const me = getMe();
    if (!fitted) {
      setText(emptyTitle, 'No estimate yet');
      setText(emptyText, manages(me)
        ? 'maitred estimates who is still coming from the visit history every night. Tap “Refit now” to estimate now.'
        : 'maitred estimates who is still coming from the visit history every night. Check back tomorrow.');
    } else {
      setText(emptyTitle, 'Nobody is at risk right now');
      setText(emptyText, 'Your regulars are all still coming, as far as their visits tell.');
    }
    show(empty, items.length === 0);
  }

  // ---- loading ----

  async function load({ append = false } = {}) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const id = locationId();
    show(failed, false);
    if (!append) show(statusEl, items.length === 0 && !data);
    try {
      const query = { location_id: id, limit: PAGE_SIZE };
      if (append) query.cursor = next;
      const res = await api.get('/insights/at-risk', { query, signal: mine.signal });
      if (controller !== mine) return;
      const got = res && Array.isArray(res.items) ? res.items : [];
      if (append) {
        const seen = new Set(items.map((i) => i.guest.id));
        items = items.concat(got.filter((i) => !seen.has(i.guest.id)));
      } else {
        data = res;
        items = got;
      }
      next = res ? res.next || null : null;
      renderSummary();
      renderRows();
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      setText(failedText, `Couldn’t load who is at risk: ${err.message}`);
      show(failed, true);
    } finally {
      if (controller === mine) {
        controller = null;
        show(statusEl, false);
      }
    }
  }

  function groupRow(label, g, cur) {
    const v = g || {};
    const count = Number(v.count) || 0;
    return h('tr', null,
      h('th', { scope: 'row' }, label),
      h('td', { class: 'num', dataset: { label: 'Guests' } }, String(count)),
      h('td', { class: 'num', dataset: { label: 'Came back' } },
        rateText(v.return_rate), count ? h('span', { class: 'cmp-sub' }, `${Number(v.returned) || 0} of ${count}`) : null),
      h('td', { class: 'num', dataset: { label: 'Spend per guest' } },
        v.spend_per_guest_cents === null || v.spend_per_guest_cents === undefined ? '—' : money(v.spend_per_guest_cents, cur)));
  }

  function renderRetention(res) {
    const cur = res.currency || currency();
    const f = res.feedback || {};
    const c = res.cases || {};
    const head = h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'After'),
      h('th', { scope: 'col', class: 'num' }, 'Guests'),
      h('th', { scope: 'col', class: 'num' }, 'Came back'),
      h('th', { scope: 'col', class: 'num' }, 'Spend per guest')));
    retentionBody.replaceChildren(h('div', { class: 'table-scroll' },
      h('table', { class: 'data-table cmp-table risk-retention-table' },
        h('caption', { class: 'visually-hidden' }, `Return within ${res.window_days || 60} days`),
        head,
        h('tbody', null,
          groupRow('A promoter’s score (9–10)', f.promoter, cur),
          groupRow('A passive’s score (7–8)', f.passive, cur),
          groupRow('A detractor’s score (0–6)', f.detractor, cur),
          groupRow('A case recovered', c.recovered, cur),
          groupRow('A case not recovered', c.not_recovered, cur),
          groupRow('A case left open', c.open, cur)))));
  }

  async function loadRetention() {
    if (!manages(getMe())) {
      show(retention, false);
      return;
    }
    if (retentionController) retentionController.abort();
    const mine = new AbortController();
    retentionController = mine;
    try {
      const res = await api.get('/insights/retention', { query: { location_id: locationId() }, signal: mine.signal });
      if (retentionController !== mine) return;
      renderRetention(res || {});
      show(retention, true);
    } catch (err) {
      if (isAbort(err) || retentionController !== mine || err.status === 401) return;
      retentionBody.replaceChildren(h('p', { class: 'form-error' }, `Couldn’t load retention: ${err.message}`));
      show(retention, true);
    } finally {
      if (retentionController === mine) retentionController = null;
    }
  }

  // ---- actions ----

  async function reachOut(item, button, error) {
    const g = item.guest;
    const known = reached.get(g.id);
    button.disabled = true;
    setText(button, 'Reaching out…');
    show(error, false);
    let caseId = known ? known.caseId : item.open_case ? item.open_case.id : null;
    try {
      if (!caseId) {
        const opened = await api.post('/cases', {
          location_id: locationId(),
          guest_id: g.id,
          source: 'staff',
          category: 'other',
          severity: 'low',
          summary: REACH_OUT_SUMMARY,
        });
        caseId = opened.id;
        // Opened: a retry records the call on this case, not on a new one.
        reached.set(g.id, { caseId, done: false });
      }
      await api.post(`/cases/${caseId}/actions`, { kind: 'follow_up_call', text: REACH_OUT_TEXT });
      reached.set(g.id, { caseId, done: true });
      const tr = tableBody.querySelector(`tr[data-guest-id="${g.id}"]`);
      if (tr) {
        const cell = tr.querySelector('.cell-action');
        cell.replaceChildren(...[reachOutCell(item)].flat());
      }
    } catch (err) {
      if (err.status === 401) return;
      button.disabled = false;
      setText(button, 'Reach out');
      setText(error, caseId
        ? `Couldn’t record the call on case #${caseId}: ${err.message}`
        : `Couldn’t open a case: ${err.message}`);
      show(error, true);
    }
  }

  refitButton.addEventListener('click', async () => {
    show(refitNotice, false);
    show(refitError, false);
    refitButton.disabled = true;
    refitButton.setAttribute('aria-busy', 'true');
    setText(refitButton, 'Refitting…');
    try {
      const fit = await api.post('/insights/refit', undefined, { query: { location_id: locationId() } });
      const guests = Number(fit && fit.guests) || 0;
      const repeat = Number(fit && fit.repeat_guests) || 0;
      setText(refitNotice, `Refitted with ${modelName(fit && fit.model)} from ${plural(guests, 'guest')}, ${repeat} of them came back.`);
      show(refitNotice, true);
      items = [];
      next = null;
      reached = new Map();
      await load();
    } catch (err) {
      if (err.status === 401) return;
      // 422: not enough history yet; the server says how much it needs.
      setText(refitError, err.status === 422 ? `Not enough history to estimate yet: ${err.message}` : `Couldn’t refit: ${err.message}`);
      show(refitError, true);
    } finally {
      refitButton.disabled = false;
      refitButton.removeAttribute('aria-busy');
      setText(refitButton, 'Refit now');
    }
  });

  more.addEventListener('click', async () => {
    if (!next) return;
    more.disabled = true;
    try {
      await load({ append: true });
    } finally {
      more.disabled = false;
    }
  });

  retry.addEventListener('click', () => load());

  locationSelect.addEventListener('change', () => {
    localStorage.setItem(LOCATION_KEY, locationSelect.value);
    start();
  });

  function start() {
    data = null;
    items = [];
    next = null;
    reached = new Map();
    tableBody.replaceChildren();
    show(table, false);
    show(summary, false);
    show(empty, false);
    show(more, false);
    show(refitNotice, false);
    show(refitError, false);
    load();
    loadRetention();
  }

  function abort() {
    if (controller) controller.abort();
    controller = null;
    if (retentionController) retentionController.abort();
    retentionController = null;
  }

  return {
    open() {
      const entering = root.hidden;
      show(root, true);
      show(refitButton, manages(getMe()));
      fillLocations();
      if (entering) {
        window.scrollTo(0, 0);
        root.scrollTop = 0;
        title.focus({ preventScroll: true });
        start();
      }
    },
    close() {
      abort();
      show(root, false);
    },
    reset() {
      abort();
      data = null;
      items = [];
      next = null;
      reached = new Map();
      tableBody.replaceChildren();
      show(root, false);
    },
    refreshLocations() {
      if (!root.hidden) fillLocations();
    },
  };
}
