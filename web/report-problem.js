// Service recovery on the guest card. "Report a problem" in three taps: the
// button, a category chip (which fills in the summary and keeps severity at
// Medium), then Send — a staff case at the card's location. And the card's
// case lines: open cases as an amber banner with the server's prompt ("Forgotten
// order on 3 Nov — Mara is on it…"), resolved ones as a calmer line; each
// links to its case page.

import { api } from './api.js';
import {
  $, busy, clearFieldErrorsOnInput, clearFormErrors, focusFirstInvalid, h, icon, setFieldError,
  setFormError, setText, show,
} from './dom.js';
import { CATEGORIES, CATEGORY_LABELS, SEVERITIES, categoryLabel } from './case-words.js';

const DEFAULT_SEVERITY = 'medium';
const FIELDS = ['category', 'severity', 'summary'];

function chip(name, value, label, extraClass = '') {
  return h('label', { class: `chip ${extraClass}`.trim(), dataset: { value } },
    h('input', { type: 'radio', name, value, class: 'chip-input' }),
    h('span', { class: 'chip-label' }, label));
}

function checkedValue(container) {
  const el = container.querySelector('input:checked');
  return el ? el.value : null;
}

function setChecked(container, value) {
  for (const el of container.querySelectorAll('input')) el.checked = el.value === value;
}

// getGuest() is the card's guest; getLocation() the location chosen on the
// card (where visits are recorded), or null.
export function createReportProblem({ getGuest, getLocation, onReported, beforeOpen }) {
  const form = $('problem-form');
  const button = $('report-problem');
  const categories = $('problem-categories');
  const severities = $('problem-severities');
  const details = $('problem-details');
  const summary = $('problem-summary');
  const done = $('problem-done');
  let prefilled = ''; // the summary we filled in, replaced when the category changes

  categories.replaceChildren(...CATEGORIES.map((c) => chip('problem-category', c.value, c.label, 'chip-big')));
  severities.replaceChildren(...SEVERITIES.map((s) => chip('problem-severity', s.value, s.label, `chip-case-sev chip-case-sev-${s.value}`)));

  function reset() {
    clearFormErrors(form);
    setChecked(categories, null);
    setChecked(severities, DEFAULT_SEVERITY);
    summary.value = '';
    prefilled = '';
    show(details, false);
  }

  function close({ focusButton = false } = {}) {
    show(form, false);
    reset();
    button.setAttribute('aria-expanded', 'false');
    if (focusButton) button.focus({ preventScroll: true });
  }

  function open() {
    if (!form.hidden) {
      close({ focusButton: true }); // a second tap closes it
      return;
    }
    if (beforeOpen) beforeOpen();
    reset();
    show(done, false);
    show(form, true);
    button.setAttribute('aria-expanded', 'true');
    form.scrollIntoView({ block: 'nearest' });
    const first = categories.querySelector('input');
    if (first) first.focus({ preventScroll: true });
  }

  clearFieldErrorsOnInput(form);

  categories.addEventListener('change', () => {
    const value = checkedValue(categories);
    // Keep what staff typed; replace only our own suggestion.
    if (summary.value.trim() === '' || summary.value === prefilled) {
      prefilled = CATEGORY_LABELS[value] || '';
      summary.value = prefilled;
    }
    show(details, true);
    details.scrollIntoView({ block: 'nearest' });
  });

  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close({ focusButton: true });
    }
  });

  $('problem-cancel').addEventListener('click', () => close({ focusButton: true }));
  button.addEventListener('click', open);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const guest = getGuest();
    if (!guest) return;
    const category = checkedValue(categories);
    const severity = checkedValue(severities) || DEFAULT_SEVERITY;
    const text = summary.value.trim() || (category ? CATEGORY_LABELS[category] : '');
    if (!category) setFieldError(form, 'category', 'Choose what went wrong');
    if (focusFirstInvalid(form)) return;
    const loc = getLocation();
    if (!loc) {
      setFormError($('problem-form-error'), 'Choose your location under “Record a visit” first.');
      return;
    }
    const body = {
      location_id: loc.id, guest_id: guest.id, source: 'staff', category, severity, summary: text,
    };
    let created;
    try {
      created = await busy(form, () => api.post('/cases', body));
    } catch (err) {
      if (err.status === 401) return;
      const field = FIELDS.includes(err.field) ? err.field : null;
      if (!setFieldError(form, field, err.message)) setFormError($('problem-form-error'), err.message);
      focusFirstInvalid(form);
      return;
    }
    if (!getGuest() || getGuest().id !== guest.id) return;
    close();
    const owner = created && created.owner ? created.owner.name : '';
    setText($('problem-done-text'), owner
      ? `Case opened — ${owner} will follow up.`
      : 'Case opened — a manager will pick it up.');
    $('problem-done-link').setAttribute('href', `#/cases/${created.id}`);
    show(done, true);
    button.focus({ preventScroll: true });
    await onReported(created);
  });

  // ---- the card's case lines ----

  function caseLine(c) {
    const open = c.status === 'open' || c.status === 'in_progress';
    const prompt = c.prompt || `${categoryLabel(c.category)}: ${c.summary || ''}`;
    return h('li', { class: `card-case ${open ? 'is-open' : 'is-resolved'}` },
      h('a', { class: 'card-case-link', href: `#/cases/${c.id}` },
        open ? icon('warning', 20) : icon('check', 18),
        h('span', { class: 'card-case-text' },
          h('span', { class: 'visually-hidden' }, open ? 'Open problem: ' : 'Resolved problem: '),
          prompt),
        h('span', { class: 'card-case-go', 'aria-hidden': 'true' }, '›')));
  }

  function renderCases(cases) {
    const list = Array.isArray(cases) ? cases : [];
    // Open ones first (the server sends newest first within the list).
    const ordered = [
      ...list.filter((c) => c.status === 'open' || c.status === 'in_progress'),
      ...list.filter((c) => !(c.status === 'open' || c.status === 'in_progress')),
    ];
    $('card-case-list').replaceChildren(...ordered.map(caseLine));
    show($('card-cases'), ordered.length > 0);
  }

  return {
    open,
    close,
    renderCases,
    // A different guest: nothing of the last one's report stays.
    reset() {
      close();
      show(done, false);
    },
  };
}
