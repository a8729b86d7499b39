// The words of guest memory, in one place: note kinds, the 14 allergens
// (plus "other"), severities, and how a flag reads on the card. The API's
// enum values are the keys; these labels are what staff see.

import { h } from './dom.js';

export const KINDS = [
  { value: 'preference', label: 'Preference', placeholder: 'e.g. Green Tabasco — bottle behind the bar' },
  { value: 'dietary', label: 'Dietary', placeholder: 'e.g. Vegan, or no oil' },
  { value: 'allergy', label: 'Allergy', placeholder: 'Details, e.g. carries an EpiPen (optional)' },
  { value: 'conversation', label: 'Conversation', placeholder: 'What did you talk about?' },
  { value: 'general', label: 'Note', placeholder: 'Anything the team should know' },
];

export const KIND_LABELS = Object.fromEntries(KINDS.map((k) => [k.value, k.label]));

export const ALLERGENS = [
  ['celery', 'Celery'], ['gluten', 'Gluten'], ['crustaceans', 'Crustaceans'], ['eggs', 'Eggs'],
  ['fish', 'Fish'], ['lupin', 'Lupin'], ['milk', 'Milk'], ['molluscs', 'Molluscs'],
  ['mustard', 'Mustard'], ['tree_nuts', 'Tree nuts'], ['peanuts', 'Peanuts'], ['sesame', 'Sesame'],
  ['soya', 'Soya'], ['sulphites', 'Sulphites'], ['other', 'Other'],
].map(([value, label]) => ({ value, label }));

export const ALLERGEN_LABELS = Object.fromEntries(ALLERGENS.map((a) => [a.value, a.label]));

// Mildest first, as the chips read left to right.
export const SEVERITIES = [
  { value: 'mild', label: 'Mild' },
  { value: 'moderate', label: 'Moderate' },
  { value: 'severe', label: 'Severe' },
  { value: 'life_threatening', label: 'Life-threatening' },
];

export const SEVERITY_LABELS = Object.fromEntries(SEVERITIES.map((s) => [s.value, s.label]));

// What a flag is about: "Peanuts allergy", "Allergy" for other; a dietary
// need is its own text ("oil intolerance").
export function flagHeadline(note) {
  if (note.kind === 'allergy') {
    return note.allergen && note.allergen !== 'other'
      ? `${ALLERGEN_LABELS[note.allergen] || note.allergen} allergy`
      : 'Allergy';
  }
  return String(note.text || '').trim();
}

// The allergy note's text, unless it only repeats the headline ("Peanuts").
export function flagDetail(note) {
  if (note.kind !== 'allergy') return '';
  const text = String(note.text || '').trim();
  const allergen = note.allergen ? (ALLERGEN_LABELS[note.allergen] || '') : '';
  if (note.kind === 'allergy' && allergen && text.toLowerCase() === allergen.toLowerCase()) return '';
  return text;
}

// A small severity tag: "Life-threatening", "Severe · dietary"… or the kind
// when no severity is given.
export function severityTag(note) {
  const sev = note.severity || '';
  const kind = KIND_LABELS[note.kind] || note.kind;
  let label = kind;
  if (sev) label = note.kind === 'dietary' ? `${SEVERITY_LABELS[sev] || sev} · dietary` : (SEVERITY_LABELS[sev] || sev);
  return h('span', { class: `sev sev-${sev || 'none'}` }, label);
}

// One flag as a line of the red banner, on the card and on order tickets.
export function flagItem(note) {
  const detail = flagDetail(note);
  return h('li', { class: `flag flag-${note.severity || 'none'} flag-${note.kind}` },
    severityTag(note),
    h('span', { class: 'flag-body' },
      h('span', { class: 'flag-what' }, flagHeadline(note)),
      detail ? h('span', { class: 'flag-detail' }, detail) : null));
}

export function authorName(actor) {
  if (!actor || !actor.name) return '';
  return actor.name;
}
