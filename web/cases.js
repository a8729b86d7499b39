// Service recovery: the case queue and, through case-page.js, one case.
// Routes:
//   #/cases            the default list (Mine for managers and owners, My location for hosts)
//   #/cases/mine       active cases the signed-in person owns
//   #/cases/location   active cases at the current location
//   #/cases/overdue    active cases past their due time
//   #/cases/12         one case
// Lists are paged by the server's cursor ("Load more").

import { api, isAbort } from './api.js';
import { $, h, setText, show } from './dom.js';
import { dateTime } from './format.js';
import { actorName, categoryLabel, dueText, severityPill, statusPill } from './case-words.js';
import { createCasePage } from './case-page.js';

const PAGE_SIZE = 20;
const TABS = ['mine', 'location', 'overdue'];

function parse(hash) {
  const m = /^#\/cases\/(\d+)$/.exec(hash);
  if (m) return { name: 'case', id: Number(m[1]) };
  const t = /^#\/cases\/([a-z]+)$/.exec(hash);
  if (t && TABS.includes(t[1])) return { name: 'list', tab: t[1] };
  if (hash === '#/cases' || hash === '#/cases/') return { name: 'list', tab: null };
  return null;
}

export function createCases({ getMe, getLocations, getLocationId, navigate, onChanged }) {
  const root = $('cases-view');
  const queue = $('case-queue');
  const list = $('case-list');
  const empty = $('cases-empty');
  const more = $('cases-more');
  const loading = $('cases-loading');
  const failed = $('cases-failed');

  let view = null;
  let items = [];
  let next = null;
  let controller = null;
  let lastTab = null;

  const page = createCasePage({
    getLocations,
    onChanged,
    backHash: () => `#/cases/${lastTab || defaultTab()}`,
  });

  function defaultTab() {
    const me = getMe();
    return me && (me.role === 'manager' || me.role === 'owner') ? 'mine' : 'location';
  }

  function currentLocation() {
    const id = getLocationId();
    return getLocations().find((l) => l.id === id) || null;
  }

  function query(tab) {
    const me = getMe();
    const q = { limit: PAGE_SIZE };
    if (tab === 'mine') {
      q.owner_id = me ? me.id : undefined;
      q.status = 'active';
    } else if (tab === 'location') {
      q.status = 'active';
      const loc = currentLocation();
      if (loc) q.location_id = loc.id;
    } else {
      q.overdue = 'true';
    }
    return q;
  }

  function subtitle(tab) {
    if (tab === 'mine') return 'Open cases you own, the most urgent first.';
    if (tab === 'overdue') return 'Open cases past their due time.';
    const loc = currentLocation();
    return loc && getLocations().length > 1
      ? `Open cases at ${loc.name}, the most urgent first.`
      : 'Open cases at your location, the most urgent first.';
  }

  function emptyText(tab) {
    if (tab === 'mine') return 'Nothing is waiting on you. Cases you own show here.';
    if (tab === 'overdue') return 'Every open case is still within its due time.';
    return 'When something goes wrong, open a case from the guest’s card with “Report a problem”.';
  }

  function row(c) {
    const due = dueText(c);
    const guest = c.guest ? c.guest.name : 'No guest';
    const owner = actorName(c.owner) || 'Unassigned';
    return h('li', { class: `case-row${due.late ? ' is-overdue' : ''}`, dataset: { caseId: String(c.id) } },
      h('a', { class: 'case-link', href: `#/cases/${c.id}` },
        h('span', { class: 'case-row-main' },
          h('span', { class: 'case-row-top' },
            severityPill(c.severity),
            h('span', { class: 'case-cat' }, categoryLabel(c.category))),
          h('span', { class: 'case-summary' },
            h('span', { class: `case-guest${c.guest ? '' : ' is-none'}` }, guest),
            ' · ', c.summary)),
        h('span', { class: 'case-row-meta' },
          h('time', {
            class: `case-due${due.late ? ' is-late' : ''}`, datetime: c.due_at, title: dateTime(c.due_at),
          }, due.text),
          h('span', { class: `case-owner${c.owner ? '' : ' is-unassigned'}` }, owner),
          statusPill(c.status))));
  }

  function render() {
    list.replaceChildren(...items.map(row));
    show(list, items.length > 0);
    show(empty, items.length === 0 && failed.hidden);
    show(more, Boolean(next));
  }

  function renderTabs() {
    for (const a of queue.querySelectorAll('.tab')) {
      if (a.dataset.tab === view.tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    setText($('cases-sub'), subtitle(view.tab));
    setText($('cases-empty-text'), emptyText(view.tab));
  }

  async function load({ append = false } = {}) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const tab = view.tab;
    show(failed, false);
    if (!append) {
      show(loading, items.length === 0);
      show(empty, false);
    }
    try {
      const q = query(tab);
      if (append) q.cursor = next;
      const res = await api.get('/cases', { query: q, signal: mine.signal });
      if (controller !== mine || !view || view.tab !== tab) return;
      const got = res && Array.isArray(res.items) ? res.items : [];
      if (append) {
        const seen = new Set(items.map((c) => c.id));
        items = items.concat(got.filter((c) => !seen.has(c.id)));
      } else {
        items = got;
      }
      next = res ? res.next || null : null;
      show(loading, false);
      render();
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      show(loading, false);
      if (err.status === 401) return; // the sign-in screen takes over
      setText($('cases-failed-text'), `Couldn’t load the cases: ${err.message}`);
      show(failed, true);
      show(empty, false);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  function openList(tab, fresh) {
    page.close();
    show(queue, true);
    lastTab = tab;
    if (fresh) {
      items = [];
      next = null;
      list.replaceChildren();
      show(list, false);
      show(more, false);
    }
    renderTabs();
    if (fresh) $('cases-title').focus({ preventScroll: true });
    load();
  }

  more.addEventListener('click', async () => {
    if (!next) return;
    more.disabled = true;
    try {
      await load({ append: true });
    } finally {
      more.disabled = false;
    }
  });

  $('cases-retry').addEventListener('click', () => {
    if (view && view.name === 'list') load();
  });

  function open(hash) {
    const target = parse(hash);
    if (!target) {
      navigate(`#/cases/${defaultTab()}`, { replace: true });
      return;
    }
    if (target.name === 'list' && !target.tab) {
      navigate(`#/cases/${lastTab || defaultTab()}`, { replace: true });
      return;
    }
    const entering = root.hidden;
    const fresh = entering || !view || view.name !== target.name || view.tab !== target.tab
      || view.id !== target.id;
    view = target;
    show(root, true);
    if (fresh) {
      root.scrollTop = 0;
      window.scrollTo(0, 0);
    }
    if (target.name === 'case') {
      show(queue, false);
      page.open(target.id);
    } else {
      openList(target.tab, fresh);
    }
  }

  return {
    open,
    close() {
      if (controller) controller.abort();
      controller = null;
      page.close();
      show(root, false);
    },
    // Open alerts (cases past due) for the Overdue tab's count.
    setOverdueCount(n) {
      setText($('cases-overdue-count'), n > 0 ? String(n) : '');
    },
    reset() {
      if (controller) controller.abort();
      controller = null;
      view = null;
      items = [];
      next = null;
      lastTab = null;
      list.replaceChildren();
      page.close();
      show(root, false);
    },
  };
}
