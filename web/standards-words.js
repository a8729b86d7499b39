// The words of standards of care, in one place: frequencies, results, whose
// job a standard is, how long something is overdue, and the small pills the
// checklist, the editor, audits and the check pages share. The API's values
// are the keys.

import { h } from './dom.js';
import { CATEGORIES } from './case-words.js';

export { CATEGORIES };

// What the editor offers; any other stored frequency is named by
// frequencyLabel() and kept as an extra option.
export const FREQUENCIES = [
  { value: 0, label: 'Audits only' },
  { value: 30, label: 'Every 30 min' },
  { value: 60, label: 'Hourly' },
  { value: 120, label: 'Every 2 h' },
  { value: 1440, label: 'Daily' },
  { value: 10080, label: 'Weekly' },
];

const MINUTES_PER_DAY = 1440;

export function frequencyLabel(minutes) {
  const known = FREQUENCIES.find((f) => f.value === minutes);
  if (known) return known.label;
  if (minutes >= MINUTES_PER_DAY && minutes % MINUTES_PER_DAY === 0) {
    const days = minutes / MINUTES_PER_DAY;
    return days % 7 === 0 ? `Every ${days / 7} weeks` : `Every ${days} days`;
  }
  if (minutes % 60 === 0) return `Every ${minutes / 60} h`;
  return `Every ${minutes} min`;
}

export const OWNER_ROLES = [
  { value: 'host', label: 'Hosts' },
  { value: 'kitchen', label: 'Kitchen' },
  { value: 'manager', label: 'Managers' },
  { value: 'owner', label: 'Owners' },
];

export const OWNER_ROLE_LABELS = Object.fromEntries(OWNER_ROLES.map((r) => [r.value, r.label]));

export const RESULTS = [
  { value: 'pass', label: 'Pass' },
  { value: 'fail', label: 'Fail' },
  { value: 'na', label: 'N/A' },
];

export const RESULT_LABELS = { pass: 'Passed', fail: 'Failed', na: 'Not applicable' };

// The case category a failed deal-breaker gets when the editor is not told
// otherwise: what the server does by default, so the form can show it.
export function defaultCategory(touchpointKey) {
  if (['entrance', 'table', 'restroom'].includes(touchpointKey)) return 'cleanliness';
  if (touchpointKey === 'payment') return 'billing';
  if (['counter', 'phone'].includes(touchpointKey)) return 'staff';
  return 'other';
}

// "45 min", "1 h 20 min", "3 h", "2 days".
export function durationText(seconds) {
  const minutes = Math.max(0, Math.round(Number(seconds) / 60));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.round(hours / 24);
  return days === 1 ? '1 day' : `${days} days`;
}

export function resultPill(result) {
  return h('span', { class: `result-pill result-${result}` }, RESULT_LABELS[result] || result);
}

export function dealBreakerTag() {
  return h('span', { class: 'deal-breaker-tag' }, 'Deal-breaker');
}

export function touchpointName(standard) {
  const tp = standard && standard.touchpoint;
  return tp ? tp.name || tp.key : '';
}

// An audit's score, coloured by how it reads: 80 and up good, under 50 poor.
export function scoreTone(score) {
  if (score === null || score === undefined) return 'none';
  if (score >= 80) return 'good';
  if (score >= 50) return 'fair';
  return 'poor';
}

export function scoreBadge(score, extraClass = '') {
  const tone = scoreTone(score);
  return h('span', { class: `score-badge score-${tone} ${extraClass}`.trim() },
    score === null || score === undefined ? '—' : String(score));
}

export const AUDIT_KIND_LABELS = { routine: 'Routine', mystery: 'Mystery shop' };
export const AUDIT_STATUS_LABELS = { pending: 'Link not used yet', submitted: 'Submitted', expired: 'Expired' };

export const DAYS = [
  { value: 'mon', label: 'Monday', short: 'Mon' },
  { value: 'tue', label: 'Tuesday', short: 'Tue' },
  { value: 'wed', label: 'Wednesday', short: 'Wed' },
  { value: 'thu', label: 'Thursday', short: 'Thu' },
  { value: 'fri', label: 'Friday', short: 'Fri' },
  { value: 'sat', label: 'Saturday', short: 'Sat' },
  { value: 'sun', label: 'Sunday', short: 'Sun' },
];
