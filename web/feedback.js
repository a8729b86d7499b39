// Feedback ("Shop your business"): what guests said, in one place.
// Routes:
//   #/feedback/inbox       newest first, filtered by score, theme, feeling,
//                          location and dates; paged by the server's cursor
//   #/feedback/new[/12]    record what a guest (12) said at the counter
//   #/feedback/trends      NPS and themes over time (owners and managers;
//                          the charts load on first use, see feedback-charts.js)
//   #/feedback/kudos       the kudos wall: staff named in praise

import { api, isAbort } from './api.js';
import {
  $, busy, clearFieldErrorsOnInput, clearFormErrors, focusFirstInvalid, h, setFieldError, setFormError,
  setText, show,
} from './dom.js';
import { dateOnly, dateTime, initials, relativeTime } from './format.js';
import {
  CATEGORIES, CATEGORY_LABELS, LABELS, THEMES, highlightComment, npsCategory, themeChip,
} from './feedback-words.js';

const PAGE_SIZE = 20;
const GUEST_RESULTS = 5;
const GUEST_DEBOUNCE_MS = 200;
const MAX_COMMENT = 2000;
const TABS = ['inbox', 'trends', 'kudos'];
const AVATAR_TONES = 6;

function parse(hash) {
  const t = /^#\/feedback\/([a-z]+)$/.exec(hash);
  if (t && TABS.includes(t[1])) return { name: t[1] };
  const n = /^#\/feedback\/new(?:\/(\d+))?$/.exec(hash);
  if (n) return { name: 'new', guestId: n[1] ? Number(n[1]) : null };
  return null;
}

export function canSeeTrends(staff) {
  return Boolean(staff) && (staff.role === 'owner' || staff.role === 'manager');
}

// "2026-12-04" from a date input, as the start of that day here, in RFC 3339.
function dayStart(value, plusDays = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '');
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function options(select, items, keep = true) {
  const first = keep ? select.querySelector('option[value=""]') : null;
  select.replaceChildren(...(first ? [first] : []),
    ...items.map((i) => h('option', { value: String(i.value) }, i.label)));
}

