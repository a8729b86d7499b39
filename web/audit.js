// The mystery shopper's page at /a/{token}: no sign-in, nothing from other
// sites, made for a phone. Lists the location's standards, each with pass /
// fail / n/a and a note (needed for a fail), and an overall note; sends
// them once and shows the score. A link that is unknown, already used or
// expired gets a plain explanation.

import { $, el, call, linkToken } from './public-page.js';

const MAX_NOTE = 1000;

const MESSAGES = {
  thanks: ['Thank you!', 'Your audit has been sent to the team.'],
  audit_submitted: ['Already sent', 'This audit link has already been used. Thank you!'],
  audit_expired: ['This link has expired', 'Mystery-shop links only work for a limited time. Ask whoever sent it for a new one.'],
  audit_invalid: ['Link not found', 'This audit link doesn’t work. Check that it was copied in full.'],
  rate_limited: ['Too many tries', 'Too many answers were sent from this network in the last minute. Please wait a minute and try again.'],
  network: ['Can’t reach us', 'Check your connection and try again.'],
  other: ['Something went wrong', 'We couldn’t open this audit right now. Please try again later.'],
};

const CHOICES = [
  { value: 'pass', label: 'Pass' },
  { value: 'fail', label: 'Fail' },
  { value: 'na', label: 'N/A' },
];

const token = linkToken('a');
let standards = [];

