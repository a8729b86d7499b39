// The words of feedback: NPS categories, comment themes and how staff read
// them, and the comment with its theme words marked. The server finds a
// comment's themes (by word stems); the UI only shows where they are, with
// a short list of words per theme: "word*" matches any word starting with
// "word", anything else the whole word.

import { h } from './dom.js';

export const CATEGORIES = [
  { value: 'promoter', label: 'Promoters', one: 'Promoter' },
  { value: 'passive', label: 'Passives', one: 'Passive' },
  { value: 'detractor', label: 'Detractors', one: 'Detractor' },
];

export const CATEGORY_LABELS = Object.fromEntries(CATEGORIES.map((c) => [c.value, c.one]));

export const LABELS = [
  { value: 'positive', label: 'Positive' },
  { value: 'neutral', label: 'Neutral' },
  { value: 'negative', label: 'Negative' },
];

export const THEMES = [
  {
    value: 'wait', label: 'Wait', color: '#b54708',
    words: ['wait*', 'slow*', 'late', 'queue*', 'minute*', 'mins', 'hour*', 'forever', 'ages', 'quick*',
      'fast', 'prompt*', 'delay*', 'took', 'long', 'longer', 'speed*'],
  },
  {
    value: 'accuracy', label: 'Order accuracy', color: '#6941c6',
    words: ['wrong*', 'mistak*', 'forgot*', 'missing', 'missed', 'mix-up', 'mixed', 'incorrect*', 'accura*',
      'instead', 'right'],
  },
  {
    value: 'food', label: 'Food', color: '#c4320a',
    words: ['food*', 'meal*', 'dish*', 'eat*', 'ate', 'tast*', 'delicious', 'bland', 'burnt', 'salad*',
      'pizza*', 'burger*', 'sandwich*', 'breakfast*', 'brunch*', 'lunch*', 'dinner*', 'cake*', 'pastr*',
      'croissant*', 'soup*', 'portion*', 'cook*', 'menu*', 'egg*', 'bread', 'chips', 'fries', 'dessert*',
      'flavo*', 'undercooked', 'overcooked', 'stale'],
  },
  {
    value: 'drinks', label: 'Drinks', color: '#1570ef',
    words: ['drink*', 'coffee*', 'latte*', 'cappuccino*', 'espresso*', 'flat white', 'tea', 'teas', 'beer*',
      'wine*', 'cocktail*', 'juice*', 'smoothie*', 'milk*', 'water', 'pint*', 'chai', 'mocha*',
      'americano*', 'lemonade*', 'cider*'],
  },
  {
    value: 'staff', label: 'Staff', color: '#0e7090',
    words: ['staff', 'server*', 'waiter*', 'waitress*', 'barista*', 'bartender*', 'friendl*', 'unfriendl*',
      'rude*', 'polite*', 'impolite*', 'service', 'welcom*', 'smil*', 'attentive*', 'helpful*',
      'manager*', 'team', 'host', 'hostess', 'kind', 'lovely', 'ignored', 'apolog*', 'sorry'],
  },
  {
    value: 'cleanliness', label: 'Cleanliness', color: '#087443',
    words: ['clean*', 'dirty', 'dirt*', 'filth*', 'mess*', 'sticky', 'toilet*', 'restroom*', 'bathroom*',
      'loo', 'hygien*', 'smell*', 'stain*', 'dust*', 'crumb*', 'gross', 'spotless', 'tidy', 'untidy'],
  },
  {
    value: 'price', label: 'Price', color: '#a15c07',
    words: ['price*', 'pricey', 'expensive', 'cheap*', 'overpriced', 'value', 'worth*', 'cost*', 'money',
      'afford*', 'rip-off', 'bargain*'],
  },
  {
    value: 'ambience', label: 'Ambience', color: '#9e165f',
    words: ['ambienc*', 'ambianc*', 'atmospher*', 'music', 'loud*', 'nois*', 'quiet*', 'cosy', 'cozy',
      'decor*', 'vibe*', 'lighting', 'seat*', 'chair*', 'comfortabl*', 'uncomfortabl*', 'crowded', 'busy',
      'cramped', 'draughty', 'drafty'],
  },
  {
    value: 'payment', label: 'Payment', color: '#344054',
    words: ['pay*', 'paid', 'card*', 'cash*', 'bill*', 'receipt*', 'till', 'contactless', 'tip', 'tips',
      'tipping', 'charg*', 'overcharg*', 'refund*', 'split'],
  },
];

