// The standards editor, for owners and managers: a location's standards of
// care by touchpoint, in the customer's journey order; adding and editing
// one (its words, touchpoint, how often it is checked, whether a failure is
// a deal-breaker, whose job it is and the case category a failure opens);
// retiring and restoring. The server checks every field; its error shows
// under the field it names.

import { api, isAbort } from './api.js';
import {
  busy, clearFieldErrorsOnInput, clearFormErrors, focusFirstInvalid, h, setFieldError, setFormError,
  setText, show,
} from './dom.js';
import { categoryLabel } from './case-words.js';
import {
  CATEGORIES, FREQUENCIES, OWNER_ROLES, OWNER_ROLE_LABELS, dealBreakerTag, defaultCategory,
  frequencyLabel,
} from './standards-words.js';

const MAX_TEXT = 200;

function option(value, label) {
  return h('option', { value: String(value) }, label);
}

export function createStandardsEditor({ root, onChanged }) {
  let locationId = null;
  let touchpoints = [];
  let standards = [];
  let editing = null; // the standard in the form, or null when adding
  let controller = null;
  let categoryTouched = false;

  // ---- the form ----

  const fText = h('input', {
    id: 'std-text', name: 'text', type: 'text', autocomplete: 'off', maxlength: String(MAX_TEXT),
    placeholder: 'e.g. Restroom clean, lit, paper or dryer', 'aria-describedby': 'std-text-error',
  });
  const fTouchpoint = h('select', { id: 'std-touchpoint', name: 'touchpoint_id', 'aria-describedby': 'std-touchpoint-error' });
  const fFrequency = h('select', { id: 'std-frequency', name: 'frequency_minutes', 'aria-describedby': 'std-frequency-error' });
  const fRole = h('select', { id: 'std-role', name: 'owner_role', 'aria-describedby': 'std-role-error' },
    OWNER_ROLES.map((r) => option(r.value, r.label)));
  const fCategory = h('select', { id: 'std-category', name: 'category', 'aria-describedby': 'std-category-hint std-category-error' },
    CATEGORIES.map((c) => option(c.value, c.label)));
  const fDeal = h('input', { id: 'std-deal', name: 'deal_breaker', type: 'checkbox' });
  const formTitle = h('h2', { id: 'std-form-title', class: 'panel-title', tabindex: '-1' }, 'Add a standard');
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-lg' }, 'Add standard');
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost btn-lg' }, 'Cancel');
  const formError = h('p', { id: 'std-form-error', class: 'form-error', role: 'alert', hidden: true });

  function field(id, label, control, { hint, span } = {}) {
    return h('div', { class: `field${span ? ' field-span' : ''}` },
      h('label', { for: id }, label), control,
      hint ? h('p', { id: `${id}-hint`, class: 'field-hint' }, hint) : null,
      h('p', { id: `${id}-error`, class: 'field-error', hidden: true }));
  }

  const form = h('form', { class: 'panel std-form', novalidate: true, hidden: true, 'aria-labelledby': 'std-form-title' },
    formTitle,
    h('div', { class: 'form-grid' },
      field('std-text', 'What good looks like', fText, { span: true }),
      field('std-touchpoint', 'Touchpoint', fTouchpoint),
      field('std-frequency', 'Checked', fFrequency),
      field('std-role', 'Whose job', fRole),
      field('std-category', 'Case category if it fails', fCategory,
        { hint: 'A failed deal-breaker opens a recovery case of this kind.' }),
      h('div', { class: 'field field-span' },
        h('label', { class: 'toggle toggle-danger' }, fDeal,
          h('span', null, 'Deal-breaker: a failure raises an alert and opens a case at once')),
        h('p', { id: 'std-deal-error', class: 'field-error', hidden: true }))),
    h('div', { class: 'form-foot' }, formError, cancel, submit));
  clearFieldErrorsOnInput(form);

  fCategory.addEventListener('change', () => { categoryTouched = true; });
  fTouchpoint.addEventListener('change', () => {
    if (categoryTouched) return;
    const tp = touchpoints.find((t) => String(t.id) === fTouchpoint.value);
    if (tp) fCategory.value = defaultCategory(tp.key);
  });

  function fillFrequency(current) {
    const opts = FREQUENCIES.map((f) => option(f.value, f.label));
    if (current !== undefined && !FREQUENCIES.some((f) => f.value === current)) {
      opts.push(option(current, frequencyLabel(current)));
    }
    fFrequency.replaceChildren(...opts);
  }

  function fillTouchpoints(current) {
    const usable = touchpoints.filter((t) => t.active || t.id === current);
    fTouchpoint.replaceChildren(...usable.map((t) => option(t.id, t.name)));
  }

  function openForm(standard) {
    editing = standard || null;
    categoryTouched = Boolean(standard);
    clearFormErrors(form);
    fillTouchpoints(standard ? standard.touchpoint.id : undefined);
    fillFrequency(standard ? standard.frequency_minutes : undefined);
    if (standard) {
      fText.value = standard.text;
      fTouchpoint.value = String(standard.touchpoint.id);
      fFrequency.value = String(standard.frequency_minutes);
      fRole.value = standard.owner_role || 'host';
      fCategory.value = standard.category || 'other';
      fDeal.checked = Boolean(standard.deal_breaker);
    } else {
      fText.value = '';
      fFrequency.value = '60';
      fRole.value = 'host';
      fDeal.checked = false;
      const tp = touchpoints.find((t) => String(t.id) === fTouchpoint.value);
      fCategory.value = defaultCategory(tp ? tp.key : '');
    }
    setText(formTitle, standard ? 'Edit standard' : 'Add a standard');
    setText(submit, standard ? 'Save changes' : 'Add standard');
    show(form, true);
    show(addButton, false);
    form.scrollIntoView({ block: 'nearest' });
    fText.focus({ preventScroll: true });
  }

  function closeForm() {
    editing = null;
    show(form, false);
    show(addButton, true);
  }

  cancel.addEventListener('click', closeForm);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = {
      text: fText.value.trim(),
      touchpoint_id: Number(fTouchpoint.value),
      frequency_minutes: Number(fFrequency.value),
      deal_breaker: fDeal.checked,
      owner_role: fRole.value,
      category: fCategory.value,
    };
    if (!body.text) setFieldError(form, 'text', 'Say what good looks like, e.g. “Tables wiped and set”.');
    if (!fTouchpoint.value) setFieldError(form, 'touchpoint_id', 'Choose where it happens.');
    if (focusFirstInvalid(form)) return;
    let saved;
    try {
      saved = await busy(form, () => (editing
        ? api.patch(`/standards/${editing.id}`, changes(editing, body))
        : api.post('/standards', { location_id: locationId, ...body })));
    } catch (err) {
      if (err.status === 401) return;
      if (!setFieldError(form, err.field, err.message)) setFormError(formError, err.message);
      focusFirstInvalid(form);
      return;
    }
    upsert(saved);
    closeForm();
    onChanged(editing ? 'Standard saved.' : `Added “${saved.text}”.`);
  });

  // Only what changed: an unchanged PATCH would be refused as empty.
  function changes(before, body) {
    const out = {};
    if (body.text !== before.text) out.text = body.text;
    if (body.touchpoint_id !== before.touchpoint.id) out.touchpoint_id = body.touchpoint_id;
    for (const k of ['frequency_minutes', 'deal_breaker', 'owner_role', 'category']) {
      if (body[k] !== before[k]) out[k] = body[k];
    }
    return Object.keys(out).length ? out : { text: body.text };
  }

  function upsert(s) {
    const i = standards.findIndex((x) => x.id === s.id);
    if (i >= 0) standards[i] = s;
    else standards.push(s);
    render();
  }

  // ---- the list ----

  const addButton = h('button', { type: 'button', class: 'btn btn-primary' },
    h('span', { 'aria-hidden': 'true' }, '+'), ' Add standard');
  addButton.addEventListener('click', () => openForm(null));
  const intro = h('p', { class: 'muted' },
    'What good looks like at each touchpoint, and how often someone checks it while you’re open.');
  const statusEl = h('div', { class: 'list-status', role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', null, 'Loading standards…'));
  const failedText = h('span');
  const retry = h('button', { type: 'button', class: 'btn btn-small btn-secondary' }, 'Try again');
  const failed = h('div', { class: 'form-error load-error', role: 'alert', hidden: true }, failedText, retry);
  const listError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const groups = h('div', { class: 'std-groups' });
  const empty = h('div', { class: 'empty-state', hidden: true },
    h('p', { class: 'empty-state-title' }, 'No standards yet'),
    h('p', { class: 'muted' }, 'Add what good looks like — “Restroom clean, lit, paper or dryer”, hourly — and it comes due on the “Due now” list while you’re open.'));
  root.replaceChildren(
    h('div', { class: 'section-head' }, h('div', { class: 'section-head-text' }, intro), addButton),
    form, statusEl, failed, listError, empty, groups);
  retry.addEventListener('click', () => load());

  function standardRow(s) {
    const toggle = h('button', { type: 'button', class: `btn btn-small ${s.active ? 'btn-ghost' : 'btn-secondary'}` },
      s.active ? 'Retire' : 'Restore');
    toggle.addEventListener('click', () => setActive(s, !s.active, toggle));
    const edit = h('button', { type: 'button', class: 'btn btn-small btn-secondary', 'aria-label': `Edit: ${s.text}` }, 'Edit');
    edit.addEventListener('click', () => openForm(s));
    return h('li', { class: `std-row${s.active ? '' : ' is-retired'}${s.deal_breaker ? ' is-deal-breaker' : ''}`, dataset: { standardId: String(s.id) } },
      h('div', { class: 'std-row-main' },
        h('a', { class: 'std-row-text', href: `#/standards/${s.id}` }, s.text),
        h('p', { class: 'std-row-meta' },
          s.deal_breaker ? dealBreakerTag() : null,
          h('span', { class: 'std-chip' }, frequencyLabel(s.frequency_minutes)),
          h('span', { class: 'std-chip' }, OWNER_ROLE_LABELS[s.owner_role] || s.owner_role),
          h('span', { class: 'std-chip std-chip-quiet' }, `Case: ${categoryLabel(s.category)}`))),
      h('div', { class: 'std-row-actions' }, s.active ? edit : null, toggle));
  }

  function render() {
    const active = standards.filter((s) => s.active);
    const retired = standards.filter((s) => !s.active);
    const order = new Map(touchpoints.map((t, i) => [t.id, i]));
    const byTouchpoint = new Map();
    for (const s of active) {
      const key = s.touchpoint.id;
      if (!byTouchpoint.has(key)) byTouchpoint.set(key, { touchpoint: s.touchpoint, items: [] });
      byTouchpoint.get(key).items.push(s);
    }
    const sections = [...byTouchpoint.values()]
      .sort((a, b) => (order.get(a.touchpoint.id) ?? 999) - (order.get(b.touchpoint.id) ?? 999))
      .map((g) => h('section', { class: 'std-group', 'aria-label': g.touchpoint.name },
        h('h3', { class: 'section-label' }, g.touchpoint.name, ' ',
          h('span', { class: 'tab-count' }, String(g.items.length))),
        h('ul', { class: 'std-list' }, g.items.map(standardRow))));
    if (retired.length) {
      sections.push(h('section', { class: 'std-group std-retired', 'aria-label': 'Retired' },
        h('h3', { class: 'section-label' }, 'Retired ', h('span', { class: 'tab-count' }, String(retired.length))),
        h('p', { class: 'muted' }, 'Never due; their checks stay in the history.'),
        h('ul', { class: 'std-list' }, retired.map(standardRow))));
    }
    groups.replaceChildren(...sections);
    show(empty, standards.length === 0);
  }

  async function setActive(s, active, button) {
    setFormError(listError, '');
    button.disabled = true;
    try {
      upsert(await api.patch(`/standards/${s.id}`, { active }));
      onChanged(active ? `Restored “${s.text}”.` : `Retired “${s.text}”.`);
    } catch (err) {
      if (err.status === 401) return;
      setFormError(listError, err.message);
      button.disabled = false;
    }
  }

  async function load() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    show(failed, false);
    show(statusEl, standards.length === 0);
    try {
      const [tps, list] = await Promise.all([
        api.get('/touchpoints', { query: { location_id: locationId }, signal: mine.signal }),
        api.get('/standards', { query: { location_id: locationId }, signal: mine.signal }),
      ]);
      if (controller !== mine) return;
      touchpoints = (tps && Array.isArray(tps.items) ? tps.items : [])
        .slice().sort((a, b) => (b.active - a.active) || a.position - b.position);
      standards = list && Array.isArray(list.items) ? list.items : [];
      render();
      show(addButton, form.hidden);
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      setText(failedText, `Couldn’t load the standards: ${err.message}`);
      show(failed, true);
    } finally {
      if (controller === mine) {
        controller = null;
        show(statusEl, false);
      }
    }
  }

  return {
    open(id) {
      if (id !== locationId) {
        locationId = id;
        standards = [];
        touchpoints = [];
        groups.replaceChildren();
        closeForm();
      }
      setFormError(listError, '');
      load();
    },
    close() {
      if (controller) controller.abort();
      controller = null;
    },
    reset() {
      this.close();
      locationId = null;
      standards = [];
      groups.replaceChildren();
      closeForm();
    },
  };
}
