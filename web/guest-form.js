// The "New guest" form. The server validates; its error names the field,
// and the message is shown under that field.

import { api } from './api.js';
import {
  $, busy, clearFormErrors, focusFirstInvalid, setFieldError, setFormError, show,
} from './dom.js';

const FIELDS = ['name', 'phone', 'email', 'card'];

// Guesses which field a search query was meant for, so "No match — create
// one?" carries what was typed into the right box.
function prefillFor(query) {
  const q = String(query || '').trim();
  if (!q) return {};
  if (q.includes('@')) return { email: q };
  if (/^\+?[\d\s().-]{5,}$/.test(q)) return { phone: q };
  if (/^[A-Za-z]{0,4}\d[\dA-Za-z-]{3,}$/.test(q)) return { card: q };
  return { name: q };
}

export function createGuestForm({ onCreated }) {
  const root = $('new-guest');
  const form = $('guest-form');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = {};
    for (const name of FIELDS) {
      const value = form.elements.namedItem(name).value.trim();
      if (value) body[name] = value;
    }
    if (!body.name) {
      setFieldError(form, 'name', 'Enter the guest’s name');
      focusFirstInvalid(form);
      return;
    }
    let guest;
    try {
      guest = await busy(form, () => api.post('/guests', body));
    } catch (err) {
      if (!setFieldError(form, err.field, err.message)) setFormError($('guest-error'), err.message);
      focusFirstInvalid(form);
      return;
    }
    form.reset();
    onCreated(guest);
  });

  return {
    open(query) {
      clearFormErrors(form);
      form.reset();
      const values = prefillFor(query);
      for (const name of FIELDS) {
        if (values[name]) form.elements.namedItem(name).value = values[name];
      }
      show(root, true);
      const firstEmpty = FIELDS.map((n) => form.elements.namedItem(n)).find((el) => !el.value);
      ((values.name && firstEmpty) || form.elements.namedItem('name')).focus({ preventScroll: true });
    },
    close() {
      show(root, false);
    },
  };
}
