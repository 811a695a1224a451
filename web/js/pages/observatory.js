// observatory.js — how much of an area's employment is vulnerable to
// automation (GET /observatory): the headline figures, each with its
// method and source; a breakdown by ISCO group, sector, sex, age,
// education or occupation group as stacked bars by risk category; a
// treemap of employment by ISCO group coloured by risk; location quotients
// against a reference area; the change from another year and the share at
// high risk over every year of the area; and the transitions at scale of
// its high-risk workers (GET /observatory/at-scale). Every table has a CSV
// link to the same answer of the API (format=csv&table=…).

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp, has } from '../i18n.js';
import { get } from '../api.js';
import { num, int, pct, text, errorBox, table, iscoLabel, groupLabel } from '../ui.js';
import { chartFigure, shortLabel, axisName, COLOURS } from '../charts.js';
import { commissionSection } from './commission-section.js';
import {
  chooseArea, chooseModel, areaYearFields, modelField, selectField, illustrativeBanner, csvLink, withCsv,
  methodList, methodText, sourcesList, compact, categoryLabel, categoryColour, canImportEmployment, yearsOf, yearOptions,
  rankedTable, loadInto, areasPage, noEstimatesWarning, factItem, yearChart, foldSection, narrowScreen,
} from './observe-common.js';

const BREAKDOWNS = ['major', 'submajor', 'sector', 'sex', 'age', 'education', 'group'];


/* The risk model's scale in the page's language (the API's text for a model it does not know). */
function scaleText(res) {
  if (res.model === 'mcc') return t('occ.scale_mcc');
  if (res.model === 'frey-osborne') return t('occ.scale_fo');
  return res.scale || '';
}

function readState(q, areas) {
  const { area, year } = chooseArea(areas, q);
  const by = BREAKDOWNS.includes(q.get('by')) ? q.get('by') : 'major';
  const years = yearsOf(area);
  const cy = parseInt(q.get('compare_year'), 10);
  const compareYear = years.includes(cy) && cy !== year ? cy : null;
  const reference = areas.find((a) => a.area === q.get('reference') && a !== area) || null;
  const ry = parseInt(q.get('reference_year'), 10);
  const referenceYear = reference && yearsOf(reference).includes(ry) ? ry : null;
  const minMoves = parseInt(q.get('min_moves'), 10);
  return {
    area, year, by, model: chooseModel(q), compareYear, reference, referenceYear,
    minMoves: Number.isFinite(minMoves) && minMoves >= 1 && minMoves <= 50 ? minMoves : 3,
  };
}

/** The query of the API for a state. */
function apiParams(s) {
  return {
    area: s.area.area, year: s.year, model: s.model, by: s.by,
    compare_year: s.compareYear, reference: s.reference ? s.reference.area : null, reference_year: s.referenceYear,
  };
}

/** The hash query for a state (defaults left out). */
function hashQuery(s) {
  return {
    area: s.area.area, year: s.year, model: s.model === 'mcc' ? null : s.model, by: s.by === 'major' ? null : s.by,
    compare_year: s.compareYear, reference: s.reference ? s.reference.area : null, reference_year: s.referenceYear,
    min_moves: s.minMoves === 3 ? null : s.minMoves,
  };
}