function sentence(text) {
  return text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}` : '';
}

function showMessage(kind, score = null) {
  const [title, text] = MESSAGES[kind] || MESSAGES.other;
  $('loading').hidden = true;
  $('audit-form').hidden = true;
  const box = $('message');
  box.dataset.kind = kind;
  $('message-mark').textContent = kind === 'thanks' || kind === 'audit_submitted' ? '✓' : '!';
  $('message-title').textContent = title;
  const scoreEl = $('message-score');
  if (score !== null && score !== undefined) {
    scoreEl.textContent = '';
    scoreEl.append(el('span', { class: 'score-n' }, String(score)), el('span', { class: 'score-of' }, ' / 100'));
    scoreEl.dataset.tone = score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
    scoreEl.setAttribute('aria-label', `Score ${score} out of 100`);
    scoreEl.hidden = false;
  } else {
    scoreEl.hidden = true;
  }
  $('message-text').textContent = kind === 'thanks' && score !== null && score !== undefined
    ? 'Your audit has been sent to the team. The score counts the standards passed among those passed or failed; a failed deal-breaker keeps it under 50.'
    : text;
  box.hidden = false;
  $('message-title').focus();
  document.title = $('message-title').textContent;
}

function choice(s, c) {
  const id = `r-${s.id}-${c.value}`;
  return el('span', { class: `choice choice-${c.value}` },
    el('input', {
      type: 'radio', id, name: `result-${s.id}`, value: c.value, class: 'choice-input', 'aria-label': `${c.label}: ${s.text}`,
    }),
    el('label', { for: id, class: 'choice-label' }, c.label));
}

function renderStandards() {
  const list = $('standards');
  let lastTouchpoint = null;
  standards.forEach((s, i) => {
    const tp = s.touchpoint ? s.touchpoint.name : '';
    if (tp && tp !== lastTouchpoint) {
      list.append(el('li', { class: 'touchpoint', 'aria-hidden': 'true' }, tp));
      lastTouchpoint = tp;
    }
    const legendId = `q-${s.id}-legend`;
    const noteId = `note-${s.id}`;
    const item = el('li', { class: `standard${s.deal_breaker ? ' is-deal-breaker' : ''}`, 'data-id': String(s.id) },
      el('fieldset', { class: 'question', 'aria-labelledby': legendId, 'aria-describedby': `q-${s.id}-error` },
        el('legend', { id: legendId, class: 'question-text standard-text' },
          el('span', { class: 'visually-hidden' }, `${i + 1}. ${tp ? `${tp}: ` : ''}`),
          s.deal_breaker ? el('span', { class: 'deal-breaker' }, 'Must have') : null,
          s.text),
        el('div', { class: 'results' }, ...CHOICES.map((c) => choice(s, c))),
        el('p', { id: `q-${s.id}-error`, class: 'error', role: 'alert', hidden: true })),
      el('div', { class: 'standard-note' },
        el('label', { for: noteId, class: 'note-label' }, 'Note ', el('span', { class: 'optional' }, 'optional')),
        el('textarea', {
          id: noteId, name: noteId, rows: '2', maxlength: String(MAX_NOTE), 'aria-describedby': `${noteId}-error`,
        }),
        el('p', { id: `${noteId}-error`, class: 'error', role: 'alert', hidden: true })));
    list.append(item);
  });
}

function itemOf(id) {
  return document.querySelector(`.standard[data-id="${id}"]`);
}

function fieldError(slot, message) {
  slot.textContent = message || '';
  slot.hidden = !message;
}

function clearErrors() {
  for (const slot of document.querySelectorAll('.error')) fieldError(slot, '');
  for (const f of document.querySelectorAll('[aria-invalid]')) f.removeAttribute('aria-invalid');
}

function markError(id, part, message) {
  const li = itemOf(id);
  if (!li) return false;
  if (part === 'note') {
    fieldError($(`note-${id}-error`), message);
    $(`note-${id}`).setAttribute('aria-invalid', 'true');
  } else {
    fieldError($(`q-${id}-error`), message);
    li.querySelector('fieldset').setAttribute('aria-invalid', 'true');
  }
  return true;
}

function progress() {
  const done = standards.filter((s) => document.querySelector(`input[name="result-${s.id}"]:checked`)).length;
  $('progress').textContent = `${done} of ${standards.length} answered`;
}

function onChange(event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== 'radio') return;
  const li = input.closest('.standard');
  const id = li.dataset.id;
  const failing = input.value === 'fail';
  li.classList.toggle('is-failing', failing);
  li.querySelector('.note-label .optional').textContent = failing ? 'needed' : 'optional';
  fieldError($(`q-${id}-error`), '');
  li.querySelector('fieldset').removeAttribute('aria-invalid');
  progress();
}

async function send(event) {
  event.preventDefault();
  clearErrors();
  const results = [];
  let first = null;
  for (const s of standards) {
    const picked = document.querySelector(`input[name="result-${s.id}"]:checked`);
    const note = $(`note-${s.id}`).value.trim();
    if (!picked) {
      markError(s.id, 'result', 'Choose pass, fail or N/A.');
      first = first || document.querySelector(`input[name="result-${s.id}"]`);
      continue;
    }
    if (picked.value === 'fail' && !note) {
      markError(s.id, 'note', 'Say what you found.');
      first = first || $(`note-${s.id}`);
    }
    const r = { standard_id: s.id, result: picked.value };
    if (note) r.note = note;
    results.push(r);
  }
  if (first) {
    fieldError($('form-error'), 'Some standards still need an answer or a note.');
    first.focus();
    return;
  }
  const body = { token, results };
  const note = $('note').value.trim();
  if (note) body.note = note;
  const button = $('send');
  button.disabled = true;
  button.textContent = 'Sending…';
  try {
    const res = await call('POST', '/public/audits', body);
    showMessage('thanks', res ? res.score : null);
  } catch (err) {
    if (['audit_submitted', 'audit_expired', 'audit_invalid'].includes(err.code)) {
      showMessage(err.code);
      return;
    }
    const m = /^results\[(\d+)\](?:\.(\w+))?$/.exec(err.field || '');
    const r = m ? results[Number(m[1])] : null;
    if (r && markError(r.standard_id, m[2] === 'note' ? 'note' : 'result', sentence(err.message))) {
      itemOf(r.standard_id).scrollIntoView({ block: 'center' });
    } else if (err.field === 'note') {
      fieldError($('note-error'), sentence(err.message));
      $('note').focus();
    } else if (err.code === 'rate_limited' || err.code === 'network') {
      fieldError($('form-error'), MESSAGES[err.code][1]);
    } else {
      fieldError($('form-error'), sentence(err.message) || MESSAGES.other[1]);
    }
  } finally {
    button.disabled = false;
    button.textContent = 'Send';
  }
}

async function start() {
  if (!token) {
    showMessage('audit_invalid');
    return;
  }
  let audit;
  try {
    audit = await call('GET', `/public/audit?token=${encodeURIComponent(token)}`);
  } catch (err) {
    showMessage(MESSAGES[err.code] ? err.code : 'other');
    return;
  }
  const place = (audit.location && audit.location.name) || '';
  standards = Array.isArray(audit.standards) ? audit.standards : [];
  $('place').textContent = place;
  $('audit-title').textContent = place ? `Mystery shop at ${place}` : 'Mystery shop';
  document.title = place ? `${place} · Mystery shop` : 'Mystery shop';
  if (audit.expires_at) {
    const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(Date.parse(audit.expires_at));
    $('expires').textContent = `This link works once, until ${when}.`;
  }
  if (standards.length === 0) {
    $('intro').textContent = 'There are no standards to check here right now.';
    $('send').hidden = true;
  }
  renderStandards();
  progress();
  $('audit-form').addEventListener('submit', send);
  $('audit-form').addEventListener('change', onChange);
  $('audit-form').addEventListener('input', (event) => {
    if (event.target instanceof HTMLTextAreaElement) {
      const slot = $(`${event.target.id}-error`);
      if (slot) fieldError(slot, '');
      event.target.removeAttribute('aria-invalid');
    }
  });
  $('loading').hidden = true;
  $('audit-form').hidden = false;
}

start();
