// One service-recovery case: what went wrong and for whom, who owns it and
// when it is due; quick actions (apology, call and message in one tap, comp
// and refund with an amount in the location's currency, a note); resolving
// with an outcome, closing and reopening as the status allows; what was
// measured afterwards (did the guest come back?) and the timeline, oldest
// first. The server checks every rule; its message is shown as it says it.

import { api, isAbort } from './api.js';
import { $, h, setText, show } from './dom.js';
import { currencySymbol, dateTime, minorDigits, money, parseMoney, relativeTime } from './format.js';
import {
  ACTIONS, OUTCOMES, OUTCOME_LABELS, actorName, categoryLabel, dueText, eventDetail, eventText,
  measuredText, severityPill, statusPill,
} from './case-words.js';

const ACTIVE = new Set(['open', 'in_progress']);

function when(iso, timeZone) {
  return h('time', { datetime: iso, title: dateTime(iso, timeZone) }, relativeTime(iso));
}

function fact(label, ...value) {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, ...value));
}

export function createCasePage({ getLocations, onChanged, backHash }) {
  const root = $('case-page');
  const status = $('case-status');
  const body = $('case-body');
  const back = $('case-back');

  let caseId = null;
  let current = null; // the case as last loaded
  let controller = null;
  let pending = false; // a request in flight: further taps wait

  function timeZone(c) {
    const loc = getLocations().find((l) => l.id === c.location_id);
    return loc ? loc.timezone : undefined;
  }

  function setStatus(text) {
    setText(status, text || '');
    show(status, Boolean(text));
  }

  // ---- pieces of the page ----

  function header(c) {
    const overdue = ACTIVE.has(c.status) && (c.overdue || Date.parse(c.due_at) < Date.now());
    return h('header', { class: 'case-head' },
      h('div', { class: 'case-head-tags' },
        statusPill(c.status),
        severityPill(c.severity),
        overdue ? h('span', { class: 'case-late-tag' }, 'Overdue') : null),
      h('h2', { id: 'case-title', class: 'card-heading', tabindex: '-1' }, categoryLabel(c.category)),
      h('p', { class: 'case-summary-lg' }, c.summary));
  }

  function facts(c, tz) {
    const overdue = ACTIVE.has(c.status) && (c.overdue || Date.parse(c.due_at) < Date.now());
    const opener = actorName(c.opened_by);
    const given = [
      c.comp_cents ? `Comp ${money(c.comp_cents, c.currency)}` : null,
      c.refund_cents ? `Refund ${money(c.refund_cents, c.currency)}` : null,
    ].filter(Boolean);
    return h('dl', { class: 'case-facts' },
      fact('Guest', c.guest
        ? h('a', { class: 'case-guest-link', href: `#/guests/${c.guest.id}` }, c.guest.name)
        : h('span', { class: 'muted' }, 'No guest')),
      fact('Owner', c.owner ? c.owner.name : h('span', { class: 'muted' }, 'Unassigned')),
      ACTIVE.has(c.status)
        ? fact('Due',
          h('time', { class: overdue ? 'case-due is-late' : 'case-due', datetime: c.due_at }, dueText(c).text),
          h('span', { class: 'fact-sub' }, dateTime(c.due_at, tz)))
        : fact('Resolved', c.resolved_at ? when(c.resolved_at, tz) : '—',
          c.resolved_at ? h('span', { class: 'fact-sub' }, dateTime(c.resolved_at, tz)) : null),
      fact('Opened', when(c.opened_at, tz),
        h('span', { class: 'fact-sub' }, [opener ? `by ${opener}` : '', dateTime(c.opened_at, tz)]
          .filter(Boolean).join(' · '))),
      given.length ? fact('Given', given.join(' · ')) : null,
      c.source === 'check' && c.source_id
        ? fact('From', h('a', { class: 'case-guest-link', href: `#/checks/${c.source_id}` }, 'A failed check'))
        : null);
  }

  function outcome(c, tz) {
    if (!c.outcome && !c.measured) return null;
    const measured = measuredText(c.measured, tz);
    const mstatus = c.measured ? c.measured.status : 'none';
    return h('section', { class: 'case-outcome', 'aria-labelledby': 'case-outcome-title' },
      h('h3', { id: 'case-outcome-title', class: 'section-label' }, 'Outcome'),
      h('div', { class: 'case-outcome-row' },
        c.outcome ? h('p', { class: `case-recorded case-recorded-${c.outcome}` },
          h('span', { class: 'case-outcome-label' }, 'Recorded'),
          h('span', { class: 'case-outcome-value' }, OUTCOME_LABELS[c.outcome] || c.outcome)) : null,
        measured ? h('p', { class: `case-measured case-measured-${mstatus}` },
          h('span', { class: 'case-outcome-label' }, 'Measured'),
          h('span', { class: 'case-outcome-value' }, measured)) : null));
  }

  function actionsPanel(c) {
    if (c.status === 'closed') {
      return h('section', { class: 'panel case-panel' },
        h('h3', { class: 'panel-title' }, 'Record what you did'),
        h('p', { class: 'muted' }, 'This case is closed. Reopen it to record more.'));
    }
    const text = h('input', {
      id: 'case-action-text', name: 'text', type: 'text', autocomplete: 'off', maxlength: '1000',
      placeholder: 'e.g. Brought a fresh flat white', 'aria-describedby': 'case-action-text-error',
    });
    const textError = h('p', { id: 'case-action-text-error', class: 'field-error', hidden: true });
    const buttons = ACTIONS.map((a) => {
      const b = h('button', {
        type: 'button', class: `btn btn-secondary case-action case-action-${a.kind}`, dataset: { kind: a.kind },
      }, a.label);
      b.addEventListener('click', () => quickAction(a));
      return b;
    });
    const symbol = h('span', { id: 'case-money-prefix', class: 'money-prefix', 'aria-hidden': 'true' },
      currencySymbol(c.currency));
    const amount = h('input', {
      id: 'case-money-amount', name: 'value_cents', type: 'text', inputmode: 'decimal', autocomplete: 'off',
      placeholder: minorDigits(c.currency) > 0 ? `0.${'0'.repeat(minorDigits(c.currency))}` : '0',
      'aria-describedby': 'case-money-error',
    });
    const moneyForm = h('form', { id: 'case-money', class: 'case-money', novalidate: true, hidden: true },
      h('div', { class: 'field' },
        h('label', { id: 'case-money-label', for: 'case-money-amount' }, 'Amount'),
        h('div', { class: 'inline-input' },
          h('div', { class: 'money' }, symbol, amount),
          h('button', { type: 'submit', id: 'case-money-save', class: 'btn btn-primary' }, 'Save'),
          h('button', { type: 'button', id: 'case-money-cancel', class: 'btn btn-ghost' }, 'Cancel')),
        h('p', { id: 'case-money-error', class: 'field-error', hidden: true })));
    moneyForm.addEventListener('submit', (event) => {
      event.preventDefault();
      saveMoney();
    });
    moneyForm.querySelector('#case-money-cancel').addEventListener('click', closeMoney);
    amount.addEventListener('input', () => fieldError(amount, ''));
    text.addEventListener('input', () => fieldError(text, ''));

    return h('section', { class: 'panel case-panel', 'aria-labelledby': 'case-actions-title' },
      h('h3', { id: 'case-actions-title', class: 'panel-title' }, 'Record what you did'),
      h('div', { class: 'field' },
        h('label', { for: 'case-action-text' }, 'Details ', h('span', { class: 'optional' }, 'optional, needed for a note')),
        text, textError),
      h('div', { class: 'case-actions', role: 'group', 'aria-label': 'Quick actions' }, buttons),
      moneyForm);
  }

  function statusPanel(c) {
    const row = [];
    if (ACTIVE.has(c.status)) {
      const resolve = h('button', {
        type: 'button', id: 'case-resolve', class: 'btn btn-primary', 'aria-expanded': 'false',
        'aria-controls': 'case-outcomes',
      }, 'Resolve…');
      resolve.addEventListener('click', () => toggleOutcomes(resolve));
      row.push(resolve);
    }
    if (c.status === 'resolved') {
      const close = h('button', { type: 'button', id: 'case-close', class: 'btn btn-primary' }, 'Close case');
      close.addEventListener('click', () => patch({ status: 'closed' }));
      row.push(close);
    }
    if (c.status === 'resolved' || c.status === 'closed') {
      const reopen = h('button', { type: 'button', id: 'case-reopen', class: 'btn btn-secondary' }, 'Reopen');
      reopen.addEventListener('click', () => patch({ status: 'open' }));
      row.push(reopen);
    }
    const choices = ACTIVE.has(c.status)
      ? h('div', { id: 'case-outcomes', class: 'case-outcomes', role: 'group', 'aria-labelledby': 'case-outcomes-q', hidden: true },
        h('p', { id: 'case-outcomes-q', class: 'case-outcomes-q' }, 'How did it end?'),
        h('div', { class: 'case-outcome-buttons' }, OUTCOMES.map((o) => {
          const b = h('button', {
            type: 'button', class: `btn btn-secondary case-outcome-choice case-outcome-${o.value}`,
          }, o.label);
          b.addEventListener('click', () => patch({ status: 'resolved', outcome: o.value }));
          return b;
        })))
      : null;
    const hint = c.status === 'resolved'
      ? 'Close it once nothing more is needed; reopen it if the guest is still unhappy.'
      : c.status === 'closed' ? 'Closed. Reopen it if there is more to do.' : 'Resolve it once the guest has been looked after.';
    return h('section', { class: 'panel case-panel', 'aria-labelledby': 'case-state-title' },
      h('h3', { id: 'case-state-title', class: 'panel-title' }, 'Status'),
      h('p', { class: 'muted' }, hint),
      h('div', { class: 'case-status-row' }, row),
      choices);
  }

  function timeline(c, tz) {
    const events = Array.isArray(c.timeline) ? c.timeline : [];
    return h('section', { class: 'panel case-panel', 'aria-labelledby': 'case-timeline-title' },
      h('h3', { id: 'case-timeline-title', class: 'panel-title' }, 'Timeline'),
      events.length
        ? h('ol', { class: 'case-timeline' }, events.map((e) => {
          const who = actorName(e.actor);
          const detail = eventDetail(e);
          return h('li', { class: `case-event case-event-${e.type.replace(/\W/g, '-')}` },
            h('span', { class: 'case-event-dot', 'aria-hidden': 'true' }),
            h('div', { class: 'case-event-body' },
              h('p', { class: 'case-event-text' }, eventText(e, c.currency, tz)),
              detail ? h('p', { class: 'case-event-detail' }, `“${detail}”`) : null,
              h('p', { class: 'case-event-meta' },
                who ? `${who} · ` : '',
                h('time', { datetime: e.at, title: relativeTime(e.at) }, dateTime(e.at, tz)))));
        }))
        : h('p', { class: 'muted' }, 'Nothing recorded yet.'));
  }

  function render(c) {
    current = c;
    const tz = timeZone(c);
    const focused = document.activeElement && body.contains(document.activeElement)
      ? document.activeElement.id || null : null;
    body.replaceChildren(...[
      header(c),
      facts(c, tz),
      outcome(c, tz),
      h('p', { id: 'case-error', class: 'form-error', role: 'alert', hidden: true }),
      actionsPanel(c),
      statusPanel(c),
      timeline(c, tz),
    ].filter(Boolean));
    show(body, true);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus({ preventScroll: true });
  }

  // ---- errors ----

  function showError(message) {
    const el = document.getElementById('case-error');
    if (!el) return;
    setText(el, message || '');
    show(el, Boolean(message));
    if (message) el.scrollIntoView({ block: 'nearest' });
  }

  function fieldError(control, message) {
    const slot = document.getElementById(`${control.id}-error`);
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    if (slot) {
      setText(slot, message);
      show(slot, Boolean(message));
    }
  }

  // Shows what the server said: next to the field it names, or above the panels.
  function serverError(err) {
    if (err.status === 401) return; // the sign-in screen takes over
    const moneyOpen = !($('case-money').hidden);
    if (err.field === 'value_cents' && moneyOpen) fieldError($('case-money-amount'), err.message);
    else if (err.field === 'text' && document.getElementById('case-action-text')) {
      fieldError($('case-action-text'), err.message);
    } else showError(err.message);
  }

  // ---- doing things ----

  function setBusy(on) {
    pending = on;
    body.setAttribute('aria-busy', on ? 'true' : 'false');
    for (const b of body.querySelectorAll('button')) b.disabled = on;
  }

  async function send(work) {
    if (pending || !current) return false;
    const id = current.id;
    showError('');
    setBusy(true);
    let result;
    try {
      result = await work();
    } catch (err) {
      if (caseId === id) {
        setBusy(false);
        serverError(err);
      }
      return false;
    }
    if (caseId !== id) return false;
    try {
      // Actions answer with the whole case; a status change may not carry the timeline.
      const c = result && Array.isArray(result.timeline) ? result : await api.get(`/cases/${id}`);
      if (caseId !== id) return false;
      pending = false;
      render(c);
    } catch (err) {
      setBusy(false);
      if (err.status !== 401) showError(`Saved, but the case didn’t refresh: ${err.message}`);
    }
    onChanged();
    return true;
  }

  function detailsText() {
    const el = document.getElementById('case-action-text');
    return el ? el.value.trim() : '';
  }

  function quickAction(action) {
    if (action.money) {
      openMoney(action);
      return;
    }
    closeMoney();
    const text = detailsText();
    if (action.kind === 'note' && !text) {
      const input = $('case-action-text');
      fieldError(input, 'Write the note in Details first');
      input.focus();
      return;
    }
    const body = { kind: action.kind };
    if (text) body.text = text;
    send(() => api.post(`/cases/${current.id}/actions`, body));
  }

  let moneyKind = null;

  function openMoney(action) {
    moneyKind = action.kind;
    const form = $('case-money');
    setText($('case-money-label'), action.kind === 'comp'
      ? `Comp value in ${current.currency}` : `Refund in ${current.currency}`);
    setText($('case-money-save'), action.kind === 'comp' ? 'Save comp' : 'Save refund');
    fieldError($('case-money-amount'), '');
    for (const b of body.querySelectorAll('.case-action')) {
      b.classList.toggle('is-chosen', b.dataset.kind === action.kind);
      if (b.dataset.kind === 'comp' || b.dataset.kind === 'refund') {
        b.setAttribute('aria-expanded', String(b.dataset.kind === action.kind));
      }
    }
    show(form, true);
    $('case-money-amount').focus();
  }

  function closeMoney() {
    moneyKind = null;
    const form = document.getElementById('case-money');
    if (!form) return;
    show(form, false);
    $('case-money-amount').value = '';
    fieldError($('case-money-amount'), '');
    for (const b of body.querySelectorAll('.case-action')) {
      b.classList.remove('is-chosen');
      if (b.dataset.kind === 'comp' || b.dataset.kind === 'refund') b.setAttribute('aria-expanded', 'false');
    }
  }

  function saveMoney() {
    if (!moneyKind) return;
    const input = $('case-money-amount');
    const parsed = parseMoney(input.value, current.currency);
    if (parsed.error) {
      fieldError(input, parsed.error);
      input.focus();
      return;
    }
    if (!parsed.value) {
      fieldError(input, 'Enter the amount');
      input.focus();
      return;
    }
    const body = { kind: moneyKind, value_cents: parsed.value };
    const text = detailsText();
    if (text) body.text = text;
    send(() => api.post(`/cases/${current.id}/actions`, body));
  }

  function toggleOutcomes(button) {
    const box = $('case-outcomes');
    const opening = box.hidden;
    show(box, opening);
    button.setAttribute('aria-expanded', String(opening));
    if (opening) {
      box.scrollIntoView({ block: 'nearest' });
      box.querySelector('button').focus({ preventScroll: true });
    }
  }

  function patch(fields) {
    return send(() => api.patch(`/cases/${current.id}`, fields));
  }

  // ---- loading ----

  async function open(id) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const switching = id !== caseId;
    caseId = id;
    back.setAttribute('href', backHash());
    show(root, true);
    if (switching) {
      current = null;
      pending = false;
      show(body, false);
      body.replaceChildren();
      setStatus('Loading case…');
    }
    try {
      const c = await api.get(`/cases/${id}`, { signal: mine.signal });
      if (controller !== mine) return;
      setStatus('');
      render(c);
      if (switching) $('case-title').focus({ preventScroll: true });
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      show(body, false);
      setStatus(err.status === 404
        ? 'There is no such case, or it belongs to a location you don’t work at.'
        : `Couldn’t load the case: ${err.message}`);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  return {
    open,
    close() {
      if (controller) controller.abort();
      controller = null;
      caseId = null;
      current = null;
      pending = false;
      body.replaceChildren();
      show(root, false);
    },
  };
}
