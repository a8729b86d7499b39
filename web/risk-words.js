// The words of customer-base analytics: how the models are named, how long
// ago a regular was last in and how often they used to come, and the chance
// they are still coming, said the way staff read them. Shared by the at-risk
// list (at-risk.js), the manager's home page (home.js) and the guest card.

import { dateOnly, relativeTime } from './format.js';

const DAY_MS = 86_400_000;

export const MODEL_NAMES = {
  mbgnbd: 'MBG/NBD',
  bgnbd: 'BG/NBD',
  pnbd: 'Pareto/NBD',
  paretonbd: 'Pareto/NBD',
  gg: 'Gamma-Gamma',
};

export function modelName(model) {
  return MODEL_NAMES[model] || String(model || '').toUpperCase();
}

export function manages(staff) {
  return Boolean(staff) && (staff.role === 'owner' || staff.role === 'manager');
}

// Who may open the at-risk list: everyone who serves guests.
export function canSeeRisk(staff) {
  return Boolean(staff) && staff.role !== 'kitchen';
}

// "3 days ago", "5 weeks ago", "4 months ago": weeks read better than
// "last month" for someone who used to come every few days.
export function sinceText(iso, now = Date.now()) {
  const t = Date.parse(iso || '');
  if (Number.isNaN(t)) return '';
  const days = Math.floor((now - t) / DAY_MS);
  if (days < 14) return relativeTime(iso, now);
  if (days < 91) return `${Math.round(days / 7)} weeks ago`;
  if (days < 730) return `${Math.round(days / 30.44)} months ago`;
  return `${Math.round(days / 365.25)} years ago`;
}

// "every day", "every 6 days", "every week", "every 3 weeks"; '' without one.
export function everyText(days) {
  if (days === null || days === undefined || !Number.isFinite(Number(days))) return '';
  const d = Math.max(1, Math.round(Number(days)));
  if (d === 1) return 'every day';
  if (d === 7) return 'every week';
  if (d % 7 === 0 && d <= 56) return `every ${d / 7} weeks`;
  return `every ${d} days`;
}

// A probability as staff read it: "8%", "under 1%", "over 99%".
export function chanceText(p) {
  if (p === null || p === undefined || !Number.isFinite(Number(p))) return '—';
  const pct = Number(p) * 100;
  if (pct > 0 && pct < 1) return 'under 1%';
  if (pct < 100 && pct > 99) return 'over 99%';
  return `${Math.round(pct)}%`;
}

// "Estimated with MBG/NBD, fitted 3 hours ago.", with the day once it is
// older than that: "…, fitted 2 days ago (Tue 12 Mar)."
export function fittedText(model, fittedAt, timeZone, now = Date.now()) {
  const t = Date.parse(fittedAt || '');
  if (Number.isNaN(t)) return '';
  const day = now - t >= DAY_MS ? dateOnly(fittedAt, timeZone) : '';
  return `Estimated with ${modelName(model)}, fitted ${relativeTime(fittedAt, now)}${day ? ` (${day})` : ''}.`;
}

// A percentage of 0…1 with no decimals, or a dash.
export function rateText(rate) {
  if (rate === null || rate === undefined || !Number.isFinite(Number(rate))) return '—';
  return `${Math.round(Number(rate) * 100)}%`;
}
