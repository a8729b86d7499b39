// The counter search: results as you type (debounced, stale requests
// aborted), a combobox the keyboard can drive (↑ ↓ Enter Esc), paging with
// the API's `next` cursor, and an empty state that offers to create a guest.
// Guests found by what their notes say show the matching words under the name.

import { api, isAbort } from './api.js';
import { $, h, setText, show } from './dom.js';
import { plural, relativeTime } from './format.js';

const DEBOUNCE_MS = 150;
const MIN_QUERY_CHARS = 2;
const PAGE_SIZE = 10;

export function createSearch({ onOpen, onCreate }) {
  const input = $('search-input');
  const field = $('search-field');
  const list = $('results-list');
  const status = $('search-status');
  const empty = $('results-empty');
  const emptyText = $('results-empty-text');
  const loadMore = $('load-more');
  const clearButton = $('search-clear');

  let timer = 0;
  let controller = null;
  let query = ''; // the query the shown results belong to
  let items = [];
  let next = null;
  let active = -1;
  let openId = null;
  let loadingQuery = null; // the query of the request in flight, if any

  function abortPending() {
    clearTimeout(timer);
    if (controller) controller.abort();
    controller = null;
    loadingQuery = null;
    field.classList.remove('is-loading');
  }

  function clearResults() {
    items = [];
    next = null;
    active = -1;
    list.replaceChildren();
    show(list, false);
    show(empty, false);
    show(loadMore, false);
    setText(status, '');
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function reset() {
    abortPending();
    query = '';
    clearResults();
  }

  function currentText() {
    return input.value.trim();
  }

  async function run(q, cursor = null) {
    abortPending();
    const mine = new AbortController();
    controller = mine;
    loadingQuery = q;
    field.classList.add('is-loading');
    if (cursor) loadMore.disabled = true;
    try {
      const page = await api.get('/guests', {
        query: { q, limit: PAGE_SIZE, cursor },
        signal: mine.signal,
      });
      if (controller !== mine) return; // superseded while parsing
      const fresh = page && Array.isArray(page.items) ? page.items : [];
      if (cursor && q === query) {
        items = items.concat(fresh);
      } else {
        // A refresh of the same query keeps the highlighted guest highlighted.
        const keepId = q === query && items[active] ? items[active].id : null;
        const kept = keepId === null ? -1 : fresh.findIndex((g) => g.id === keepId);
        items = fresh;
        active = kept >= 0 ? kept : (items.length > 0 ? 0 : -1);
      }
      query = q;
      next = page ? page.next || null : null;
      render(Boolean(cursor));
    } catch (err) {
      if (isAbort(err)) return;
      if (controller !== mine) return;
      query = q;
      clearResults();
      if (err.status === 401) return; // the sign-in screen takes over
      if (err.field === 'q') setText(status, 'Type at least 2 letters or digits');
      else setText(status, `Search failed: ${err.message}`);
    } finally {
      if (controller === mine) {
        controller = null;
        loadingQuery = null;
        field.classList.remove('is-loading');
      }
      loadMore.disabled = false;
    }
  }

  function render(appended) {
    const firstNew = appended ? list.children.length : 0;
    if (!appended) list.replaceChildren();
    items.slice(firstNew).forEach((guest, i) => list.append(renderItem(guest, firstNew + i)));
    const some = items.length > 0;
    show(list, some);
    input.setAttribute('aria-expanded', String(some));
    show(loadMore, Boolean(next) && some);
    show(empty, !some);
    if (!some) {
      setText(emptyText, `No guest matches ‘${query}’ — create one?`);
      setText(status, '');
    } else {
      const more = next ? ' — more available' : '';
      setText(status, `${plural(items.length, 'guest')} found${more}`);
    }
    if (appended && firstNew < items.length) setActive(firstNew, true);
    else setActive(active, false);
  }

  function renderItem(guest, index) {
    const contact = [guest.phone, guest.email, guest.card ? `Card ${guest.card}` : null]
      .filter(Boolean)
      .join(' · ');
    const visits = Number(guest.visits) || 0;
    const last = guest.last_visit_at ? relativeTime(guest.last_visit_at) : 'No visits yet';
    const li = h(
      'li',
      {
        id: `result-${guest.id}`,
        class: `result${guest.id === openId ? ' is-open' : ''}`,
        role: 'option',
        'aria-selected': 'false',
        dataset: { index: String(index) },
      },
      h(
        'div',
        { class: 'result-main' },
        h('span', { class: 'result-name' }, highlight(guest.name, query)),
        h('span', { class: 'result-contact' }, contact || 'No contact details'),
        noteSnippet(guest.matched_note, query),
      ),
      h(
        'div',
        { class: 'result-meta' },
        h('span', { class: 'result-visits' }, plural(visits, 'visit')),
        h('span', { class: 'result-last' }, last),
      ),
    );
    li.addEventListener('click', () => {
      setActive(index, false);
      open(index);
    });
    return li;
  }

  function setActive(index, scroll) {
    const options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
    active = index;
    if (index >= 0 && options[index]) {
      const el = options[index];
      el.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', el.id);
      if (scroll) el.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function open(index) {
    const guest = items[index];
    if (guest) onOpen(guest);
  }

  function markOpen(id) {
    openId = id;
    for (const el of list.children) {
      el.classList.toggle('is-open', el.id === `result-${id}`);
    }
  }

  function syncClearButton() {
    show(clearButton, input.value !== '');
  }

  input.addEventListener('input', () => {
    syncClearButton();
    const q = currentText();
    clearTimeout(timer);
    if (q.length < MIN_QUERY_CHARS) {
      reset();
      return;
    }
    timer = setTimeout(() => run(q), DEBOUNCE_MS);
  });

  input.addEventListener('keydown', (event) => {
    switch (event.key) {
      case 'ArrowDown':
        if (items.length === 0) return;
        event.preventDefault();
        setActive(Math.min(active + 1, items.length - 1), true);
        break;
      case 'ArrowUp':
        if (items.length === 0) return;
        event.preventDefault();
        setActive(Math.max(active - 1, 0), true);
        break;
      case 'Enter': {
        event.preventDefault();
        const q = currentText();
        if (q !== query) {
          // The results on screen are for an older query: search now (skip
          // the debounce) and open nothing the barista has not seen.
          if (q.length >= MIN_QUERY_CHARS && q !== loadingQuery) run(q);
          return;
        }
        if (active >= 0) open(active);
        break;
      }
      case 'Escape':
        event.preventDefault();
        input.value = '';
        syncClearButton();
        reset();
        break;
      default:
    }
  });

  // The native clear button is hidden in CSS; this one is a proper touch target.
  clearButton.addEventListener('click', () => {
    input.value = '';
    syncClearButton();
    reset();
    input.focus();
  });

  loadMore.addEventListener('click', () => {
    if (next && query) run(query, next);
  });

  // What is in the box now: a fast typist may tap before the last search ran.
  $('results-create').addEventListener('click', () => onCreate(input.value.trim() || query));

  return {
    focus() {
      input.focus();
    },
    clear() {
      input.value = '';
      syncClearButton();
      reset();
    },
    markOpen,
    // Re-runs the shown query so visit counts stay current.
    refresh() {
      const q = currentText();
      if (q.length >= MIN_QUERY_CHARS && q === query && !controller) run(q);
    },
  };
}

// Wraps each word start that matches the query in <mark>, as DOM nodes.
function highlight(name, q) {
  const text = String(name ?? '');
  const needle = String(q ?? '').trim().toLocaleLowerCase();
  if (!needle) return text;
  const lower = text.toLocaleLowerCase();
  if (lower.length !== text.length) return text; // case mapping changed lengths
  let at = -1;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, i + 1)) {
    if (i === 0 || /[\s\-'’.(]/u.test(text[i - 1])) {
      at = i;
      break;
    }
  }
  if (at === -1) return text;
  return [
    text.slice(0, at),
    h('mark', null, text.slice(at, at + needle.length)),
    text.slice(at + needle.length),
  ];
}

// "Note: …training for a marathon…" under a guest found by a note, with
// the query's words marked where a word starts with them.
function noteSnippet(match, q) {
  if (!match || !match.snippet) return null;
  return h('span', { class: 'result-note' },
    h('span', { class: 'result-note-label' }, 'Note: '),
    markWords(String(match.snippet), q));
}

function markWords(text, q) {
  const words = String(q ?? '').toLocaleLowerCase().split(/\s+/).filter((w) => w.length > 0);
  const lower = text.toLocaleLowerCase();
  if (words.length === 0 || lower.length !== text.length) return text;
  const out = [];
  let plain = 0;
  for (let i = 0; i < text.length;) {
    const atWordStart = i === 0 || !/[\p{L}\p{N}]/u.test(text[i - 1]);
    const word = atWordStart ? words.find((w) => lower.startsWith(w, i)) : null;
    if (word) {
      if (plain < i) out.push(text.slice(plain, i));
      out.push(h('mark', null, text.slice(i, i + word.length)));
      i += word.length;
      plain = i;
    } else {
      i += 1;
    }
  }
  if (plain < text.length) out.push(text.slice(plain));
  return out;
}
