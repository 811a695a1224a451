// voucher-reports.js — the voucher office's reports (#/vouchers/reports;
// /api/v1/voucher-reports…, docs/vouchers.md "Reports"): amounts per fund,
// budget line, call, provider or month, with a bar chart of committed,
// spent, expired and available; the cost per completed module and per
// credential; the vouchers still outstanding by month of expiry. Every
// figure comes summed from the ledger; the method and the source are shown.

import { h, append, replace, newId } from '../dom.js';
import { t, tmsg, lang, locale } from '../i18n.js';
import { get, apiUrl } from '../api.js';
import { pageTitle, int, errorBox, loading, table } from '../ui.js';
import { chartFigure, axisName, shortLabel } from '../charts.js';

export const routes = [{ path: 'vouchers/reports', nav: 'voucher-reports' }];

const BYS = ['fund', 'line', 'call', 'provider', 'month'];
const COLUMNS = ['allocated', 'issued', 'committed', 'redeemed', 'paid', 'expired', 'available'];
// lab time paid by voucher (part of redeemed and paid), in a table of its own below the amounts
const LAB_COLUMNS = ['lab_charged', 'lab_paid', 'lab_outstanding'];
// the chart: what the money is doing now (allocated = available + committed + redeemed)
// committed + spent + available make the allocation (one stacked bar); expired or cancelled money went back
// to available, so it is a bar of its own next to it, not a part of the stack
const CHART = [
  { key: 'committed', colour: '#1f5f99', stack: 'allocated' },
  { key: 'redeemed', colour: '#1b7a3a', stack: 'allocated' },
  { key: 'available', colour: '#6b6b6b', stack: 'allocated' },
  { key: 'expired', colour: '#b3261e', stack: 'returned' },
];

/** Minor units of currency as money in the page's language; '–' for null (not applicable). */
function money(minor, currency) {
  if (minor === null || minor === undefined) return h('span', { class: 'muted', title: t('vrep.not_applicable') }, '–');
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(minor / 100);
  } catch (_) {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

const PURPOSES = /\b(learning_module|lab_time|community_facilitation|business_support)\b/g;

/** A budget line's label ("FUND · purpose YEAR (name)") with its purpose in the page's language. */
function lineLabel(label) {
  return label.replace(PURPOSES, (p) => t(`calls.purpose_${p}`));
}

function rowLabel(by, r) {
  if (r.key === 'total') return `${t('vrep.total')} ${r.currency}`;
  if (by === 'call') return lang() === 'ro' ? r.label_ro : r.label;
  if (by === 'line') return lineLabel(r.label);
  return r.label;
}

function methodBox(doc) {
  return h('div', { class: 'note method' },
    h('p', {}, h('strong', {}, `${t('vrep.method')}: `), tmsg(doc.method)),
    h('p', {}, h('strong', {}, `${t('vrep.source')}: `), tmsg(doc.source.text),
      doc.source.last_hash ? ` (${t('vrep.last_hash')} ${doc.source.last_hash.slice(0, 12)}…)` : ''));
}

function csvLinks(path, params, name) {
  return h('div', { class: 'export', role: 'group', 'aria-label': t('export.label') },
    h('a', { class: 'btn-small', href: apiUrl(path, { ...params, format: 'csv' }), download: `${name}.csv` }, t('export.csv')),
    h('a', { class: 'btn-small', href: apiUrl(path, params), download: `${name}.json` }, t('export.json')));
}

/** One chart per currency (money of two currencies is never on one axis). */
function amountsCharts(by, rows) {
  const currencies = [...new Set(rows.map((r) => r.currency))];
  return currencies.map((c) => amountsChart(by, rows.filter((r) => r.currency === c), c));
}

function amountsChart(by, rows, currency) {
  const same = rows.filter((r) => CHART.some((s) => r.amounts[`${s.key}_minor`] !== null));
  if (!same.length) return null;
  const narrow = window.innerWidth < 600;
  const labels = same.map((r) => shortLabel(rowLabel(by, r), narrow ? 16 : 28));
  const series = CHART.filter((s) => same.some((r) => r.amounts[`${s.key}_minor`] !== null));
  return chartFigure({
    caption: t('vrep.chart_caption', { currency }),
    description: t('vrep.chart_description', { by: t(`vrep.by_${by}`).toLowerCase() }),
    height: Math.max(240, 90 + same.length * 64),
    option: () => ({
      grid: { left: 8, right: 24, top: narrow ? 64 : 36, bottom: 40, containLabel: true },
      legend: { top: 0, data: series.map((s) => t(`vrep.col_${s.key}`)) },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', ...axisName(t('vrep.axis_amount', { currency })), splitNumber: narrow ? 3 : 5,
        axisLabel: { hideOverlap: true, formatter: (v) => new Intl.NumberFormat(locale(), { notation: 'compact' }).format(v) } },
      yAxis: { type: 'category', data: labels, inverse: true },
      series: series.map((s) => ({
        name: t(`vrep.col_${s.key}`),
        type: 'bar',
        stack: s.stack,
        itemStyle: { color: s.colour },
        data: same.map((r) => (r.amounts[`${s.key}_minor`] ?? 0) / 100),
      })),
    }),
  });
}

