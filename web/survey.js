// The guest's one-minute survey at /s/{token}: no sign-in, nothing from
// other sites, small enough for a phone on a weak signal. Asks how likely
// the guest is to recommend the place (0-10), optional 1-5 ratings of the
// location's touchpoints and a comment, then says thank you. A link that
// is unknown, already answered or expired gets a plain explanation.

import { $, el, call, linkToken } from './public-page.js';

const MAX_COMMENT = 2000;

const MESSAGES = {
  thanks: ['Thank you!', 'We read every answer. It helps the team make your next visit better.'],
  survey_answered: ['Already answered', 'This survey has already been answered. Thank you for taking the time!'],
  survey_expired: ['This survey has closed', 'The link was only open for a couple of weeks after your visit. Thanks for thinking of us.'],
  survey_invalid: ['Link not found', 'This survey link doesn’t work. Check that it was copied in full, or scan the code again.'],
  rate_limited: ['Too many tries', 'Too many answers were sent from this network in the last minute. Please wait a minute and try again.'],
  network: ['Can’t reach us', 'Check your connection and try again.'],
  other: ['Something went wrong', 'We couldn’t open this survey right now. Please try again later.'],
};

const token = linkToken('s');
let firstName = '';

function showMessage(kind) {
  const [title, text] = MESSAGES[kind] || MESSAGES.other;
  $('loading').hidden = true;
  $('survey-form').hidden = true;
  const box = $('message');
  box.dataset.kind = kind;
  $('message-mark').textContent = kind === 'thanks' || kind === 'survey_answered' ? '✓' : '!';
  $('message-title').textContent = kind === 'thanks' && firstName ? `Thank you, ${firstName}!` : title;
  $('message-text').textContent = text;
  box.hidden = false;
  $('message-title').focus();
  document.title = $('message-title').textContent;
}

// A radio that looks like a big button: the input covers its label.
function choice(name, value, text, label, extraClass = '') {
  const id = `${name}-${value || 'skip'}`;
  return el('span', { class: `choice ${extraClass}`.trim() },
    el('input', { type: 'radio', id, name, value, class: 'choice-input', 'aria-label': label }),
    el('label', { for: id, class: 'choice-label' }, text));
}

function renderNps() {
  const box = $('nps');
  for (let n = 0; n <= 10; n++) {
    let label = String(n);
    if (n === 0) label = '0, not likely';
    if (n === 10) label = '10, very likely';
    box.append(choice('nps', String(n), String(n), label, n <= 6 ? 'is-low' : n <= 8 ? 'is-mid' : 'is-high'));
  }
}

function renderRatings(touchpoints) {
  const box = $('ratings');
  for (const tp of touchpoints) {
    const name = `rating-${tp.key}`;
    const legendId = `${name}-legend`;
    const row = el('fieldset', { class: 'rating', 'data-key': tp.key, 'aria-labelledby': legendId },
      el('legend', { id: legendId, class: 'rating-name' }, tp.name));
    const stars = el('div', { class: 'stars' });
    for (let n = 1; n <= 5; n++) {
      stars.append(choice(name, String(n), String(n), `${tp.name}: ${n} out of 5`, 'star'));
    }
    stars.append(choice(name, '', 'Skip', `${tp.name}: skip`, 'skip'));
    row.append(stars, el('p', { class: 'error', id: `${name}-error`, role: 'alert', hidden: true }));
    box.append(row);
    row.querySelector('input[value=""]').checked = true;
  }
  $('ratings-section').hidden = touchpoints.length === 0;
}

function fieldError(id, message) {
  const slot = $(id);
  slot.textContent = message;
  slot.hidden = !message;
}

function clearErrors() {
  for (const slot of document.querySelectorAll('.error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
  for (const f of document.querySelectorAll('[aria-invalid]')) f.removeAttribute('aria-invalid');
}

function answers() {
  const form = $('survey-form');
  const picked = form.querySelector('input[name="nps"]:checked');
  const ratings = {};
  for (const row of form.querySelectorAll('.rating')) {
    const r = row.querySelector('input:checked');
    if (r && r.value) ratings[row.dataset.key] = Number(r.value);
  }
  const comment = $('comment').value.trim();
  const body = { token, nps: picked ? Number(picked.value) : null, ratings };
  if (comment) body.comment = comment;
  return body;
}

async function send(event) {
  event.preventDefault();
  clearErrors();
  const body = answers();
  if (body.nps === null) {
    fieldError('nps-error', 'Choose a number from 0 to 10.');
    $('nps-field').setAttribute('aria-invalid', 'true');
    $('nps').querySelector('input').focus();
    return;
  }
  if ((body.comment || '').length > MAX_COMMENT) {
    fieldError('comment-error', `Please keep it under ${MAX_COMMENT} characters.`);
    $('comment').focus();
    return;
  }
  if (Object.keys(body.ratings).length === 0) delete body.ratings;
  const button = $('send');
  button.disabled = true;
  button.textContent = 'Sending…';
  try {
    await call('POST', '/public/feedback', body);
    showMessage('thanks');
  } catch (err) {
    if (['survey_answered', 'survey_expired', 'survey_invalid'].includes(err.code)) {
      showMessage(err.code);
      return;
    }
    if (err.code === 'rate_limited' || err.code === 'network') {
      fieldError('form-error', MESSAGES[err.code][1]);
    } else if (err.code === 'field_invalid' && err.field === 'nps') {
      fieldError('nps-error', 'Choose a number from 0 to 10.');
    } else if (err.code === 'field_invalid' && err.field === 'comment') {
      fieldError('comment-error', err.message || 'Please shorten your comment.');
      $('comment').focus();
    } else if (err.code === 'field_invalid' && /^ratings\./.test(err.field || '')) {
      const key = err.field.slice('ratings.'.length);
      const slot = document.getElementById(`rating-${key}-error`);
      if (slot) fieldError(slot.id, 'Choose 1 to 5, or skip.');
      else fieldError('form-error', err.message);
    } else {
      fieldError('form-error', err.message ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` : MESSAGES.other[1]);
    }
  } finally {
    button.disabled = false;
    button.textContent = 'Send';
  }
}

async function start() {
  if (!token) {
    showMessage('survey_invalid');
    return;
  }
  let survey;
  try {
    survey = await call('GET', `/public/survey?token=${encodeURIComponent(token)}`);
  } catch (err) {
    showMessage(MESSAGES[err.code] ? err.code : 'other');
    return;
  }
  const place = (survey.location && survey.location.name) || 'us';
  firstName = survey.guest_first_name || '';
  $('place').textContent = place;
  $('place-2').textContent = place;
  $('survey-title').textContent = `How was your visit to ${place}?`;
  document.title = `${place} · How was your visit?`;
  $('hello').textContent = firstName
    ? `Hi ${firstName}, thanks for coming in. This takes about a minute.`
    : 'Thanks for coming in. This takes about a minute.';
  $('nps-legend').textContent = `How likely are you to recommend ${place} to a friend?`;
  renderNps();
  renderRatings(Array.isArray(survey.touchpoints) ? survey.touchpoints : []);
  $('survey-form').addEventListener('submit', send);
  $('survey-form').addEventListener('change', (event) => {
    if (event.target.name === 'nps') {
      fieldError('nps-error', '');
      $('nps-field').removeAttribute('aria-invalid');
    }
  });
  $('loading').hidden = true;
  $('survey-form').hidden = false;
}

start();
