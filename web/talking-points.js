// "Talking points", for owners and managers (#/team/talking-points): the
// conversation starters the guest card suggests. Add, rename in place,
// retire (no longer suggested, kept in history) and restore. The list is
// small and unpaged, so it is reloaded whole each time the tab opens.

import { api, isAbort } from './api.js';
import {
  $, busy, clearFieldErrorsOnInput, clearFormErrors, focusFirstInvalid, h, setFieldError,
  setFormError, setText, show,
} from './dom.js';
import { dateOnly } from './format.js';

const TEXT_MAX_CHARS = 200;

export function createTalkingPoints() {
  const form = $('tpe-form');
  const input = $('tpe-new');
  const status = $('tpe-status');
  const error = $('tpe-error');
  const activeList = $('tpe-active');
  const retiredList = $('tpe-retired');

  let items = [];
  let loaded = false;
  let controller = null;
  let renaming = null; // id of the point being renamed

  clearFieldErrorsOnInput(form);
  input.addEventListener('input', () => setFormError($('tpe-form-error'), ''));

  function setStatus(text) {
    setText(status, text);
    show(status, Boolean(text));
  }

  async function load() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    if (!loaded) setStatus('Loading…');
    try {
      const res = await api.get('/talking-points', { signal: mine.signal });
      if (controller !== mine) return;
      items = res && Array.isArray(res.items) ? res.items : [];
      loaded = true;
      setStatus('');
      setFormError(error, '');
      render();
    } catch (err) {
      if (isAbort(err) || controller !== mine || err.status === 401) return;
      setStatus('');
      setFormError(error, `Couldn’t load the talking points: ${err.message}`);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  function replace(tp) {
    const i = items.findIndex((x) => x.id === tp.id);
    if (i >= 0) items[i] = tp;
    else items.push(tp);
    items.sort((a, b) => a.id - b.id);
  }

  // ---- one row ----

  function rowError(li, message) {
    const slot = li.querySelector('.tpe-row-error');
    if (slot) setFormError(slot, message);
  }

  async function change(tp, body, li) {
    rowError(li, '');
    const buttons = li.querySelectorAll('button, input');
    for (const b of buttons) b.disabled = true;
    try {
      const updated = await api.patch(`/talking-points/${tp.id}`, body);
      replace(updated);
      return updated;
    } catch (err) {
      if (err.status !== 401) rowError(li, err.message);
      return null;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  function viewRow(tp) {
    const li = h('li', { class: `tpe-item${tp.active ? '' : ' is-retired'}`, dataset: { id: String(tp.id) } });
    const actions = [];
    if (tp.active) {
      const rename = h('button', { type: 'button', class: 'btn btn-small btn-secondary', 'aria-label': `Rename “${tp.text}”` }, 'Rename');
      const retire = h('button', { type: 'button', class: 'btn btn-small btn-ghost', 'aria-label': `Retire “${tp.text}”` }, 'Retire');
      rename.addEventListener('click', () => {
        renaming = tp.id;
        render();
      });
      retire.addEventListener('click', async () => {
        if (await change(tp, { active: false }, li)) render(`Retired “${tp.text}”.`);
      });
      actions.push(rename, retire);
    } else {
      const restore = h('button', { type: 'button', class: 'btn btn-small btn-secondary', 'aria-label': `Restore “${tp.text}”` }, 'Restore');
      restore.addEventListener('click', async () => {
        if (await change(tp, { active: true }, li)) render(`“${tp.text}” is suggested again.`);
      });
      actions.push(restore);
    }
    li.append(
      h('div', { class: 'tpe-main' },
        h('span', { class: 'tpe-text' }, tp.text),
        h('span', { class: 'tpe-sub' }, tp.active
          ? `Added ${dateOnly(tp.created_at)}`
          : `Retired · last changed ${dateOnly(tp.updated_at)}`)),
      h('div', { class: 'tpe-actions' }, actions),
      h('p', { class: 'form-error tpe-row-error', role: 'alert', hidden: true }),
    );
    return li;
  }

  function renameRow(tp) {
    const field = h('input', {
      type: 'text', name: 'text', value: tp.text, maxlength: String(TEXT_MAX_CHARS),
      autocomplete: 'off', 'aria-label': `New wording for “${tp.text}”`,
    });
    const save = h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'btn btn-small btn-ghost' }, 'Cancel');
    const rowForm = h('form', { class: 'tpe-rename', novalidate: true },
      h('div', { class: 'field' },
        h('div', { class: 'inline-input' }, field, save, cancel),
        h('p', { class: 'field-error', hidden: true })));
    clearFieldErrorsOnInput(rowForm);
    const li = h('li', { class: 'tpe-item is-renaming', dataset: { id: String(tp.id) } }, rowForm,
      h('p', { class: 'form-error tpe-row-error', role: 'alert', hidden: true }));
    const stop = () => {
      renaming = null;
      render();
      activeList.querySelector(`[data-id="${tp.id}"] button`)?.focus();
    };
    cancel.addEventListener('click', stop);
    rowForm.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        stop();
      }
    });
    rowForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearFormErrors(rowForm);
      const textValue = field.value.trim();
      if (!textValue) {
        setFieldError(rowForm, 'text', 'Write the talking point');
        focusFirstInvalid(rowForm);
        return;
      }
      if (textValue === tp.text) {
        stop();
        return;
      }
      let updated;
      try {
        updated = await busy(rowForm, () => api.patch(`/talking-points/${tp.id}`, { text: textValue }));
      } catch (err) {
        if (err.status === 401) return;
        if (!setFieldError(rowForm, err.field === 'text' ? 'text' : null, err.message)) rowError(li, err.message);
        focusFirstInvalid(rowForm);
        return;
      }
      replace(updated);
      renaming = null;
      render(`Renamed to “${updated.text}”.`);
    });
    queueMicrotask(() => {
      field.focus();
      field.select();
    });
    return li;
  }

  function render(message) {
    const active = items.filter((tp) => tp.active);
    const retired = items.filter((tp) => !tp.active);
    activeList.replaceChildren(...active.map((tp) => (tp.id === renaming ? renameRow(tp) : viewRow(tp))));
    retiredList.replaceChildren(...retired.map(viewRow));
    show(activeList, active.length > 0);
    show($('tpe-empty'), loaded && active.length === 0);
    show($('tpe-retired-group'), retired.length > 0);
    setText($('tpe-active-count'), loaded ? String(active.length) : '');
    setText($('tpe-retired-count'), String(retired.length));
    setText($('tpe-count'), loaded ? String(active.length) : '');
    if (message !== undefined) setStatus(message);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    setStatus('');
    const textValue = input.value.trim();
    if (!textValue) {
      setFieldError(form, 'text', 'Write the question or topic first');
      focusFirstInvalid(form);
      return;
    }
    let created;
    try {
      created = await busy(form, () => api.post('/talking-points', { text: textValue }));
    } catch (err) {
      if (err.status === 401) return;
      if (!setFieldError(form, err.field === 'text' ? 'text' : null, err.message)) {
        setFormError($('tpe-form-error'), err.message);
      }
      focusFirstInvalid(form);
      return;
    }
    input.value = '';
    replace(created);
    render(`Added “${created.text}”.`);
    input.focus();
  });

  return {
    // Called on every redraw of the team view; only a fresh visit reloads,
    // so a rename being typed is not redrawn away.
    open(fresh) {
      if (!fresh) return;
      renaming = null;
      clearFormErrors(form);
      setStatus('');
      render();
      load();
    },
    close() {
      if (controller) controller.abort();
      controller = null;
      renaming = null;
    },
    reset() {
      if (controller) controller.abort();
      controller = null;
      items = [];
      loaded = false;
      renaming = null;
      input.value = '';
      setText($('tpe-count'), '');
    },
  };
}
