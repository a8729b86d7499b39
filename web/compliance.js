// Compliance for owners and managers (#/compliance): how well the
// standards are kept — the share of checks passed, overdue checks and
// failed deal-breakers over time, the latest audit score — and, per
// touchpoint, the standards' record beside what guests say about the same
// place (survey ratings and the sentiment of comments on its themes).

import { api, isAbort } from './api.js';
import { h, setText, show } from './dom.js';
import { relativeTime } from './format.js';
import { AUDIT_KIND_LABELS, scoreBadge } from './standards-words.js';

const DAY_MS = 86_400_000;
const RANGE_DAYS = { day: 28, month: 365 }; // week: the server's default 12 weeks

function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function pct(v) {
  return v === null || v === undefined ? '—' : `${Number(v).toFixed(1).replace(/\.0$/, '')}%`;
}

function tone(v, good, poor) {
  if (v === null || v === undefined) return '';
  if (v >= good) return 'is-good';
  if (v < poor) return 'is-poor';
  return 'is-fair';
}

function sentimentWord(v) {
  if (v === null || v === undefined) return '';
  if (v >= 0.2) return 'mostly positive';
  if (v <= -0.2) return 'mostly negative';
  return 'mixed';
}

export function createCompliance({ root }) {
  let locationId = null;
  let controller = null;
  let charts = null;

  const interval = h('select', { id: 'cmp-interval' },
    h('option', { value: 'week' }, 'Week (last 12 weeks)'),
    h('option', { value: 'month' }, 'Month (last 12 months)'),
    h('option', { value: 'day' }, 'Day (last 4 weeks)'));
  const statusEl = h('div', { class: 'list-status', role: 'status', hidden: true },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', null, 'Loading compliance…'));
  const failedText = h('span');
  const retry = h('button', { type: 'button', class: 'btn btn-small btn-secondary' }, 'Try again');
  const failed = h('div', { class: 'form-error load-error', role: 'alert', hidden: true }, failedText, retry);
  const tiles = h('dl', { class: 'fb-tiles cmp-tiles' });
  const complianceBox = h('div', { id: 'cmp-compliance-chart', class: 'fb-chart', role: 'img' });
  const problemsBox = h('div', { id: 'cmp-problems-chart', class: 'fb-chart', role: 'img' });
  const tableBody = h('tbody');
  const table = h('table', { class: 'data-table cmp-table' },
    h('caption', { class: 'visually-hidden' }, 'Compliance and guests’ view by touchpoint'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Touchpoint'),
      h('th', { scope: 'col', class: 'num' }, 'Compliance'),
      h('th', { scope: 'col', class: 'num' }, 'Checks'),
      h('th', { scope: 'col', class: 'num' }, h('span', { class: 'label-long' }, 'Deal-breakers failed'), h('span', { class: 'label-short' }, 'DB failed')),
      h('th', { scope: 'col', class: 'num' }, 'Overdue'),
      h('th', { scope: 'col', class: 'num cmp-guests' }, 'Guests’ rating'),
      h('th', { scope: 'col', class: 'cmp-guests' }, 'Comments'))),
    tableBody);
  const tableEmpty = h('p', { class: 'muted', hidden: true }, 'No checks in this period yet.');
  const body = h('div', { class: 'fb-trends', hidden: true },
    tiles,
    h('section', { class: 'panel fb-chart-panel', 'aria-labelledby': 'cmp-chart-title' },
      h('h2', { id: 'cmp-chart-title', class: 'panel-title' }, 'Compliance over time'),
      h('p', { class: 'muted fb-chart-note' }, 'Checks passed among those passed or failed; bars are checks, dots audit scores.'),
      complianceBox),
    h('section', { class: 'panel fb-chart-panel', 'aria-labelledby': 'cmp-problems-title' },
      h('h2', { id: 'cmp-problems-title', class: 'panel-title' }, 'Overdue and deal-breakers'),
      h('p', { class: 'muted fb-chart-note' }, 'Checks that went overdue, and deal-breakers that failed, per period.'),
      problemsBox),
    h('section', { class: 'panel', 'aria-labelledby': 'cmp-table-title' },
      h('h2', { id: 'cmp-table-title', class: 'panel-title' }, 'By touchpoint: your checks and your guests'),
      h('p', { class: 'muted fb-chart-note' }, 'Guests’ rating is the average survey score (1–5); comments are those whose themes match the place.'),
      h('div', { class: 'table-scroll' }, table), tableEmpty));
  root.replaceChildren(
    h('div', { class: 'fb-toolbar' }, h('div', { class: 'field' }, h('label', { for: 'cmp-interval' }, 'By'), interval)),
    statusEl, failed, body);

  function renderTiles(total) {
    const t = total || {};
    const audits = t.audits || {};
    const latest = audits.latest;
    const list = [
      ['Compliance', pct(t.compliance), t.checks ? `${t.passed} of ${(t.passed || 0) + (t.failed || 0)} passed` : 'No checks yet', `cmp-tile ${tone(t.compliance, 95, 80)}`],
      ['Checks', String(t.checks || 0), `${t.failed || 0} failed · ${t.na || 0} n/a`, ''],
      ['Deal-breakers failed', String(t.deal_breakers_failed || 0), 'Each opened a case', t.deal_breakers_failed ? 'is-detractor' : ''],
      ['Overdue', String(t.overdue || 0), 'Checks that ran late', t.overdue ? 'is-passive' : ''],
    ];
    const els = list.map(([label, value, sub, cls]) => h('div', { class: `fb-tile ${cls}` },
      h('dt', { class: 'fb-tile-label' }, label),
      h('dd', { class: 'fb-tile-value' }, value),
      h('dd', { class: 'fb-tile-sub' }, sub)));
    els.push(h('div', { class: 'fb-tile cmp-audit-tile' },
      h('dt', { class: 'fb-tile-label' }, 'Latest audit'),
      h('dd', { class: 'fb-tile-value' }, latest
        ? h('a', { href: `#/audits/${latest.id}`, class: 'cmp-audit-link' }, scoreBadge(latest.score)) : '—'),
      h('dd', { class: 'fb-tile-sub' }, latest
        ? `${AUDIT_KIND_LABELS[latest.kind] || latest.kind} · ${relativeTime(latest.at)}${audits.count > 1 ? ` · average ${audits.average_score}` : ''}`
        : 'No audits in this period')));
    tiles.replaceChildren(...els);
  }

  function renderTable(rows) {
    const list = (rows || []).slice();
    tableBody.replaceChildren(...list.map((r) => {
      const f = r.feedback || {};
      const csat = f.csat === null || f.csat === undefined ? null : Number(f.csat);
      const sentiment = f.net_sentiment === null || f.net_sentiment === undefined ? null : Number(f.net_sentiment);
      return h('tr', { dataset: { touchpoint: r.touchpoint.key } },
        h('th', { scope: 'row' }, r.touchpoint.name),
        h('td', { class: `num cmp-pct ${tone(r.compliance, 95, 80)}`, dataset: { label: 'Compliance' } }, pct(r.compliance)),
        h('td', { class: 'num', dataset: { label: 'Checks' } }, String(r.checks || 0)),
        h('td', { class: `num${r.deal_breakers_failed ? ' is-poor' : ''}`, dataset: { label: 'Deal-breakers failed' } }, String(r.deal_breakers_failed || 0)),
        h('td', { class: `num${r.overdue ? ' is-fair' : ''}`, dataset: { label: 'Overdue' } }, String(r.overdue || 0)),
        h('td', { class: `num cmp-guests ${csat === null ? '' : tone(csat, 4, 2.5)}`, dataset: { label: 'Guests’ rating' } },
          csat === null ? '—' : `${csat.toFixed(1)} / 5`,
          f.ratings ? h('span', { class: 'cmp-sub' }, `${f.ratings} rating${f.ratings === 1 ? '' : 's'}`) : null),
        h('td', { class: `cmp-guests ${sentiment === null ? '' : sentiment <= -0.2 ? 'is-poor' : sentiment >= 0.2 ? 'is-good' : 'is-fair'}`, dataset: { label: 'Comments' } },
          f.comments ? `${f.comments} · ${sentimentWord(sentiment)}` : '—'));
    }));
    show(table, list.length > 0);
    show(tableEmpty, list.length === 0);
  }

  async function load() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    show(failed, false);
    show(statusEl, body.hidden);
    try {
      const query = { location_id: locationId, interval: interval.value };
      const days = RANGE_DAYS[interval.value];
      if (days) {
        const to = Date.now();
        query.to = iso(to);
        query.from = iso(to - days * DAY_MS);
      }
      const [data, mod] = await Promise.all([
        api.get('/insights/standards', { query, signal: mine.signal }),
        charts ? Promise.resolve(charts) : import('./compliance-charts.js'),
      ]);
      charts = mod;
      if (controller !== mine) return;
      show(body, true);
      renderTiles(data.total);
      renderTable(data.touchpoints);
      charts.render(data, complianceBox, problemsBox);
    } catch (err) {
      if (isAbort(err) || controller !== mine) return;
      if (err.status === 401) return;
      setText(failedText, `Couldn’t load compliance: ${err.message}`);
      show(failed, true);
    } finally {
      if (controller === mine) {
        controller = null;
        show(statusEl, false);
      }
    }
  }

  interval.addEventListener('change', load);
  retry.addEventListener('click', load);

  return {
    open(id) {
      locationId = id;
      load();
    },
    close() {
      if (controller) controller.abort();
      controller = null;
      if (charts) charts.destroy();
    },
  };
}
