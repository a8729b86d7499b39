// Compliance charts for owners and managers: the share of checks passed over
// time (with the number of checks as bars and audit scores as points), and
// checks gone overdue and deal-breakers failed per period. Drawn by uPlot,
// as the feedback trends are, and loaded only when the view is opened.

import uPlot from './vendor/uPlot.esm.js';
import { h } from './dom.js';

const CSS_HREF = 'vendor/uPlot.min.css';
const HEIGHT = 240;
const PHONE_HEIGHT = 200;
const COMPLIANCE_COLOR = '#14655b'; // --primary
const AUDIT_COLOR = '#7a5200'; // --gold
const OVERDUE_COLOR = '#c2620a';
const DEAL_BREAKER_COLOR = '#b42318'; // --danger
const BARS_FILL = 'rgba(101, 108, 119, 0.22)';
const GRID = { stroke: '#ebe8e1', width: 1 };
const TICKS = { stroke: '#e2dfd7', width: 1 };
const AXIS_FONT = '12px system-ui, sans-serif';
const AXIS_COLOR = '#656c77';
const TICK_PX = 64;

let charts = [];
let observer = null;

function ensureCss() {
  if (document.querySelector(`link[href="${CSS_HREF}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href: CSS_HREF }));
}

function sizeOf(el) {
  const width = Math.max(240, Math.floor(el.clientWidth));
  return { width, height: width < 480 ? PHONE_HEIGHT : HEIGHT };
}

const utc = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

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

function axis(extra) {
  return { stroke: AXIS_COLOR, font: AXIS_FONT, grid: GRID, ticks: TICKS, ...extra };
}

function xSeries(interval) {
  const label = bucketLabel(interval);
  return {
    label: { day: 'Day', week: 'Week of', month: 'Month of' }[interval] || 'From',
    value: (u, v) => (v === null || v === undefined ? '—' : label(u, [v])[0]),
  };
}

function legend() {
  return {
    show: true,
    markers: { fill: (u, i) => (u.series[i].scale === 'n' ? BARS_FILL : u.series[i].stroke(u, i)) },
  };
}

const pct = (u, v) => (v === null || v === undefined ? '—' : `${v}%`);

// Half a bucket either side, so the first and last bars show whole.
function xScale(interval) {
  const fallback = { day: 86_400, week: 7 * 86_400, month: 30 * 86_400 }[interval] || 7 * 86_400;
  return {
    time: true,
    range: (u, min, max) => {
      const xs = u.data[0];
      const step = xs.length > 1 ? xs[1] - xs[0] : fallback;
      return [min - step / 2, max + step / 2];
    },
  };
}

function complianceOpts(size, interval) {
  return {
    ...size,
    tzDate: utc,
    cursor: { drag: { x: false, y: false } },
    legend: legend(),
    scales: { x: xScale(interval), pct: { range: [0, 100] }, n: { range: (u, min, max) => [0, Math.max(4, max * 1.6)] } },
    series: [
      xSeries(interval),
      {
        label: 'Compliance', scale: 'pct', stroke: COMPLIANCE_COLOR, width: 2.5, spanGaps: true,
        points: { show: true, size: 7, fill: COMPLIANCE_COLOR }, value: pct,
      },
      {
        label: 'Audit score', scale: 'pct', stroke: AUDIT_COLOR, width: 0, spanGaps: false,
        paths: () => null, points: { show: true, size: 9, fill: AUDIT_COLOR }, value: (u, v) => (v === null ? '—' : String(v)),
      },
      {
        label: 'Checks', scale: 'n', fill: BARS_FILL, stroke: 'rgba(101, 108, 119, 0.5)', width: 1,
        paths: uPlot.paths.bars({ size: [0.5, 36] }), points: { show: false },
      },
    ],
    axes: [
      axis({ splits: bucketSplits, values: bucketLabel(interval) }),
      axis({ scale: 'pct', values: (u, vals) => vals.map((v) => `${v}%`), size: 50 }),
      axis({ scale: 'n', side: 1, grid: { show: false }, size: 40 }),
    ],
  };
}

function problemsOpts(size, interval) {
  return {
    ...size,
    tzDate: utc,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true },
    scales: { x: xScale(interval), y: { range: (u, min, max) => [0, Math.max(3, max + 1)] } },
    series: [
      xSeries(interval),
      {
        label: 'Overdue', stroke: OVERDUE_COLOR, fill: 'rgba(194, 98, 10, 0.35)', width: 1,
        paths: uPlot.paths.bars({ size: [0.35, 24], align: -1 }), points: { show: false },
      },
      {
        label: 'Deal-breakers failed', stroke: DEAL_BREAKER_COLOR, fill: 'rgba(180, 35, 24, 0.55)', width: 1,
        paths: uPlot.paths.bars({ size: [0.35, 24], align: 1 }), points: { show: false },
      },
    ],
    axes: [
      axis({ splits: bucketSplits, values: bucketLabel(interval) }),
      axis({ size: 40, incrs: [1, 2, 5, 10, 20, 50, 100] }),
    ],
  };
}

export function destroy() {
  if (observer) observer.disconnect();
  observer = null;
  for (const c of charts) c.chart.destroy();
  charts = [];
}

const epoch = (iso) => Math.floor(Date.parse(iso) / 1000);
const orNull = (v) => (v === null || v === undefined ? null : Number(v));

// complianceBox and problemsBox are empty elements the charts fill.
export function render(data, complianceBox, problemsBox) {
  ensureCss();
  destroy();
  const series = Array.isArray(data.series) ? data.series : [];
  const xs = series.map((b) => epoch(b.start));
  const compliance = series.map((b) => orNull(b.compliance));
  const audit = series.map((b) => orNull(b.audit_score));
  const checks = series.map((b) => Number(b.checks) || null);
  const overdue = series.map((b) => Number(b.overdue) || 0);
  const failedDb = series.map((b) => Number(b.deal_breakers_failed) || 0);

  complianceBox.replaceChildren();
  problemsBox.replaceChildren();
  const latest = [...compliance].reverse().find((v) => v !== null);
  complianceBox.setAttribute('aria-label', latest === undefined
    ? 'Compliance over time: no checks in this period.'
    : `Compliance over time, ${series.length} periods; the latest with checks is ${latest}%.`);
  const totalOverdue = overdue.reduce((a, b) => a + b, 0);
  const totalDb = failedDb.reduce((a, b) => a + b, 0);
  problemsBox.setAttribute('aria-label',
    `Overdue checks and failed deal-breakers over time: ${totalOverdue} overdue, ${totalDb} deal-breakers failed.`);

  charts.push({ box: complianceBox, chart: new uPlot(complianceOpts(sizeOf(complianceBox), data.interval), [xs, compliance, audit, checks], complianceBox) });
  charts.push({ box: problemsBox, chart: new uPlot(problemsOpts(sizeOf(problemsBox), data.interval), [xs, overdue, failedDb], problemsBox) });

  observer = new ResizeObserver(() => {
    for (const c of charts) c.chart.setSize(sizeOf(c.box));
  });
  observer.observe(complianceBox);
  observer.observe(problemsBox);
}
