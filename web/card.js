// The guest card: allergy and dietary flags first, who this is (greeting,
// visits, last visit, usual interval, regular badge, contact), pinned and
// recent preferences, the conversation strip, a form to record today's
// visit, the guest's notes and the most recent visits. Open and recently
// resolved service-recovery cases show under the header, and "Report a
// problem" opens one (report-problem.js). The guest's open orders, and
// "New order", are in card-orders.js. A regular who seems to have stopped
// coming gets a tactful line under the greeting (the model's risk, never
// its numbers).

import { api, isAbort } from './api.js';
import {
  $, busy, clearFormErrors, focusFirstInvalid, h, icon, setFieldError, setFormError, setText, show,
} from './dom.js';
import {
  currencySymbol, dateOnly, dateTime, firstName, initials, intervalText, minorDigits, money,
  ordinal, parseMoney, plural, relativeTime,
} from './format.js';
import { authorName, flagItem } from './note-kinds.js';
import { createNotes } from './notes.js';
import { createConversation } from './conversation.js';
import { createGuestMenu } from './guest-menu.js';
import { createReportProblem } from './report-problem.js';
import { createCardOrders } from './card-orders.js';
import { createSurveyLink } from './survey-link.js';
import { everyText } from './risk-words.js';

const RECENT_VISITS = 5;
const AVATAR_TONES = 6;
const MAX_PARTY = 999;
const LOCATION_KEY = 'maitred.location';