function fileName(s, what) {
  return `fow-observatory-${s.area.area}-${s.year}-${what}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** A signed change in percentage points. */
function pp(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return text(null);
  return t('obs.pp', { v: num(v, 1, { fmt: { signDisplay: 'exceptZero' } }) });
}

function signed(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return text(null);
  return num(v, digits, { fmt: { signDisplay: 'exceptZero' } });
}

/* ---- the form ---------------------------------------------------------------- */

function form(areas, s, ctx) {
  const { areaField, yearField } = areaYearFields(areas, s.area, s.year);
  const model = modelField(s.model);
  const by = selectField({
    label: t('obs.by'), name: 'by', value: s.by,
    options: BREAKDOWNS.map((b) => ({ value: b, label: t(`obs.by_${b}`) })),
  });
  // the year to compare with: a year of the area chosen above
  const compare = selectField({ label: t('obs.compare_year'), name: 'compare_year', value: s.compareYear ?? '', options: [] });
  const fillCompare = (keep) => {
    const a = areas.find((x) => x.area === areaField.select.value);
    const ys = yearsOf(a);
    replace(compare.select,
      h('option', { value: '', selected: !ys.includes(Number(keep)) }, t('obs.no_compare')),
      yearOptions(ys, keep));
  };
  fillCompare(s.compareYear ?? '');
  areaField.select.addEventListener('change', () => fillCompare(''));
  const ref = areaYearFields(areas, s.reference, s.referenceYear ?? '', {
    areaName: 'reference', yearName: 'reference_year', areaLabel: t('obs.reference'), yearLabel: t('obs.reference_year'),
    noneArea: t('obs.no_reference'), sameYear: t('obs.same_year'),
  });
  if (!s.reference) ref.areaField.select.value = '';
  const f = h('form', { class: 'panel obs-form', novalidate: true, 'aria-label': t('obs.form_label') },
    h('fieldset', { class: 'filters' }, h('legend', {}, t('obs.what')),
      areaField.element, yearField.element, model.element, by.element),
    h('fieldset', { class: 'filters' }, h('legend', {}, t('obs.compare_legend')),
      compare.element, ref.areaField.element, ref.yearField.element),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('obs.submit'))));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fd = new FormData(f);
    const area = areas.find((a) => a.area === fd.get('area'));
    const next = {
      area, year: Number(fd.get('year')), model: fd.get('model'), by: fd.get('by'),
      compareYear: fd.get('compare_year') ? Number(fd.get('compare_year')) : null,
      reference: areas.find((a) => a.area === fd.get('reference')) || null,
      referenceYear: fd.get('reference_year') ? Number(fd.get('reference_year')) : null,
      minMoves: s.minMoves,
    };
    if (next.compareYear === next.year) next.compareYear = null;
    ctx.go('observatory', hashQuery(next));
  });
  return f;
}

/* ---- headline figures ----------------------------------------------------------- */

/**
 * The methods of a headline figure: the named texts of the answer's method
 * in the page's language, one after the other; a text the strings do not
 * know stays as the API gives it, marked as English.
 */
function methodOf(res, names) {
  const m = res.method || {};
  const parts = names.filter((k) => typeof m[k] === 'string' && m[k])
    .map((k) => methodText('observatory', k, m[k], res.model));
  if (!parts.length) return text(null);
  return parts.map((p, i) => [i ? ' ' : null, p.lang ? h('span', { lang: p.lang }, p.text) : p.text]);
}

function fact({ id, label, value, extra, method, sources }) {
  return factItem(id, label, value, extra,
    h('dl', { class: 'fact-method' },
      h('dt', {}, t('obs.method')), h('dd', {}, method),
      h('dt', {}, t('obs.source')), h('dd', { lang: 'en', 'data-name': '' }, sources)));
}

function headline(res, s) {
  const tot = res.total || {};
  const src = res.sources || {};
  const both = [src.employment, src.risk].filter(Boolean).join('; ') || text(null);
  const ch = tot.change;
  const lq = tot.lq;
  const refName = res.reference ? `${res.reference.area} ${res.reference.year}` : '';
  return h('ul', { class: 'obs-facts', 'aria-label': t('obs.headline') },
    fact({
      id: 'share-high',
      label: t('obs.fact_share_high', { model: t(`model.${res.model}`) }),
      value: pct(tot.share_high, 1),
      extra: [
        tp('obs.fact_share_high_of', tot.with_estimate),
        ch ? t('obs.fact_change', { pp: pp(ch.share_high_change_pp), year: res.compare_year, then: pct(ch.share_high, 1) }) : null,
        lq ? t('obs.fact_lq', { lq: num(lq.lq_high_risk, 2), ref: refName, share: pct(lq.reference_share_high, 1) }) : null,
      ],
      method: methodOf(res, ['shares', 'categories']),
      sources: both,
    }),
    fact({
      id: 'mean-risk',
      label: t('obs.fact_mean_risk'),
      value: num(tot.mean_risk, res.model === 'frey-osborne' ? 3 : 2),
      extra: [
        res.scale ? t('obs.fact_scale', { scale: scaleText(res) }) : null,
        ch ? t('obs.fact_mean_change', { d: signed(ch.mean_risk_change, 3), year: res.compare_year }) : null,
      ],
      method: methodOf(res, ['shares']),
      sources: src.risk || text(null),
    }),
    fact({
      id: 'employed',
      label: t('obs.fact_employed'),
      value: int(tot.employed),
      extra: [
        tp('obs.fact_no_estimate', tot.no_estimate),
        ch ? tp('obs.fact_employed_change', Math.abs(ch.employed_change), { d: signed(ch.employed_change), year: res.compare_year }) : null,
      ],
      method: methodOf(res, ['counting']),
      sources: src.employment || text(null),
    }),
    fact({
      id: 'masked',
      label: t('obs.fact_masked'),
      value: int(res.masked_rows ?? tot.masked_rows),
      extra: [tp('obs.fact_masked_of', res.rows ?? tot.rows)],
      method: methodOf(res, ['counting']),
      sources: src.employment || text(null),
    }));
}

/* ---- the breakdown -------------------------------------------------------------- */

/* The name of a breakdown cell in the page's language where fow knows it (NACE sections, ISCO-08
 * major groups, sex codes, occupation groups); other ISCO labels are the taxonomy's own. */
function cellName(c) {
  if (!c.key && !c.label) return t('obs.total');
  const local = c.by && c.key && has(`obs.cell_${c.by}_${c.key}`) ? t(`obs.cell_${c.by}_${c.key}`) : null;
  if (local) return c.by === 'sector' || c.by === 'major' ? `${c.key} ${local}` : local;
  if (!c.label || c.label === c.key) return c.key || t('obs.not_given');
  return c.key && /^[\dA-U]{1,2}$/.test(c.key) ? `${c.key} ${c.label}` : c.label;
}

/* cellName as a node: a label of the taxonomy (an ISCO group's title) is marked as one. */
function cellNode(c) {
  const local = c.by && c.key && has(`obs.cell_${c.by}_${c.key}`);
  return local || !c.label || c.label === c.key ? cellName(c) : iscoLabel(cellName(c));
}

function shareOf(cell, cat) {
  const c = (cell.categories || []).find((x) => x.category === cat);
  return c ? c.share : null;
}

function breakdownChart(res) {
  const cats = res.categories || [];
  const cells = [{ ...res.total, key: '', label: t('obs.total') }, ...(res.breakdown || [])];
  const names = cells.map((c) => (c === cells[0] ? t('obs.total') : cellName(c)));
  const narrow = window.matchMedia('(max-width: 600px)').matches;
  const high = cats.find((c) => /^high/i.test(c));
  const description = tp('obs.bars_description', cells.length - 1, {
    list: cells.slice(1, 6).map((c, i) => `${names[i + 1]}: ${pct(shareOf(c, high), 0)}`).join('; '),
  });
  return chartFigure({
    caption: t('obs.bars_caption', { by: t(`obs.by_${res.by}`) }),
    description,
    height: Math.max(220, 70 + cells.length * (narrow ? 30 : 28)),
    option: () => ({
      aria: { enabled: false },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        valueFormatter: (v) => pct(v / 100, 1),
      },
      legend: { top: 0, textStyle: { color: '#1d232b' } },
      grid: { left: 8, right: 16, top: narrow ? 60 : 36, bottom: 36, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: (v) => pct(v / 100, 0), color: '#1d232b' }, ...axisName(t('chart.share_axis')) },
      yAxis: {
        type: 'category', inverse: true, data: names,
        axisLabel: { color: '#1d232b', formatter: (v) => shortLabel(v, narrow ? 16 : 38) },
      },
      series: cats.map((cat) => ({
        name: categoryLabel(cat),
        type: 'bar', stack: 'share', barMaxWidth: 22,
        itemStyle: { color: categoryColour(cat) },
        data: cells.map((c) => {
          const v = shareOf(c, cat);
          return v === null ? null : Math.round(v * 1000) / 10;
        }),
      })),
    }),
  });
}

/** The summary of the breakdown: the cell with the highest share at high risk. */
function breakdownSummary(res) {
  const high = (res.categories || []).find((c) => /^high/i.test(c));
  let best = null;
  for (const c of res.breakdown || []) {
    const v = shareOf(c, high);
    if (v !== null && (!best || v > best.v)) best = { c, v };
  }
  return best ? t('chart.fold_by', { cell: cellName(best.c), share: pct(best.v, 1) }) : '';
}

function breakdownTable(res) {
  const cats = res.categories || [];
  const rows = res.breakdown || [];
  const anyChange = rows.some((r) => r.change) || !!res.total.change;
  const anyLq = rows.some((r) => r.lq) || !!res.total.lq;
  const all = [{ ...res.total, key: '', label: '', isTotal: true, share_of_employment: 1 }, ...rows];
  const cols = [
    { key: 'label', label: t(`obs.by_${res.by}`), render: (r) => (r.isTotal ? h('strong', {}, t('obs.total')) : cellNode(r)) },
    { key: 'employed', label: t('obs.col_employed'), num: true, render: (r) => int(r.employed) },
    { key: 'share_of_employment', label: t('obs.col_share_employment'), num: true, render: (r) => pct(r.share_of_employment, 1) },
    ...cats.map((cat) => ({ key: cat, label: categoryLabel(cat, true), num: true, render: (r) => pct(shareOf(r, cat), 1) })),
    { key: 'mean_risk', label: t('obs.col_mean_risk'), num: true, render: (r) => num(r.mean_risk, res.model === 'frey-osborne' ? 3 : 2) },
    { key: 'no_estimate', label: t('obs.col_no_estimate'), num: true, render: (r) => int(r.no_estimate) },
    { key: 'masked_rows', label: t('obs.col_masked'), num: true, render: (r) => int(r.masked_rows) },
  ];
  if (anyChange) {
    cols.push({ key: 'change', label: t('obs.col_change', { year: res.compare_year }), num: true, render: (r) => (r.change ? pp(r.change.share_high_change_pp) : text(null)) });
    cols.push({ key: 'employed_change', label: t('obs.col_employed_change'), num: true, render: (r) => (r.change ? signed(r.change.employed_change) : text(null)) });
  }
  if (anyLq) {
    cols.push({ key: 'lq_high', label: t('obs.col_lq_high'), num: true, render: (r) => (r.lq ? num(r.lq.lq_high_risk, 2) : text(null)) });
    cols.push({ key: 'lq_emp', label: t('obs.col_lq_employment'), num: true, render: (r) => (r.lq ? num(r.lq.lq_employment, 2) : text(null)) });
  }
  return table(t('obs.breakdown_caption', { by: t(`obs.by_${res.by}`), area: res.area, year: res.year }), cols, all,
    { className: 'breakdown-table' });
}

/** The definitions of the occupation groups (GET /occupation-groups), filled in when they come. */
function groupDefinitions() {
  const box = h('details', { class: 'table-details group-definitions' }, h('summary', {}, t('obs.groups_title')));
  get('/occupation-groups').then((res) => {
    append(box, h('dl', { class: 'method-list' }, (res.groups || []).map((g) => [
      h('dt', { lang: 'en', 'data-name': '' }, text(g.title || g.name)),
      h('dd', {}, h('span', { lang: 'en', 'data-name': '' }, text(g.source)), h('br'),
        t('obs.groups_codes', { codes: (g.codes || []).join(', ') })),
    ])));
  }).catch((err) => append(box, errorBox(err)));
  return box;
}

/* ---- the treemap ------------------------------------------------------------------ */

/** The units (rows of the table) added up by ISCO code, with the employment-weighted risk. */
function unitsByCode(units) {
  const map = new Map();
  for (const u of units || []) {
    if (u.employed === null || u.employed === undefined) continue;
    const code = u.code || u.occupation_uri || '?';
    let g = map.get(code);
    if (!g) {
      g = { code: u.code || '', label: u.label || code, employed: 0, riskSum: 0, riskW: 0, highSum: 0, highW: 0, rows: 0 };
      map.set(code, g);
    }
    g.rows += 1;
    g.employed += u.employed;
    if (typeof u.risk === 'number') { g.riskSum += u.risk * u.employed; g.riskW += u.employed; }
    if (typeof u.share_high === 'number') { g.highSum += u.share_high * u.employed; g.highW += u.employed; }
  }
  return [...map.values()].map((g) => ({
    code: g.code, label: g.label, employed: g.employed, rows: g.rows,
    risk: g.riskW ? g.riskSum / g.riskW : null,
    share_high: g.highW ? g.highSum / g.highW : null,
  })).sort((a, b) => b.employed - a.employed);
}

function treemap(groups, res) {
  const risks = groups.map((g) => g.risk).filter((r) => typeof r === 'number');
  if (!risks.length) return null;
  const fo = res.model === 'frey-osborne';
  const min = fo ? 0 : Math.floor(Math.min(...risks) * 2) / 2;
  const max = fo ? 1 : Math.ceil(Math.max(...risks) * 2) / 2;
  const byMajor = new Map();
  for (const g of groups) {
    const major = g.code ? g.code[0] : '?';
    if (!byMajor.has(major)) byMajor.set(major, []);
    byMajor.get(major).push(g);
  }
  const narrow = window.matchMedia('(max-width: 600px)').matches;
  const data = [...byMajor.entries()].sort().map(([major, list]) => ({
    name: major === '?' ? t('obs.isco_unknown') : `${major} ${t(`isco.major.${major}`)}`,
    value: list.reduce((a, g) => a + g.employed, 0),
    children: list.map((g) => ({
      name: g.code ? `${g.code} ${g.label}` : g.label,
      value: [g.employed, g.risk ?? (fo ? 0 : min), g.share_high],
      risk: g.risk,
      share: g.share_high,
    })),
  }));
  const top = groups.slice(0, 5).map((g) => `${g.code} ${g.label}: ${int(g.employed)}`).join('; ');
  return chartFigure({
    caption: t('obs.treemap_caption', { scale: scaleText(res) }),
    description: tp('obs.treemap_description', groups.length, { list: top }),
    height: narrow ? 420 : 520,
    option: () => ({
      aria: { enabled: false },
      tooltip: {
        formatter: (p) => {
          const d = p.data || {};
          if (d.children) return `${p.name}<br>${t('obs.col_employed')}: ${int(d.value)}`;
          return `${p.name}<br>${t('obs.col_employed')}: ${int(d.value[0])}<br>${t('obs.col_mean_risk')}: ${num(d.risk, fo ? 3 : 2)}`
            + `<br>${categoryLabel(fo ? 'high' : 'High risk')}: ${pct(d.share, 0)}`;
        },
      },
      visualMap: {
        type: 'continuous', min, max, dimension: 1, seriesIndex: 0, calculable: false,
        orient: 'horizontal', left: 'center', bottom: 0, itemWidth: 12, itemHeight: narrow ? 140 : 200,
        text: [t('obs.risk_higher'), t('obs.risk_lower')], textStyle: { color: '#1d232b' },
        inRange: { color: ['#cfe8d6', '#f7ecb5', '#f2b8ae', '#e0857a'] },
      },
      series: [{
        type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false },
        top: 4, left: 4, right: 4, bottom: 48,
        visualDimension: 1,
        label: { show: true, color: '#1d232b', fontSize: narrow ? 10 : 12, formatter: (p) => shortLabel(p.name, narrow ? 14 : 28) },
        upperLabel: { show: true, height: 20, color: '#ffffff', backgroundColor: COLOURS.primary, formatter: (p) => shortLabel(p.name, narrow ? 20 : 60) },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1, gapWidth: 1 },
        levels: [
          { itemStyle: { borderWidth: 0, gapWidth: 3 }, upperLabel: { show: false } },
          { itemStyle: { borderColor: COLOURS.primary, borderWidth: 2, gapWidth: 1 } },
          { itemStyle: { borderColor: '#ffffff', borderWidth: 1, gapWidth: 1 } },
        ],
        data,
      }],
    }),
  });
}

function unitsTable(groups, res) {
  return table(t('obs.units_caption', { area: res.area, year: res.year }), [
    { key: 'code', label: t('obs.col_isco'), render: (r) => text(r.code) },
    { key: 'label', label: t('obs.col_occupation'), render: (r) => groupLabel(r) },
    { key: 'employed', label: t('obs.col_employed'), num: true, render: (r) => int(r.employed) },
    { key: 'risk', label: t('obs.col_mean_risk'), num: true, render: (r) => num(r.risk, res.model === 'frey-osborne' ? 3 : 2) },
    { key: 'share_high', label: t('obs.col_share_high'), num: true, render: (r) => pct(r.share_high, 0) },
  ], groups, { className: 'units-table' });
}

/* ---- the distribution ----------------------------------------------------------------- */

function distribution(res) {
  const d = res.distribution;
  if (!d || !(d.bins || []).length) return null;
  const fo = res.model === 'frey-osborne';
  const digits = fo ? 2 : 2;
  const names = d.bins.map((b) => `${num(b.from, digits)}–${num(b.to, digits)}`);
  return {
    chart: chartFigure({
      caption: t('obs.dist_caption'),
      description: tp('obs.dist_description', d.bins.length),
      height: 290,
      option: () => ({
        aria: { enabled: false },
        tooltip: { trigger: 'axis', valueFormatter: (v) => int(v) },
        grid: { left: 34, right: 16, top: 16, bottom: 40, containLabel: true },
        xAxis: {
          type: 'category', data: names, axisLabel: { color: '#1d232b', rotate: 45, fontSize: 10 },
          ...axisName(t('chart.dist_axis', { scale: scaleText(res) }), { gap: 52 }),
        },
        yAxis: { type: 'value', axisLabel: { color: '#1d232b', formatter: compact }, ...axisName(t('obs.col_employed'), { gap: 40, vertical: true }) },
        series: [{ type: 'bar', name: t('obs.col_employed'), data: d.bins.map((b) => b.employed), itemStyle: { color: COLOURS.accent } }],
      }),
    }),
    table: table(t('obs.dist_table_caption'), [
      { key: 'from', label: t('obs.col_from'), num: true, render: (r) => num(r.from, 3) },
      { key: 'to', label: t('obs.col_to'), num: true, render: (r) => num(r.to, 3) },
      { key: 'employed', label: t('obs.col_employed'), num: true, render: (r) => int(r.employed) },
      { key: 'share', label: t('obs.col_share'), num: true, render: (r) => pct(r.share, 1) },
    ], d.bins),
    method: typeof d.method === 'string' && d.method ? methodText('observatory', 'distribution', d.method, res.model) : null,
  };
}

/* ---- over time ------------------------------------------------------------------------ */

async function trendSection(fold, s, res, ctx) {
  const box = fold.body;
  const series = [{ area: s.area, model: s.model }];
  if (s.reference) series.push({ area: s.reference, model: s.model });
  const fetchArea = (a) => Promise.all(yearsOf(a).map((y) => (y === s.year && a === s.area
    ? Promise.resolve(res)
    : get('/observatory', { area: a.area, year: y, model: s.model }).catch(() => null))));
  const results = await loadInto(box, ctx, () => Promise.all(series.map((x) => fetchArea(x.area))));
  if (!results) return;
  const rows = [];
  series.forEach((x, i) => {
    yearsOf(x.area).forEach((y, j) => {
      const r = results[i][j];
      rows.push({
        area: x.area.area, year: y,
        employed: r ? r.total.employed : null, share_high: r ? r.total.share_high : null, mean_risk: r ? r.total.mean_risk : null,
      });
    });
  });
  const allYears = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const colours = [COLOURS.no, COLOURS.primary];
  const change = res.total.change;
  const shares = rows.filter((r) => r.area === s.area.area && r.share_high !== null);
  const first = shares[0];
  const last = shares[shares.length - 1];
  fold.setSummary(shares.length >= 2 ? t('chart.fold_trend', {
    from: first.year, then: pct(first.share_high, 1), to: last.year, now: pct(last.share_high, 1),
    pp: pp((last.share_high - first.share_high) * 100),
  }) : t('obs.trend_one_year', { area: s.area.area }));
  replace(box,
    h('p', {}, change
      ? t('obs.trend_change', {
        area: res.area, from: res.compare_year, to: res.year, then: pct(change.share_high, 1), now: pct(res.total.share_high, 1),
        pp: pp(change.share_high_change_pp), d: signed(change.employed_change),
      })
      : t('obs.trend_no_compare')),
    yearsOf(s.area).length < 2 ? h('p', { class: 'muted' }, t('obs.trend_one_year', { area: s.area.area })) : yearChart({
      caption: t('obs.trend_caption', { model: t(`model.${s.model}`) }),
      description: t('obs.trend_description', {
        list: rows.map((r) => `${r.area} ${r.year}: ${pct(r.share_high, 1)}`).join('; '),
      }),
      height: 280,
      compact: true,
      years: allYears,
      format: (v) => (v === null || v === undefined ? t('common.unknown') : pct(v / 100, 1)),
      grid: { right: 24, top: 36, left: 34 },
      // from zero: a change of a few tenths of a point must not look like a fall (the change is said in words above)
      yAxis: {
        type: 'value', min: 0, max: (v) => Math.min(100, Math.max(10, Math.ceil(v.max / 10) * 10)),
        axisLabel: { color: '#1d232b', formatter: (v) => pct(v / 100, 0) },
        ...axisName(t('chart.trend_axis'), { gap: 40, vertical: true }),
      },
      series: series.map((x, i) => ({
        name: x.area.area, type: 'line', symbolSize: 8, connectNulls: false,
        itemStyle: { color: colours[i] }, lineStyle: { color: colours[i], width: 3, type: i ? 'dashed' : 'solid' },
        data: allYears.map((y) => {
          const r = rows.find((z) => z.area === x.area.area && z.year === y);
          return r && r.share_high !== null ? Math.round(r.share_high * 1000) / 10 : null;
        }),
      })),
    }),
    table(t('obs.trend_table_caption'), [
      { key: 'area', label: t('obs.area') },
      { key: 'year', label: t('obs.year'), num: true, render: (r) => String(r.year) },
      { key: 'employed', label: t('obs.col_employed'), num: true, render: (r) => int(r.employed) },
      { key: 'share_high', label: t('obs.col_share_high'), num: true, render: (r) => pct(r.share_high, 1) },
      { key: 'mean_risk', label: t('obs.col_mean_risk'), num: true, render: (r) => num(r.mean_risk, s.model === 'frey-osborne' ? 3 : 2) },
    ], rows));
}

/* ---- areas compared ---------------------------------------------------------------------- */

/** How the location quotients are computed, in the page's language. */
function lqMethod(res) {
  const m = typeof res.lq_method === 'string' && res.lq_method
    ? methodText('observatory', 'lq', res.lq_method, res.model) : { text: text(null), lang: null };
  return h('p', { class: 'muted small' }, t('obs.lq_method'), ' ', h('span', { lang: m.lang }, m.text));
}

function compareSection(res) {
  const lq = res.total && res.total.lq;
  if (!res.reference || !lq) return [h('p', { class: 'muted' }, t('obs.compare_none'))];
  const ref = res.reference;
  const rows = (res.breakdown || []).filter((r) => r.lq && typeof r.lq.lq_high_risk === 'number');
  return [
    h('p', { class: 'big', dataset: { lq: String(lq.lq_high_risk) } }, t('obs.compare_text', {
      area: res.area, year: res.year, share: pct(res.total.share_high, 1),
      ref: ref.area, ref_year: ref.year, ref_share: pct(lq.reference_share_high, 1), lq: num(lq.lq_high_risk, 2),
    })),
    lqMethod(res),
    h('p', { class: 'muted small' }, t('obs.source'), ' ', h('span', { lang: 'en', 'data-name': '' }, text(ref.source))),
    !rows.length && (res.breakdown || []).length
      ? h('p', { class: 'lq-none' }, t('obs.lq_none_by', { ref: ref.area, by: t(`obs.by_${res.by}`) })) : null,
    rows.length ? chartFigure({
      caption: t('obs.lq_caption', { ref: ref.area }),
      description: t('obs.lq_description', { list: rows.slice(0, 6).map((r) => `${cellName(r)}: ${num(r.lq.lq_high_risk, 2)}`).join('; ') }),
      height: Math.max(230, 90 + rows.length * 26),
      compact: true,
      option: () => ({
        aria: { enabled: false },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => num(v, 2) },
        grid: { left: 8, right: 24, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: 'value', min: 0, axisLabel: { color: '#1d232b' }, ...axisName(t('chart.lq_axis', { ref: ref.area })) },
        yAxis: { type: 'category', inverse: true, data: rows.map(cellName), axisLabel: { color: '#1d232b', formatter: (v) => shortLabel(v, 26) } },
        series: [{
          type: 'bar', name: t('obs.col_lq_high'), barMaxWidth: 18,
          data: rows.map((r) => ({ value: r.lq.lq_high_risk, itemStyle: { color: r.lq.lq_high_risk > 1 ? COLOURS.no : COLOURS.accent } })),
          markLine: { symbol: 'none', silent: true, lineStyle: { color: '#1d232b', type: 'dashed' }, label: { color: '#1d232b' }, data: [{ xAxis: 1 }] },
        }],
      }),
    }) : null,
  ];
}

/* ---- transitions at scale ------------------------------------------------------------------ */

async function atScale(fold, s, ctx) {
  const box = fold.body;
  const minId = newId('min');
  const minInput = h('input', { id: minId, name: 'min_moves', type: 'number', min: '1', max: '50', step: '1', value: String(s.minMoves), inputmode: 'numeric' });
  const results = h('div', { class: 'scale-results', 'aria-live': 'polite' });
  const f = h('form', { class: 'inline-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: minId }, t('obs.scale_min_moves')), minInput),
    h('button', { type: 'submit', class: 'button secondary' }, t('obs.scale_submit')));
  replace(box, h('p', {}, t('obs.scale_lead')), f, results);

  const run = async () => {
    const params = { area: s.area.area, year: s.year, model: s.model, min_moves: s.minMoves, moves_per_worker: 5, limit: 15 };
    const res = await loadInto(results, ctx, () => get('/observatory/at-scale', params), { busy: true });
    if (!res) return;
    const name = (what) => fileName(s, `at-scale-${what}`);
    const skills = res.skills || [];
    const commissionBox = h('section', { class: 'commission', 'aria-live': 'polite' });
    fold.setSummary(t('chart.fold_scale', {
      workers: int(res.high_risk_workers), share: pct(res.share_with_min_moves, 1), n: res.min_moves ?? s.minMoves,
    }));
    replace(results,
      h('ul', { class: 'obs-facts small-facts', 'aria-label': t('obs.scale_title') },
        factItem('high-risk-workers', t('obs.scale_workers'), int(res.high_risk_workers)),
        factItem('with-min-moves', tp('obs.scale_with_moves', res.min_moves ?? s.minMoves), pct(res.share_with_min_moves, 1),
          [tp('obs.scale_with_moves_n', res.with_min_moves)]),
        factItem('without-moves', t('obs.scale_without'), int(res.without_moves),
          [res.unplaced_because?.no_occupation ? tp('obs.scale_unplaced', res.unplaced_because.no_occupation) : null]),
        factItem('placed', t('obs.scale_placed'), int(res.placed),
          [t('obs.scale_placed_share', { share: pct(res.share_placed, 1) }),
            t('obs.scale_capacity', { share: pct(res.capacity_share, 0), years: tp('count.years', res.capacity_years) })]),
        factItem('unplaced', t('obs.scale_unplaced_total'), int(res.unplaced),
          [t('obs.scale_unplaced_because', {
            room: int(res.unplaced_because?.no_room), none: int(res.unplaced_because?.without_moves),
          })])),
      h('details', { class: 'provenance' }, h('summary', {}, t('obs.method_and_sources')),
        methodList(res.method, 'scale', res.model), sourcesList(res.sources)),
      skills.length ? chartFigure({
        caption: t('obs.scale_skills_chart'),
        description: t('obs.scale_skills_description', { list: skills.slice(0, 5).map((x) => `${x.label} (${int(x.learners)})`).join('; ') }),
        height: Math.max(250, 70 + Math.min(skills.length, 15) * 26),
        option: () => ({
          aria: { enabled: false },
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => int(v) },
          grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
          xAxis: { type: 'value', min: 0, axisLabel: { color: '#1d232b', formatter: compact }, ...axisName(t('obs.col_learners')) },
          yAxis: { type: 'category', inverse: true, data: skills.slice(0, 15).map((x) => x.label), axisLabel: { color: '#1d232b', formatter: (v) => shortLabel(v, 30) } },
          series: [{ type: 'bar', name: t('obs.col_learners'), data: skills.slice(0, 15).map((x) => Math.round(x.learners)), itemStyle: { color: COLOURS.accent }, barMaxWidth: 18 }],
        }),
      }) : null,
      h('h3', {}, t('obs.scale_destinations', { n: int(res.n_destinations) })),
      h('p', { class: 'small' }, t('obs.scale_destinations_hint')),
      withCsv(rankedTable(t('obs.scale_destinations_caption'), 'occupation', [
        ['workers', t('obs.col_placed')], ['wanted', t('obs.col_wanted')], ['capacity', t('obs.col_capacity')],
        ['origins', t('obs.col_origins')],
      ], res.destinations, 'scale-destinations'), csvLink('/observatory/at-scale', params, 'destinations', name('destinations'))),
      h('h3', {}, t('obs.scale_skills', { n: int(res.n_skills) })),
      withCsv(rankedTable(t('obs.scale_skills_caption'), 'skill', [
        ['learners', t('obs.col_learners')], ['origins', t('obs.col_origins')],
      ], skills, 'scale-skills'), csvLink('/observatory/at-scale', params, 'skills', name('skills'))),
      h('h3', {}, t('obs.scale_origins', { n: int(res.n_origins) })),
      withCsv(rankedTable(t('obs.scale_origins_caption'), 'occupation', [
        ['workers', t('obs.col_workers')], ['moves', t('obs.col_moves')],
      ], res.origins, 'scale-origins'), csvLink('/observatory/at-scale', params, 'origins', name('origins'))),
      commissionBox);
    await commissionSection(commissionBox, ctx, { area: params.area, year: params.year, model: params.model });
  };
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const n = parseInt(minInput.value, 10);
    if (!Number.isFinite(n) || n < 1 || n > 50) {
      minInput.setAttribute('aria-invalid', 'true');
      minInput.focus();
      return;
    }
    minInput.removeAttribute('aria-invalid');
    s.minMoves = n;
    // keep the choice in the address without rendering the page anew
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(hashQuery(s))) if (v !== null && v !== undefined) qs.set(k, String(v));
    history.replaceState(null, '', `#/observatory?${qs}`);
    document.getElementById('main').dataset.hash = location.hash; /* the page shows the new address */
    run().then(() => announce(t('obs.scale_updated')));
  });
  await run();
}

