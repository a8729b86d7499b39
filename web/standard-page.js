// One standard (#/standards/12, where `check_overdue` alerts link): what it
// asks, whether it is due, its last check and its recent checks, with Pass
// and Fail right there. And one check (#/checks/41, where `deal_breaker`
// alerts link): the result, note, photo, who and when, and the case a
// failed deal-breaker opened.

import { api, isAbort } from './api.js';
import { h, setText, show } from './dom.js';
import { dateTime, relativeTime } from './format.js';
import { actorName, timeOfDay } from './order-words.js';
import { categoryLabel } from './case-words.js';
import { checkControls } from './check-form.js';
import {
  OWNER_ROLE_LABELS, RESULT_LABELS, dealBreakerTag, durationText, frequencyLabel,
  resultPill, touchpointName,
} from './standards-words.js';

const RECENT = 20;

function fact(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, ...value));
}

function when(iso, timeZone) {
  return h('time', { datetime: iso, title: dateTime(iso, timeZone) }, relativeTime(iso));
}

export function createStandardPage({ root, getMe, timeZoneOf, onTitle }) {
  let standardId = null;
  let controller = null;

  const statusEl = h('p', { class: 'list-status', role: 'status', hidden: true });
  const body = h('div', { class: 'std-page', hidden: true });
  root.replaceChildren(statusEl, body);

  function setStatus(text) {
    setText(statusEl, text || '');
    show(statusEl, Boolean(text));
  }

  function dueFact(s, tz) {
    if (!s.active) return fact('Due', h('span', { class: 'muted' }, 'Retired: never due'));
    if (!s.due) return fact('Due', h('span', { class: 'muted' }, s.frequency_minutes === 0 ? 'Audits only: never due' : 'Not due'));
    const d = s.due;
    if (d.overdue) {
      return fact('Due', h('span', { class: 'due-when is-overdue' }, `Overdue by ${durationText(d.overdue_by_seconds)}`),
        h('span', { class: 'fact-sub' }, `since ${dateTime(d.due_at, tz)}`));
    }
    if (d.due_now ?? Date.parse(d.due_at) <= Date.now()) {
      return fact('Due', h('span', { class: 'due-when' }, 'Due now'), h('span', { class: 'fact-sub' }, dateTime(d.due_at, tz)));
    }
    return fact('Due', `Next at ${timeOfDay(d.due_at, tz)}`, h('span', { class: 'fact-sub' }, dateTime(d.due_at, tz)));
  }

  function checkRow(c, tz) {
    const who = actorName(c.by) || (c.audit_id ? 'Mystery shopper' : '');
    return h('li', { class: `check-row check-row-${c.result}` },
      h('a', { class: 'check-row-link', href: `#/checks/${c.id}` },
        resultPill(c.result),
        h('span', { class: 'check-row-main' },
          h('span', { class: 'check-row-note' }, c.note || (c.result === 'pass' ? 'All as it should be' : '')),
          h('span', { class: 'check-row-meta' },
            [dateTime(c.at, tz), who, c.audit_id ? 'in an audit' : '', c.photo ? 'photo' : '']
              .filter(Boolean).join(' · '))),
        h('span', { class: 'check-row-go', 'aria-hidden': 'true' }, '›')));
  }

  function render(s, checks) {
    const tz = timeZoneOf(s.location_id);
    const me = getMe();
    const manages = me && (me.role === 'owner' || me.role === 'manager');
    const last = s.last_check;
    const canCheck = s.active;
    body.replaceChildren(...[
      h('header', { class: 'std-page-head' },
        h('div', { class: 'due-tags' },
          s.deal_breaker ? dealBreakerTag() : null,
          h('span', { class: 'due-touchpoint' }, touchpointName(s)),
          s.active ? null : h('span', { class: 'std-chip' }, 'Retired')),
        h('h2', { id: 'std-page-title', class: 'card-heading', tabindex: '-1' }, s.text)),
      h('dl', { class: 'case-facts' },
        dueFact(s, tz),
        fact('Checked', frequencyLabel(s.frequency_minutes)),
        fact('Whose job', OWNER_ROLE_LABELS[s.owner_role] || s.owner_role),
        fact('Last check', last
          ? h('a', { class: 'case-guest-link', href: `#/checks/${last.id}` }, `${RESULT_LABELS[last.result] || last.result} ${relativeTime(last.at)}`)
          : h('span', { class: 'muted' }, 'Never'),
        last && actorName(last.by) ? h('span', { class: 'fact-sub' }, `by ${actorName(last.by)}`) : null),
        s.deal_breaker ? fact('If it fails', `Alert and a ${categoryLabel(s.category).toLowerCase()} case`) : null),
      canCheck ? h('section', { class: 'panel std-page-check', 'aria-labelledby': 'std-page-check-title' },
        h('h3', { id: 'std-page-check-title', class: 'panel-title' }, 'Record a check'),
        checkControls(s, { onRecorded: () => load(s.id), onGone: () => load(s.id) })) : null,
      h('section', { class: 'panel', 'aria-labelledby': 'std-page-checks-title' },
        h('h3', { id: 'std-page-checks-title', class: 'panel-title' }, 'Recent checks'),
        checks.length
          ? h('ul', { class: 'check-rows' }, checks.map((c) => checkRow(c, tz)))
          : h('p', { class: 'muted' }, 'No checks recorded yet.')),
      manages ? h('p', null, h('a', { class: 'btn btn-ghost', href: '#/standards' }, 'Edit standards')) : null,
    ].filter(Boolean));
    show(body, true);
    setStatus('');
    onTitle(s.text);
  }

  async function load(id) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    try {
      const s = await api.get(`/standards/${id}`, { signal: mine.signal });
      const res = await api.get('/checks', {
        query: { location_id: s.location_id, standard_id: s.id, limit: RECENT }, signal: mine.signal,
      });
      if (controller !== mine || standardId !== id) return;
      render(s, res && Array.isArray(res.items) ? res.items : []);
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      show(body, false);
      setStatus(err.status === 404
        ? 'No such standard here: it may be at a location you don’t work at.'
        : `Couldn’t load the standard: ${err.message}`);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  return {
    open(id) {
      if (id !== standardId) {
        standardId = id;
        body.replaceChildren();
        show(body, false);
        setStatus('Loading the standard…');
      }
      load(id);
    },
    close() {
      if (controller) controller.abort();
      controller = null;
    },
    reset() {
      this.close();
      standardId = null;
      body.replaceChildren();
    },
  };
}

export function createCheckPage({ root, getMe, timeZoneOf, onTitle }) {
  let checkId = null;
  let controller = null;

  const statusEl = h('p', { class: 'list-status', role: 'status', hidden: true });
  const body = h('div', { class: 'check-page', hidden: true });
  root.replaceChildren(statusEl, body);

  function setStatus(text) {
    setText(statusEl, text || '');
    show(statusEl, Boolean(text));
  }

  function render(c) {
    const tz = timeZoneOf(c.location_id);
    const me = getMe();
    const seesCases = me && me.role !== 'kitchen';
    const s = c.standard || {};
    const who = actorName(c.by) || (c.audit_id ? 'A mystery shopper' : 'Unknown');
    const links = [];
    links.push(h('a', { class: 'btn btn-secondary', href: `#/standards/${c.standard_id}` }, 'The standard'));
    if (c.case_id && seesCases) {
      links.push(h('a', { class: 'btn btn-primary', href: `#/cases/${c.case_id}` }, 'Recovery case'));
    }
    body.replaceChildren(...[
      h('header', { class: 'std-page-head' },
        h('div', { class: 'due-tags' },
          resultPill(c.result),
          s.deal_breaker ? dealBreakerTag() : null,
          h('span', { class: 'due-touchpoint' }, touchpointName(s))),
        h('h2', { id: 'check-page-title', class: 'card-heading', tabindex: '-1' }, s.text || `Check #${c.id}`)),
      c.note ? h('blockquote', { class: `check-note check-note-${c.result}` }, c.note) : null,
      c.photo ? h('figure', { class: 'check-photo' },
        h('img', { src: c.photo.href, alt: `Photo taken with the check: ${c.note || s.text || ''}`.trim() }),
        h('figcaption', { class: 'muted' }, 'Photo taken with the check')) : null,
      h('dl', { class: 'case-facts' },
        fact('By', who),
        fact('When', when(c.at, tz), h('span', { class: 'fact-sub' }, dateTime(c.at, tz))),
        c.audit_id ? fact('Recorded in', seesCases ? h('a', { class: 'case-guest-link', href: `#/audits/${c.audit_id}` }, `Audit #${c.audit_id}`) : `Audit #${c.audit_id}`) : null,
        c.case_id ? fact('Case', seesCases ? h('a', { class: 'case-guest-link', href: `#/cases/${c.case_id}` }, `Case #${c.case_id}`) : `#${c.case_id}`) : null),
      h('div', { class: 'order-links' }, links),
    ].filter(Boolean));
    show(body, true);
    setStatus('');
    onTitle(s.text || 'Check');
  }

  async function load(id) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    try {
      const c = await api.get(`/checks/${id}`, { signal: mine.signal });
      if (controller !== mine || checkId !== id) return;
      render(c);
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      show(body, false);
      setStatus(err.status === 404
        ? 'No such check here: it may be at a location you don’t work at.'
        : `Couldn’t load the check: ${err.message}`);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  return {
    open(id) {
      if (id !== checkId) {
        checkId = id;
        body.replaceChildren();
        show(body, false);
        setStatus('Loading the check…');
      }
      load(id);
    },
    close() {
      if (controller) controller.abort();
      controller = null;
    },
    reset() {
      this.close();
      checkId = null;
      body.replaceChildren();
    },
  };
}
