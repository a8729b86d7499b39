// The small NPS chart on the manager's home page: weekly NPS as a line,
// drawn by uPlot like the feedback trends, and loaded only when the home
// page first needs it so the other tiles show without waiting for it.

import uPlot from './vendor/uPlot.esm.js';
import { h } from './dom.js';

const CSS_HREF = 'vendor/uPlot.min.css';
const HEIGHT = 130;
const NPS_COLOR = '#14655b'; // --primary
const GRID = { stroke: '#ebe8e1', width: 1 };
const TICKS = { stroke: '#e2dfd7', width: 1 };
const AXIS_FONT = '11px system-ui, sans-serif';
const AXIS_COLOR = '#656c77';
const TICK_PX = 70;

let chart = null;
let observer = null;

function ensureCss() {
  if (document.querySelector(`link[href="${CSS_HREF}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href: CSS_HREF }));
}

function sizeOf(el) {
  return { width: Math.max(200, Math.floor(el.clientWidth)), height: HEIGHT };
}

const utc = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
const signed = (v) => (v === null || v === undefined ? '—' : v > 0 ? `+${v}` : String(v));
const weekLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });

function splits(u) {
  const xs = u.data[0];
  const fit = Math.max(2, Math.floor(u.width / TICK_PX));
  const step = Math.max(1, Math.ceil(xs.length / fit));
  return xs.filter((_, i) => (xs.length - 1 - i) % step === 0);
}

export function destroy() {
  if (observer) observer.disconnect();
  observer = null;
  if (chart) chart.destroy();
  chart = null;
}

// series: [{start, nps}] by week. Draws into box.
export function render(series, box) {
  ensureCss();
  destroy();
  box.replaceChildren();
  const xs = series.map((b) => Math.floor(Date.parse(b.start) / 1000));
  const nps = series.map((b) => (b.nps === null || b.nps === undefined ? null : b.nps));
  chart = new uPlot({
    ...sizeOf(box),
    tzDate: utc,
    cursor: { drag: { x: false, y: false } },
    legend: { show: false },
    scales: { x: { time: true }, y: { range: [-100, 100] } },
    series: [
      {},
      {
        label: 'NPS', stroke: NPS_COLOR, width: 2, spanGaps: true, value: (u, v) => signed(v),
        points: { show: true, size: 5, fill: NPS_COLOR },
      },
    ],
    axes: [
      {
        stroke: AXIS_COLOR, font: AXIS_FONT, grid: { show: false }, ticks: TICKS, size: 26,
        splits, values: (u, vals) => vals.map((ts) => weekLabel.format(ts * 1000)),
      },
      {
        stroke: AXIS_COLOR, font: AXIS_FONT, grid: GRID, ticks: TICKS, size: 46,
        splits: () => [-100, -50, 0, 50, 100], values: (u, vals) => vals.map(signed),
      },
    ],
  }, [xs, nps], box);
  observer = new ResizeObserver(() => {
    if (chart) chart.setSize(sizeOf(box));
  });
  observer.observe(box);
}
