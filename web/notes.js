// Guest notes on the card: "Add note" in two taps (the button, then a kind
// chip, which opens the text box focused), allergen and severity chips for
// allergies, a Pin toggle for preferences, and the list of notes with edit
// and delete. One form serves both: it sits under the greeting when adding
// and moves into the note being edited. The server checks every rule; its
// error is shown next to the field it names.

import { api } from './api.js';
import {
  $, busy, clearFieldErrorsOnInput, clearFormErrors, confirmDialog, focusFirstInvalid, h, icon,
  setFieldError, setFormError, setText, show,
} from './dom.js';
import {
  ALLERGEN_LABELS, ALLERGENS, KIND_LABELS, KINDS, SEVERITIES, SEVERITY_LABELS, authorName,
} from './note-kinds.js';
import { dateTime, relativeTime } from './format.js';

const PAGE_SIZE = 20;
const FIELDS = ['kind', 'text', 'pinned', 'allergen', 'severity'];

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
  for (const el of container.querySelectorAll('input')) el.checked = el.value === (value ?? '');
}

export function createNotes({ getGuestId, onChanged }) {
  const form = $('note-form');
  const slot = $('note-slot');
  const home = form.parentElement; // where the hidden form waits between uses
  const title = $('note-form-title');
  const kinds = $('note-kinds');
  const details = $('note-details');
  const text = $('note-text');
  const textLabel = $('note-text-label');
  const allergenField = $('note-allergen-field');
  const allergens = $('note-allergens');
  const severityField = $('note-severity-field');
  const severities = $('note-severities');
  const pinField = $('note-pin-field');
  const pinned = $('note-pinned');
  const addButton = $('add-note');
  const list = $('note-list');
  const empty = $('notes-empty');
  const more = $('notes-more');
  const loadError = $('notes-error');

  let editing = null; // the note being edited; null while adding
  let items = [];
  let next = null;
  let loadedFor = null;

  kinds.replaceChildren(...KINDS.map((k) => chip('note-kind', k.value, k.label, `chip-kind chip-${k.value}`)));
  allergens.replaceChildren(...ALLERGENS.map((a) => chip('note-allergen', a.value, a.label)));
  severities.replaceChildren(
    chip('note-severity', '', 'Not stated', 'chip-sev-none'),
    ...SEVERITIES.map((s) => chip('note-severity', s.value, s.label, `chip-sev chip-sev-${s.value}`)),
  );

  // ---- the form ----

  function kind() {
    return checkedValue(kinds);
  }

  // Shows the fields the chosen kind needs.
  function showDetails(k) {
    const meta = KINDS.find((x) => x.value === k);
    show(details, Boolean(meta));
    if (!meta) return;
    text.placeholder = meta.placeholder;
    setText(textLabel, k === 'allergy' ? 'Details' : KIND_LABELS[k]);
    show(allergenField, k === 'allergy');
    show(severityField, k === 'allergy' || k === 'dietary');
    show(severities.querySelector('[data-value=""]'), k === 'dietary');
    show($('note-severity-optional'), k === 'dietary');
    if (k === 'allergy' && checkedValue(severities) === '') setChecked(severities, null);
    if (k === 'dietary' && checkedValue(severities) === null) setChecked(severities, '');
    show(pinField, k === 'preference');
    form.dataset.kind = k;
  }

  function place(where) {
    if (form.parentElement !== where) where.append(form);
  }

  function resetForm() {
    clearFormErrors(form);
    setChecked(kinds, null);
    setChecked(allergens, null);
    setChecked(severities, null);
    text.value = '';
    pinned.checked = false;
    delete form.dataset.kind;
    show(details, false);
  }

  function close({ focusAdd = false } = {}) {
    const wasEditing = editing;
    editing = null;
    show(form, false);
    resetForm();
    place(home);
    addButton.setAttribute('aria-expanded', 'false');
    if (wasEditing) {
      const li = list.querySelector(`[data-note-id="${wasEditing.id}"]`);
      if (li) li.classList.remove('is-editing');
    }
    if (focusAdd) addButton.focus({ preventScroll: true });
  }

  function openAdd() {
    if (!editing && !form.hidden && form.parentElement === slot) {
      close({ focusAdd: true }); // a second tap on "Add note" closes it
      return;
    }
    close();
    place(slot);
    setText(title, 'Add note');
    setText($('note-save'), 'Save note');
    show(form, true);
    addButton.setAttribute('aria-expanded', 'true');
    form.scrollIntoView({ block: 'nearest' });
    const first = kinds.querySelector('input');
    if (first) first.focus({ preventScroll: true });
  }

  function openEdit(note) {
    close();
    const li = list.querySelector(`[data-note-id="${note.id}"]`);
    if (!li) return;
    editing = note;
    li.classList.add('is-editing');
    place(li);
    setText(title, 'Edit note');
    setText($('note-save'), 'Save changes');
    setChecked(kinds, note.kind);
    showDetails(note.kind);
    text.value = note.text || '';
    setChecked(allergens, note.allergen);
    setChecked(severities, note.severity ?? (note.kind === 'dietary' ? '' : null));
    pinned.checked = Boolean(note.pinned);
    show(form, true);
    form.scrollIntoView({ block: 'nearest' });
    text.focus({ preventScroll: true });
    text.setSelectionRange(text.value.length, text.value.length);
  }

  clearFieldErrorsOnInput(form);

  kinds.addEventListener('change', () => {
    clearFormErrors(form);
    showDetails(kind());
    text.focus({ preventScroll: true });
    details.scrollIntoView({ block: 'nearest' });
  });

  // Enter saves; Shift+Enter (or an IME composing) makes a new line.
  text.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    form.requestSubmit();
  });

  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close({ focusAdd: !editing });
    }
  });

  $('note-cancel').addEventListener('click', () => close({ focusAdd: !editing }));

  // What the form says, as a note would hold it.
  function wanted() {
    const k = kind();
    const sev = checkedValue(severities);
    return {
      kind: k,
      text: text.value.trim(),
      pinned: k === 'preference' ? pinned.checked : false,
      allergen: k === 'allergy' ? checkedValue(allergens) : null,
      severity: (k === 'allergy' || k === 'dietary') && sev ? sev : null,
    };
  }

  function validate(w) {
    if (!w.kind) {
      setFieldError(form, 'kind', 'Choose what kind of note this is');
      return false;
    }
    if (w.kind === 'allergy') {
      if (!w.allergen) setFieldError(form, 'allergen', 'Choose the allergen');
      if (!w.severity) setFieldError(form, 'severity', 'Choose how severe it is');
      // A known allergen needs no more words; "Other" must say what it is.
      if (!w.text && w.allergen && w.allergen !== 'other') w.text = ALLERGEN_LABELS[w.allergen];
      if (!w.text && w.allergen === 'other') setFieldError(form, 'text', 'Say what they are allergic to');
    }
    if (!w.text && w.kind !== 'allergy') setFieldError(form, 'text', 'Write the note first');
    // Length and everything else: the server checks, naming the field.
    return !focusFirstInvalid(form);
  }

  function showServerError(err) {
    if (err.status === 401) return; // the sign-in screen takes over
    const field = FIELDS.includes(err.field) ? err.field : null;
    if (!setFieldError(form, field, err.message)) setFormError($('note-form-error'), err.message);
    if (!focusFirstInvalid(form)) $('note-form-error').scrollIntoView({ block: 'nearest' });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const guestId = getGuestId();
    if (!guestId) return;
    const w = wanted();
    if (!validate(w)) return;

    let request;
    if (editing) {
      const before = editing;
      const body = {};
      for (const f of FIELDS) {
        const was = before[f] ?? (f === 'pinned' ? false : null);
        if (w[f] !== was) body[f] = w[f];
      }
      if (Object.keys(body).length === 0) {
        close();
        return;
      }
      request = () => api.patch(`/guests/${guestId}/notes/${before.id}`, body);
    } else {
      const body = { kind: w.kind, text: w.text };
      if (w.kind === 'preference') body.pinned = w.pinned;
      if (w.allergen) body.allergen = w.allergen;
      if (w.severity) body.severity = w.severity;
      request = () => api.post(`/guests/${guestId}/notes`, body);
    }
    try {
      await busy(form, request);
    } catch (err) {
      showServerError(err);
      return;
    }
    if (guestId !== getGuestId()) return;
    const wasAdding = !editing;
    close({ focusAdd: wasAdding });
    await onChanged();
  });

  addButton.addEventListener('click', openAdd);

  // ---- the list ----

  function tags(note) {
    const out = [h('span', { class: `kind-tag kind-${note.kind}` }, KIND_LABELS[note.kind] || note.kind)];
    if (note.pinned) out.push(h('span', { class: 'pin-tag' }, icon('pin', 14), 'Pinned'));
    if (note.kind === 'allergy' && note.allergen) {
      out.push(h('span', { class: 'note-allergen' }, ALLERGEN_LABELS[note.allergen] || note.allergen));
    }
    if (note.severity) {
      out.push(h('span', { class: `sev sev-${note.severity}` }, SEVERITY_LABELS[note.severity] || note.severity));
    }
    return out;
  }

  function meta(note) {
    const who = authorName(note.author);
    const edited = note.updated_at && note.updated_at !== note.created_at;
    return [
      who,
      h('time', { datetime: note.created_at, title: dateTime(note.created_at) }, relativeTime(note.created_at)),
      edited ? 'edited' : null,
    ].filter(Boolean).flatMap((part, i) => (i === 0 ? [part] : [' · ', part]));
  }

  function noteItem(note) {
    const edit = h('button', {
      type: 'button', class: 'btn btn-small btn-ghost', 'aria-label': `Edit note: ${note.text}`,
    }, 'Edit');
    const del = h('button', {
      type: 'button', class: 'btn btn-small btn-ghost btn-danger-text', 'aria-label': `Delete note: ${note.text}`,
    }, 'Delete');
    edit.addEventListener('click', () => openEdit(note));
    del.addEventListener('click', () => remove(note));
    return h('li', { class: `note note-${note.kind}`, dataset: { noteId: String(note.id) } },
      h('div', { class: 'note-view' },
        h('div', { class: 'note-main' },
          h('div', { class: 'note-tags' }, tags(note)),
          h('p', { class: 'note-text' }, note.text),
          h('p', { class: 'note-meta' }, meta(note))),
        h('div', { class: 'note-actions' }, edit, del)));
  }

  function render() {
    // A note being edited keeps its form, as typed, across a redraw; if the
    // note is gone (deleted elsewhere), the form closes.
    const keep = editing && items.some((n) => n.id === editing.id);
    if (editing && !keep) close();
    if (keep) place(home);
    list.replaceChildren(...items.map(noteItem));
    show(list, items.length > 0);
    show(empty, items.length === 0);
    show(more, Boolean(next));
    setText($('notes-count'), items.length ? `${items.length}${next ? '+' : ''}` : '');
    if (keep) {
      const li = list.querySelector(`[data-note-id="${editing.id}"]`);
      li.classList.add('is-editing');
      place(li);
    }
  }

  async function remove(note) {
    const guestId = getGuestId();
    const ok = await confirmDialog({
      title: 'Delete this note?',
      text: `“${note.text}” will be removed for everyone.`,
      ok: 'Delete note',
    });
    if (!ok || guestId !== getGuestId()) return;
    setFormError(loadError, '');
    try {
      await api.del(`/guests/${guestId}/notes/${note.id}`);
    } catch (err) {
      if (err.status === 404) {
        // Someone else deleted it first: the refresh below shows that.
      } else {
        if (err.status !== 401) setFormError(loadError, `Couldn’t delete the note: ${err.message}`);
        return;
      }
    }
    if (guestId !== getGuestId()) return;
    await onChanged();
  }

  more.addEventListener('click', async () => {
    const guestId = getGuestId();
    if (!next || !guestId) return;
    more.disabled = true;
    try {
      const page = await api.get(`/guests/${guestId}/notes`, { query: { limit: PAGE_SIZE, cursor: next } });
      if (guestId !== getGuestId()) return;
      const seen = new Set(items.map((n) => n.id));
      items = items.concat((page.items || []).filter((n) => !seen.has(n.id)));
      next = page.next || null;
      render();
    } catch (err) {
      if (err.status !== 401) setFormError(loadError, `Couldn’t load more notes: ${err.message}`);
    } finally {
      more.disabled = false;
    }
  });

  return {
    // Fetches the first page; the card calls render-ready data with show().
    fetch(guestId, signal) {
      return api.get(`/guests/${guestId}/notes`, { query: { limit: PAGE_SIZE }, signal });
    },
    show(page, guestId) {
      setFormError(loadError, '');
      if (loadedFor !== guestId) close();
      loadedFor = guestId;
      items = page && Array.isArray(page.items) ? page.items : [];
      next = page ? page.next || null : null;
      render();
    },
    showError(err, guestId) {
      if (loadedFor !== guestId) close();
      loadedFor = guestId;
      items = [];
      next = null;
      render();
      show(empty, false);
      setFormError(loadError, `Couldn’t load the notes: ${err.message}`);
    },
    openAdd,
    close,
    reset() {
      close();
      loadedFor = null;
      items = [];
      next = null;
      list.replaceChildren();
    },
  };
}