async function loadAmounts(box, by, ctx) {
  replace(box, loading());
  try {
    const res = await get('/voucher-reports', { by });
    if (!ctx.isCurrent()) return;
    const rows = [...res.rows, ...res.totals];
    const cols = [{ key: 'label', label: t(`vrep.by_${by}`), render: (r) => rowLabel(by, r) },
      { key: 'vouchers', label: t('vrep.col_vouchers'), num: true, render: (r) => (r.vouchers === null ? '–' : int(r.vouchers)) }]
      .concat(COLUMNS.map((c) => ({ key: c, label: t(`vrep.col_${c}`), num: true,
        render: (r) => money(r.amounts[`${c}_minor`], r.currency) })));
    const labCols = [cols[0]].concat(LAB_COLUMNS.map((c) => ({ key: c, label: t(`vrep.col_${c}`), num: true,
      render: (r) => money(r.amounts[`${c}_minor`], r.currency) })));
    const anyLab = res.totals.some((r) => r.amounts.lab_charged_minor);
    replace(box,
      res.rows.length
        ? table(t('vrep.amounts_caption', { by: t(`vrep.by_${by}`).toLowerCase() }), cols, rows, { className: 'voucher-report' })
        : h('p', { class: 'empty' }, t('vrep.no_rows')),
      res.rows.length && anyLab
        ? table(t('vrep.lab_caption', { by: t(`vrep.by_${by}`).toLowerCase() }), labCols, rows, { className: 'voucher-report-lab' })
        : null,
      res.rows.length ? h('p', { class: 'note' }, anyLab ? t('vrep.lab_note') : t('vrep.lab_none')) : null,
      ...amountsCharts(by, res.rows),
      h('p', { class: 'note' }, t('vrep.identity')),
      methodBox(res),
      csvLinks('/voucher-reports', { by }, `fow-voucher-report-${by}`));
  } catch (err) {
    if (ctx.isCurrent()) replace(box, errorBox(err));
  }
}

async function loadCosts(box, ctx) {
  try {
    const res = await get('/voucher-reports/costs');
    if (!ctx.isCurrent()) return;
    const rows = [...res.rows, ...res.totals];
    const title = (r) => (r.module === 'total' ? t('vrep.total') : `${r.module} — ${r.title[lang()] || r.title.en}`);
    const cols = [
      { key: 'module', label: t('vrep.col_module'), render: title },
      { key: 'completions', label: t('vrep.col_completions'), num: true, render: (r) => int(r.completions) },
      { key: 'cpc', label: t('vrep.col_cost_per_completion'), num: true, render: (r) => money(r.cost_per_completion_minor, r.currency) },
      { key: 'credentials', label: t('vrep.col_credentials'), num: true, render: (r) => int(r.credentials) },
      { key: 'cpcr', label: t('vrep.col_cost_per_credential'), num: true, render: (r) => money(r.cost_per_credential_minor, r.currency) },
      { key: 'waiting', label: t('vrep.col_waiting'), num: true, render: (r) => int(r.waiting) },
      { key: 'waiting_minor', label: t('vrep.col_waiting_amount'), num: true, render: (r) => money(r.waiting_minor, r.currency) },
    ];
    replace(box,
      res.rows.length ? table(t('vrep.costs_caption'), cols, rows, { className: 'voucher-costs' })
        : h('p', { class: 'empty' }, t('vrep.no_redemptions')),
      res.credentials_read ? null : h('p', { class: 'note' }, t('vrep.credentials_unread')),
      methodBox(res),
      csvLinks('/voucher-reports/costs', {}, 'fow-voucher-costs'));
  } catch (err) {
    if (ctx.isCurrent()) replace(box, errorBox(err));
  }
}

