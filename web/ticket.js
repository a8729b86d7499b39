// One order ticket as the kitchen reads it: number and guest, a running
// clock, the allergy and dietary banner (and who checked it), pinned
// preferences, items with modifiers and notes, special requests, and the
// one-tap move to the next status. Used by the board and the ticket page.

import { h, icon, setText } from './dom.js';
import { flagItem } from './note-kinds.js';
import {
  NEXT_MOVE, STATUS_LABELS, actorName, clockOf, isOpen, stopwatch, timeOfDay,
} from './order-words.js';

const LEVELS = ['ok', 'soon', 'late'];

function guestName(order) {
  return order.guest && order.guest.name ? order.guest.name : 'No guest';
}

function flagsBanner(order, timeZone) {
  const flags = Array.isArray(order.flags) ? order.flags : [];
  if (flags.length === 0) return null;
  const ack = order.flags_acknowledged;
  let footer = null;
  if (ack) {
    const who = actorName(ack.by) || 'someone';
    footer = h('p', { class: 'ticket-ack' }, icon('check', 18),
      h('span', null, `Checked by ${who}`, ack.at ? ` · ${timeOfDay(ack.at, timeZone)}` : ''));
  } else if (order.status === 'placed') {
    footer = h('p', { class: 'ticket-ack is-pending' }, 'Confirm these when accepting');
  }
  return h('section', {
    class: `flags ticket-flags${flags.some((f) => f.severity === 'life_threatening') ? ' is-critical' : ''}`,
    'aria-label': 'Allergies and dietary needs',
  },
  h('p', { class: 'flags-title' }, icon('warning', 20), h('span', null, 'Allergy · dietary')),
  h('ul', { class: 'flag-list' }, flags.map(flagItem)),
  footer);
}

function preferences(order) {
  const prefs = Array.isArray(order.preferences) ? order.preferences : [];
  if (prefs.length === 0) return null;
  return h('ul', { class: 'ticket-prefs', 'aria-label': 'Pinned preferences' },
    prefs.map((p) => h('li', null, icon('pin', 16), h('span', null, p.text))));
}

function items(order) {
  return h('ul', { class: 'ticket-items', 'aria-label': 'Items' },
    (order.items || []).map((item) => {
      const mods = Array.isArray(item.modifiers) ? item.modifiers : [];
      return h('li', { class: 'ticket-item' },
        h('span', { class: 'ticket-qty' }, `${Number(item.quantity) || 1}×`),
        h('div', { class: 'ticket-item-body' },
          h('span', { class: 'ticket-item-name' }, item.name),
          mods.length ? h('ul', { class: 'ticket-mods' }, mods.map((m) => h('li', null, m))) : null,
          item.note ? h('p', { class: 'ticket-note' }, item.note) : null));
    }));
}

function lastMove(order, timeZone) {
  const moves = [
    ['cancelled', 'Cancelled'], ['served', 'Served'], ['ready', 'Ready'],
    ['accepted', 'Accepted'], ['placed', 'Placed'],
  ];
  for (const [status, word] of moves) {
    const at = order[`${status}_at`];
    if (!at) continue;
    const who = actorName(order[`${status}_by`]);
    return `${word} ${timeOfDay(at, timeZone)}${who ? ` by ${who}` : ''}`;
  }
  return '';
}

// onMove(order) takes the next step; onCancel(order) asks for a reason.
// `heading` is the heading level (3 on the board, 2 on its own page).
export function renderTicket(order, { timeZone, onMove, onCancel, heading = 3, link = true }) {
  const next = isOpen(order) ? NEXT_MOVE[order.status] : null;
  const title = `#${order.id}`;
  const el = h('article', {
    class: `ticket ticket-${order.status}`,
    dataset: { orderId: String(order.id) },
    'aria-label': `Order ${title}, ${guestName(order)}`,
  },
  h('header', { class: 'ticket-head' },
    h(`h${heading}`, { class: 'ticket-title' },
      link ? h('a', { class: 'ticket-number', href: `#/orders/${order.id}` }, title)
        : h('span', { class: 'ticket-number' }, title),
      h('span', { class: `ticket-guest${order.guest ? '' : ' is-none'}` }, guestName(order))),
    h('div', { class: 'ticket-clock', role: 'timer' },
      h('span', { class: 'ticket-late' }, 'Late'),
      h('span', { class: 'ticket-age' }),
      h('span', { class: 'ticket-due' }))),
  flagsBanner(order, timeZone),
  preferences(order),
  items(order),
  order.special_requests
    ? h('p', { class: 'ticket-requests' },
      h('span', { class: 'ticket-requests-label' }, 'Request'), ' ', order.special_requests)
    : null,
  h('p', { class: 'ticket-meta' }, lastMove(order, timeZone)),
  h('p', { class: 'ticket-error form-error', role: 'alert', hidden: true }),
  next ? h('footer', { class: 'ticket-foot' },
    h('button', {
      type: 'button', class: 'btn btn-primary btn-lg ticket-next', onclick: () => onMove(order),
    }, next.label),
    h('button', {
      type: 'button', class: 'btn btn-ghost ticket-cancel', onclick: () => onCancel(order),
      'aria-label': `Cancel order ${title}…`,
    }, 'Cancel…'))
    : h('p', { class: `ticket-closed ticket-closed-${order.status}` }, STATUS_LABELS[order.status] || order.status));
  return el;
}

// Brings a ticket's clock to `now` (server time in ms); returns its level.
export function updateClock(el, order, now) {
  const clock = clockOf(order, now);
  setText(el.querySelector('.ticket-age'), stopwatch(clock.age));
  setText(el.querySelector('.ticket-due'), clock.due);
  for (const level of LEVELS) el.classList.toggle(`is-${level}`, clock.level === level);
  return clock.level;
}

export function setTicketBusy(el, busy) {
  for (const b of el.querySelectorAll('.ticket-foot button')) b.disabled = busy;
  if (busy) el.setAttribute('aria-busy', 'true');
  else el.removeAttribute('aria-busy');
}

export function setTicketError(el, message) {
  const slot = el.querySelector('.ticket-error');
  if (!slot) return;
  setText(slot, message);
  slot.hidden = !message;
}
