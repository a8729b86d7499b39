// The board: a location's open orders in three columns (placed, accepted,
// ready), the ticket waiting longest at the top, clocks run from the
// server's time, kept current by the live stream. And one ticket on its own
// page (#/orders/12), where alerts link. Accepting a ticket with allergy or
// dietary flags asks for them to be confirmed first; cancelling asks why.
// Above the columns, for everyone but the kitchen: the standards alerts
// open at the location (a failed deal-breaker, a check gone overdue), live,
// each linking to its check or standard.
// Routes:
//   #/board        the board (where kitchen accounts land)
//   #/orders/12    one ticket

import { api, isAbort } from './api.js';
import { $, h, setText, show } from './dom.js';
import { listen } from './live.js';
import { allowSound, beep, setSoundWanted, soundAllowed, soundWanted } from './sound.js';
import { flagItem } from './note-kinds.js';
import {
  CANCEL_REASONS, NEXT_MOVE, OPEN_STATUSES, actorName, clockOf, isNewer, isOpen,
  itemsSummary, sameTicket, timeOfDay,
} from './order-words.js';
import { renderTicket, setTicketBusy, setTicketError, updateClock } from './ticket.js';

const LOCATION_KEY = 'maitred.location'; // shared with the card: where this device works
const BOARD_LIMIT = 200;
const TICK_MS = 1000;
const NEW_TICKET_MS = 8000; // a new ticket stands out this long
const LIVE_WORDS = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — retrying',
};
const CLOCK_WORDS = { accept: 'accept', ready: 'ready', serve: 'serve' };
const ALERT_WORDS = { deal_breaker: 'Deal-breaker', check_overdue: 'Overdue check' };
const ALERTS_LIMIT = 100;

function parse(hash) {
  const m = /^#\/orders\/(\d+)$/.exec(hash);
  return m ? { name: 'order', id: Number(m[1]) } : { name: 'board' };
}

function byAge(a, b) {
  return String(a.placed_at).localeCompare(String(b.placed_at)) || a.id - b.id;
}

// Puts exactly `wanted` in `parent`, in order, moving as few nodes as it
// can, so a ticket someone is about to tap stays where it is.
function reconcile(parent, wanted) {
  wanted.forEach((el, i) => {
    if (parent.children[i] !== el) parent.insertBefore(el, parent.children[i] || null);
  });
  while (parent.children.length > wanted.length) parent.lastElementChild.remove();
}