async function loadOutstanding(box, ctx) {
  try {
    const res = await get('/voucher-reports/outstanding');
    if (!ctx.isCurrent()) return;
    const months = [...res.by_month, ...res.totals];
    const monthCols = [
      { key: 'month', label: t('vrep.col_expiry_month'), render: (m) => (m.month === 'total' ? t('vrep.total') : m.month) },
      { key: 'vouchers', label: t('vrep.col_vouchers'), num: true, render: (m) => int(m.vouchers) },
      { key: 'amount', label: t('vrep.col_holding'), num: true, render: (m) => money(m.amount_minor, m.currency) },
      { key: 'past', label: t('vrep.col_past_last_day'), num: true, render: (m) => int(m.past_last_day) },
    ];
    const parts = [
      res.by_month.length ? table(t('vrep.outstanding_caption', { today: res.today }), monthCols, months, { className: 'voucher-outstanding' })
        : h('p', { class: 'empty' }, t('vrep.none_outstanding')),
    ];
    if (Array.isArray(res.vouchers) && res.vouchers.length) {
      const listCols = [
        { key: 'id', label: t('vrep.col_voucher'), render: (v) => `#${v.id}` },
        { key: 'valid_until', label: t('vrep.col_last_day'), render: (v) => v.valid_until },
        { key: 'status', label: t('vrep.col_status'), render: (v) => t(`vrep.status_${v.status}`) },
        { key: 'balance', label: t('vrep.col_holding'), num: true, render: (v) => money(v.balance_minor, v.currency) },
        { key: 'line', label: t('vrep.col_line'), render: (v) => lineLabel(v.line) },
        { key: 'past', label: t('vrep.col_note'), render: (v) => (v.past_last_day ? t('vrep.past_last_day') : '–') },
      ];
      parts.push(h('details', { class: 'section' },
        h('summary', {}, t('vrep.list_summary', { n: res.vouchers.length })),
        table(t('vrep.list_caption'), listCols, res.vouchers, { className: 'voucher-list' })));
    } else if (res.vouchers === null) {
      parts.push(h('p', { class: 'note' }, t('vrep.list_office_only')));
    }
    parts.push(methodBox(res), csvLinks('/voucher-reports/outstanding', {}, 'fow-vouchers-outstanding'));
    replace(box, ...parts);
  } catch (err) {
    if (ctx.isCurrent()) replace(box, errorBox(err));
  }
}

export async function render(main, ctx) {
  ctx.setTitle(t('vrep.title'));
  const selectId = newId('vrep-by');
  const asked = ctx.query.get('by');
  const by = BYS.includes(asked) ? asked : 'fund';
  const choose = h('select', { id: selectId }, BYS.map((b) => h('option', { value: b }, t(`vrep.by_${b}`))));
  choose.value = by;
  const amounts = h('div', { 'aria-live': 'polite' }, loading());
  const costs = h('div', {}, loading());
  const outstanding = h('div', {}, loading());
  append(main,
    pageTitle(t('vrep.title'), t('vrep.lead')),
    h('section', { class: 'section', 'aria-labelledby': 'vrep-a' },
      h('h2', { id: 'vrep-a' }, t('vrep.amounts_title')),
      h('div', { class: 'field' }, h('label', { for: selectId }, t('vrep.by')), choose),
      amounts),
    h('section', { class: 'section', 'aria-labelledby': 'vrep-c' },
      h('h2', { id: 'vrep-c' }, t('vrep.costs_title')),
      costs),
    h('section', { class: 'section', 'aria-labelledby': 'vrep-o' },
      h('h2', { id: 'vrep-o' }, t('vrep.outstanding_title')),
      outstanding));
  choose.addEventListener('change', () => ctx.go('vouchers/reports', { by: choose.value }));
  await Promise.all([loadAmounts(amounts, by, ctx), loadCosts(costs, ctx), loadOutstanding(outstanding, ctx)]);
}
