// A location's opening hours (checks come due only while it is open) and
// how long a check may run late before it counts as overdue. Hours are
// spans of local time per weekday, up to four a day; one that closes at or
// before it opens runs past midnight. Saving replaces them all. The
// server's errors name a span (`hours[2].closes`); they show on that span.

import { api, isAbort } from './api.js';
import {
  busy, clearFieldErrorsOnInput, clearFormErrors, focusFirstInvalid, h, setFieldError, setFormError,
  setText, show,
} from './dom.js';
import { DAYS } from './standards-words.js';

const MAX_SPANS = 4;
const DEFAULT_SPAN = { opens: '09:00', closes: '17:00' };
const DEFAULT_GRACE = 15;

export function createHoursForm({ root, onSaved, onLocation }) {
  let locationId = null;
  let controller = null;
  const spans = Object.fromEntries(DAYS.map((d) => [d.value, []])); // day -> [{opens, closes}]

  const statusEl = h('div', { class: 'list-status', role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', null, 'Loading the hours…'));
  const failedText = h('span');
  const retry = h('button', { type: 'button', class: 'btn btn-small btn-secondary' }, 'Try again');
  const failed = h('div', { class: 'form-error load-error', role: 'alert', hidden: true }, failedText, retry);
  retry.addEventListener('click', () => load());

  // ---- opening hours ----

  const zone = h('p', { class: 'muted' });
  const always = h('p', { class: 'notice notice-info', hidden: true },
    'No hours set: the location counts as open all day, every day, so hourly checks come due around the clock.');
  const days = h('div', { class: 'hours-days' });
  const hoursError = h('p', { id: 'hours-form-error', class: 'form-error', role: 'alert', hidden: true });
  const hoursSaved = h('p', { class: 'form-saved', role: 'status', hidden: true });
  const copy = h('button', { type: 'button', class: 'btn btn-ghost' }, 'Copy Monday to Tue–Fri');
  const hoursForm = h('form', { class: 'panel hours-form', novalidate: true, 'aria-labelledby': 'hours-title' },
    h('div', { class: 'hours-head' },
      h('div', null, h('h2', { id: 'hours-title', class: 'panel-title', tabindex: '-1' }, 'Hours each week'), zone),
      copy),
    always, days,
    h('div', { class: 'form-foot' }, hoursError, hoursSaved,
      h('button', { type: 'submit', class: 'btn btn-primary btn-lg' }, 'Save hours')));
  clearFieldErrorsOnInput(hoursForm);

  copy.addEventListener('click', () => {
    readInputs();
    for (const d of ['tue', 'wed', 'thu', 'fri']) spans[d] = spans.mon.map((s) => ({ ...s }));
    renderDays();
  });

  // What is typed, back into `spans`, so adding or removing a row keeps it.
  function readInputs() {
    for (const d of DAYS) {
      const rows = days.querySelectorAll(`.hours-day[data-day="${d.value}"] .hours-span`);
      spans[d.value] = [...rows].map((r) => ({
        opens: r.querySelector('.hours-opens').value,
        closes: r.querySelector('.hours-closes').value,
      }));
    }
  }

  function spanRow(day, span, i) {
    const base = `hours-${day.value}-${i}`;
    const remove = h('button', {
      type: 'button', class: 'btn btn-ghost btn-icon hours-remove', 'aria-label': `Remove ${day.label} hours ${i + 1}`,
    }, '×');
    remove.addEventListener('click', () => {
      readInputs();
      spans[day.value].splice(i, 1);
      renderDays();
    });
    // A span's error can name the span itself (an overlap): the hidden input
    // carries that name so setFieldError finds this row.
    return h('div', { class: 'field hours-span' },
      h('div', { class: 'hours-span-row' },
        h('label', { class: 'visually-hidden', for: `${base}-opens` }, `${day.label} opens ${i + 1}`),
        h('input', {
          id: `${base}-opens`, class: 'hours-opens', type: 'time', value: span.opens, required: true, step: '60',
        }),
        h('span', { class: 'hours-to', 'aria-hidden': 'true' }, 'to'),
        h('label', { class: 'visually-hidden', for: `${base}-closes` }, `${day.label} closes ${i + 1}`),
        h('input', {
          id: `${base}-closes`, class: 'hours-closes', type: 'time', value: span.closes, required: true, step: '60',
        }),
        h('input', { type: 'hidden', class: 'hours-whole' }),
        overnight(span) ? h('span', { class: 'hours-night' }, 'past midnight') : null,
        remove),
      h('p', { class: 'field-error', hidden: true }));
  }

  function overnight(span) {
    return span.opens && span.closes && span.closes <= span.opens && span.closes !== '00:00';
  }

  function dayRow(day) {
    const list = spans[day.value];
    const add = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Add hours on ${day.label}` },
      list.length ? '+ More' : '+ Add hours');
    add.addEventListener('click', () => {
      readInputs();
      const last = spans[day.value][spans[day.value].length - 1];
      spans[day.value].push(last ? { opens: last.closes, closes: last.closes } : { ...DEFAULT_SPAN });
      renderDays();
      const inputs = days.querySelectorAll(`.hours-day[data-day="${day.value}"] .hours-opens`);
      if (inputs.length) inputs[inputs.length - 1].focus();
    });
    show(add, list.length < MAX_SPANS);
    return h('div', { class: 'hours-day', dataset: { day: day.value } },
      h('span', { class: 'hours-day-name' }, day.label),
      h('div', { class: 'hours-spans' },
        list.length ? list.map((s, i) => spanRow(day, s, i)) : h('span', { class: 'hours-closed' }, 'Closed')),
      add);
  }

  function renderDays() {
    days.replaceChildren(...DAYS.map(dayRow));
    const none = DAYS.every((d) => spans[d.value].length === 0);
    show(always, none);
  }

  hoursForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(hoursForm);
    show(hoursSaved, false);
    readInputs();
    // Name every input after its place in what is sent, so the server's
    // `hours[2].closes` lands on the right box.
    const hours = [];
    for (const d of DAYS) {
      const rows = days.querySelectorAll(`.hours-day[data-day="${d.value}"] .hours-span`);
      spans[d.value].forEach((s, i) => {
        const n = hours.length;
        const row = rows[i];
        row.querySelector('.hours-opens').name = `hours[${n}].opens`;
        row.querySelector('.hours-closes').name = `hours[${n}].closes`;
        row.querySelector('.hours-whole').name = `hours[${n}]`;
        if (!s.opens) setFieldError(hoursForm, `hours[${n}].opens`, 'Enter when it opens.');
        if (!s.closes) setFieldError(hoursForm, `hours[${n}].closes`, 'Enter when it closes.');
        hours.push({ day: d.value, opens: s.opens, closes: s.closes === '00:00' ? '24:00' : s.closes });
      });
    }
    if (focusFirstInvalid(hoursForm)) return;
    let saved;
    try {
      saved = await busy(hoursForm, () => api.put(`/locations/${locationId}/hours`, { hours }));
    } catch (err) {
      if (err.status === 401) return;
      if (!showSpanError(err)) setFormError(hoursError, err.message);
      focusFirstInvalid(hoursForm);
      return;
    }
    fill(saved);
    setText(hoursSaved, 'Hours saved.');
    show(hoursSaved, true);
    onSaved('Opening hours saved.');
  });

  function showSpanError(err) {
    const field = err.field || '';
    if (!/^hours\[\d+\]/.test(field)) return false;
    if (/\.(opens|closes)$/.test(field) && setFieldError(hoursForm, field, err.message)) return true;
    const whole = /^hours\[\d+\]/.exec(field)[0];
    const hidden = hoursForm.elements.namedItem(whole);
    if (!hidden) return false;
    const row = hidden.closest('.hours-span');
    const slot = row.querySelector('.field-error');
    setText(slot, err.message);
    show(slot, true);
    for (const input of row.querySelectorAll('input[type="time"]')) input.setAttribute('aria-invalid', 'true');
    return true;
  }

  function fill(res) {
    for (const d of DAYS) spans[d.value] = [];
    for (const s of (res && Array.isArray(res.hours) ? res.hours : [])) {
      if (!spans[s.day]) continue;
      // A time box can't say 24:00; midnight reads the same.
      spans[s.day].push({ opens: s.opens, closes: s.closes === '24:00' ? '00:00' : s.closes });
    }
    setText(zone, res && res.timezone ? `Local time at the location (${res.timezone}). A span that closes before it opens runs past midnight.` : '');
    renderDays();
  }

  // ---- grace minutes ----

  const grace = h('input', {
    id: 'grace-minutes', name: 'check_grace_minutes', type: 'number', inputmode: 'numeric', min: '0', max: '240',
    step: '1', 'aria-describedby': 'grace-minutes-hint grace-minutes-error',
  });
  const graceError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const graceSaved = h('p', { class: 'form-saved', role: 'status', hidden: true });
  const graceForm = h('form', { class: 'panel grace-form', novalidate: true, 'aria-labelledby': 'grace-title' },
    h('h2', { id: 'grace-title', class: 'panel-title' }, 'When a check is overdue'),
    h('div', { class: 'field grace-field' },
      h('label', { for: 'grace-minutes' }, 'Minutes of grace'),
      h('div', { class: 'inline-input' }, grace,
        h('button', { type: 'submit', class: 'btn btn-secondary' }, 'Save')),
      h('p', { id: 'grace-minutes-hint', class: 'field-hint' },
        'A check this long past due turns red and alerts the manager (0–240).'),
      h('p', { id: 'grace-minutes-error', class: 'field-error', hidden: true })),
    h('div', { class: 'form-foot' }, graceError, graceSaved));
  clearFieldErrorsOnInput(graceForm);

  graceForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(graceForm);
    show(graceSaved, false);
    const n = Number(grace.value);
    if (grace.value.trim() === '' || !Number.isInteger(n) || n < 0 || n > 240) {
      setFieldError(graceForm, 'check_grace_minutes', 'A whole number of minutes from 0 to 240.');
      grace.focus();
      return;
    }
    let loc;
    try {
      loc = await busy(graceForm, () => api.patch(`/locations/${locationId}`, { check_grace_minutes: n }));
    } catch (err) {
      if (err.status === 401) return;
      if (!setFieldError(graceForm, err.field, err.message)) setFormError(graceError, err.message);
      return;
    }
    if (loc && loc.checks) grace.value = String(loc.checks.grace_minutes);
    if (loc) onLocation(loc);
    setText(graceSaved, 'Saved.');
    show(graceSaved, true);
  });

  root.replaceChildren(statusEl, failed, hoursForm, graceForm);

  async function load() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    show(failed, false);
    show(statusEl, true);
    show(hoursForm, false);
    show(graceForm, false);
    try {
      const [hoursRes, loc] = await Promise.all([
        api.get(`/locations/${locationId}/hours`, { signal: mine.signal }),
        api.get(`/locations/${locationId}`, { signal: mine.signal }),
      ]);
      if (controller !== mine) return;
      fill(hoursRes);
      grace.value = String(loc && loc.checks ? loc.checks.grace_minutes : DEFAULT_GRACE);
      show(hoursForm, true);
      show(graceForm, true);
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      setText(failedText, `Couldn’t load the hours: ${err.message}`);
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
      locationId = id;
      clearFormErrors(hoursForm);
      clearFormErrors(graceForm);
      show(hoursSaved, false);
      show(graceSaved, false);
      load();
    },
    close() {
      if (controller) controller.abort();
      controller = null;
    },
  };
}
