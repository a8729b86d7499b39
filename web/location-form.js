// The owner's "New location" form: a name, an IANA time zone and an ISO 4217
// currency, with suggestions for both. The server checks the zone against its
// own tz database; its error is shown under the field it names.

import { api } from './api.js';
import {
  $, busy, clearFormErrors, focusFirstInvalid, h, setFieldError, setFormError, setText,
} from './dom.js';
import {
  clockNow, currencyName, currencySymbol, deviceTimeZone, minorDigits, money, zoneOffset,
} from './format.js';

// Zones most businesses will pick from; any other IANA name can be typed.
const COMMON_ZONES = [
  'Europe/London', 'Europe/Dublin', 'Europe/Lisbon', 'Europe/Paris', 'Europe/Brussels',
  'Europe/Amsterdam', 'Europe/Berlin', 'Europe/Zurich', 'Europe/Vienna', 'Europe/Madrid',
  'Europe/Rome', 'Europe/Copenhagen', 'Europe/Oslo', 'Europe/Stockholm', 'Europe/Helsinki',
  'Europe/Warsaw', 'Europe/Prague', 'Europe/Budapest', 'Europe/Athens', 'Europe/Istanbul',
  'America/New_York', 'America/Toronto', 'America/Chicago', 'America/Denver', 'America/Phoenix',
  'America/Los_Angeles', 'America/Vancouver', 'America/Anchorage', 'Pacific/Honolulu',
  'America/Mexico_City', 'America/Bogota', 'America/Sao_Paulo', 'America/Buenos_Aires',
  'Africa/Lagos', 'Africa/Cairo', 'Africa/Nairobi', 'Africa/Johannesburg',
  'Asia/Dubai', 'Asia/Kolkata', 'Asia/Bangkok', 'Asia/Singapore', 'Asia/Hong_Kong',
  'Asia/Shanghai', 'Asia/Seoul', 'Asia/Tokyo', 'Australia/Perth', 'Australia/Brisbane',
  'Australia/Sydney', 'Australia/Melbourne', 'Pacific/Auckland', 'UTC',
];

const COMMON_CURRENCIES = [
  'GBP', 'EUR', 'USD', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF',
  'TRY', 'JPY', 'CNY', 'HKD', 'SGD', 'KRW', 'INR', 'AED', 'ZAR', 'NGN', 'KES', 'MXN', 'BRL',
  'ARS', 'COP',
];

const EXAMPLE_AMOUNT_MAJOR = 12.5;

function fillSuggestions() {
  const device = deviceTimeZone();
  const zones = device && !COMMON_ZONES.includes(device) ? [device, ...COMMON_ZONES] : COMMON_ZONES;
  $('timezone-options').replaceChildren(...zones.map((tz) => {
    const offset = zoneOffset(tz);
    return h('option', { value: tz, label: offset ? `${tz} (${offset})` : tz });
  }));
  $('currency-options').replaceChildren(...COMMON_CURRENCIES.map((code) => {
    const label = currencyName(code);
    return h('option', { value: code, label: label ? `${code} — ${label}` : code });
  }));
}

export function createLocationForm({ onCreated }) {
  const form = $('location-form');
  const name = $('location-name');
  const timezone = $('location-timezone');
  const currency = $('location-currency');

  fillSuggestions();

  function updateZoneHint() {
    const tz = timezone.value.trim();
    const time = tz ? clockNow(tz) : '';
    setText($('location-timezone-hint'), time
      ? `It’s ${time} there now (${zoneOffset(tz)}).`
      : 'A name from the list, such as Europe/London.');
  }

  function updateCurrencyHint() {
    const code = currency.value.trim().toUpperCase();
    const label = currencyName(code);
    if (!label) {
      setText($('location-currency-hint'), 'A 3-letter code, such as GBP or EUR.');
      return;
    }
    // Show how an amount will look, with the currency's own minor unit.
    const example = money(Math.round(EXAMPLE_AMOUNT_MAJOR * 10 ** minorDigits(code)), code);
    setText($('location-currency-hint'), `${label} (${currencySymbol(code)}) — e.g. ${example}`);
  }

  timezone.addEventListener('input', updateZoneHint);
  currency.addEventListener('input', () => {
    const upper = currency.value.toUpperCase();
    if (upper !== currency.value) {
      const at = currency.selectionStart;
      currency.value = upper;
      currency.setSelectionRange(at, at);
    }
    updateCurrencyHint();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(form);
    const body = {
      name: name.value.trim(),
      timezone: timezone.value.trim(),
      currency: currency.value.trim().toUpperCase(),
    };
    if (!body.name) setFieldError(form, 'name', 'Enter a name staff will recognise');
    if (!body.timezone) setFieldError(form, 'timezone', 'Choose the time zone the location is in');
    if (!body.currency) setFieldError(form, 'currency', 'Enter the currency, such as GBP');
    else if (!/^[A-Z]{3}$/.test(body.currency)) setFieldError(form, 'currency', 'Use a 3-letter code, such as GBP');
    if (focusFirstInvalid(form)) return;
    let created;
    try {
      created = await busy(form, () => api.post('/locations', body));
    } catch (err) {
      if (err.status === 401) return; // the sign-in screen takes over
      if (!setFieldError(form, err.field, err.message)) setFormError($('location-form-error'), err.message);
      focusFirstInvalid(form);
      return;
    }
    form.reset();
    onCreated(created);
  });

  return {
    open() {
      clearFormErrors(form);
      form.reset();
      const device = deviceTimeZone();
      if (device) timezone.value = device;
      updateZoneHint();
      updateCurrencyHint();
      name.focus({ preventScroll: true });
    },
  };
}