export function createCard({ getLocations, onVisitRecorded, canManage, onMerged, onNewOrder }) {
  const root = $('card');
  const body = $('card-body');
  const status = $('card-status');
  const form = $('visit-form');
  const locationSelect = $('visit-location');
  const party = $('visit-party');
  const spend = $('visit-spend');
  const currency = $('visit-currency');
  const confirm = $('visit-confirm');
  const confirmText = $('visit-confirm-text');

  let guestId = null;
  let guest = null;
  let controller = null;

  const notes = createNotes({ getGuestId: () => guestId, onChanged: refreshMemory });
  const conversation = createConversation({
    getGuestId: () => guestId, canManage, onChanged: refreshMemory,
  });
  const menu = createGuestMenu({ getGuest: () => guest, onMerged });
  const problem = createReportProblem({
    getGuest: () => guest,
    getLocation: () => selectedLocation(),
    beforeOpen: () => notes.close(),
    onReported: () => refreshMemory(),
  });
  const orders = createCardOrders({ getGuestId: () => guestId, onNewOrder });
  const surveyLink = createSurveyLink();
  // Adding a note and reporting a problem share the space under the greeting.
  $('add-note').addEventListener('click', () => problem.close());

  function locationById(id) {
    return getLocations().find((l) => l.id === id) || null;
  }

  function selectedLocation() {
    return locationById(Number(locationSelect.value));
  }

  function fillLocations() {
    const locations = getLocations();
    const previous = Number(locationSelect.value) || Number(localStorage.getItem(LOCATION_KEY));
    locationSelect.replaceChildren(
      ...locations.map((l) => h('option', { value: String(l.id) }, l.name)),
    );
    if (locations.some((l) => l.id === previous)) locationSelect.value = String(previous);
    locationSelect.disabled = locations.length === 0;
    updateCurrency();
  }

  function updateCurrency() {
    const loc = selectedLocation();
    const code = loc ? loc.currency : '';
    setText(currency, code ? currencySymbol(code) : '');
    spend.placeholder = minorDigits(code) > 0 ? `0.${'0'.repeat(minorDigits(code))}` : '0';
  }

  locationSelect.addEventListener('change', () => {
    localStorage.setItem(LOCATION_KEY, locationSelect.value);
    updateCurrency();
  });

  for (const button of form.querySelectorAll('[data-step]')) {
    button.addEventListener('click', () => {
      const n = Number.parseInt(party.value, 10);
      const base = Number.isFinite(n) ? n : 1;
      party.value = String(Math.min(MAX_PARTY, Math.max(1, base + Number(button.dataset.step))));
    });
  }

  function resetVisitForm() {
    clearFormErrors(form);
    party.value = '1';
    spend.value = '';
  }

  async function open(id) {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const switching = id !== guestId;
    guestId = id;
    show(root, true);
    if (switching) {
      guest = null;
      show(body, false);
      show(confirm, false);
      resetVisitForm();
      notes.reset();
      conversation.reset();
      problem.reset();
      orders.reset();
      menu.close();
      setText(status, 'Loading guest…');
    }
    fillLocations();
    try {
      await load(mine.signal);
      if (controller !== mine) return;
      setText(status, '');
      show(body, true);
      if (switching) $('card-name').focus({ preventScroll: true });
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      show(body, false);
      setText(status, err.status === 404 ? 'This guest no longer exists.' : `Couldn’t load the guest: ${err.message}`);
    } finally {
      if (controller === mine) controller = null;
    }
  }

  // Notes failing to load must not hide the rest of the card.
  function fetchNotes(id, signal) {
    return notes.fetch(id, signal).then((page) => ({ page }), (err) => {
      if (isAbort(err) || err.status === 401) throw err;
      return { err };
    });
  }

  function showNotes(result, id) {
    if (result.err) notes.showError(result.err, id);
    else notes.show(result.page, id);
  }

  async function load(signal) {
    const id = guestId;
    const [card, visits, noteResult] = await Promise.all([
      api.get(`/guests/${id}/card`, { signal }),
      api.get('/visits', { query: { guest_id: id, limit: RECENT_VISITS }, signal }),
      fetchNotes(id, signal),
    ]);
    if (id !== guestId) return;
    guest = card.guest;
    renderCard(card);
    renderVisits(visits && Array.isArray(visits.items) ? visits.items : []);
    showNotes(noteResult, id);
  }

  // After a note or a talking point changed: the card's memory parts and the
  // notes list, not the visits.
  async function refreshMemory() {
    const id = guestId;
    if (!id) return;
    try {
      const [card, noteResult] = await Promise.all([api.get(`/guests/${id}/card`), fetchNotes(id)]);
      if (id !== guestId) return;
      guest = card.guest;
      renderCard(card);
      showNotes(noteResult, id);
      setText(status, '');
    } catch (err) {
      if (isAbort(err) || id !== guestId || err.status === 401) return;
      if (err.status === 404) {
        show(body, false);
        setText(status, 'This guest no longer exists.');
        return;
      }
      setText(status, `Saved, but the card didn’t refresh: ${err.message}`);
    }
  }

  function renderFlags(flags) {
    const list = $('card-flag-list');
    list.replaceChildren(...flags.map(flagItem));
    const root = $('card-flags');
    root.classList.toggle('is-critical', flags.some((n) => n.severity === 'life_threatening'));
    show(root, flags.length > 0);
  }

  function renderPreferences(prefs) {
    const list = $('card-pref-list');
    list.replaceChildren(...prefs.map((note) => {
      const who = authorName(note.author);
      return h('li', { class: `pref${note.pinned ? ' is-pinned' : ''}` },
        note.pinned
          ? h('span', { class: 'pref-pin', title: 'Pinned' }, icon('pin', 16), h('span', { class: 'visually-hidden' }, 'Pinned: '))
          : h('span', { class: 'pref-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'pref-text' }, note.text),
        note.pinned ? null : h('span', { class: 'pref-meta' },
          [relativeTime(note.created_at), who].filter(Boolean).join(' · ')));
    }));
    show(list, prefs.length > 0);
    show($('card-prefs-empty'), prefs.length === 0);
  }

  function renderCard(card) {
    const g = card.guest || {};
    const r = card.recognition || {};
    const visits = Number(r.visits) || 0;

    const avatar = $('card-avatar');
    setText(avatar, initials(g.name));
    avatar.className = `avatar avatar-tone-${Math.abs(Number(g.id) || 0) % AVATAR_TONES}`;
    setText($('card-name'), g.name);
    $('record-feedback-open').setAttribute('href', `#/feedback/new/${g.id}`);
    show($('card-regular'), Boolean(r.regular));

    const greeting = r.greeting
      || (visits > 0 ? `Welcome back, ${firstName(g.name)}` : `Welcome, ${firstName(g.name)} — first visit`);
    setText($('card-greeting'), greeting);
    renderRisk(card.risk, r);

    setText($('card-visits'), String(visits));
    if (r.last_visit_at) {
      setText($('card-last'), relativeTime(r.last_visit_at));
      setText($('card-last-abs'), dateOnly(r.last_visit_at, timeZoneOf(null)));
    } else {
      setText($('card-last'), 'Never');
      setText($('card-last-abs'), 'First time here');
    }
    if (r.usual_interval_days) {
      setText($('card-interval'), intervalText(r.usual_interval_days));
      setText($('card-interval-sub'), r.regular ? 'A regular' : 'Based on past visits');
    } else {
      setText($('card-interval'), '—');
      setText($('card-interval-sub'), 'Not enough visits yet');
    }

    renderFlags(Array.isArray(card.flags) ? card.flags : []);
    renderPreferences(Array.isArray(card.preferences) ? card.preferences : []);
    conversation.render(card.conversation);
    problem.renderCases(card.cases);
    orders.render(card.open_orders);

    const contact = $('card-contact');
    const rows = [
      ['Phone', g.phone],
      ['Email', g.email],
      ['Card', g.card],
    ].filter(([, v]) => v);
    contact.replaceChildren(
      ...(rows.length
        ? rows.map(([label, value]) => h('li', { class: 'contact-item' },
          h('span', { class: 'contact-label' }, label),
          h('span', { class: 'contact-value' }, value)))
        : [h('li', { class: 'contact-item contact-none' }, 'No contact details')]),
    );
  }

  // Only for a guest the at-risk list would show; staff see a prompt, not
  // a probability.
  function renderRisk(risk, recognition) {
    const el = $('card-risk');
    if (!risk || !risk.at_risk) {
      setText(el, '');
      show(el, false);
      return;
    }
    const usually = everyText(recognition.usual_interval_days);
    setText(el, usually
      ? `Not seen for a while — usually ${usually}. Welcome them back.`
      : 'Not seen for a while. Welcome them back.');
    show(el, true);
  }

  function timeZoneOf(locationId) {
    const loc = locationId ? locationById(locationId) : selectedLocation();
    return loc ? loc.timezone : undefined;
  }

  function renderVisits(visits) {
    const list = $('visit-list');
    const multi = getLocations().length > 1;
    list.replaceChildren(...visits.map((v, i) => {
      const loc = locationById(v.location_id);
      const spent = v.spend_cents !== null && v.spend_cents !== undefined && loc
        ? money(v.spend_cents, loc.currency) : null;
      const people = v.party_size ? plural(v.party_size, 'guest') : null;
      return h('li', { class: 'visit' },
        h('div', { class: 'visit-when' },
          h('span', { class: 'visit-date' }, dateTime(v.at, loc ? loc.timezone : undefined)),
          h('span', { class: 'visit-rel' }, [relativeTime(v.at), multi && loc ? ` · ${loc.name}` : ''].join(''))),
        h('div', { class: 'visit-details' },
          h('span', { class: 'visit-spend' }, spent || '—'),
          people && h('span', { class: 'visit-party' }, people)),
        // The latest visit is the one to ask about.
        i === 0 ? h('button', {
          type: 'button',
          class: 'btn btn-small btn-secondary visit-survey',
          'aria-label': `Survey link for the visit on ${dateOnly(v.at, loc ? loc.timezone : undefined)}`,
          onclick: () => surveyLink.open(v, guest ? firstName(guest.name) : ''),
        }, 'Survey link') : null);
    }));
    show(list, visits.length > 0);
    show($('visit-list-empty'), visits.length === 0);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!guestId) return;
    clearFormErrors(form);
    show(confirm, false);

    const loc = selectedLocation();
    const body = { guest_id: guestId };
    if (!loc) setFieldError(form, 'location_id', 'Choose where the visit happened');
    else body.location_id = loc.id;

    const partyText = party.value.trim();
    if (partyText !== '') {
      const n = Number(partyText);
      if (!Number.isInteger(n) || n < 1 || n > MAX_PARTY) {
        setFieldError(form, 'party_size', `Enter a number from 1 to ${MAX_PARTY}`);
      } else {
        body.party_size = n;
      }
    }

    const parsed = parseMoney(spend.value, loc ? loc.currency : '');
    if (parsed.error) setFieldError(form, 'spend_cents', parsed.error);
    else if (parsed.value !== null) body.spend_cents = parsed.value;

    if (focusFirstInvalid(form)) return;

    const id = guestId;
    try {
      await busy(form, () => api.post('/visits', body));
    } catch (err) {
      if (!setFieldError(form, err.field, err.message)) setFormError($('visit-error'), err.message);
      focusFirstInvalid(form);
      return;
    }
    if (id !== guestId) return;
    spend.value = '';
    party.value = '1';
    try {
      await load();
    } catch (err) {
      setFormError($('visit-error'), `Visit saved, but the card didn’t refresh: ${err.message}`);
    }
    const count = Number($('card-visits').textContent) || 0;
    const who = guest ? firstName(guest.name) : 'the guest';
    setText(confirmText, count > 0
      ? `Visit recorded — ${ordinal(count)} visit for ${who}.`
      : `Visit recorded for ${who}.`);
    show(confirm, true);
    onVisitRecorded();
  });

  return {
    open,
    close() {
      if (controller) controller.abort();
      controller = null;
      guestId = null;
      guest = null;
      notes.reset();
      conversation.reset();
      problem.reset();
      orders.reset();
      menu.close();
      show(root, false);
    },
    orderPlaced: (order) => orders.placed(order),
    refreshLocations: fillLocations,
    get guestId() {
      return guestId;
    },
  };
}