export function createFeedback({ getMe, getLocations, getLocationId, navigate }) {
  const root = $('feedback-view');
  const sections = {
    inbox: $('feedback-inbox'), new: $('feedback-record'), trends: $('feedback-trends'), kudos: $('feedback-kudos'),
  };
  const notice = $('feedback-notice');

  let view = null;

  function locations() {
    return getLocations();
  }

  function locationName(id) {
    const loc = locations().find((l) => l.id === id);
    return loc ? loc.name : '';
  }

  function timeZone(id) {
    const loc = locations().find((l) => l.id === id);
    return loc ? loc.timezone : undefined;
  }

  function fillLocationSelect(select, { all = false } = {}) {
    const previous = select.value;
    const locs = locations();
    select.replaceChildren(
      ...(all ? [h('option', { value: '' }, 'All locations')] : []),
      ...locs.map((l) => h('option', { value: String(l.id) }, l.name)),
    );
    if ([...select.options].some((o) => o.value === previous)) select.value = previous;
    else if (!all && getLocationId()) select.value = String(getLocationId());
    const field = select.closest('.field');
    if (field) show(field, locs.length > 1);
  }

  function showNotice(text, caseId) {
    setText($('feedback-notice-text'), text);
    const link = $('feedback-notice-case');
    if (caseId) link.setAttribute('href', `#/cases/${caseId}`);
    show(link, Boolean(caseId));
    show(notice, Boolean(text));
  }

  // ---------- the inbox ----------

  const filters = $('feedback-filters');
  const list = $('feedback-list');
  const more = $('feedback-more');
  const loading = $('feedback-loading');
  const failed = $('feedback-failed');
  const empty = $('feedback-empty');
  let items = [];
  let next = null;
  let controller = null;

  options($('fb-filter-category'), CATEGORIES);
  options($('fb-filter-theme'), THEMES);
  options($('fb-filter-label'), LABELS);

  function filterQuery() {
    const q = { limit: PAGE_SIZE };
    for (const name of ['category', 'theme', 'label', 'location_id']) {
      const v = filters.elements.namedItem(name).value;
      if (v) q[name] = v;
    }
    const from = dayStart($('fb-filter-from').value);
    const to = dayStart($('fb-filter-to').value, 1);
    if (from) q.from = from;
    if (to) q.to = to;
    return q;
  }

  function filtered() {
    const q = filterQuery();
    return Object.keys(q).some((k) => k !== 'limit');
  }

  function scoreBadge(f) {
    const cat = f.category || npsCategory(f.nps);
    if (f.nps === null || f.nps === undefined) {
      return h('span', { class: 'fb-score is-none', title: 'No score' },
        h('span', { class: 'fb-score-n', 'aria-hidden': 'true' }, '–'),
        h('span', { class: 'visually-hidden' }, 'No score'));
    }
    return h('span', { class: `fb-score is-${cat}`, title: CATEGORY_LABELS[cat] || '' },
      h('span', { class: 'fb-score-n', 'aria-hidden': 'true' }, String(f.nps)),
      h('span', { class: 'fb-score-of', 'aria-hidden': 'true' }, '/10'),
      h('span', { class: 'visually-hidden' }, `Scored ${f.nps} out of 10, ${CATEGORY_LABELS[cat] || ''}`));
  }

  function sourceText(f) {
    if (f.source === 'survey') return 'Survey';
    const by = f.recorded_by && f.recorded_by.name ? ` by ${f.recorded_by.name}` : '';
    return `At the counter${by}`;
  }

  function ratingStars(n) {
    return h('span', { class: `fb-rating-value is-${n <= 2 ? 'low' : n >= 4 ? 'high' : 'mid'}` },
      h('span', { 'aria-hidden': 'true' }, `${'★'.repeat(n)}${'☆'.repeat(Math.max(0, 5 - n))}`),
      h('span', { class: 'visually-hidden' }, `${n} out of 5`));
  }

  function row(f) {
    const themes = Array.isArray(f.themes) ? f.themes : [];
    const ratings = Array.isArray(f.ratings) ? f.ratings : [];
    const kudos = Array.isArray(f.kudos) ? f.kudos : [];
    const multi = locations().length > 1;
    const meta = [sourceText(f), multi ? locationName(f.location_id) : ''].filter(Boolean).join(' · ');
    const cat = f.category || npsCategory(f.nps);
    return h('li', { class: `fb-item${cat ? ` is-${cat}` : ''}`, dataset: { feedbackId: String(f.id) } },
      h('div', { class: 'fb-head' },
        scoreBadge(f),
        h('div', { class: 'fb-who' },
          f.guest
            ? h('a', { class: 'fb-guest', href: `#/guests/${f.guest.id}` }, f.guest.name)
            : h('span', { class: 'fb-guest is-none' }, 'No guest on record'),
          h('span', { class: 'fb-meta' },
            h('time', { datetime: f.at, title: dateTime(f.at, timeZone(f.location_id)) }, relativeTime(f.at)),
            ` · ${meta}`)),
        f.case_id
          ? h('a', { class: 'btn btn-small btn-secondary fb-case', href: `#/cases/${f.case_id}` },
            `Case #${f.case_id}`)
          : null),
      f.comment
        ? h('blockquote', { class: 'fb-comment' }, highlightComment(f.comment, themes))
        : h('p', { class: 'fb-comment is-none' }, 'No comment.'),
      ratings.length
        ? h('ul', { class: 'fb-ratings', 'aria-label': 'Ratings' },
          ratings.map((r) => h('li', { class: 'fb-rating' },
            h('span', { class: 'fb-rating-name' }, r.touchpoint ? r.touchpoint.name : ''),
            ratingStars(Number(r.rating) || 0))))
        : null,
      themes.length || kudos.length
        ? h('div', { class: 'fb-foot' },
          themes.length ? h('ul', { class: 'theme-chips', 'aria-label': 'Themes' }, themes.map(themeChip)) : null,
          kudos.length
            ? h('p', { class: 'fb-kudos' },
              h('span', { class: 'fb-kudos-mark', 'aria-hidden': 'true' }, '★'),
              `Kudos: ${kudos.map((k) => (k.staff ? k.staff.name : '')).filter(Boolean).join(', ')}`)
            : null)
        : null);
  }

  function renderInbox() {
    list.replaceChildren(...items.map(row));
    show(list, items.length > 0);
    show(empty, items.length === 0 && failed.hidden && loading.hidden);
    setText($('feedback-empty-title'), filtered() ? 'Nothing matches these filters' : 'No feedback yet');
    setText($('feedback-empty-text'), filtered()
      ? 'Try another score, theme or dates, or clear the filters.'
      : 'Survey answers and what guests say at the counter show here, newest first. '
        + 'Send a survey link from a guest’s recent visit, or record what a guest told you.');
    show(more, Boolean(next));
    show($('fb-filter-clear'), filtered());
  }

  async function loadInbox({ append = false } = {}) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    show(failed, false);
    if (!append) {
      show(loading, items.length === 0);
      show(empty, false);
    }
    try {
      const q = filterQuery();
      if (append) q.cursor = next;
      const res = await api.get('/feedback', { query: q, signal: mine.signal });
      if (controller !== mine) return;
      const got = res && Array.isArray(res.items) ? res.items : [];
      if (append) {
        const seen = new Set(items.map((f) => f.id));
        items = items.concat(got.filter((f) => !seen.has(f.id)));
      } else {
        items = got;
      }
      next = res ? res.next || null : null;
      show(loading, false);
      renderInbox();
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      show(loading, false);
      if (err.status === 401) return;
      setText($('feedback-failed-text'), `Couldn’t load feedback: ${err.message}`);
      show(failed, true);
      show(empty, false);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  filters.addEventListener('change', () => {
    items = [];
    next = null;
    list.replaceChildren();
    loadInbox();
  });
  filters.addEventListener('submit', (event) => event.preventDefault());
  $('fb-filter-clear').addEventListener('click', () => {
    filters.reset();
    filters.dispatchEvent(new Event('change'));
  });
  more.addEventListener('click', async () => {
    if (!next) return;
    more.disabled = true;
    try {
      await loadInbox({ append: true });
    } finally {
      more.disabled = false;
    }
  });
  $('feedback-retry').addEventListener('click', () => loadInbox());

  // ---------- recording what a guest said ----------

  const form = $('fb-record-form');
  const guestSearch = $('fb-record-guest-search');
  const guestResults = $('fb-record-guest-results');
  const guestStatus = $('fb-record-guest-status');
  let recordGuest = null;
  let guestTimer = null;
  let guestController = null;

  const npsBox = $('fb-record-nps');
  npsBox.append(...[['', 'No score'], ...Array.from({ length: 11 }, (_, n) => [String(n), String(n)])]
    .map(([value, label]) => h('label', { class: `chip fb-nps-chip${value === '' ? ' chip-sev-none' : ''}` },
      h('input', { class: 'chip-input', type: 'radio', name: 'nps', value }),
      h('span', null, label))));
  clearFieldErrorsOnInput(form);

  function setGuest(guest) {
    recordGuest = guest;
    $('fb-record-guest-id').value = guest ? String(guest.id) : '';
    setText($('fb-record-guest-name'), guest ? guest.name : '');
    show($('fb-record-guest'), Boolean(guest));
    show(guestSearch, !guest);
    guestResults.replaceChildren();
    setText(guestStatus, '');
    if (!guest) guestSearch.value = '';
  }

  async function findGuests(query) {
    if (guestController) guestController.abort();
    const mine = new AbortController();
    guestController = mine;
    try {
      const res = await api.get('/guests', { query: { q: query, limit: GUEST_RESULTS }, signal: mine.signal });
      if (guestController !== mine) return;
      const found = res && Array.isArray(res.items) ? res.items : [];
      guestResults.replaceChildren(...found.map((g) => h('li', null,
        h('button', { type: 'button', class: 'fb-guest-pick', onclick: () => setGuest(g) },
          h('span', { class: 'fb-guest-pick-name' }, g.name),
          h('span', { class: 'fb-guest-pick-sub' },
            [g.phone, g.email, g.card].filter(Boolean).join(' · ') || 'No contact details')))));
      setText(guestStatus, found.length ? '' : `No guest matches “${query}”.`);
    } catch (err) {
      if (isAbort(err) || guestController !== mine) return;
      setText(guestStatus, `Couldn’t search: ${err.message}`);
    } finally {
      if (guestController === mine) guestController = null;
    }
  }

  guestSearch.addEventListener('input', () => {
    clearTimeout(guestTimer);
    const q = guestSearch.value.trim();
    if (q.length < 2) {
      guestResults.replaceChildren();
      setText(guestStatus, '');
      return;
    }
    guestTimer = setTimeout(() => findGuests(q), GUEST_DEBOUNCE_MS);
  });
  $('fb-record-guest-clear').addEventListener('click', () => {
    setGuest(null);
    guestSearch.focus();
  });

  async function openRecord(guestId) {
    clearFormErrors(form);
    form.reset();
    form.querySelector('input[name="nps"][value=""]').checked = true;
    fillLocationSelect($('fb-record-location'));
    setGuest(null);
    const back = guestId ? `#/guests/${guestId}` : '#/feedback/inbox';
    $('fb-record-back').setAttribute('href', back);
    $('fb-record-cancel').setAttribute('href', back);
    setText($('fb-record-back-text'), guestId ? 'Guest card' : 'Inbox');
    $('fb-record-title').focus({ preventScroll: true });
    if (guestId) {
      try {
        const g = await api.get(`/guests/${guestId}`);
        if (view && view.name === 'new' && view.guestId === guestId) setGuest(g);
      } catch (err) {
        if (!isAbort(err) && err.status !== 401) setText(guestStatus, `Couldn’t load the guest: ${err.message}`);
      }
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = {};
    const loc = Number($('fb-record-location').value);
    if (!loc) setFieldError(form, 'location_id', 'Choose the location');
    else body.location_id = loc;
    if (recordGuest) body.guest_id = recordGuest.id;
    const picked = form.querySelector('input[name="nps"]:checked');
    if (picked && picked.value !== '') body.nps = Number(picked.value);
    const comment = $('fb-record-comment').value.trim();
    if (comment.length > MAX_COMMENT) setFieldError(form, 'comment', `Keep it under ${MAX_COMMENT} characters`);
    else if (comment) body.comment = comment;
    else if (body.nps === undefined) setFieldError(form, 'comment', 'Write what they said, or choose a score');
    if (focusFirstInvalid(form)) return;
    let saved;
    try {
      saved = await busy(form, () => api.post('/feedback', body));
    } catch (err) {
      const field = err.field === 'nps' || err.field === 'guest_id' || err.field === 'location_id'
        || err.field === 'comment' ? err.field : null;
      if (!setFieldError(form, field, err.message)) setFormError($('fb-record-error'), err.message);
      focusFirstInvalid(form);
      return;
    }
    const who = saved && saved.guest ? ` from ${saved.guest.name}` : '';
    showNotice(saved && saved.case_id
      ? `Feedback${who} recorded. A case was opened so someone follows it up.`
      : `Feedback${who} recorded.`, saved ? saved.case_id : null);
    items = [];
    next = null;
    navigate('#/feedback/inbox', { replace: true });
  });

  // ---------- kudos ----------

  const kudosList = $('fb-kudos-list');
  let kudosController = null;

  function kudosCard(k) {
    const comments = Array.isArray(k.comments) ? k.comments : [];
    const id = k.staff ? Number(k.staff.id) || 0 : 0;
    return h('li', { class: 'kudos-card' },
      h('div', { class: 'kudos-head' },
        h('span', { class: `avatar avatar-sm avatar-tone-${id % AVATAR_TONES}`, 'aria-hidden': 'true' },
          initials(k.staff ? k.staff.name : '')),
        h('span', { class: 'kudos-name' }, k.staff ? k.staff.name : ''),
        h('span', { class: 'kudos-count' },
          h('span', { class: 'kudos-star', 'aria-hidden': 'true' }, '★'), `${Number(k.count) || 0} kudos`)),
      comments.length
        ? h('ul', { class: 'kudos-comments' }, comments.map((c) => h('li', null,
          h('blockquote', { class: 'kudos-quote' }, c.comment),
          h('time', { class: 'kudos-when', datetime: c.at }, dateOnly(c.at)))))
        : null);
  }

  async function loadKudos() {
    const select = $('fb-kudos-location');
    fillLocationSelect(select);
    if (kudosController) kudosController.abort();
    const mine = new AbortController();
    kudosController = mine;
    show($('fb-kudos-failed'), false);
    show($('fb-kudos-empty'), false);
    show($('fb-kudos-loading'), kudosList.childElementCount === 0);
    try {
      const res = await api.get('/kudos', { query: { location_id: select.value }, signal: mine.signal });
      if (kudosController !== mine) return;
      const got = res && Array.isArray(res.items) ? res.items : [];
      kudosList.replaceChildren(...got.map(kudosCard));
      show(kudosList, got.length > 0);
      show($('fb-kudos-empty'), got.length === 0);
    } catch (err) {
      if (isAbort(err) || kudosController !== mine) return;
      if (err.status === 401) return;
      setText($('fb-kudos-failed-text'), `Couldn’t load kudos: ${err.message}`);
      show($('fb-kudos-failed'), true);
    } finally {
      if (kudosController === mine) {
        kudosController = null;
        show($('fb-kudos-loading'), false);
      }
    }
  }

  $('fb-kudos-location').addEventListener('change', () => {
    kudosList.replaceChildren();
    loadKudos();
  });
  $('fb-kudos-retry').addEventListener('click', loadKudos);

  // ---------- trends ----------

  let trendsController = null;
  let charts = null; // feedback-charts.js, once loaded

  async function loadTrends() {
    const select = $('fb-trends-location');
    fillLocationSelect(select);
    if (trendsController) trendsController.abort();
    const mine = new AbortController();
    trendsController = mine;
    show($('fb-trends-failed'), false);
    show($('fb-trends-loading'), $('fb-trends-body').hidden);
    try {
      const interval = $('fb-trends-interval').value;
      const query = { location_id: select.value, interval };
      const days = { day: 28, month: 365 }[interval];
      if (days) {
        const to = new Date();
        query.to = to.toISOString().replace(/\.\d{3}Z$/, 'Z');
        query.from = new Date(to.getTime() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
      const [data, mod] = await Promise.all([
        api.get('/insights/feedback', { query, signal: mine.signal }),
        charts ? Promise.resolve(charts) : import('./feedback-charts.js'),
      ]);
      charts = mod;
      if (trendsController !== mine || !view || view.name !== 'trends') return;
      show($('fb-trends-loading'), false);
      show($('fb-trends-body'), true);
      charts.render(data);
    } catch (err) {
      if (isAbort(err) || trendsController !== mine) return;
      show($('fb-trends-loading'), false);
      if (err.status === 401) return;
      setText($('fb-trends-failed-text'), `Couldn’t load the trends: ${err.message}`);
      show($('fb-trends-failed'), true);
    } finally {
      if (trendsController === mine) trendsController = null;
    }
  }

  $('fb-trends-location').addEventListener('change', loadTrends);
  $('fb-trends-interval').addEventListener('change', loadTrends);
  $('fb-trends-retry').addEventListener('click', loadTrends);

  // ---------- routing ----------

  const SUBTITLES = {
    inbox: 'What guests said in surveys and at the counter, newest first.',
    new: 'What a guest said, in their words.',
    trends: 'How guests rate you over time, and what they talk about.',
    kudos: 'Staff named in guests’ praise, most kudos first.',
  };

  function stopLoads() {
    for (const c of [controller, kudosController, trendsController, guestController]) if (c) c.abort();
    controller = null;
    kudosController = null;
    trendsController = null;
    guestController = null;
  }

  function open(hash) {
    const target = parse(hash);
    const me = getMe();
    if (!target || (target.name === 'trends' && !canSeeTrends(me))) {
      navigate('#/feedback/inbox', { replace: true });
      return;
    }
    const entering = root.hidden;
    const changed = entering || !view || view.name !== target.name || view.guestId !== target.guestId;
    if (changed && !(view && view.name === 'new' && target.name === 'inbox')) show(notice, false);
    view = target;
    show(root, true);
    show($('feedback-trends-tab'), canSeeTrends(me));
    for (const a of root.querySelectorAll('.tabs .tab')) {
      const tab = target.name === 'new' ? 'inbox' : target.name;
      if (a.dataset.tab === tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    setText($('feedback-sub'), SUBTITLES[target.name]);
    for (const [name, el] of Object.entries(sections)) show(el, name === target.name);
    if (!changed) return;
    window.scrollTo(0, 0);
    root.scrollTop = 0;
    if (charts && target.name !== 'trends') charts.destroy();
    if (target.name === 'inbox') {
      fillLocationSelect($('fb-filter-location'), { all: true });
      if (entering) $('feedback-title').focus({ preventScroll: true });
      loadInbox();
    } else if (target.name === 'new') {
      openRecord(target.guestId);
    } else if (target.name === 'kudos') {
      loadKudos();
    } else {
      loadTrends();
    }
  }

  return {
    open,
    close() {
      stopLoads();
      if (charts) charts.destroy();
      view = null;
      show(root, false);
    },
    reset() {
      stopLoads();
      if (charts) charts.destroy();
      view = null;
      items = [];
      next = null;
      list.replaceChildren();
      kudosList.replaceChildren();
      filters.reset();
      show(notice, false);
      show(root, false);
    },
  };
}
