// The words and clocks of orders, in one place: statuses as staff read them,
// the next move from each, an item as a line ("2× Flat white"), and a
// ticket's clock: its age, and how close it is to the time it is due
// (neutral, then amber, then red once past due or marked late).

export const OPEN_STATUSES = ['placed', 'accepted', 'ready'];

export const STATUS_LABELS = {
  placed: 'Placed',
  accepted: 'Accepted',
  ready: 'Ready',
  served: 'Served',
  cancelled: 'Cancelled',
};

// The one-tap move from each open status.
export const NEXT_MOVE = {
  placed: { status: 'accepted', label: 'Accept' },
  accepted: { status: 'ready', label: 'Ready' },
  ready: { status: 'served', label: 'Served' },
};

// Later statuses win over earlier ones changed in the same second.
const STATUS_RANK = { placed: 0, accepted: 1, ready: 2, served: 3, cancelled: 3 };

export const CANCEL_REASONS = ['Guest left', 'Ordered twice', 'Out of stock', 'Guest changed their mind'];

const CLOCK_START = { placed: 'placed_at', accepted: 'accepted_at', ready: 'ready_at' };
const SOON_SHARE = 0.25; // amber for the last quarter of a clock…
const SOON_MIN_MS = 60 * 1000; // …and at least its last minute

export function isOpen(order) {
  return Boolean(order) && OPEN_STATUSES.includes(order.status);
}

// True when `incoming` is the same order as `current` or newer, so a late
// event never undoes a change the screen already shows.
export function isNewer(incoming, current) {
  if (!current) return true;
  const a = String(incoming.updated_at || '');
  const b = String(current.updated_at || '');
  if (a !== b) return a > b;
  return (STATUS_RANK[incoming.status] ?? 0) >= (STATUS_RANK[current.status] ?? 0);
}

// True when `a` and `b` show the same: nothing to redraw.
export function sameTicket(a, b) {
  return Boolean(a) && Boolean(b) && a.updated_at === b.updated_at && a.status === b.status
    && a.late === b.late && Boolean(a.flags_acknowledged) === Boolean(b.flags_acknowledged);
}

export function itemLine(item) {
  const qty = Number(item.quantity) || 1;
  return `${qty}× ${item.name}`;
}

// "1× Caesar salad, 2× Flat white", as the card's summaries read.
export function itemsSummary(items) {
  return (Array.isArray(items) ? items : []).map(itemLine).join(', ');
}

// "4:05", or "1:02:03" past an hour.
export function stopwatch(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

// "under a minute", "4 min", "1 h 5 min".
export function minutesText(seconds) {
  const m = Math.floor(Math.max(0, seconds) / 60);
  if (m < 1) return 'under a minute';
  if (m < 60) return `${m} min`;
  const rest = m % 60;
  return rest ? `${Math.floor(m / 60)} h ${rest} min` : `${Math.floor(m / 60)} h`;
}

function ms(iso) {
  const t = Date.parse(iso || '');
  return Number.isNaN(t) ? null : t;
}

// Where an order's clock stands at `now` (server time, in ms):
// { age (seconds since placed), level: 'ok' | 'soon' | 'late', due: text }.
export function clockOf(order, now) {
  const placed = ms(order.placed_at);
  const due = ms(order.due_at);
  if (!isOpen(order) || due === null || placed === null) {
    // A closed ticket's age stopped when it was served or cancelled.
    return { age: Number(order.age_seconds) || 0, level: order.late ? 'late' : 'ok', due: '' };
  }
  const age = (now - placed) / 1000;
  const left = due - now;
  if (left <= 0) {
    return { age, level: 'late', due: `${minutesText(-left / 1000)} late` };
  }
  const start = ms(order[CLOCK_START[order.status]]) ?? placed;
  const span = Math.max(0, due - start);
  const soon = left <= Math.max(SOON_MIN_MS, span * SOON_SHARE);
  return {
    age,
    level: order.late ? 'late' : soon ? 'soon' : 'ok',
    due: `due in ${minutesText(left / 1000)}`,
  };
}

// "12:05" in the location's time zone, or the device's when unknown.
export function timeOfDay(iso, timeZone) {
  const t = ms(iso);
  if (t === null) return '';
  const opts = { hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(undefined, { ...opts, timeZone: timeZone || undefined }).format(t);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(t);
  }
}

export function actorName(actor) {
  if (!actor) return '';
  if (actor.name) return actor.name;
  return actor.kind === 'token' ? 'an integration' : '';
}
