// Formatting and parsing for what staff read and type: relative times,
// dates in a location's time zone, money in integer minor units.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MAX_MAJOR_DIGITS = 9; // keeps minor units well inside 2^53

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

function parseTime(iso) {
  if (!iso) return NaN;
  return Date.parse(iso);
}

function startOfDay(ms) {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

// "just now", "20 minutes ago", "3 hours ago", "yesterday", "3 days ago",
// "2 months ago". Day granularity counts calendar days, so a visit late last
// night is "yesterday" even if it was only a few hours ago.
export function relativeTime(iso, now = Date.now()) {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return '';
  const diff = t - now;
  const abs = Math.abs(diff);
  if (abs < MINUTE) return 'just now';
  if (abs < HOUR) return relative.format(Math.round(diff / MINUTE), 'minute');
  const days = Math.round((startOfDay(t) - startOfDay(now)) / DAY);
  if (days === 0) return relative.format(Math.round(diff / HOUR), 'hour');
  if (Math.abs(days) < 31) return relative.format(days, 'day');
  const months = Math.round(days / 30.44);
  if (Math.abs(months) < 12) return relative.format(months, 'month');
  return relative.format(Math.round(days / 365.25), 'year');
}

function safeTimeZone(tz) {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

// "Tue 12 Mar, 14:05" (with the year when it is not this year), in the
// location's time zone when one is known.
export function dateTime(iso, timeZone) {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return '';
  const thisYear = new Date().getFullYear() === new Date(t).getFullYear();
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: thisYear ? undefined : 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: safeTimeZone(timeZone),
  }).format(t);
}

export function dateOnly(iso, timeZone) {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return '';
  const thisYear = new Date().getFullYear() === new Date(t).getFullYear();
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: thisYear ? undefined : 'numeric',
    timeZone: safeTimeZone(timeZone),
  }).format(t);
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

export function ordinal(n) {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  switch (n % 10) {
    case 1: return `${n}st`;
    case 2: return `${n}nd`;
    case 3: return `${n}rd`;
    default: return `${n}th`;
  }
}

export function intervalText(days) {
  if (days === null || days === undefined) return '';
  if (days <= 1) return 'Daily';
  if (days === 7) return 'Weekly';
  if (days % 7 === 0 && days <= 56) return `Every ${days / 7} weeks`;
  return `Every ${days} days`;
}

function currencyFormat(currency, locale) {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    return null;
  }
}

// Digits after the decimal point for a currency (2 for GBP, 0 for JPY).
export function minorDigits(currency) {
  const f = currencyFormat(currency || 'XXX', 'en');
  return f ? f.resolvedOptions().maximumFractionDigits : 2;
}

export function currencySymbol(currency) {
  const f = currencyFormat(currency, undefined);
  if (!f) return currency || '';
  const part = f.formatToParts(0).find((p) => p.type === 'currency');
  return part ? part.value : currency;
}

export function money(minor, currency) {
  if (minor === null || minor === undefined) return '';
  const digits = minorDigits(currency);
  const major = minor / 10 ** digits;
  const f = currencyFormat(currency, undefined);
  return f ? f.format(major) : `${major.toFixed(digits)} ${currency || ''}`.trim();
}

// Parses what staff type ("12", "12.5", "12,50", "£12.50") into integer
// minor units without going through floating point. Returns
// { value: null } for an empty field, { value: n } or { error: "…" }.
export function parseMoney(text, currency) {
  const digits = minorDigits(currency);
  const cleaned = String(text ?? '').replace(/[\s\u00a0]/g, '').replace(/^[^\d.,-]+/, '');
  if (cleaned === '' && String(text ?? '').trim() === '') return { value: null };
  const example = digits > 0 ? `12.${'5'.padEnd(digits, '0')}` : '1200';
  const pattern = digits > 0
    ? new RegExp(`^(\\d{1,${MAX_MAJOR_DIGITS}})(?:[.,](\\d{0,${digits}}))?$`)
    : new RegExp(`^(\\d{1,${MAX_MAJOR_DIGITS}})$`);
  const m = pattern.exec(cleaned);
  if (!m) return { error: `Enter an amount like ${example}` };
  const major = Number(m[1]);
  const frac = (m[2] || '').padEnd(digits, '0');
  const value = major * 10 ** digits + (digits > 0 ? Number(frac) : 0);
  return { value };
}

export function initials(name) {
  const words = String(name || '').trim().split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  if (words.length === 0) return '?';
  const lead = (w) => (w.match(/[\p{L}\p{N}]/u) || [''])[0];
  const first = lead(words[0]);
  const last = words.length > 1 ? lead(words[words.length - 1]) : '';
  return (first + last).toUpperCase();
}

export function firstName(name) {
  return String(name || '').trim().split(/\s+/)[0] || '';
}

// "14:05" now, in the given IANA time zone; '' when the zone is unknown here.
export function clockNow(timeZone, now = Date.now()) {
  const tz = safeTimeZone(timeZone);
  if (!tz) return '';
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: tz })
    .format(now);
}

// "GMT+1", "GMT-5" or "GMT" for a zone right now; '' when unknown here.
export function zoneOffset(timeZone, now = Date.now()) {
  const tz = safeTimeZone(timeZone);
  if (!tz) return '';
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeZoneName: 'shortOffset' })
    .formatToParts(now)
    .find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
}

// The zone this device is set to, such as "Europe/London", or ''.
export function deviceTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    return '';
  }
}

// "Pound sterling" for "GBP"; '' for a code this browser does not know.
export function currencyName(code) {
  if (!/^[A-Z]{3}$/.test(String(code || ''))) return '';
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'none' }).of(code);
    return name || '';
  } catch {
    return '';
  }
}
