// The card's conversation strip: talking points used with this guest
// recently (and when), others to try (one tap marks one used), a box for
// what was actually talked about, and the last few topics with when and who.

import { api } from './api.js';
import {
  $, busy, clearFieldErrorsOnInput, clearFormErrors, focusFirstInvalid, h, icon, setFieldError,
  setFormError, show,
} from './dom.js';
import { authorName } from './note-kinds.js';
import { dateTime, relativeTime } from './format.js';

function when(iso) {
  return h('time', { datetime: iso, title: dateTime(iso) }, relativeTime(iso));
}

export function createConversation({ getGuestId, canManage, onChanged }) {
  const usedRow = $('convo-used-row');
  const used = $('convo-used');
  const tryRow = $('convo-try-row');
  const suggestions = $('convo-try');
  const tpEmpty = $('convo-tp-empty');
  const tpError = $('convo-tp-error');
  const form = $('topic-form');
  const input = $('topic-text');
  const topics = $('topic-list');
  const topicsEmpty = $('topic-empty');

  let pending = false; // a "used" tap in flight: ignore further taps

  clearFieldErrorsOnInput(form);

  function renderUsed(items) {
    used.replaceChildren(...items.map((tp) => {
      const who = authorName(tp.by);
      return h('li', { class: 'tp-used-item' },
        icon('check', 16),
        h('span', { class: 'tp-text' }, tp.text),
        h('span', { class: 'tp-when' }, '(', when(tp.used_at), who ? `, ${who}` : '', ')'));
    }));
    show(usedRow, items.length > 0);
  }

  function renderSuggested(items) {
    suggestions.replaceChildren(...items.map((tp) => {
      const button = h('button', {
        type: 'button',
        class: 'tp-suggestion',
        'aria-label': `${tp.text} — mark as used`,
        dataset: { id: String(tp.id) },
      }, h('span', { class: 'tp-text' }, tp.text), h('span', { class: 'tp-mark', 'aria-hidden': 'true' }, 'Used it'));
      button.addEventListener('click', () => markUsed(tp, button));
      return h('li', null, button);
    }));
    show(tryRow, items.length > 0);
  }

  function renderTopics(items) {
    topics.replaceChildren(...items.map((note) => {
      const who = authorName(note.author);
      return h('li', { class: 'topic' },
        h('span', { class: 'topic-text' }, note.text),
        h('span', { class: 'topic-meta' }, when(note.created_at), who ? ` · ${who}` : ''));
    }));
    show(topics, items.length > 0);
    show(topicsEmpty, items.length === 0);
  }

  function render(conversation) {
    const c = conversation || {};
    const tp = c.talking_points || {};
    const recentlyUsed = Array.isArray(tp.recently_used) ? tp.recently_used : [];
    const suggested = Array.isArray(tp.suggested) ? tp.suggested : [];
    renderUsed(recentlyUsed);
    renderSuggested(suggested);
    if (suggested.length === 0) {
      if (recentlyUsed.length === 0) {
        tpEmpty.replaceChildren('No conversation starters yet — a manager can add them.',
          ...(canManage() ? [' ', h('a', { href: '#/team/talking-points' }, 'Add talking points')] : []));
      } else {
        tpEmpty.replaceChildren('Every conversation starter was used recently — just chat.');
      }
    }
    show(tpEmpty, suggested.length === 0);
    renderTopics(Array.isArray(c.recent_topics) ? c.recent_topics : []);
  }

  async function markUsed(tp, button) {
    const guestId = getGuestId();
    if (pending || !guestId) return;
    pending = true;
    setFormError(tpError, '');
    button.classList.add('is-busy');
    for (const b of suggestions.querySelectorAll('button')) b.disabled = true;
    try {
      await api.post(`/guests/${guestId}/talking-points/${tp.id}/uses`);
    } catch (err) {
      pending = false;
      for (const b of suggestions.querySelectorAll('button')) b.disabled = false;
      button.classList.remove('is-busy');
      if (err.status === 401) return;
      // Retired meanwhile (409) or gone (404): say so and show the fresh list.
      setFormError(tpError, `Couldn’t mark “${tp.text}” as used: ${err.message}`);
      if (err.status === 404 || err.status === 409) await onChanged();
      return;
    }
    pending = false;
    if (guestId === getGuestId()) await onChanged();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const guestId = getGuestId();
    const textValue = input.value.trim();
    if (!guestId) return;
    if (!textValue) {
      setFieldError(form, 'text', 'Write a few words about what you talked about');
      focusFirstInvalid(form);
      return;
    }
    try {
      await busy(form, () => api.post(`/guests/${guestId}/notes`, { kind: 'conversation', text: textValue }));
    } catch (err) {
      if (err.status === 401) return;
      if (!setFieldError(form, err.field === 'text' ? 'text' : null, err.message)) {
        setFormError($('topic-error'), err.message);
      }
      focusFirstInvalid(form);
      return;
    }
    if (guestId !== getGuestId()) return;
    input.value = '';
    await onChanged();
  });

  return {
    render,
    reset() {
      pending = false;
      input.value = '';
      clearFormErrors(form);
      setFormError(tpError, '');
    },
  };
}