// getMe() is the signed-in staff member; onAlertsChanged() is called when
// the stream says an alert was raised or cleared.
export function createBoard({ getMe, getLocations, onAlertsChanged }) {
  const boardView = $('board-view');
  const orderView = $('order-view');
  const columnsRoot = $('board-columns');
  const columns = Object.fromEntries(OPEN_STATUSES.map((s) => [s, $(`tickets-${s}`)]));
  const counts = Object.fromEntries(OPEN_STATUSES.map((s) => [s, $(`count-${s}`)]));
  const empty = $('board-empty');
  const loading = $('board-loading');
  const failed = $('board-failed');
  const more = $('board-more');
  const liveBadge = $('board-live');
  const place = $('board-place');
  const locationField = $('board-location-field');
  const locationSelect = $('board-location');
  const soundButton = $('board-sound');
  const soundHint = $('board-sound-hint');
  const orderStatus = $('order-status');
  const orderBody = $('order-body');
  const alertList = $('board-alerts');

  let view = null; // 'board', 'order' or null
  let locationId = null; // the board's location
  let orders = new Map(); // the board's open orders by id
  const shown = new Map(); // id -> { order, item }: the board's ticket elements
  const signalled = new Set(); // tickets whose lateness was already signalled
  let skew = 0; // the server's clock minus this device's, in ms
  let skewKnown = false;
  let loaded = false;
  let loadSeq = 0;
  let replay = null; // orders from the stream while a load is in flight
  let page = null; // the order on the ticket page
  let pageSeq = 0;
  let stopListening = null;
  let streamLocation = null;
  let timer = null;
  let alerts = new Map(); // the location's open standards alerts by id
  let alertsSeq = 0;

  const serverNow = () => Date.now() + skew;
  const canSeeGuests = () => {
    const me = getMe();
    return Boolean(me) && me.role !== 'kitchen';
  };

  function timeZoneOf(id) {
    const loc = getLocations().find((l) => l.id === id);
    return loc ? loc.timezone : undefined;
  }

  function pickLocation() {
    const locations = getLocations();
    const saved = Number(localStorage.getItem(LOCATION_KEY));
    if (locations.some((l) => l.id === saved)) return saved;
    return locations.length ? locations[0].id : null;
  }

  function fillLocations() {
    const locations = getLocations();
    locationSelect.replaceChildren(...locations.map((l) => h('option', { value: String(l.id) }, l.name)));
    if (locationId !== null) locationSelect.value = String(locationId);
    show(locationField, locations.length > 1);
    const loc = locations.find((l) => l.id === locationId);
    setText(place, locations.length === 1 && loc ? loc.name : '');
  }

  locationSelect.addEventListener('change', () => {
    localStorage.setItem(LOCATION_KEY, locationSelect.value);
    if (view === 'board') openBoard();
  });

  // ---- the live stream ----

  function listenTo(id) {
    if (stopListening && streamLocation === id) return;
    if (stopListening) stopListening();
    streamLocation = id;
    stopListening = listen(id, {
      onStatus(status) {
        setText(liveBadge, LIVE_WORDS[status] || status);
        liveBadge.dataset.status = status;
      },
      onReload() {
        if (view === 'board') {
          load();
          loadAlerts();
        } else if (view === 'order' && page) {
          loadPage(page.id);
        }
      },
      onEvent(type, event) {
        if (type.startsWith('alert.')) {
          onAlertsChanged();
          applyAlert(type, event && event.data ? event.data.alert : null);
          return;
        }
        const order = event && event.data ? event.data.order : null;
        if (order && typeof order.id === 'number') apply(order, type);
      },
    });
  }

  function stopStream() {
    if (stopListening) stopListening();
    stopListening = null;
    streamLocation = null;
  }

  // ---- standards alerts ----

  function alertItem(a) {
    const link = a.subject && a.subject.link ? a.subject.link : null;
    return h('li', { class: `board-alert board-alert-${a.kind}`, dataset: { alertId: String(a.id) } },
      h('span', { class: 'board-alert-kind' }, ALERT_WORDS[a.kind] || a.kind),
      h('span', { class: 'board-alert-text' }, a.message),
      h('time', { class: 'board-alert-when', datetime: a.raised_at }, timeOfDay(a.raised_at, timeZoneOf(a.location_id))),
      link ? h('a', { class: 'btn btn-small board-alert-link', href: link }, 'Open') : null);
  }

  function renderAlerts() {
    // Deal-breakers first, then the newest.
    const list = [...alerts.values()].sort((a, b) => (b.kind === 'deal_breaker') - (a.kind === 'deal_breaker')
      || String(b.raised_at).localeCompare(String(a.raised_at)));
    alertList.replaceChildren(...list.map(alertItem));
    show(alertList, view === 'board' && list.length > 0);
  }

  function applyAlert(type, alert) {
    if (!alert || !ALERT_WORDS[alert.kind] || alert.location_id !== locationId) return;
    if (type === 'alert.raised') {
      if (!alerts.has(alert.id) && alert.kind === 'deal_breaker' && view === 'board') beep('late');
      alerts.set(alert.id, alert);
    } else {
      alerts.delete(alert.id);
    }
    renderAlerts();
  }

  async function loadAlerts() {
    const seq = ++alertsSeq;
    const id = locationId;
    if (!canSeeGuests() || id === null) {
      alerts = new Map();
      renderAlerts();
      return;
    }
    try {
      const res = await api.get('/alerts', { query: { location_id: id, limit: ALERTS_LIMIT } });
      if (seq !== alertsSeq || id !== locationId) return;
      const items = res && Array.isArray(res.items) ? res.items : [];
      alerts = new Map(items.filter((a) => ALERT_WORDS[a.kind]).map((a) => [a.id, a]));
      renderAlerts();
    } catch {
      // The alerts are a convenience here; the Checks area shows what is due.
    }
  }

  // ---- applying a changed order, from the stream or an answer ----

  function apply(order, type = null) {
    if (view === 'order' && page && page.id === order.id && isNewer(order, page)
        && !sameTicket(order, page)) {
      page = order;
      renderPage();
    }
    if (view !== 'board' || order.location_id !== locationId) return;
    if (replay) replay.push(order);
    const known = orders.get(order.id);
    if (!isNewer(order, known) || sameTicket(order, known)) return;
    if (isOpen(order)) orders.set(order.id, order);
    else orders.delete(order.id);
    render();
    if (!known && type === 'order.placed') {
      const entry = shown.get(order.id);
      if (entry) {
        entry.item.classList.add('is-new');
        setTimeout(() => entry.item.classList.remove('is-new'), NEW_TICKET_MS);
      }
      beep('placed');
    }
  }

  // ---- the board ----

  function ticketItem(order) {
    const known = shown.get(order.id);
    if (known && known.order === order) return known.item;
    const item = h('li', { class: 'board-item' }, renderTicket(order, {
      timeZone: timeZoneOf(order.location_id), onMove: move, onCancel: cancel,
    }));
    if (known && known.item.classList.contains('is-new')) item.classList.add('is-new');
    shown.set(order.id, { order, item });
    return item;
  }

  function render() {
    for (const status of OPEN_STATUSES) {
      const list = [...orders.values()].filter((o) => o.status === status).sort(byAge);
      reconcile(columns[status], list.map(ticketItem));
      setText(counts[status], String(list.length));
    }
    for (const id of [...shown.keys()]) if (!orders.has(id)) shown.delete(id);
    show(columnsRoot, loaded && orders.size > 0);
    show(empty, loaded && orders.size === 0);
    tick();
  }

  async function load() {
    const seq = ++loadSeq;
    const id = locationId;
    if (!replay) replay = [];
    show(loading, !loaded);
    try {
      const res = await api.get('/orders', { query: { location_id: id, status: 'open', limit: BOARD_LIMIT } });
      if (seq !== loadSeq || view !== 'board' || id !== locationId) return;
      const now = Date.parse(res && res.now);
      if (!Number.isNaN(now)) {
        skew = now - Date.now();
        skewKnown = true;
      }
      const items = res && Array.isArray(res.items) ? res.items : [];
      orders = new Map(items.filter(isOpen).map((o) => [o.id, o]));
      // What changed while the answer was on its way still counts.
      const missed = replay;
      replay = null;
      for (const o of missed) {
        if (!isNewer(o, orders.get(o.id))) continue;
        if (isOpen(o)) orders.set(o.id, o);
        else orders.delete(o.id);
      }
      // Tickets already late when the board opens are red, without a beep.
      for (const o of orders.values()) {
        if (clockOf(o, serverNow()).level === 'late') signalled.add(o.id);
      }
      loaded = true;
      show(failed, false);
      show(more, Boolean(res && res.next));
      render();
    } catch (err) {
      if (isAbort(err) || seq !== loadSeq || view !== 'board') return;
      replay = null;
      if (err.status === 401) return;
      setText($('board-failed-text'), `Couldn’t load the orders: ${err.message}`);
      show(failed, true);
    } finally {
      if (seq === loadSeq) show(loading, false);
    }
  }

  $('board-retry').addEventListener('click', () => load());

  function clearBoard() {
    orders = new Map();
    shown.clear();
    signalled.clear();
    loaded = false;
    replay = null;
    for (const status of OPEN_STATUSES) {
      columns[status].replaceChildren();
      setText(counts[status], '');
    }
    show(columnsRoot, false);
    show(empty, false);
    show(failed, false);
    show(more, false);
    alerts = new Map();
    alertList.replaceChildren();
    show(alertList, false);
  }

  function openBoard() {
    view = 'board';
    page = null;
    show(orderView, false);
    show(boardView, true);
    const id = pickLocation();
    if (id !== locationId) {
      locationId = id;
      clearBoard();
    }
    fillLocations();
    renderSound();
    if (id === null) {
      stopStream();
      setText($('board-failed-text'), 'You don’t work at any location yet. Ask a manager to add you to one.');
      show(failed, true);
      show($('board-retry'), false);
      return;
    }
    show($('board-retry'), true);
    listenTo(id);
    load();
    loadAlerts();
    startTimer();
  }

  // ---- clocks and sound ----

  function tick() {
    const now = serverNow();
    if (view === 'board') {
      for (const { order, item } of shown.values()) {
        const ticket = item.firstElementChild;
        if (updateClock(ticket, order, now) === 'late' && !signalled.has(order.id)) {
          signalled.add(order.id);
          beep('late');
        }
      }
    } else if (view === 'order' && page) {
      const ticket = orderBody.querySelector('.ticket');
      if (ticket) updateClock(ticket, page, now);
    }
  }

  function startTimer() {
    if (!timer) timer = setInterval(tick, TICK_MS);
  }

  function stopTimer() {
    clearInterval(timer);
    timer = null;
  }

  function renderSound() {
    const on = soundWanted();
    soundButton.setAttribute('aria-pressed', String(on));
    setText($('board-sound-label'), on ? 'Sound on' : 'Sound off');
    show(soundHint, on && !soundAllowed());
  }

  soundButton.addEventListener('click', async () => {
    const on = !soundWanted();
    await setSoundWanted(on);
    renderSound();
    if (on) beep('placed'); // so the kitchen hears what it sounds like
  });

  // After a reload the browser wants a tap before the board may beep again.
  const allowOnGesture = () => {
    if (view && soundWanted() && !soundAllowed()) allowSound().then(renderSound);
  };
  document.addEventListener('pointerdown', allowOnGesture, true);
  document.addEventListener('keydown', allowOnGesture, true);

  // ---- moving a ticket on ----

  function ticketElement(id) {
    const container = view === 'order' ? orderBody : columnsRoot;
    return container.querySelector(`.ticket[data-order-id="${id}"]`);
  }

  function confirmFlags(order) {
    const dialog = $('flags-dialog');
    const who = order.guest && order.guest.name ? ` for ${order.guest.name}` : '';
    setText($('flags-dialog-text'), `Order #${order.id}${who}. Make sure whoever makes it has read every line.`);
    $('flags-dialog-list').replaceChildren(...order.flags.map(flagItem));
    $('flags-dialog-flags').classList.toggle('is-critical',
      order.flags.some((f) => f.severity === 'life_threatening'));
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    });
  }

  const cancelDialog = $('cancel-dialog');
  const cancelReason = $('cancel-reason');
  $('cancel-reasons').replaceChildren(...CANCEL_REASONS.map((reason) => h('button', {
    type: 'button',
    class: 'chip',
    onclick: () => {
      cancelReason.value = reason;
      cancelReason.focus();
    },
  }, reason)));

  // Enter in the reason box means "Cancel order", not the first button.
  cancelReason.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing) return;
    event.preventDefault();
    cancelDialog.close('confirm');
  });

  function askCancelReason(order) {
    const who = order.guest && order.guest.name ? order.guest.name : 'No guest';
    setText($('cancel-title'), `Cancel order #${order.id}?`);
    setText($('cancel-text'), `${who} · ${itemsSummary(order.items)}`);
    cancelReason.value = '';
    cancelDialog.returnValue = '';
    cancelDialog.showModal();
    return new Promise((resolve) => {
      cancelDialog.addEventListener('close', () => {
        resolve(cancelDialog.returnValue === 'confirm' ? cancelReason.value.trim() : null);
      }, { once: true });
    });
  }

  async function patch(order, body) {
    let el = ticketElement(order.id);
    if (el) {
      setTicketBusy(el, true);
      setTicketError(el, '');
    }
    try {
      const updated = await api.patch(`/orders/${order.id}`, body);
      apply(updated);
      const next = isOpen(updated) ? ticketElement(updated.id) : null;
      if (next) next.querySelector('.ticket-next').focus({ preventScroll: true });
    } catch (err) {
      if (err.status === 401) return;
      if (err.status === 404 || err.status === 409) await refresh(order.id);
      el = ticketElement(order.id);
      if (el) {
        setTicketBusy(el, false);
        setTicketError(el, err.message);
      }
    }
  }

  // Someone else got there first: show the order as it is now.
  async function refresh(id) {
    try {
      apply(await api.get(`/orders/${id}`));
    } catch (err) {
      if (err.status === 404 && orders.delete(id)) render();
    }
  }

  async function move(order) {
    const next = NEXT_MOVE[order.status];
    if (!next) return;
    const body = { status: next.status };
    if (next.status === 'accepted' && Array.isArray(order.flags) && order.flags.length > 0) {
      if (!(await confirmFlags(order))) return;
      body.acknowledge_flags = true;
    }
    await patch(order, body);
  }

  async function cancel(order) {
    const reason = await askCancelReason(order);
    if (reason === null) return;
    await patch(order, reason ? { status: 'cancelled', reason } : { status: 'cancelled' });
  }

  // ---- one ticket on its own page ----

  function history(order, timeZone) {
    const rows = [];
    const by = (actor) => (actorName(actor) ? ` by ${actorName(actor)}` : '');
    const add = (at, text) => {
      if (at) rows.push({ at, text });
    };
    add(order.placed_at, `Placed${by(order.placed_by)}`);
    if (order.flags_acknowledged) {
      add(order.flags_acknowledged.at, `Allergies and dietary needs checked${by(order.flags_acknowledged.by)}`);
    }
    add(order.accepted_at, `Accepted${by(order.accepted_by)}`);
    add(order.ready_at, `Ready${by(order.ready_by)}`);
    add(order.served_at, `Served${by(order.served_by)}`);
    add(order.cancelled_at,
      `Cancelled${by(order.cancelled_by)}${order.cancel_reason ? ` — ${order.cancel_reason}` : ''}`);
    const clock = CLOCK_WORDS[order.late_clock];
    add(order.late_at, clock ? `Late: missed the ${clock} time` : 'Late');
    rows.sort((a, b) => String(a.at).localeCompare(String(b.at)));

    const promises = [
      ['Accept by', order.accept_by], ['Promised for', order.promised_at], ['Serve by', order.serve_by],
    ].filter(([, at]) => at);
    const links = [];
    if (canSeeGuests() && order.guest) {
      links.push(h('a', { class: 'btn btn-secondary', href: `#/guests/${order.guest.id}` }, `${order.guest.name}’s card`));
    }
    if (canSeeGuests() && order.case_id) {
      links.push(h('a', { class: 'btn btn-secondary', href: `#/cases/${order.case_id}` }, 'Recovery case'));
    }
    return h('section', { class: 'panel order-history', 'aria-labelledby': 'order-history-title' },
      h('h3', { id: 'order-history-title', class: 'panel-title' }, 'History'),
      h('ol', { class: 'order-events' }, rows.map((r) => h('li', null,
        h('time', { datetime: r.at }, timeOfDay(r.at, timeZone)), h('span', null, r.text)))),
      promises.length ? h('p', { class: 'muted' },
        promises.map(([label, at]) => `${label} ${timeOfDay(at, timeZone)}`).join(' · ')) : null,
      links.length ? h('div', { class: 'order-links' }, links) : null);
  }

  function renderPage() {
    const tz = timeZoneOf(page.location_id);
    const ticket = renderTicket(page, {
      timeZone: tz, onMove: move, onCancel: cancel, heading: 2, link: false,
    });
    ticket.classList.add('ticket-page');
    orderBody.replaceChildren(ticket, history(page, tz));
    show(orderStatus, false);
    show(orderBody, true);
    tick();
  }

  async function loadPage(id) {
    const seq = ++pageSeq;
    try {
      const order = await api.get(`/orders/${id}`);
      if (seq !== pageSeq || view !== 'order') return;
      if (!skewKnown && isOpen(order) && Number.isFinite(order.age_seconds)) {
        skew = Date.parse(order.placed_at) + order.age_seconds * 1000 - Date.now();
      }
      page = order;
      listenTo(order.location_id);
      renderPage();
    } catch (err) {
      if (isAbort(err) || seq !== pageSeq || err.status === 401) return;
      show(orderBody, false);
      setText(orderStatus, err.status === 404
        ? 'No such order here: it may be at a location you don’t work at.'
        : `Couldn’t load the order: ${err.message}`);
      show(orderStatus, true);
    }
  }

  function openOrder(id) {
    view = 'order';
    show(boardView, false);
    show(orderView, true);
    if (!page || page.id !== id) {
      page = null;
      orderBody.replaceChildren();
      show(orderBody, false);
      setText(orderStatus, 'Loading the order…');
      show(orderStatus, true);
    }
    loadPage(id);
    startTimer();
  }

  function closeDialogs() {
    for (const d of [$('flags-dialog'), cancelDialog]) if (d.open) d.close('cancel');
  }

  return {
    open(hash) {
      const where = parse(hash);
      if (where.name === 'order') openOrder(where.id);
      else openBoard();
    },
    close() {
      if (!view) return;
      view = null;
      page = null;
      loadSeq++;
      pageSeq++;
      replay = null;
      stopTimer();
      stopStream();
      closeDialogs();
      show(boardView, false);
      show(orderView, false);
    },
    // Signed out: nothing of the last session stays on screen.
    reset() {
      this.close();
      locationId = null;
      skewKnown = false;
      clearBoard();
      orderBody.replaceChildren();
    },
    refreshLocations() {
      if (view === 'board') fillLocations();
    },
  };
}
