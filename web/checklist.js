// "Due now": the standards to check at a location at this moment, made for
// a tablet on the wall or at the pass. Deal-breakers lead and say so;
// overdue ones are red with how long. A check leaves the list once
// recorded. Refreshes when the live stream says a check was recorded (on
// another tablet too) or a standard went overdue, and every minute; says
// when the place is closed.

import { api, isAbort } from './api.js';
import { h, setText, show } from './dom.js';
import { dateTime, relativeTime } from './format.js';
import { actorName, timeOfDay } from './order-words.js';
import { listen } from './live.js';
import { checkControls } from './check-form.js';
import {
  OWNER_ROLES, RESULT_LABELS, dealBreakerTag, durationText, frequencyLabel, touchpointName,
} from './standards-words.js';

const REFRESH_MS = 60_000;
const DONE_MS = 4000; // the "recorded" note stays this long
const EVENT_DEBOUNCE_MS = 300;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const STANDARD_ALERTS = new Set(['check_overdue', 'deal_breaker']);

export function createChecklist({ root, getMe, timeZoneOf, onAlertsChanged }) {
  let locationId = null;
  let data = null;
  let controller = null;
  let timer = null;
  let stopListening = null;
  let streamLocation = null;
  let role = ''; // owner_role filter; '' for everyone's
  let roleChosen = false;
  let doneTimer = null;

  const status = h('div', { class: 'list-status', role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', null, 'Loading what’s due…'));
  const failedText = h('span');
  const retry = h('button', { type: 'button', class: 'btn btn-small btn-secondary' }, 'Try again');
  const failed = h('div', { class: 'form-error load-error', role: 'alert', hidden: true }, failedText, retry);
  const done = h('div', { class: 'notice notice-success', role: 'status', hidden: true },
    h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '✓'), h('span', { class: 'notice-text' }));
  const roleSelect = h('select', { id: 'due-role' },
    h('option', { value: '' }, 'Everyone’s'),
    OWNER_ROLES.map((r) => h('option', { value: r.value }, r.label)));
  const hours = h('p', { class: 'due-hours muted' });
  const toolbar = h('div', { class: 'due-toolbar' }, hours,
    h('div', { class: 'field due-role' }, h('label', { for: 'due-role' }, 'Show'), roleSelect));
  const list = h('ul', { class: 'due-list', 'aria-label': 'Due now', hidden: true });
  const emptyTitle = h('p', { class: 'empty-state-title' });
  const emptyText = h('p', { class: 'muted' });
  const empty = h('div', { class: 'empty-state due-empty', hidden: true }, emptyTitle, emptyText);
  root.replaceChildren(toolbar, done, status, failed, list, empty);

  retry.addEventListener('click', () => load());
  roleSelect.addEventListener('change', () => {
    role = roleSelect.value;
    roleChosen = true;
    load();
  });

  function tz() {
    return timeZoneOf(locationId);
  }

  function lastText(last) {
    if (!last) return 'Never checked';
    const who = actorName(last.by);
    return `Last: ${(RESULT_LABELS[last.result] || last.result).toLowerCase()} ${relativeTime(last.at)}${who ? ` by ${who}` : ''}`;
  }

  function dueLine(item) {
    if (item.overdue) {
      return h('span', { class: 'due-when is-overdue' },
        `Overdue by ${durationText(item.overdue_by_seconds)}`);
    }
    return h('span', { class: 'due-when' },
      Date.parse(item.due_at) < Date.now() - 60_000 ? `Due since ${timeOfDay(item.due_at, tz())}` : 'Due now');
  }

  function row(item) {
    const s = item.standard;
    const classes = ['due-item'];
    if (s.deal_breaker) classes.push('is-deal-breaker');
    if (item.overdue) classes.push('is-overdue');
    return h('li', { class: classes.join(' '), dataset: { standardId: String(s.id) } },
      h('div', { class: 'due-main' },
        h('div', { class: 'due-tags' },
          s.deal_breaker ? dealBreakerTag() : null,
          h('span', { class: 'due-touchpoint' }, touchpointName(s)),
          h('span', { class: 'due-frequency' }, frequencyLabel(s.frequency_minutes))),
        h('a', { class: 'due-text', href: `#/standards/${s.id}` }, s.text),
        h('p', { class: 'due-meta' }, dueLine(item),
          h('span', { class: 'due-last', title: item.last_check ? dateTime(item.last_check.at, tz()) : null },
            lastText(item.last_check)))),
      checkControls(s, {
        onRecorded: (check) => recorded(check),
        onGone: () => load(),
      }));
  }

  function recorded(check) {
    const what = check.result === 'pass' ? 'Passed' : check.result === 'fail' ? 'Failed' : 'Marked not applicable';
    const text = check.standard ? `${what}: “${check.standard.text}”.` : `${what}.`;
    setText(done.querySelector('.notice-text'),
      check.case_id ? `${text} A case was opened for the manager.` : text);
    show(done, true);
    clearTimeout(doneTimer);
    doneTimer = setTimeout(() => show(done, false), DONE_MS);
    // Gone at once; the server's answer confirms it.
    if (data && Array.isArray(data.items)) {
      data.items = data.items.filter((i) => i.standard.id !== check.standard_id);
      render();
    }
    load();
  }

  function render() {
    const items = data && Array.isArray(data.items) ? data.items : [];
    const open = !data || data.open !== false;
    const zone = tz();
    if (!data) setText(hours, '');
    else if (!open) setText(hours, '');
    else if (data.closes_at && !allDay(data)) setText(hours, `Open until ${timeOfDay(data.closes_at, zone)}`);
    else setText(hours, 'Open all day');
    // Keep rows someone may be typing a failure into: rebuild only what changed.
    const keep = new Map([...list.children].map((li) => [li.dataset.standardId, li]));
    const rows = items.map((item) => {
      const old = keep.get(String(item.standard.id));
      const fresh = row(item);
      if (old && old.querySelector('.check-fail:not([hidden])')) {
        old.className = fresh.className;
        old.querySelector('.due-meta').replaceWith(fresh.querySelector('.due-meta'));
        return old;
      }
      return fresh;
    });
    list.replaceChildren(...rows);
    show(list, items.length > 0);
    if (data && !open) {
      setText(emptyTitle, data.next_opening
        ? `Closed — opens at ${openingText(data.next_opening, zone)}`
        : 'Closed');
      setText(emptyText, 'Checks come due while the location is open.');
    } else {
      setText(emptyTitle, 'Nothing due — all standards checked');
      setText(emptyText, role
        ? 'Nothing for this role right now. Checks come back here when they are due.'
        : 'Checks come back here when they are due.');
    }
    empty.classList.toggle('is-closed', Boolean(data && !open));
    show(empty, Boolean(data) && items.length === 0);
  }

  // A location without hours is open all day: its span is the whole day.
  function allDay(d) {
    const span = Date.parse(d.closes_at) - Date.parse(d.opened_at);
    return Number.isFinite(span) && span >= DAY_MS - HOUR_MS; // 23 h on the day the clocks go forward
  }

  // "14:00" today, "Tue 07:00" another day.
  function openingText(iso, zone) {
    const t = Date.parse(iso);
    const day = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: zone || undefined, dateStyle: 'short' }).format(ms);
    let sameDay = false;
    try {
      sameDay = day(t) === day(Date.now());
    } catch {
      sameDay = false;
    }
    if (sameDay) return timeOfDay(iso, zone);
    let weekday = '';
    try {
      weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: zone || undefined }).format(t);
    } catch {
      weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(t);
    }
    return `${weekday} ${timeOfDay(iso, zone)}`;
  }

  async function load() {
    if (locationId === null) return;
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const id = locationId;
    show(failed, false);
    show(status, !data);
    try {
      const query = { location_id: id, due: 'now' };
      if (role) query.owner_role = role;
      const res = await api.get('/checks', { query, signal: mine.signal });
      if (controller !== mine || id !== locationId) return;
      data = res || { items: [] };
      render();
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      setText(failedText, `Couldn’t load what’s due: ${err.message}`);
      show(failed, true);
    } finally {
      if (controller === mine) {
        controller = null;
        show(status, false);
      }
    }
  }

  // A burst of checks (an audit records many) reloads once.
  let soonTimer = null;
  function loadSoon() {
    clearTimeout(soonTimer);
    soonTimer = setTimeout(() => {
      if (timer) load();
    }, EVENT_DEBOUNCE_MS);
  }

  function listenTo(id) {
    if (stopListening && streamLocation === id) return;
    if (stopListening) stopListening();
    streamLocation = id;
    stopListening = listen(id, {
      onReload: () => load(),
      onEvent(type, event) {
        // Another tablet checked something: what is due changed.
        if (type === 'check.recorded') {
          loadSoon();
          return;
        }
        const alert = event && event.data ? event.data.alert : null;
        if (!type.startsWith('alert.') || !alert) return;
        if (onAlertsChanged) onAlertsChanged();
        if (STANDARD_ALERTS.has(alert.kind)) load();
      },
    });
  }

  function stop() {
    if (controller) controller.abort();
    controller = null;
    clearInterval(timer);
    timer = null;
    if (stopListening) stopListening();
    stopListening = null;
    streamLocation = null;
  }

  function onVisible() {
    if (document.visibilityState === 'visible' && timer) load();
  }
  document.addEventListener('visibilitychange', onVisible);

  return {
    open(id) {
      const me = getMe();
      if (!roleChosen) {
        role = me && me.role === 'kitchen' ? 'kitchen' : '';
        roleSelect.value = role;
      }
      if (id !== locationId) {
        locationId = id;
        data = null;
        list.replaceChildren();
        show(list, false);
        show(empty, false);
      }
      if (id === null) {
        setText(failedText, 'You don’t work at any location yet. Ask a manager to add you to one.');
        show(retry, false);
        show(failed, true);
        return;
      }
      show(retry, true);
      listenTo(id);
      load();
      clearInterval(timer);
      timer = setInterval(() => {
        if (document.visibilityState === 'visible') load();
      }, REFRESH_MS);
    },
    close: stop,
    reset() {
      stop();
      locationId = null;
      data = null;
      roleChosen = false;
      list.replaceChildren();
      show(done, false);
    },
  };
}
