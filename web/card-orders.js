// The guest's open orders on the card, so "Where's my salad?" is answered at
// the counter: status, how long ago it was placed, whether it is late, and
// what was ordered; each links to its ticket. While any is open the card
// follows the kitchen live. "New order" starts one.

import { api } from './api.js';
import { $, h, setText, show } from './dom.js';
import { listen } from './live.js';
import { STATUS_LABELS, minutesText } from './order-words.js';

const AGE_REFRESH_MS = 15_000;

export function createCardOrders({ getGuestId, onNewOrder }) {
  const list = $('card-order-list');
  const none = $('card-orders-empty');
  const done = $('order-done');
  let items = [];
  let fetchedAt = 0;
  let timer = null;
  let refreshing = null;
  const streams = new Map(); // location id -> stop listening

  $('new-order').addEventListener('click', () => {
    const id = getGuestId();
    if (id) onNewOrder(id);
  });

  function line(order) {
    const age = (Number(order.age_seconds) || 0) + (Date.now() - fetchedAt) / 1000;
    return h('li', { class: `card-order${order.late ? ' is-late' : ''}` },
      h('a', { class: 'card-order-link', href: `#/orders/${order.id}` },
        h('span', { class: `order-pill order-pill-${order.status}` }, STATUS_LABELS[order.status] || order.status),
        h('span', { class: 'card-order-summary' }, order.summary || `Order #${order.id}`),
        h('span', { class: 'card-order-age' },
          order.late ? h('strong', null, 'Late') : null,
          order.late ? ' · ' : null,
          age < 60 ? 'just now' : `${minutesText(age)} ago`),
        h('span', { class: 'card-order-go', 'aria-hidden': 'true' }, '›')));
  }

  function draw() {
    list.replaceChildren(...items.map(line));
    show(list, items.length > 0);
    show(none, items.length === 0);
  }

  // Follows the locations of the open orders, and no others.
  function follow() {
    const wanted = new Set(items.map((o) => o.location_id));
    for (const [loc, stop] of streams) {
      if (!wanted.has(loc)) {
        stop();
        streams.delete(loc);
      }
    }
    for (const loc of wanted) {
      if (!streams.has(loc)) streams.set(loc, listen(loc, { onEvent, onReload: refresh }));
    }
    if (items.length > 0 && !timer) timer = setInterval(draw, AGE_REFRESH_MS);
    if (items.length === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  }

  function onEvent(type, event) {
    if (!type.startsWith('order.')) return;
    const order = event && event.data ? event.data.order : null;
    const id = getGuestId();
    if (id && ((order && order.guest && order.guest.id === id) || event.guest_id === id)) refresh();
  }

  async function refresh() {
    const id = getGuestId();
    if (!id) return;
    if (refreshing) refreshing.abort();
    const mine = new AbortController();
    refreshing = mine;
    try {
      const card = await api.get(`/guests/${id}/card`, { signal: mine.signal });
      if (id === getGuestId()) render(card.open_orders);
    } catch {
      // The list stays as it was; the next event or visit refreshes it.
    } finally {
      if (refreshing === mine) refreshing = null;
    }
  }

  function render(openOrders) {
    items = Array.isArray(openOrders) ? openOrders : [];
    fetchedAt = Date.now();
    draw();
    follow();
  }

  function reset() {
    if (refreshing) refreshing.abort();
    refreshing = null;
    items = [];
    follow();
    list.replaceChildren();
    show(done, false);
  }

  return {
    render,
    reset,
    // Just placed from the counter: say so above the list.
    placed(order) {
      setText($('order-done-text'), `Order #${order.id} sent to the kitchen.`);
      show(done, true);
    },
  };
}
