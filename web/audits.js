// Audits: many standards at once. Routes:
//   #/audits        the list, newest first, with score, kind and status;
//                   "Mystery-shop link" (owners, managers) makes a one-time
//                   link for a mystery shopper, shown once with a copy button
//   #/audits/new    a routine walk-round: every active standard, deal-breakers
//                   first, pass / fail / n/a, a note for each failure
//   #/audits/12     one audit: its score and each result

import { api, isAbort } from './api.js';
import {
  $, busy, clearFormErrors, focusFirstInvalid, h, setFormError, setText, show,
} from './dom.js';
import { dateTime, relativeTime } from './format.js';
import { actorName } from './order-words.js';
import {
  AUDIT_KIND_LABELS, AUDIT_STATUS_LABELS, RESULTS, dealBreakerTag, resultPill, scoreBadge,
  touchpointName,
} from './standards-words.js';

const PAGE_SIZE = 20;
const MAX_NOTE = 1000;

function canMakeLinks(staff) {
  return Boolean(staff) && (staff.role === 'owner' || staff.role === 'manager');
}

export function createAudits({ listRoot, newRoot, auditRoot, getMe, timeZoneOf, navigate, onTitle }) {
  let locationId = null;

  // ---------- the list ----------

  let items = [];
  let next = null;
  let listController = null;

  const newLink = h('a', { href: '#/audits/new', class: 'btn btn-primary' },
    h('span', { 'aria-hidden': 'true' }, '+'), ' New routine audit');
  const mysteryButton = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Mystery-shop link');
  const listStatus = h('div', { class: 'list-status', role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', null, 'Loading audits…'));
  const listFailedText = h('span');
  const listRetry = h('button', { type: 'button', class: 'btn btn-small btn-secondary' }, 'Try again');
  const listFailed = h('div', { class: 'form-error load-error', role: 'alert', hidden: true }, listFailedText, listRetry);
  const list = h('ul', { class: 'audit-list', 'aria-label': 'Audits, newest first', hidden: true });
  const listEmpty = h('div', { class: 'empty-state', hidden: true },
    h('p', { class: 'empty-state-title' }, 'No audits yet'),
    h('p', { class: 'muted' }, 'Walk round with “New routine audit”, or send a mystery shopper a link.'));
  const more = h('button', { type: 'button', class: 'btn btn-secondary btn-block load-more', hidden: true }, 'Load more');
  listRoot.replaceChildren(
    h('div', { class: 'section-head' },
      h('div', { class: 'section-head-text' },
        h('p', { class: 'muted' }, 'Every standard at once: a routine walk-round, or a mystery shopper’s visit.')),
      h('div', { class: 'audit-actions' }, mysteryButton, newLink)),
    listStatus, listFailed, list, listEmpty, more);
  listRetry.addEventListener('click', () => loadList());

  function auditRow(a) {
    const tz = timeZoneOf(a.location_id);
    const at = a.submitted_at || a.created_at;
    const counts = a.status === 'submitted'
      ? [`${a.passed} passed`, `${a.failed} failed`, a.na ? `${a.na} n/a` : ''].filter(Boolean).join(' · ')
      : a.status === 'pending' && a.expires_at ? `Link open until ${dateTime(a.expires_at, tz)}` : '';
    return h('li', { class: `audit-row audit-${a.status}`, dataset: { auditId: String(a.id) } },
      h('a', { class: 'audit-link', href: `#/audits/${a.id}` },
        scoreBadge(a.status === 'submitted' ? a.score : null),
        h('span', { class: 'audit-row-main' },
          h('span', { class: 'audit-row-top' },
            h('span', { class: `audit-kind audit-kind-${a.kind}` }, AUDIT_KIND_LABELS[a.kind] || a.kind),
            h('span', { class: `audit-status audit-status-${a.status}` }, AUDIT_STATUS_LABELS[a.status] || a.status),
            a.deal_breakers_failed ? h('span', { class: 'deal-breaker-tag' },
              `${a.deal_breakers_failed} deal-breaker${a.deal_breakers_failed === 1 ? '' : 's'} failed`) : null),
          h('span', { class: 'audit-row-meta' },
            [counts, `${relativeTime(at)}${actorName(a.created_by) ? ` · ${actorName(a.created_by)}` : ''}`]
              .filter(Boolean).join(' · '))),
        h('span', { class: 'check-row-go', 'aria-hidden': 'true' }, '›')));
  }

  async function loadList({ append = false } = {}) {
    if (listController) listController.abort();
    const mine = new AbortController();
    listController = mine;
    show(listFailed, false);
    if (!append) show(listStatus, items.length === 0);
    try {
      const query = { location_id: locationId, limit: PAGE_SIZE };
      if (append) query.cursor = next;
      const res = await api.get('/audits', { query, signal: mine.signal });
      if (listController !== mine) return;
      const got = res && Array.isArray(res.items) ? res.items : [];
      items = append ? items.concat(got.filter((a) => !items.some((b) => b.id === a.id))) : got;
      next = res ? res.next || null : null;
      list.replaceChildren(...items.map(auditRow));
      show(list, items.length > 0);
      show(listEmpty, items.length === 0);
      show(more, Boolean(next));
    } catch (err) {
      if (isAbort(err) || listController !== mine) return;
      if (err.status === 401) return;
      setText(listFailedText, `Couldn’t load the audits: ${err.message}`);
      show(listFailed, true);
    } finally {
      if (listController === mine) {
        listController = null;
        show(listStatus, false);
      }
    }
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await loadList({ append: true });
    } finally {
      more.disabled = false;
    }
  });

  // ---------- the mystery-shop link ----------

  const dialog = $('mystery-dialog');
  const dialogError = $('mystery-error');
  const dialogUrl = $('mystery-url');
  const dialogCreate = $('mystery-create');
  const dialogDays = $('mystery-days');

  function resetDialog() {
    show($('mystery-ask'), true);
    show($('mystery-link'), false);
    show(dialogCreate, true);
    setFormError(dialogError, '');
    dialogUrl.value = '';
    setText($('mystery-copy'), 'Copy');
    setText($('mystery-close'), 'Cancel');
  }

  mysteryButton.addEventListener('click', () => {
    resetDialog();
    dialog.showModal();
  });

  dialogCreate.addEventListener('click', async () => {
    setFormError(dialogError, '');
    dialogCreate.disabled = true;
    try {
      const res = await api.post('/audits', {
        location_id: locationId, kind: 'mystery', expires_days: Number(dialogDays.value),
      });
      dialogUrl.value = new URL(res.url, window.location.origin).href;
      setText($('mystery-expiry'), res.expires_at
        ? `Works once, until ${dateTime(res.expires_at, timeZoneOf(res.location_id))}. It is shown only now: copy it before closing.`
        : 'Works once. It is shown only now: copy it before closing.');
      show($('mystery-ask'), false);
      show(dialogCreate, false);
      show($('mystery-link'), true);
      setText($('mystery-close'), 'Done');
      dialogUrl.focus();
      dialogUrl.select();
      if (view === 'list') loadList();
    } catch (err) {
      if (err.status === 401) {
        dialog.close();
        return;
      }
      setFormError(dialogError, err.message);
    } finally {
      dialogCreate.disabled = false;
    }
  });

  $('mystery-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(dialogUrl.value);
      setText($('mystery-copy'), 'Copied');
    } catch {
      dialogUrl.focus();
      dialogUrl.select();
      setText($('mystery-copy'), 'Select and copy');
    }
  });

  $('mystery-close').addEventListener('click', () => dialog.close());

  // ---------- a routine audit ----------

  let standards = [];
  let newController = null;
  const rows = h('ol', { class: 'audit-form-list' });
  const answered = h('p', { class: 'audit-progress muted', role: 'status' });
  const overall = h('textarea', {
    id: 'audit-note', name: 'note', rows: '2', maxlength: String(MAX_NOTE), autocomplete: 'off',
    placeholder: 'e.g. Saturday lunch, busy', 'aria-describedby': 'audit-note-error',
  });
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const newStatus = h('p', { class: 'list-status', role: 'status', hidden: true });
  const allNa = h('button', { type: 'button', class: 'btn btn-ghost btn-small' }, 'Mark the rest N/A');
  const auditForm = h('form', { class: 'audit-form', novalidate: true, hidden: true, 'aria-label': 'Routine audit' },
    h('div', { class: 'audit-form-head' },
      h('p', { class: 'muted' }, 'Go round and answer every standard. A failure needs a note; deal-breakers come first.'),
      allNa),
    rows,
    h('div', { class: 'panel audit-form-foot' },
      h('div', { class: 'field' },
        h('label', { for: 'audit-note' }, 'Note on the audit ', h('span', { class: 'optional' }, 'optional')),
        overall,
        h('p', { id: 'audit-note-error', class: 'field-error', hidden: true })),
      h('div', { class: 'form-foot' }, answered, formError,
        h('a', { href: '#/audits', class: 'btn btn-ghost btn-lg' }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn btn-primary btn-lg' }, 'Submit audit'))));
  newRoot.replaceChildren(newStatus, auditForm);

  function resultChoice(s, r) {
    const id = `audit-${s.id}-${r.value}`;
    return h('label', { class: `chip chip-big result-chip result-chip-${r.value}`, for: id },
      h('input', {
        id, class: 'chip-input', type: 'radio', name: `result-${s.id}`, value: r.value,
        'aria-label': `${r.label}: ${s.text}`,
      }),
      r.label);
  }

  function standardItem(s) {
    const noteId = `audit-note-${s.id}`;
    return h('li', { class: `audit-item${s.deal_breaker ? ' is-deal-breaker' : ''}`, dataset: { standardId: String(s.id) } },
      h('fieldset', { class: 'audit-q field', 'aria-describedby': `audit-q-error-${s.id}` },
        h('legend', { class: 'audit-q-text' },
          h('span', { class: 'due-tags' }, s.deal_breaker ? dealBreakerTag() : null,
            h('span', { class: 'due-touchpoint' }, touchpointName(s))),
          h('span', { class: 'audit-q-words' }, s.text)),
        h('div', { class: 'chips result-chips' }, RESULTS.map((r) => resultChoice(s, r))),
        h('p', { id: `audit-q-error-${s.id}`, class: 'field-error', hidden: true })),
      h('div', { class: 'field audit-item-note', hidden: true },
        h('label', { for: noteId }, 'What’s wrong?'),
        h('input', {
          id: noteId, name: `note-${s.id}`, type: 'text', maxlength: String(MAX_NOTE), autocomplete: 'off',
          'aria-describedby': `${noteId}-error`,
        }),
        h('p', { id: `${noteId}-error`, class: 'field-error', hidden: true })));
  }

  function itemOf(sid) {
    return rows.querySelector(`.audit-item[data-standard-id="${sid}"]`);
  }

  function itemError(sid, part, message) {
    const li = itemOf(sid);
    if (!li) return false;
    const slot = part === 'note' ? li.querySelector('.audit-item-note .field-error') : li.querySelector('.audit-q .field-error');
    const control = part === 'note' ? li.querySelector('.audit-item-note input') : li.querySelector('.audit-q');
    if (part === 'note') show(li.querySelector('.audit-item-note'), true);
    setText(slot, message);
    show(slot, true);
    control.setAttribute('aria-invalid', 'true');
    return true;
  }

  function updateProgress() {
    const done = standards.filter((s) => auditForm.querySelector(`input[name="result-${s.id}"]:checked`)).length;
    setText(answered, `${done} of ${standards.length} answered`);
  }

  auditForm.addEventListener('change', (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'radio') return;
    const li = input.closest('.audit-item');
    const note = li.querySelector('.audit-item-note');
    const failing = input.value === 'fail';
    show(note, failing || note.querySelector('input').value.trim() !== '');
    const q = li.querySelector('.audit-q');
    q.removeAttribute('aria-invalid');
    show(q.querySelector('.field-error'), false);
    if (failing) note.querySelector('input').focus();
    updateProgress();
  });
  auditForm.addEventListener('input', (event) => {
    const field = event.target instanceof Element ? event.target.closest('.field') : null;
    if (!field) return;
    const slot = field.querySelector('.field-error');
    if (slot) show(slot, false);
    for (const el of field.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  });

  allNa.addEventListener('click', () => {
    for (const s of standards) {
      if (!auditForm.querySelector(`input[name="result-${s.id}"]:checked`)) {
        auditForm.querySelector(`#audit-${s.id}-na`).checked = true;
      }
    }
    updateProgress();
  });

  auditForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(auditForm);
    const results = [];
    for (const s of standards) {
      const picked = auditForm.querySelector(`input[name="result-${s.id}"]:checked`);
      const note = auditForm.querySelector(`#audit-note-${s.id}`).value.trim();
      if (!picked) {
        itemError(s.id, 'result', 'Choose pass, fail or N/A.');
        continue;
      }
      if (picked.value === 'fail' && !note) itemError(s.id, 'note', 'Say what’s wrong.');
      const r = { standard_id: s.id, result: picked.value };
      if (note) r.note = note;
      results.push(r);
    }
    if (focusFirstInvalid(auditForm) || results.length !== standards.length) {
      setFormError(formError, 'Some standards need an answer or a note.');
      return;
    }
    const body = { location_id: locationId, kind: 'routine', results };
    const note = overall.value.trim();
    if (note) body.note = note;
    let audit;
    try {
      audit = await busy(auditForm, () => api.post('/audits', body));
    } catch (err) {
      if (err.status === 401) return;
      const m = /^results\[(\d+)\](?:\.(\w+))?$/.exec(err.field || '');
      const r = m ? results[Number(m[1])] : null;
      if (r && itemError(r.standard_id, m[2] === 'note' ? 'note' : 'result', err.message)) {
        focusFirstInvalid(auditForm);
      } else if (err.field === 'note') {
        const slot = $('audit-note-error');
        setText(slot, err.message);
        show(slot, true);
        overall.setAttribute('aria-invalid', 'true');
        overall.focus();
      } else {
        setFormError(formError, err.message);
      }
      return;
    }
    shown = audit;
    items = [];
    navigate(`#/audits/${audit.id}`, { replace: true });
  });

  async function openNew() {
    if (newController) newController.abort();
    const mine = new AbortController();
    newController = mine;
    show(auditForm, false);
    setText(newStatus, 'Loading the standards…');
    show(newStatus, true);
    try {
      const res = await api.get('/standards', { query: { location_id: locationId }, signal: mine.signal });
      if (newController !== mine) return;
      standards = (res && Array.isArray(res.items) ? res.items : []).filter((s) => s.active);
      // Deal-breakers first; otherwise the server's order (by touchpoint).
      standards = [...standards.filter((s) => s.deal_breaker), ...standards.filter((s) => !s.deal_breaker)];
      rows.replaceChildren(...standards.map(standardItem));
      overall.value = '';
      clearFormErrors(auditForm);
      updateProgress();
      if (standards.length === 0) {
        setText(newStatus, 'There are no standards to audit yet. Owners and managers add them under Standards.');
        return;
      }
      show(newStatus, false);
      show(auditForm, true);
    } catch (err) {
      if (isAbort(err) || newController !== mine) return;
      if (err.status === 401) return;
      setText(newStatus, `Couldn’t load the standards: ${err.message}`);
    } finally {
      if (newController === mine) newController = null;
    }
  }

  // ---------- one audit ----------

  let shown = null; // the audit just submitted, shown without asking again
  let auditController = null;
  const auditStatus = h('p', { class: 'list-status', role: 'status', hidden: true });
  const auditBody = h('div', { class: 'audit-page', hidden: true });
  auditRoot.replaceChildren(auditStatus, auditBody);

  function renderAudit(a) {
    const tz = timeZoneOf(a.location_id);
    const results = Array.isArray(a.results) ? a.results : [];
    const submitted = a.status === 'submitted';
    const seesCases = getMe() && getMe().role !== 'kitchen';
    auditBody.replaceChildren(...[
      h('header', { class: 'audit-head' },
        scoreBadge(submitted ? a.score : null, 'score-lg'),
        h('div', { class: 'audit-head-text' },
          h('div', { class: 'audit-row-top' },
            h('span', { class: `audit-kind audit-kind-${a.kind}` }, AUDIT_KIND_LABELS[a.kind] || a.kind),
            h('span', { class: `audit-status audit-status-${a.status}` }, AUDIT_STATUS_LABELS[a.status] || a.status)),
          h('h2', { id: 'audit-title', class: 'card-heading', tabindex: '-1' },
            submitted ? `Score ${a.score} / 100` : (AUDIT_STATUS_LABELS[a.status] || a.status)),
          h('p', { class: 'muted' }, submitted
            ? [`${a.passed} passed`, `${a.failed} failed`, `${a.na} n/a`].join(' · ')
            : a.expires_at ? `The link works until ${dateTime(a.expires_at, tz)}.` : ''),
          submitted && a.deal_breakers_failed
            ? h('p', { class: 'audit-cap' }, `${a.deal_breakers_failed} deal-breaker${a.deal_breakers_failed === 1 ? '' : 's'} failed: the score is capped at 49.`)
            : null)),
      a.note ? h('blockquote', { class: 'check-note' }, a.note) : null,
      a.shopper_note ? h('blockquote', { class: 'check-note' }, `The shopper: ${a.shopper_note}`) : null,
      h('dl', { class: 'case-facts' },
        h('div', { class: 'fact' }, h('dt', null, 'Made by'), h('dd', null, actorName(a.created_by) || '—')),
        h('div', { class: 'fact' }, h('dt', null, 'When'),
          h('dd', null, dateTime(submitted ? a.submitted_at : a.created_at, tz)))),
      results.length ? h('section', { class: 'panel', 'aria-labelledby': 'audit-results-title' },
        h('h3', { id: 'audit-results-title', class: 'panel-title' }, 'Results'),
        h('ul', { class: 'check-rows' }, results.map((r) => h('li', { class: `check-row check-row-${r.result}` },
          h('a', { class: 'check-row-link', href: `#/checks/${r.check_id}` },
            resultPill(r.result),
            h('span', { class: 'check-row-main' },
              h('span', { class: 'check-row-note' },
                r.standard && r.standard.deal_breaker ? dealBreakerTag() : null, ' ',
                r.standard ? r.standard.text : `Check #${r.check_id}`),
              h('span', { class: 'check-row-meta' },
                [r.note, r.case_id && seesCases ? `case #${r.case_id} opened` : ''].filter(Boolean).join(' · '))),
            h('span', { class: 'check-row-go', 'aria-hidden': 'true' }, '›')))))) : null,
      h('p', null, h('a', { class: 'btn btn-ghost', href: '#/audits' }, '‹ All audits')),
    ].filter(Boolean));
    show(auditBody, true);
    show(auditStatus, false);
    onTitle(submitted ? `Audit: ${a.score}` : 'Audit');
  }

  async function openAudit(id) {
    if (shown && shown.id === id) {
      renderAudit(shown);
      shown = null;
      $('audit-title').focus({ preventScroll: true });
      return;
    }
    if (auditController) auditController.abort();
    const mine = new AbortController();
    auditController = mine;
    show(auditBody, false);
    setText(auditStatus, 'Loading the audit…');
    show(auditStatus, true);
    try {
      const a = await api.get(`/audits/${id}`, { signal: mine.signal });
      if (auditController !== mine) return;
      renderAudit(a);
    } catch (err) {
      if (isAbort(err) || auditController !== mine) return;
      if (err.status === 401) return;
      setText(auditStatus, err.status === 404
        ? 'No such audit here: it may be at a location you don’t work at.'
        : `Couldn’t load the audit: ${err.message}`);
    } finally {
      if (auditController === mine) auditController = null;
    }
  }

  let view = null;

  return {
    openList(id) {
      view = 'list';
      if (id !== locationId) {
        locationId = id;
        items = [];
        list.replaceChildren();
      }
      show(mysteryButton, canMakeLinks(getMe()));
      loadList();
    },
    openNew(id) {
      view = 'new';
      locationId = id;
      openNew();
    },
    openAudit(id) {
      view = 'audit';
      openAudit(id);
    },
    close() {
      view = null;
      for (const c of [listController, newController, auditController]) if (c) c.abort();
      listController = null;
      newController = null;
      auditController = null;
      if (dialog.open) dialog.close();
    },
    reset() {
      this.close();
      locationId = null;
      items = [];
      shown = null;
      list.replaceChildren();
      rows.replaceChildren();
      auditBody.replaceChildren();
    },
  };
}