/* ---- the page --------------------------------------------------------------------------- */

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'observatory', nav: 'observatory' }];

export async function render(main, ctx) {
  const page = await areasPage(main, ctx, t('obs.title'), t('obs.lead'));
  if (!page) return;
  const { body, areas } = page;
  const s = readState(ctx.query, areas);
  ctx.setTitle(t('obs.title_of', { area: s.area.area, year: s.year }));
  const params = apiParams(s);
  const results = h('div', { class: 'obs-results' });
  const theForm = form(areas, s, ctx);
  replace(body,
    narrowScreen() ? h('details', { class: 'form-fold' }, h('summary', {},
      t('chart.fold_form', { area: s.area.area, year: s.year, model: t(`model.${s.model}`) })), theForm) : theForm,
    canImportEmployment() ? h('p', { class: 'small' }, h('a', { href: '#/admin?kind=employment' }, t('obs.import_link'))) : null,
    results);
  // the treemap and the table of units add up the per-row units, which come only on request (issue 16)
  const res = await loadInto(results, ctx, () => get('/observatory', { ...params, units: true }));
  if (!res) return;
  for (const c of res.breakdown || []) c.by = res.by; /* cellName names the cell by its breakdown */
  const groups = unitsByCode(res.units);
  const dist = distribution(res);
  const name = (what) => fileName(s, what);
  // on a phone the headline figures come first and every other section is folded to its summary
  const open = !narrowScreen();
  const fold = (id, title, summary) => foldSection({ id, title, summary, open });
  const byFold = fold('obs-by-h', t('obs.breakdown_title', { by: t(`obs.by_${res.by}`) }), breakdownSummary(res));
  const treeFold = fold('obs-tree-h', t('obs.treemap_title'), groups.length ? t('chart.fold_tree', {
    n: int(groups.length), top: cellName({ ...groups[0], key: groups[0].code, by: groups[0].code.length === 1 ? 'major' : null }), employed: int(groups[0].employed),
  }) : '');
  const distFold = dist ? fold('obs-dist-h', t('obs.dist_title'), t('chart.fold_dist', { n: int(res.distribution.bins.length) })) : null;
  const lq = res.total && res.total.lq;
  const compareFold = fold('obs-compare-h', t('obs.compare_title'), res.reference && lq
    ? t('chart.fold_compare', { lq: num(lq.lq_high_risk, 2), ref: res.reference.area }) : t('obs.compare_none'));
  const trendFold = fold('obs-trend-h', t('obs.trend_title'), '');
  const scaleFold = fold('obs-scale-h', t('obs.scale_title'), '');
  const illustrative = [res.illustrative ? res.area : null,
    res.reference && res.reference.illustrative ? res.reference.area : null];
  append(byFold.body,
    (res.breakdown || []).length ? breakdownChart(res) : null,
    withCsv(breakdownTable(res), csvLink('/observatory', params, 'breakdown', name(`breakdown-${res.by}`))),
    res.by === 'group' ? groupDefinitions() : null);
  append(treeFold.body,
    treemap(groups, res),
    h('details', { class: 'table-details' }, h('summary', {}, tp('obs.units_show', groups.length)),
      unitsTable(groups, res)),
    h('div', { class: 'export' }, csvLink('/observatory', params, 'units', name('units'), t('obs.csv_units'))));
  if (distFold) {
    append(distFold.body,
      dist.chart,
      h('p', { class: 'muted small' }, t('obs.method'), ' ',
        h('span', { lang: dist.method ? dist.method.lang : null }, dist.method ? dist.method.text : text(null))),
      h('details', { class: 'table-details' }, h('summary', {}, t('obs.dist_show')), dist.table),
      h('div', { class: 'export' }, csvLink('/observatory', params, 'distribution', name('distribution'), t('obs.csv_distribution'))));
  }
  append(compareFold.body, compareSection(res));
  replace(results,
    illustrativeBanner(illustrative),
    noEstimatesWarning(res.total, res),
    h('section', { class: 'section', 'aria-labelledby': 'obs-head-h' },
      h('h2', { id: 'obs-head-h' }, t('obs.headline_title', { area: res.area, year: res.year, model: t(`model.${res.model}`) })),
      headline(res, s),
      h('details', { class: 'provenance' }, h('summary', {}, t('obs.method_and_sources')),
        methodList(res.method, 'observatory', res.model, { lq: res.lq_method, distribution: res.distribution && res.distribution.method }),
        sourcesList(res.sources),
        res.estimates_used ? h('p', { class: 'small' }, t('obs.estimates_used', {
          own: int(res.estimates_used['isco-own']), occ: int(res.estimates_used.occupation),
          agg: int(res.estimates_used.aggregated), none: int(res.estimates_used.none),
        })) : null)),
    open ? null : h('p', { class: 'muted small fold-hint' }, t('chart.fold_hint')),
    byFold.element,
    treeFold.element,
    distFold ? distFold.element : null,
    compareFold.element,
    trendFold.element,
    scaleFold.element);
  announce(t('obs.loaded', { area: res.area, year: res.year }));
  await Promise.all([trendSection(trendFold, s, res, ctx), atScale(scaleFold, s, ctx)]);
}