export const THEME_BY_VALUE = Object.fromEntries(THEMES.map((t) => [t.value, t]));

export function themeLabel(value) {
  const t = THEME_BY_VALUE[value];
  return t ? t.label : String(value || '').replace(/_/g, ' ');
}

// positive / neutral / negative, for colouring a theme chip.
export function tone(sentiment) {
  const s = Number(sentiment);
  if (!Number.isFinite(s)) return 'neutral';
  if (s >= 0.2) return 'positive';
  if (s <= -0.2) return 'negative';
  return 'neutral';
}

const TONE_WORDS = { positive: 'positive', neutral: 'mixed', negative: 'negative' };

export function themeChip(theme) {
  const t = tone(theme.sentiment);
  return h('li', {
    class: `theme-chip is-${t}`,
    title: Number.isFinite(Number(theme.sentiment)) ? `Sentiment ${Number(theme.sentiment).toFixed(2)}` : null,
  },
  h('span', { class: 'theme-dot', 'aria-hidden': 'true' }),
  themeLabel(theme.theme),
  h('span', { class: 'visually-hidden' }, `, ${TONE_WORDS[t]}`));
}

function matcher(words) {
  const exact = new Set();
  const prefixes = [];
  for (const w of words) {
    if (w.endsWith('*')) prefixes.push(w.slice(0, -1));
    else exact.add(w);
  }
  return (word) => exact.has(word) || prefixes.some((p) => word.startsWith(p));
}

const MATCHERS = Object.fromEntries(THEMES.map((t) => [t.value, matcher(t.words)]));

// Two-word phrases ("flat white") are matched on the pair.
const PHRASES = THEMES.flatMap((t) => t.words.filter((w) => w.includes(' ')).map((w) => [w, t.value]));

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

function fold(word) {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/’/g, "'");
}

// The comment as text nodes and <mark>s: the words of the given themes
// (the ones the server found in it) are marked, each with its theme.
export function highlightComment(comment, themes) {
  const text = String(comment || '');
  const wanted = (themes || []).map((t) => (typeof t === 'string' ? t : t.theme)).filter((v) => MATCHERS[v]);
  if (wanted.length === 0) return [text];
  const words = [...text.matchAll(WORD)];
  const hits = [];
  for (let i = 0; i < words.length; i++) {
    const m = words[i];
    const w = fold(m[0]);
    let theme = null;
    let end = m.index + m[0].length;
    if (i + 1 < words.length) {
      const pair = `${w} ${fold(words[i + 1][0])}`;
      const phrase = PHRASES.find(([p, v]) => p === pair && wanted.includes(v));
      if (phrase) {
        theme = phrase[1];
        end = words[i + 1].index + words[i + 1][0].length;
        i++;
      }
    }
    if (!theme) theme = wanted.find((v) => MATCHERS[v](w)) || null;
    if (theme) hits.push({ start: m.index, end, theme });
  }
  const out = [];
  let at = 0;
  for (const hit of hits) {
    if (hit.start > at) out.push(text.slice(at, hit.start));
    out.push(h('mark', {
      class: `theme-word theme-word-${hit.theme}`, title: themeLabel(hit.theme), dataset: { theme: hit.theme },
    }, text.slice(hit.start, hit.end)));
    at = hit.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export function npsCategory(nps) {
  if (nps === null || nps === undefined) return null;
  if (nps >= 9) return 'promoter';
  if (nps >= 7) return 'passive';
  return 'detractor';
}
