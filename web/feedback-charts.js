// Feedback trends for owners and managers: headline figures, NPS over time
// (with responses as bars), themes over time, and the themes and touchpoint
// ratings of the whole period. Charts are drawn by uPlot, embedded in the
// binary under /vendor/ and loaded only when this view is first opened.

import uPlot from './vendor/uPlot.esm.js';
import { $, h, show } from './dom.js';
import { THEMES, THEME_BY_VALUE, themeLabel, tone } from './feedback-words.js';

const CSS_HREF = 'vendor/uPlot.min.css';
const HEIGHT = 240;
const PHONE_HEIGHT = 200;
const NPS_COLOR = '#14655b'; // --primary
const BARS_FILL = 'rgba(101, 108, 119, 0.22)';
const GRID = { stroke: '#ebe8e1', width: 1 };
const TICKS = { stroke: '#e2dfd7', width: 1 };
const AXIS_FONT = '12px system-ui, sans-serif';
const AXIS_COLOR = '#656c77';

let npsChart = null;
let themesChart = null;
let observer = null;

function ensureCss() {
  if (document.querySelector(`link[href="${CSS_HREF}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href: CSS_HREF }));
}

function epoch(iso) {
  return Math.floor(Date.parse(iso) / 1000);
}

function sizeOf(el) {
  const width = Math.max(240, Math.floor(el.clientWidth));
  return { width, height: width < 480 ? PHONE_HEIGHT : HEIGHT };
}

// Bucket starts are UTC midnights: label them as such, whatever the device.
const utc = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

// One tick per bucket, thinned to what fits, counted back from the latest.
const TICK_PX = 64;

function bucketSplits(u) {
  const xs = u.data[0];
  const fit = Math.max(2, Math.floor(u.width / TICK_PX));
  const step = Math.max(1, Math.ceil(xs.length / fit));
  return xs.filter((_, i) => (xs.length - 1 - i) % step === 0);
}

function bucketLabel(interval) {
  const opts = interval === 'month' ? { month: 'short', year: '2-digit' } : { day: 'numeric', month: 'short' };
  const f = new Intl.DateTimeFormat(undefined, { ...opts, timeZone: 'UTC' });
  return (u, splits) => splits.map((ts) => f.format(ts * 1000));
}

function xAxis(interval) {
  return axis({ splits: bucketSplits, values: bucketLabel(interval) });
}

function axis(extra) {
  return {
    stroke: AXIS_COLOR, font: AXIS_FONT, grid: GRID, ticks: TICKS, ...extra,
  };
}

function percent(n, total) {
  return total > 0 ? `${Math.round((n / total) * 100)}%` : '—';
}

function signed(n) {
  if (n === null || n === undefined) return '—';
  return n > 0 ? `+${n}` : String(n);
}

function renderTiles(total) {
  const t = total || {};
  const responses = Number(t.responses) || 0;
  const tiles = [
    ['NPS', signed(t.nps), t.nps === null || t.nps === undefined ? 'No scores yet' : 'Promoters − detractors', 'is-nps'],
    ['Responses', String(responses), 'In this period', ''],
    ['Promoters', String(t.promoters || 0), `${percent(t.promoters || 0, responses)} scored 9–10`, 'is-promoter'],
    ['Passives', String(t.passives || 0), `${percent(t.passives || 0, responses)} scored 7–8`, 'is-passive'],
    ['Detractors', String(t.detractors || 0), `${percent(t.detractors || 0, responses)} scored 0–6`, 'is-detractor'],
  ];
  $('fb-tiles').replaceChildren(...tiles.map(([label, value, sub, cls]) => h('div', { class: `fb-tile ${cls}` },
    h('dt', { class: 'fb-tile-label' }, label),
    h('dd', { class: 'fb-tile-value' }, value),
    h('dd', { class: 'fb-tile-sub' }, sub))));
}

function bar(label, value, fraction, note, noteClass) {
  return h('li', { class: 'fb-bar' },
    h('span', { class: 'fb-bar-label' }, label),
    h('span', { class: 'fb-bar-track', 'aria-hidden': 'true' },
      h('span', { class: `fb-bar-fill w-${Math.max(1, Math.min(20, Math.round(fraction * 20)))}` })),
    h('span', { class: 'fb-bar-value' }, value),
    h('span', { class: `fb-bar-note ${noteClass || ''}` }, note));
}

function renderThemeTable(themes) {
  const list = (themes || []).slice().sort((a, b) => b.count - a.count);
  const max = Math.max(1, ...list.map((t) => t.count));
  $('fb-theme-table').replaceChildren(...list.map((t) => {
    const feel = tone(t.net_sentiment);
    const word = { positive: 'mostly positive', neutral: 'mixed', negative: 'mostly negative' }[feel];
    return bar(themeLabel(t.theme), String(t.count), t.count / max, word, `is-${feel}`);
  }));
  show($('fb-theme-empty'), list.length === 0);
}

function renderCsat(csat) {
  const rows = Object.entries(csat || {}).sort((a, b) => a[1].average - b[1].average);
  $('fb-csat-table').replaceChildren(...rows.map(([key, v]) => {
    const avg = Number(v.average) || 0;
    const name = key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');
    const cls = avg <= 2.5 ? 'is-negative' : avg >= 4 ? 'is-positive' : 'is-neutral';
    return bar(name, `${avg.toFixed(1)} / 5`, avg / 5, `${v.responses} ${v.responses === 1 ? 'rating' : 'ratings'}`, cls);
  }));
  show($('fb-csat-empty'), rows.length === 0);
}

// Filled legend swatches in each series' colour.
function legend() {
  return {
    show: true,
    markers: { fill: (u, i) => (u.series[i].scale === 'n' ? BARS_FILL : u.series[i].stroke(u, i)) },
  };
}

function npsOpts(size, interval) {
  return {
    ...size,
    tzDate: utc,
    cursor: { drag: { x: false, y: false } },
    legend: legend(),
    scales: { x: { time: true }, nps: { range: [-100, 100] }, n: { range: (u, min, max) => [0, Math.max(4, max * 1.6)] } },
    series: [
      { label: 'Week of' },
      {
        label: 'NPS', scale: 'nps', stroke: NPS_COLOR, width: 2.5, spanGaps: true,
        points: { show: true, size: 7, fill: NPS_COLOR }, value: (u, v) => (v === null ? '—' : signed(v)),
      },
      {
        label: 'Responses', scale: 'n', fill: BARS_FILL, stroke: 'rgba(101, 108, 119, 0.5)', width: 1,
        paths: uPlot.paths.bars({ size: [0.5, 36] }), points: { show: false },
      },
    ],
    axes: [
      xAxis(interval),
      axis({ scale: 'nps', values: (u, vals) => vals.map(signed), size: 46 }),
      axis({ scale: 'n', side: 1, grid: { show: false }, size: 40 }),
    ],
  };
}

function themesOpts(size, themes, interval) {
  return {
    ...size,
    tzDate: utc,
    cursor: { drag: { x: false, y: false } },
    legend: legend(),
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(3, max + 1)] } },
    series: [
      { label: 'Week of' },
      ...themes.map((t) => ({
        label: themeLabel(t),
        stroke: (THEME_BY_VALUE[t] || {}).color || '#454c57',
        width: 2,
        points: { show: true, size: 5 },
      })),
    ],
    axes: [xAxis(interval), axis({ size: 40, incrs: [1, 2, 5, 10, 20, 50, 100] })],
  };
}

function intervalWord(interval) {
  return { day: 'Day', week: 'Week of', month: 'Month of' }[interval] || 'From';
}

export function destroy() {
  if (observer) observer.disconnect();
  observer = null;
  if (npsChart) npsChart.destroy();
  if (themesChart) themesChart.destroy();
  npsChart = null;
  themesChart = null;
}

export function render(data) {
  ensureCss();
  destroy();
  const series = Array.isArray(data.series) ? data.series : [];
  renderTiles(data.total);
  renderThemeTable(data.total && data.total.themes);
  renderCsat(data.total && data.total.csat);

  const xs = series.map((b) => epoch(b.start));
  const nps = series.map((b) => (b.nps === null || b.nps === undefined ? null : b.nps));
  const responses = series.map((b) => Number(b.responses) || null); // no bar for none

  // Themes in the period, the most named first; known themes keep their order.
  const counts = new Map();
  for (const b of series) for (const t of b.themes || []) counts.set(t.theme, (counts.get(t.theme) || 0) + t.count);
  const named = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a)
    || THEMES.findIndex((t) => t.value === a) - THEMES.findIndex((t) => t.value === b));
  const themeData = named.map((name) => series.map((b) => {
    const hit = (b.themes || []).find((t) => t.theme === name);
    return hit ? hit.count : 0;
  }));

  const npsBox = $('fb-nps-chart');
  const themesBox = $('fb-themes-chart');
  npsBox.replaceChildren();
  themesBox.replaceChildren();
  const latest = [...nps].reverse().find((v) => v !== null);
  npsBox.setAttribute('aria-label', latest === undefined
    ? 'NPS over time: no scores in this period.'
    : `NPS over time, ${series.length} periods; the latest with scores is ${signed(latest)}.`);
  themesBox.setAttribute('aria-label', named.length
    ? `Themes over time: ${named.map((n) => `${themeLabel(n)} ${counts.get(n)}`).join(', ')}.`
    : 'Themes over time: no themes in this period.');

  const word = intervalWord(data.interval);
  const label = bucketLabel(data.interval);
  const xValue = (u, v) => (v === null || v === undefined ? '—' : label(u, [v])[0]);
  const npsOptions = npsOpts(sizeOf(npsBox), data.interval);
  Object.assign(npsOptions.series[0], { label: word, value: xValue });
  npsChart = new uPlot(npsOptions, [xs, nps, responses], npsBox);

  if (named.length) {
    const opts = themesOpts(sizeOf(themesBox), named, data.interval);
    Object.assign(opts.series[0], { label: word, value: xValue });
    themesChart = new uPlot(opts, [xs, ...themeData], themesBox);
  } else {
    themesBox.append(h('p', { class: 'muted fb-chart-empty' }, 'No comments named a theme in this period.'));
  }

  observer = new ResizeObserver(() => {
    if (npsChart) npsChart.setSize(sizeOf(npsBox));
    if (themesChart) themesChart.setSize(sizeOf(themesBox));
  });
  observer.observe(npsBox);
  observer.observe(themesBox);
}
