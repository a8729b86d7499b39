// The card's ⋯ guest menu, and "Merge duplicate…": find the other record
// with the usual search, pick it, confirm, and the duplicate's visits and
// notes move to the guest that is kept; the duplicate is removed.

import { api, isAbort } from './api.js';
import { $, h, setFormError, setText, show } from './dom.js';
import { plural, relativeTime } from './format.js';

const DEBOUNCE_MS = 150;
const MIN_QUERY_CHARS = 2;
const PAGE_SIZE = 8;

function contactLine(g) {
  return [g.phone, g.email, g.card ? `Card ${g.card}` : null].filter(Boolean).join(' · ');
}

function summary(g) {
  const visits = Number(g.visits) || 0;
  return [
    contactLine(g) || 'No contact details',
    visits ? `${plural(visits, 'visit')}, last ${relativeTime(g.last_visit_at)}` : 'No visits yet',
  ].join(' · ');
}

export function createGuestMenu({ getGuest, onMerged }) {
  const button = $('guest-menu-button');
  const menu = $('guest-menu');
  const dialog = $('merge-dialog');
  const pick = $('merge-pick');
  const confirmStep = $('merge-confirm');
  const search = $('merge-search');
  const status = $('merge-status');
  const results = $('merge-results');
  const ok = $('merge-ok');
  const back = $('merge-back');
  const error = $('merge-error');

  // ---- the menu ----

  function items() {
    return [...menu.querySelectorAll('[role="menuitem"]')];
  }

  function openMenu() {
    show(menu, true);
    button.setAttribute('aria-expanded', 'true');
    items()[0]?.focus();
  }

  function closeMenu({ focusButton = false } = {}) {
    if (menu.hidden) return;
    show(menu, false);
    button.setAttribute('aria-expanded', 'false');
    if (focusButton) button.focus();
  }

  button.addEventListener('click', () => {
    if (menu.hidden) openMenu();
    else closeMenu();
  });

  menu.addEventListener('keydown', (event) => {
    const list = items();
    const at = list.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      closeMenu({ focusButton: true });
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      list[(at + step + list.length) % list.length]?.focus();
    } else if (event.key === 'Tab') {
      closeMenu();
    }
  });

  document.addEventListener('pointerdown', (event) => {
    if (!menu.hidden && !menu.contains(event.target) && !button.contains(event.target)) closeMenu();
  });

  // ---- merge ----

  let keep = null; // the guest that stays
  let duplicate = null; // the guest that goes
  let found = [];
  let timer = 0;
  let controller = null;

  function abortSearch() {
    clearTimeout(timer);
    if (controller) controller.abort();
    controller = null;
  }

  function showPick() {
    show(pick, true);
    show(confirmStep, false);
    show(ok, false);
    setFormError(error, '');
  }

  function renderResults() {
    const current = getGuest();
    const others = found.filter((g) => !current || g.id !== current.id);
    results.replaceChildren(...others.map((g) => {
      const choose = h('button', { type: 'button', class: 'merge-result' },
        h('span', { class: 'merge-result-name' }, g.name),
        h('span', { class: 'merge-result-sub' }, summary(g)));
      choose.addEventListener('click', () => choosePair(current, g));
      return h('li', null, choose);
    }));
    const q = search.value.trim();
    if (q.length < MIN_QUERY_CHARS) setText(status, 'Type at least 2 characters.');
    else if (others.length === 0) setText(status, `No other guest matches ‘${q}’.`);
    else setText(status, `${plural(others.length, 'guest')} found — pick the duplicate.`);
  }

  async function runSearch(q) {
    abortSearch();
    const mine = new AbortController();
    controller = mine;
    try {
      const page = await api.get('/guests', { query: { q, limit: PAGE_SIZE }, signal: mine.signal });
      if (controller !== mine) return;
      found = page && Array.isArray(page.items) ? page.items : [];
      renderResults();
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      found = [];
      results.replaceChildren();
      setText(status, err.field === 'q' ? 'Type at least 2 letters or digits.' : `Search failed: ${err.message}`);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  search.addEventListener('input', () => {
    const q = search.value.trim();
    clearTimeout(timer);
    if (q.length < MIN_QUERY_CHARS) {
      abortSearch();
      found = [];
      renderResults();
      return;
    }
    timer = setTimeout(() => runSearch(q), DEBOUNCE_MS);
  });

  search.addEventListener('keydown', (event) => {
    // Enter picks the only match; Escape still closes the dialog.
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const first = results.querySelectorAll('button');
    if (first.length === 1) first[0].click();
  });

  function renderConfirm() {
    setText($('merge-question'),
      `Merge ${duplicate.name} into ${keep.name}? Visits and notes move; ${duplicate.name} is removed.`);
    setText($('merge-dup-name'), duplicate.name);
    setText($('merge-dup-sub'), summary(duplicate));
    setText($('merge-keep-name'), keep.name);
    setText($('merge-keep-sub'), summary(keep));
    setText($('merge-swap'), `Keep ${duplicate.name} instead`);
    setText(ok, `Merge into ${keep.name}`);
  }

  function choosePair(stays, goes) {
    keep = stays;
    duplicate = goes;
    show(pick, false);
    show(confirmStep, true);
    show(ok, true);
    setFormError(error, '');
    renderConfirm();
    ok.focus();
  }

  $('merge-swap').addEventListener('click', () => {
    [keep, duplicate] = [duplicate, keep];
    setFormError(error, '');
    renderConfirm();
  });

  back.addEventListener('click', () => {
    showPick();
    search.focus();
  });

  $('merge-cancel').addEventListener('click', () => dialog.close());

  dialog.addEventListener('close', () => {
    abortSearch();
    keep = null;
    duplicate = null;
  });

  ok.addEventListener('click', async () => {
    if (!keep || !duplicate) return;
    const buttons = dialog.querySelectorAll('button');
    for (const b of buttons) b.disabled = true;
    setFormError(error, '');
    let survivor;
    try {
      survivor = await api.post(`/guests/${keep.id}/merge`, { duplicate_id: duplicate.id });
    } catch (err) {
      if (err.status !== 401) setFormError(error, err.message);
      return;
    } finally {
      for (const b of buttons) b.disabled = false;
    }
    const removed = duplicate;
    dialog.close();
    onMerged(survivor || keep, removed);
  });

  $('merge-open').addEventListener('click', () => {
    closeMenu();
    const current = getGuest();
    if (!current) return;
    found = [];
    search.value = current.name;
    results.replaceChildren();
    setText(status, '');
    setText($('merge-intro'),
      `Two records for the same person? Find the other one. Its visits and notes move to the one you keep.`);
    showPick();
    dialog.showModal();
    search.focus();
    search.select();
    // Most duplicates share a name: search for it straight away.
    const q = current.name.trim();
    if (q.length >= MIN_QUERY_CHARS) runSearch(q).catch(() => {});
  });

  return {
    close() {
      closeMenu();
      if (dialog.open) dialog.close();
    },
  };
}
