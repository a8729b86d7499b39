// Recording one check of a standard, as the "Due now" list and a standard's
// page offer it: Pass in one tap; Fail in two — the first opens a note
// (required) and an optional photo from the camera, the second records it.

import { api } from './api.js';
import { h, icon, setFormError, setText, show } from './dom.js';
import { preparePhoto } from './photo.js';

const MAX_NOTE = 1000;

// onRecorded(check) runs after the server has the check; onGone() when the
// standard is no longer there to check (retired or removed meanwhile).
export function checkControls(standard, { onRecorded, onGone }) {
  const sid = standard.id;
  const label = standard.text;
  let photo = null; // { dataUrl, preview }
  let pending = false;

  const pass = h('button', {
    type: 'button', class: 'btn btn-pass btn-check', 'aria-label': `Pass: ${label}`,
  }, h('span', { class: 'check-mark', 'aria-hidden': 'true' }, '✓'), 'Pass');
  const fail = h('button', {
    type: 'button', class: 'btn btn-fail btn-check', 'aria-label': `Fail: ${label}`,
    'aria-expanded': 'false', 'aria-controls': `fail-form-${sid}`,
  }, h('span', { class: 'check-mark', 'aria-hidden': 'true' }, '✗'), 'Fail');
  const error = h('p', { class: 'form-error check-error', role: 'alert', hidden: true });

  const note = h('textarea', {
    id: `fail-note-${sid}`, name: 'note', rows: '2', maxlength: String(MAX_NOTE), autocomplete: 'off',
    placeholder: 'e.g. No paper towels, one light out', 'aria-describedby': `fail-note-error-${sid}`,
  });
  const noteError = h('p', { id: `fail-note-error-${sid}`, class: 'field-error', hidden: true });
  const file = h('input', {
    id: `fail-photo-${sid}`, name: 'photo', type: 'file', accept: 'image/*', capture: 'environment',
    class: 'visually-hidden', 'aria-describedby': `fail-photo-error-${sid}`,
  });
  const pickLabel = h('span', null, 'Add photo');
  const pick = h('label', { for: `fail-photo-${sid}`, class: 'btn btn-secondary photo-pick' },
    icon('camera', 20), pickLabel);
  const previewSlot = h('span', { class: 'photo-slot' });
  const removePhoto = h('button', { type: 'button', class: 'btn btn-ghost btn-small', hidden: true }, 'Remove photo');
  const photoError = h('p', { id: `fail-photo-error-${sid}`, class: 'field-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-danger btn-lg' }, 'Record fail');
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost btn-lg' }, 'Cancel');
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });

  const form = h('form', { id: `fail-form-${sid}`, class: 'check-fail', novalidate: true, hidden: true },
    h('div', { class: 'field' },
      h('label', { for: `fail-note-${sid}` }, 'What’s wrong?'),
      note, noteError),
    h('div', { class: 'field photo-field' },
      h('div', { class: 'photo-row' }, file, pick, previewSlot, removePhoto),
      h('p', { class: 'field-hint' }, 'Optional: a photo of what you found.'),
      photoError),
    h('div', { class: 'form-foot' }, formError, cancel, submit));

  function setFieldMessage(slot, control, message) {
    setText(slot, message || '');
    show(slot, Boolean(message));
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }

  function clearErrors() {
    setFormError(error, '');
    setFormError(formError, '');
    setFieldMessage(noteError, note, '');
    setFieldMessage(photoError, file, '');
  }

  function setPhoto(p) {
    photo = p;
    previewSlot.replaceChildren(...(p ? [p.preview] : []));
    show(removePhoto, Boolean(p));
    setText(pickLabel, p ? 'Retake photo' : 'Add photo');
  }

  function openFail(open) {
    show(form, open);
    fail.setAttribute('aria-expanded', String(open));
    fail.classList.toggle('is-open', open);
    if (open) {
      note.focus();
    } else {
      note.value = '';
      file.value = '';
      setPhoto(null);
      clearErrors();
    }
  }

  function setBusy(on) {
    pending = on;
    for (const b of [pass, fail, submit, cancel, removePhoto]) b.disabled = on;
    file.disabled = on;
    root.setAttribute('aria-busy', String(on));
  }

  async function record(body) {
    if (pending) return;
    clearErrors();
    setBusy(true);
    try {
      const check = await api.post('/checks', body);
      openFail(false);
      onRecorded(check);
    } catch (err) {
      if (err.status === 401) return;
      if (err.field === 'note') {
        setFieldMessage(noteError, note, err.message);
        note.focus();
      } else if (err.field === 'photo') {
        setFieldMessage(photoError, file, err.message);
      } else {
        setFormError(body.result === 'fail' ? formError : error, err.message);
        if (err.status === 404 && onGone) onGone();
      }
    } finally {
      setBusy(false);
    }
  }

  pass.addEventListener('click', () => {
    if (!form.hidden) openFail(false);
    record({ standard_id: sid, result: 'pass' });
  });
  fail.addEventListener('click', () => openFail(form.hidden));
  cancel.addEventListener('click', () => {
    openFail(false);
    fail.focus();
  });
  removePhoto.addEventListener('click', () => {
    file.value = '';
    setPhoto(null);
  });
  note.addEventListener('input', () => setFieldMessage(noteError, note, ''));

  file.addEventListener('change', async () => {
    setFieldMessage(photoError, file, '');
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    submit.disabled = true;
    setText(pickLabel, 'Preparing…');
    try {
      setPhoto(await preparePhoto(chosen));
    } catch (err) {
      setPhoto(null);
      setFieldMessage(photoError, file, err.message);
    } finally {
      submit.disabled = pending;
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = note.value.trim();
    if (!text) {
      setFieldMessage(noteError, note, 'Say what’s wrong, so whoever fixes it knows.');
      note.focus();
      return;
    }
    const body = { standard_id: sid, result: 'fail', note: text };
    if (photo) body.photo = photo.dataUrl;
    record(body);
  });

  const root = h('div', { class: 'check-controls' },
    h('div', { class: 'check-buttons' }, pass, fail), error, form);
  return root;
}
