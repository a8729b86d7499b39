// "New order" from the guest card (#/guests/12/order): item rows (quantity,
// name, modifiers, a note; add and remove rows), special requests and an
// optional promise in minutes, with the guest's allergies and dietary needs
// in view while ordering. The server checks every rule; an error naming an
// item's part (items[1].quantity) is shown under that part of that row.

import { api, isAbort } from './api.js';
import {
  $, busy, clearFieldErrorsOnInput, clearFormErrors, focusFirstInvalid, h, setFieldError,
  setFormError, setText, show,
} from './dom.js';
import { flagItem } from './note-kinds.js';

const LOCATION_KEY = 'maitred.location'; // shared with the card and the board
const MAX_ITEMS = 100;
const MAX_QTY = 99;
const MAX_MODIFIERS = 20;
const MAX_MODIFIER_CHARS = 60;
const MAX_PROMISED_MINUTES = 1440;
const PARTS = ['quantity', 'name', 'modifiers', 'note'];

// "no croutons, dressing on the side" -> ["no croutons", "dressing on the side"]
function splitModifiers(text) {
  return String(text || '').split(',').map((m) => m.trim()).filter(Boolean);
}

export function createOrderForm({ getLocations, onPlaced, onBack }) {
  const root = $('order-new');
  const form = $('order-form');
  const rows = $('order-item-rows');
  const status = $('order-new-status');
  const locationSelect = $('order-location');
  const promised = $('order-promised');
  let guestId = null;
  let controller = null;
  let rowSerial = 0; // keeps label ids unique as rows come and go

  clearFieldErrorsOnInput(form);

  function locationById(id) {
    return getLocations().find((l) => l.id === id) || null;
  }

  function fillLocations() {
    const locations = getLocations();
    const saved = Number(localStorage.getItem(LOCATION_KEY));
    locationSelect.replaceChildren(...locations.map((l) => h('option', { value: String(l.id) }, l.name)));
    if (locations.some((l) => l.id === saved)) locationSelect.value = String(saved);
    show($('order-location-field'), locations.length > 1);
    updatePromiseHint();
  }

  function updatePromiseHint() {
    const loc = locationById(Number(locationSelect.value));
    const clocks = loc && loc.order_minutes ? loc.order_minutes : {};
    const minutes = Number.isInteger(clocks.promised) ? clocks.promised : null;
    promised.placeholder = minutes ? String(minutes) : '';
    setText($('order-promised-hint'), minutes
      ? `Leave empty for the usual ${minutes} minutes.`
      : 'Leave empty for the usual time.');
  }

  locationSelect.addEventListener('change', () => {
    localStorage.setItem(LOCATION_KEY, locationSelect.value);
    updatePromiseHint();
  });

  // ---- item rows ----

  function part(row, name) {
    return row.querySelector(`[data-part="${name}"]`);
  }

  function field(serial, name, label, control, { optional = '', grow = '' } = {}) {
    control.id = `order-item-${serial}-${name}`;
    control.dataset.part = name;
    control.setAttribute('aria-describedby', `${control.id}-error`);
    return h('div', { class: `field order-${name}${grow}` },
      h('label', { for: control.id }, label, h('span', { class: 'visually-hidden row-number' }),
        optional ? ' ' : null, optional ? h('span', { class: 'optional' }, optional) : null),
      control,
      h('p', { id: `${control.id}-error`, class: 'field-error', hidden: true }));
  }

  function addRow({ focus = false } = {}) {
    if (rows.children.length >= MAX_ITEMS) return;
    const serial = ++rowSerial;
    const qty = h('input', {
      type: 'number', inputmode: 'numeric', min: '1', max: String(MAX_QTY), step: '1', value: '1',
      autocomplete: 'off',
    });
    const row = h('li', { class: 'order-item' },
      field(serial, 'quantity', 'Qty', qty),
      field(serial, 'name', 'Item', h('input', {
        type: 'text', autocomplete: 'off', maxlength: '120', enterkeyhint: 'next',
        placeholder: 'e.g. Caesar salad',
      })),
      field(serial, 'modifiers', 'Modifiers', h('input', {
        type: 'text', autocomplete: 'off', maxlength: String(MAX_MODIFIERS * (MAX_MODIFIER_CHARS + 2)),
        placeholder: 'e.g. no croutons, oat milk',
      }), { optional: 'commas between' }),
      field(serial, 'note', 'Note', h('input', {
        type: 'text', autocomplete: 'off', maxlength: '200', placeholder: 'e.g. for the fundraiser table',
      }), { optional: 'optional' }),
      h('button', {
        type: 'button', class: 'btn btn-ghost btn-icon order-item-remove',
        onclick: () => removeRow(row),
      }, h('span', { 'aria-hidden': 'true' }, '×')));
    rows.append(row);
    renumber();
    if (focus) part(row, 'name').focus();
  }

  function removeRow(row) {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    if (rows.children.length === 0) addRow();
    renumber();
    const target = next && next.isConnected ? next : rows.lastElementChild;
    part(target, 'name').focus();
  }

  // Each row's controls are named as the API names them (items[0].name),
  // so an error's field finds its box; labels say which row they are in.
  function renumber() {
    const all = [...rows.children];
    all.forEach((row, i) => {
      for (const name of PARTS) part(row, name).name = `items[${i}].${name}`;
      for (const n of row.querySelectorAll('.row-number')) setText(n, ` ${i + 1}`);
      const remove = row.querySelector('.order-item-remove');
      remove.setAttribute('aria-label', `Remove item ${i + 1}`);
      show(remove, all.length > 1);
    });
    show($('order-add-item'), all.length < MAX_ITEMS);
  }

  $('order-add-item').addEventListener('click', () => addRow({ focus: true }));

  function isBlank(row) {
    return PARTS.filter((p) => p !== 'quantity').every((p) => part(row, p).value.trim() === '');
  }

  // ---- guest's flags ----

  function renderGuest(data) {
    setText($('order-new-guest'), data.guest ? `For ${data.guest.name}` : '');
    const flags = Array.isArray(data.flags) ? data.flags : [];
    $('order-flag-list').replaceChildren(...flags.map(flagItem));
    const banner = $('order-flags');
    banner.classList.toggle('is-critical', flags.some((f) => f.severity === 'life_threatening'));
    show(banner, flags.length > 0);
  }

  async function loadGuest(id, signal) {
    try {
      const data = await api.get(`/guests/${id}/flags`, { signal });
      if (id !== guestId) return;
      renderGuest(data);
      setText(status, '');
    } catch (err) {
      if (isAbort(err) || id !== guestId || err.status === 401) return;
      setText(status, err.status === 404
        ? 'This guest no longer exists.'
        : `Couldn’t load the guest’s allergies and dietary needs: ${err.message}`);
    }
  }

  // ---- sending ----

  function showError(err) {
    const m = /^(items\[\d+\]\.[a-z_]+)/.exec(err.field || '');
    const name = m ? m[1] : err.field;
    if (name === 'items') {
      setFormError($('order-items-error'), err.message);
      return;
    }
    if (!setFieldError(form, name, err.message)) setFormError($('order-error'), err.message);
  }

  function collect() {
    // Rows left empty are dropped, unless every row is.
    for (const row of [...rows.children]) {
      if (rows.children.length > 1 && isBlank(row)) row.remove();
    }
    renumber();
    const body = { guest_id: guestId };
    const loc = locationById(Number(locationSelect.value));
    if (loc) body.location_id = loc.id;
    else setFieldError(form, 'location_id', 'Choose where the order is for');

    body.items = [...rows.children].map((row, i) => {
      const item = {};
      const name = part(row, 'name').value.trim();
      if (name) item.name = name;
      else setFieldError(form, `items[${i}].name`, 'Enter what they ordered');
      const qty = Number(part(row, 'quantity').value.trim() || '1');
      if (Number.isInteger(qty) && qty >= 1 && qty <= MAX_QTY) item.quantity = qty;
      else setFieldError(form, `items[${i}].quantity`, `Enter a number from 1 to ${MAX_QTY}`);
      const mods = splitModifiers(part(row, 'modifiers').value);
      if (mods.length > MAX_MODIFIERS) {
        setFieldError(form, `items[${i}].modifiers`, `At most ${MAX_MODIFIERS} modifiers`);
      } else if (mods.some((m) => [...m].length > MAX_MODIFIER_CHARS)) {
        setFieldError(form, `items[${i}].modifiers`, `Keep each modifier under ${MAX_MODIFIER_CHARS} characters`);
      } else if (mods.length) {
        item.modifiers = mods;
      }
      const note = part(row, 'note').value.trim();
      if (note) item.note = note;
      return item;
    });

    const requests = $('order-requests').value.trim();
    if (requests) body.special_requests = requests;

    const minutes = promised.value.trim();
    if (minutes !== '') {
      const n = Number(minutes);
      if (Number.isInteger(n) && n >= 1 && n <= MAX_PROMISED_MINUTES) body.promised_minutes = n;
      else setFieldError(form, 'promised_minutes', `Enter minutes from 1 to ${MAX_PROMISED_MINUTES}, or leave it empty`);
    }
    return body;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!guestId) return;
    clearFormErrors(form);
    const body = collect();
    if (focusFirstInvalid(form)) return;
    const id = guestId;
    let order;
    try {
      order = await busy(form, () => api.post('/orders', body));
    } catch (err) {
      if (id !== guestId) return;
      showError(err);
      focusFirstInvalid(form);
      return;
    }
    if (id !== guestId) return;
    reset();
    onPlaced(order, id);
  });

  $('order-cancel').addEventListener('click', () => onBack(guestId));
  $('order-back').addEventListener('click', () => onBack(guestId));

  function reset() {
    clearFormErrors(form);
    form.reset();
    rows.replaceChildren();
    addRow();
  }

  reset();

  return {
    open(id) {
      if (controller) controller.abort();
      controller = new AbortController();
      if (id !== guestId) {
        guestId = id;
        reset();
        setText($('order-new-guest'), '');
        show($('order-flags'), false);
        setText(status, 'Loading…');
      }
      fillLocations();
      show(root, true);
      loadGuest(id, controller.signal);
      part(rows.firstElementChild, 'name').focus({ preventScroll: true });
    },
    close() {
      if (controller) controller.abort();
      controller = null;
      show(root, false);
    },
    // Signed out, or the order was placed: start empty next time.
    clear() {
      guestId = null;
      reset();
    },
  };
}
