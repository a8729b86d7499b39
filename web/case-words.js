// The words of service recovery, in one place: categories, severities,
// statuses, outcomes and actions as staff read them, and how a case's
// measured outcome and its timeline events are said. The API's enum values
// are the keys.

import { h } from './dom.js';
import { money, relativeTime } from './format.js';

export const CATEGORIES = [
  ['order_missing', 'Forgotten order'],
  ['order_late', 'Late order'],
  ['order_wrong', 'Wrong order'],
  ['quality', 'Quality'],
  ['cleanliness', 'Cleanliness'],
  ['staff', 'Staff'],
  ['billing', 'Billing'],
  ['other', 'Other'],
].map(([value, label]) => ({ value, label }));

export const CATEGORY_LABELS = Object.fromEntries(CATEGORIES.map((c) => [c.value, c.label]));

// Mildest first, as the chips read left to right.
export const SEVERITIES = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
];

export const SEVERITY_LABELS = Object.fromEntries(SEVERITIES.map((s) => [s.value, s.label]));

export const STATUS_LABELS = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const OUTCOMES = [
  { value: 'recovered', label: 'Recovered' },
  { value: 'not_recovered', label: 'Not recovered' },
  { value: 'unknown', label: 'Unknown' },
];

export const OUTCOME_LABELS = Object.fromEntries(OUTCOMES.map((o) => [o.value, o.label]));

// The quick actions on a case page, in the order the buttons appear. `money`
// ones ask for an amount; `note` needs words; the rest record in one tap.
export const ACTIONS = [
  { kind: 'apology', label: 'Apology', done: 'Apologised' },
  { kind: 'comp', label: 'Comp…', done: 'Gave a comp', money: true },
  { kind: 'refund', label: 'Refund…', done: 'Refunded', money: true },
  { kind: 'follow_up_call', label: 'Follow-up call', done: 'Called the guest' },
  { kind: 'follow_up_message', label: 'Message', done: 'Messaged the guest' },
  { kind: 'note', label: 'Note', done: 'Added a note' },
];

export const ACTION_BY_KIND = Object.fromEntries(ACTIONS.map((a) => [a.kind, a]));

export function categoryLabel(value) {
  return CATEGORY_LABELS[value] || 'Other';
}

export function actorName(actor) {
  if (!actor) return '';
  if (actor.name) return actor.name;
  return actor.kind === 'token' ? 'An integration' : '';
}

// "5 Dec" (with the year when it is not this year), in the location's zone.
export function shortDate(iso, timeZone) {
  const t = Date.parse(iso || '');
  if (Number.isNaN(t)) return '';
  const thisYear = new Date().getFullYear() === new Date(t).getFullYear();
  const opts = { day: 'numeric', month: 'short', year: thisYear ? undefined : 'numeric' };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: timeZone || undefined }).format(t);
  } catch {
    return new Intl.DateTimeFormat('en-GB', opts).format(t);
  }
}

// What happened after the case was resolved: the guest's next visit within
// the window, or not. '' while the case is not resolved or has no guest.
export function measuredText(measured, timeZone) {
  if (!measured || !measured.status) return '';
  switch (measured.status) {
    case 'returned':
      return measured.returned_at ? `Came back on ${shortDate(measured.returned_at, timeZone)}` : 'Came back';
    case 'not_returned':
      return 'Did not come back within 60 days';
    default:
      return measured.window_ends_at
        ? `Waiting — window ends ${shortDate(measured.window_ends_at, timeZone)}`
        : 'Waiting to see if they come back';
  }
}

// Due time as staff read it: "Due in 3 hours", or "Overdue · due 2 hours ago".
export function dueText(c, now = Date.now()) {
  if (!c.due_at) return { text: '', late: false };
  const active = c.status === 'open' || c.status === 'in_progress';
  const late = active && (c.overdue || Date.parse(c.due_at) < now);
  if (!active) return { text: `Was due ${relativeTime(c.due_at, now)}`, late: false };
  return late
    ? { text: `Overdue · due ${relativeTime(c.due_at, now)}`, late: true }
    : { text: `Due ${relativeTime(c.due_at, now)}`, late: false };
}

export function severityPill(severity) {
  return h('span', { class: `sev case-sev case-sev-${severity}` }, SEVERITY_LABELS[severity] || severity);
}

export function statusPill(status) {
  return h('span', { class: `case-status case-status-${status}` }, STATUS_LABELS[status] || status);
}

function amount(cents, currency) {
  return cents === null || cents === undefined ? '' : money(cents, currency);
}

// One timeline event as a sentence. An event's data holds the case as it
// was just after the event (`case`), plus what the event is about: the
// action, the status it came `from`, or `before` and `after` of an edit.
export function eventText(event, currency, timeZone) {
  const d = event.data || {};
  const c = d.case || {};
  switch (event.type) {
    case 'case.opened': {
      const source = d.source || c.source;
      const severity = d.severity || c.severity;
      const via = source && source !== 'staff' ? ` from ${source === 'order' ? 'an order' : `a ${source}`}` : '';
      return `Opened${via}${severity ? ` · ${SEVERITY_LABELS[severity] || severity} severity` : ''}`;
    }
    case 'case.action_added': {
      const a = d.action || d;
      const meta = ACTION_BY_KIND[a.kind];
      const base = meta ? meta.done : 'Recorded an action';
      const value = a.value_cents ? ` of ${amount(a.value_cents, currency)}` : '';
      return `${base}${value}`;
    }
    case 'case.status_changed': {
      const to = d.to || d.status || c.status;
      const from = d.from;
      if (to === 'resolved') {
        const outcome = d.outcome || c.outcome;
        return `Resolved${outcome ? ` — ${OUTCOME_LABELS[outcome] || outcome}` : ''}`;
      }
      if (to === 'closed') return 'Closed';
      if (to === 'in_progress') return 'Work started';
      if (to === 'open' && (from === 'resolved' || from === 'closed')) return 'Reopened';
      return `Status: ${STATUS_LABELS[to] || to || 'changed'}`;
    }
    case 'case.updated': {
      const after = d.after || d.changed || {};
      const said = {
        owner_id: 'owner', due_at: 'due time', severity: 'severity', category: 'category',
        summary: 'summary', outcome: 'outcome',
      };
      const parts = [];
      if ('severity' in after) parts.push(`severity to ${SEVERITY_LABELS[after.severity] || after.severity}`);
      if ('category' in after) parts.push(`category to ${CATEGORY_LABELS[after.category] || after.category}`);
      if ('outcome' in after) parts.push(`outcome to ${OUTCOME_LABELS[after.outcome] || after.outcome}`);
      if ('owner_id' in after) parts.push(after.owner_id === null ? 'owner to nobody' : 'owner');
      for (const k of ['due_at', 'summary']) if (k in after) parts.push(said[k]);
      return parts.length ? `Changed the ${parts.join(', ')}` : 'Updated';
    }
    case 'case.overdue':
      return 'Went past its due time';
    case 'case.measured': {
      const m = d.measured || c.measured || {};
      const status = d.status || (typeof m === 'string' ? m : m.status);
      if (status === 'returned') {
        const at = d.returned_at || m.returned_at;
        return `The guest came back${at ? ` on ${shortDate(at, timeZone)}` : ''}`;
      }
      if (status === 'not_returned') return 'The guest did not come back within 60 days';
      return 'Return measured';
    }
    default:
      return event.type;
  }
}

// The free text an event carries, when it has some: an action's words.
export function eventDetail(event) {
  const d = event.data || {};
  if (event.type === 'case.action_added') {
    const a = d.action || d;
    return a.text || '';
  }
  return '';
}
