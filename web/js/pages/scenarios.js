// scenarios.js — what slow, medium, fast or custom automation would mean
// for an area (GET /scenario): every parameter with its value; the jobs
// displaced each year and in all, the training places and hours they call
// for and the voucher budget; the destinations and the skills to learn;
// optionally the three presets run side by side. Every table has a CSV link
// to the same answer of the API (format=csv&table=…).

import { h, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get } from '../api.js';
import { num, int, pct, text, table, groupLabel } from '../ui.js';
import { COLOURS } from '../charts.js';
import {
  chooseArea, chooseModel, areaYearFields, modelField, illustrativeBanner, csvLink, withCsv, methodList, sourcesList,
  compact, eur, rankedTable, loadInto, areasPage, noEstimatesWarning, factItem, yearChart,
} from './observe-common.js';

// the presets of fow scenario (docs/scenarios.md); shown next to each choice
export const PRESETS = {
  slow: { ceiling: 0.15, speed: 0.2, midpoint: 20 },
  medium: { ceiling: 0.3, speed: 0.3, midpoint: 12 },
  fast: { ceiling: 0.5, speed: 0.45, midpoint: 7 },
};
const ADOPTIONS = ['slow', 'medium', 'fast', 'custom'];
const PRESET_COLOURS = { slow: '#1b7a3a', medium: '#1f5f99', fast: '#b3261e', custom: '#5a2a82' };

// the numeric parameters: [name in the API and the hash, default, min, max, step]
const NUMBERS = [
  ['years', 20, 1, 50, 1],
  ['retrain_share', 1, 0, 1, 0.05],
  ['hours_per_skill', 40, 0, 2000, 1],
  ['cost_per_hour', 10, 0, 1000, 0.5],
];
const CUSTOM = [
  ['ceiling', 0.3, 0, 1, 0.05],
  ['speed', 0.3, 0.01, 5, 0.01],
  ['midpoint', 12, 0, 100, 0.5],
];

function number(q, name, dflt, min, max) {
  const v = parseFloat(q.get(name));
  return Number.isFinite(v) && v >= min && v <= max ? v : dflt;
}

function readState(q, areas) {
  const { area, year } = chooseArea(areas, q);
  const adoption = ADOPTIONS.includes(q.get('adoption')) ? q.get('adoption') : 'medium';
  const s = { area, year, model: chooseModel(q), adoption, compare: q.get('compare') === '1' };
  for (const [name, dflt, min, max] of NUMBERS) s[name] = number(q, name, dflt, min, max);
  const base = PRESETS[adoption] || PRESETS.medium;
  for (const [name, , min, max] of CUSTOM) s[name] = number(q, name, base[name], min, max);
  return s;
}

/** The API's query for state s with adoption a. */
function apiParams(s, adoption = s.adoption) {
  const p = {
    area: s.area.area, year: s.year, model: s.model, adoption, years: s.years, retrain_share: s.retrain_share,
    hours_per_skill: s.hours_per_skill, cost_per_hour: s.cost_per_hour, limit: 15,
  };
  if (adoption === 'custom') Object.assign(p, { ceiling: s.ceiling, speed: s.speed, midpoint: s.midpoint });
  return p;
}

function fileName(s, what) {
  return `fow-scenario-${s.area.area}-${s.year}-${s.adoption}-${what}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/* ---- the form ------------------------------------------------------------------ */

function numberField(name, value, min, max, step, { hint } = {}) {
  const id = newId(name);
  const hintId = hint ? newId('hint') : null;
  const input = h('input', {
    id, name, type: 'number', min: String(min), max: String(max), step: String(step), value: String(value),
    inputmode: 'decimal', 'aria-describedby': hintId, required: true,
  });
  return {
    input,
    element: h('div', { class: 'field' }, h('label', { for: id }, t(`sc.p_${name}`)), input,
      hint ? h('span', { class: 'hint block', id: hintId }, hint) : null),
  };
}

function presetText(a) {
  const p = PRESETS[a];
  return t('sc.preset_values', { ceiling: pct(p.ceiling, 0), speed: num(p.speed, 2), midpoint: tp('count.years', p.midpoint, { n: num(p.midpoint, 1) }) });
}

function form(areas, s, ctx) {
  const { areaField, yearField } = areaYearFields(areas, s.area, s.year);
  const model = modelField(s.model);
  const customBox = h('fieldset', { class: 'filters custom-params' }, h('legend', {}, t('sc.custom_legend')),
    CUSTOM.map(([name, , min, max, step]) => numberField(name, s[name], min, max, step, { hint: t(`sc.p_${name}_hint`) }).element));
  const radios = h('fieldset', { class: 'adoption' }, h('legend', {}, t('sc.p_adoption')),
    ADOPTIONS.map((a) => {
      const id = newId('a');
      return h('div', { class: 'check' },
        h('input', { type: 'radio', id, name: 'adoption', value: a, checked: s.adoption === a }),
        h('label', { for: id }, t(`sc.adoption_${a}`)),
        h('span', { class: 'hint block' }, a === 'custom' ? t('sc.adoption_custom_hint') : presetText(a)));
    }));
  const sync = () => {
    const custom = radios.querySelector('input:checked')?.value === 'custom';
    customBox.hidden = !custom;
    for (const el of customBox.querySelectorAll('input')) el.disabled = !custom;
  };
  radios.addEventListener('change', sync);
  const compareId = newId('cmp');
  const errors = h('div', { class: 'form-errors' });
  const f = h('form', { class: 'panel sc-form', novalidate: true, 'aria-label': t('sc.form_label') },
    h('fieldset', { class: 'filters' }, h('legend', {}, t('sc.where')), areaField.element, yearField.element, model.element),
    radios,
    customBox,
    h('fieldset', { class: 'filters' }, h('legend', {}, t('sc.training_legend')),
      NUMBERS.map(([name, , min, max, step]) => numberField(name, s[name], min, max, step, { hint: t(`sc.p_${name}_hint`) }).element)),
    h('div', { class: 'check' },
      h('input', { type: 'checkbox', id: compareId, name: 'compare', checked: s.compare }),
      h('label', { for: compareId }, t('sc.compare')),
      h('span', { class: 'hint block' }, t('sc.compare_hint'))),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('sc.submit'))));
  sync();
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    replace(errors);
    const bad = [...f.querySelectorAll('input[type="number"]:not(:disabled)')].filter((el) => {
      const v = parseFloat(el.value);
      const wrong = !Number.isFinite(v) || v < parseFloat(el.min) || v > parseFloat(el.max);
      if (wrong) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
      return wrong;
    });
    if (bad.length) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('sc.invalid', {
        list: bad.map((el) => el.labels[0].textContent).join(', '),
      })));
      bad[0].focus();
      return;
    }
    const fd = new FormData(f);
    const adoption = fd.get('adoption') || 'medium';
    const q = {
      area: fd.get('area'), year: fd.get('year'), model: fd.get('model') === 'mcc' ? null : fd.get('model'),
      adoption, compare: fd.get('compare') ? '1' : null,
    };
    for (const [name, dflt] of NUMBERS) q[name] = Number(fd.get(name)) === dflt ? null : fd.get(name);
    if (adoption === 'custom') for (const [name] of CUSTOM) q[name] = fd.get(name);
    ctx.go('scenarios', q);
  });
  return f;
}

/* ---- results ------------------------------------------------------------------------ */

/** The band of a figure as text ("range 1,200–3,400"), or null without one. */
function bandText(low, high, format = int) {
  if (low === null || low === undefined || high === null || high === undefined) return null;
  return t('sc.band', { low: format(low), high: format(high) });
}

/** A table cell: the figure, with its band under it in small print (the table's hint says what it is). */
function withBand(value, low, high, format = int) {
  if (low === null || low === undefined || high === null || high === undefined) return format(value);
  return [h('span', { class: 'value' }, format(value)),
    h('span', { class: 'band block small' }, t('sc.band_cell', { low: format(low), high: format(high) }))];
}

function totalsFacts(res) {
  const tot = res.totals || {};
  const band = tot.band || {};
  const p = res.parameters || {};
  const last = (res.years || [])[res.years.length - 1];
  const fact = (id, label, value, b, format, extra) => factItem(id, label, value,
    [b ? bandText(b.low, b.high, format) : null, extra]);
  return h('ul', { class: 'obs-facts', 'aria-label': t('sc.totals') },
    fact('displaced', t('sc.t_displaced', { year: last ? last.year : '' }), int(tot.displaced), band.displaced, int,
      tp('sc.t_displaced_of', tot.employed, { share: pct(tot.employed ? tot.displaced / tot.employed : null, 1) })),
    fact('retraining', t('sc.t_retraining'), int(tot.retraining), band.retraining, int, t('sc.t_retraining_share', { share: pct(p.retrain_share, 0) })),
    fact('hours', t('sc.t_hours'), int(tot.hours), band.hours, int, tp('sc.t_hours_per', p.hours_per_skill, { n: num(p.hours_per_skill, 1) })),
    fact('budget', t('sc.t_budget'), eur(tot.budget), band.budget, eur, t('sc.t_budget_per', { c: eur(p.cost_per_hour) })),
    fact('without-moves', t('sc.t_without'), int(tot.without_moves), band.without_moves, int, t('sc.t_without_hint')),
    fact('placed', t('sc.t_placed'), int(tot.placed), band.placed, int,
      t('sc.t_placed_hint', { share: pct(p.capacity_share, 0), room: int(tot.no_room) })),
    fact('exposure', t('sc.t_exposure'), pct(tot.mean_exposure, 1), band.mean_exposure, (v) => pct(v, 1), t('sc.t_exposure_hint')));
}

/** MCC's categories and their exposure: the level, its quartiles, the occupations it comes from. */
function levelsTable(res) {
  const levels = res.exposure_levels || [];
  if (!levels.length) return null;
  return table(t('sc.levels_caption'), [
    { key: 'category', label: t('sc.col_category'), render: (r) => text(r.category) },
    { key: 'exposure', label: t('sc.col_level'), num: true, render: (r) => num(r.exposure, 3) },
    { key: 'quartile_low', label: t('sc.col_quartiles'), num: true,
      render: (r) => t('sc.band', { low: num(r.quartile_low, 3), high: num(r.quartile_high, 3) }) },
    { key: 'occupations', label: t('sc.col_occupations'), num: true, render: (r) => int(r.occupations) },
  ], levels, { className: 'levels-table' });
}

function parametersList(res) {
  const p = res.parameters || {};
  const show = (k, v) => {
    if (k === 'adoption') return t(`sc.adoption_${v}`).startsWith('[') ? v : t(`sc.adoption_${v}`);
    if (k === 'ceiling' || k === 'retrain_share' || k === 'capacity_share') return `${num(v, 3)} (${pct(v, 1)})`;
    if (k === 'cost_per_hour') return eur(v).replace(/[.,]00$/, '') + (p.currency && p.currency !== 'EUR' ? ` ${p.currency}` : '');
    if (typeof v === 'number') return num(v, 3);
    return text(v);
  };
  const entries = Object.entries(p).filter(([k]) => k !== 'currency');
  return h('dl', { class: 'params-list', 'aria-label': t('sc.params_title') },
    h('div', {}, h('dt', {}, t('sc.p_area')), h('dd', {}, `${res.area} (${res.year})`)),
    h('div', {}, h('dt', {}, t('obs.model')), h('dd', {}, t(`model.${res.model}`))),
    entries.map(([k, v]) => h('div', { dataset: { param: k } },
      h('dt', {}, t(`sc.p_${k}`).startsWith('[') ? k : t(`sc.p_${k}`)), h('dd', {}, show(k, v)))));
}

const axis = { axisLabel: { color: '#1d232b', formatter: compact }, nameTextStyle: { color: '#1d232b' } };

/**
 * A chart over the years of an answer: bars on a left axis and a line on a
 * right one, each axis named and coloured like its series, so that it is
 * clear which is which. bar, line: {name, axis (the axis's name), colour,
 * data}; format: the tooltip's numbers.
 */
function barLineChart({ caption, description, height, ys, bar, line, format = int }) {
  const yAxis = (s, align) => ({
    type: 'value', name: s.axis, axisLabel: { color: s.colour, formatter: compact },
    nameTextStyle: { color: s.colour, align, fontWeight: 'bold' },
  });
  return yearChart({
    caption, description, height, format,
    years: ys.map((y) => y.year),
    grid: { right: 8, top: 64 },
    yAxis: [yAxis(bar, 'left'), { ...yAxis(line, 'right'), splitLine: { show: false } }],
    series: [
      { type: 'bar', name: bar.name, data: bar.data, itemStyle: { color: bar.colour }, barMaxWidth: 24 },
      { type: 'line', name: line.name, yAxisIndex: 1, data: line.data, itemStyle: { color: line.colour }, lineStyle: { width: 3, color: line.colour }, symbolSize: 6 },
    ],
  });
}

/** The whole numbers of field key of each year. */
function rounded(ys, key) {
  return ys.map((y) => Math.round(y[key]));
}

function displacedChart(res) {
  const ys = res.years || [];
  return barLineChart({
    caption: t('sc.chart_displaced'),
    description: t('sc.chart_displaced_description', {
      first: ys.length ? ys[0].year : '', last: ys.length ? ys[ys.length - 1].year : '',
      total: int(ys.length ? ys[ys.length - 1].cumulative : null),
    }),
    height: 320,
    ys,
    bar: { name: t('sc.col_displaced'), axis: t('sc.per_year'), colour: COLOURS.accent, data: rounded(ys, 'displaced') },
    line: { name: t('sc.col_cumulative'), axis: t('sc.cumulative'), colour: COLOURS.no, data: rounded(ys, 'cumulative') },
  });
}

function trainingChart(res) {
  const ys = res.years || [];
  return barLineChart({
    caption: t('sc.chart_training'),
    description: t('sc.chart_training_description', {
      places: tp('count.training_places', res.totals ? res.totals.retraining : 0), hours: tp('count.hours', res.totals ? res.totals.hours : 0),
    }),
    height: 320,
    ys,
    bar: { name: t('sc.col_places'), axis: t('sc.col_places'), colour: '#1b7a3a', data: rounded(ys, 'training_places') },
    line: { name: t('sc.col_hours'), axis: t('sc.col_hours'), colour: COLOURS.primary, data: rounded(ys, 'hours') },
  });
}

function budgetChart(res) {
  const ys = res.years || [];
  let sum = 0;
  const cum = ys.map((y) => { sum += y.budget || 0; return Math.round(sum); });
  return barLineChart({
    caption: t('sc.chart_budget', { c: eur((res.parameters || {}).cost_per_hour) }),
    description: t('sc.chart_budget_description', { total: eur(res.totals ? res.totals.budget : null) }),
    height: 300,
    ys,
    format: eur,
    bar: { name: t('sc.col_budget'), axis: t('sc.per_year'), colour: '#5a2a82', data: rounded(ys, 'budget') },
    line: { name: t('sc.col_budget_cumulative'), axis: t('sc.cumulative'), colour: COLOURS.no, data: cum },
  });
}

function yearsTable(res) {
  return table(t('sc.years_caption'), [
    { key: 'year', label: t('obs.year'), render: (r) => String(r.year) },
    { key: 'adoption', label: t('sc.col_adoption'), num: true, render: (r) => pct(r.adoption, 1) },
    { key: 'displaced', label: t('sc.col_displaced'), num: true, render: (r) => withBand(r.displaced, r.displaced_low, r.displaced_high) },
    { key: 'cumulative', label: t('sc.col_cumulative'), num: true, render: (r) => withBand(r.cumulative, r.cumulative_low, r.cumulative_high) },
    { key: 'training_places', label: t('sc.col_places'), num: true, render: (r) => withBand(r.training_places, r.retraining_low, r.retraining_high) },
    { key: 'hours', label: t('sc.col_hours'), num: true, render: (r) => withBand(r.hours, r.hours_low, r.hours_high) },
    { key: 'budget', label: t('sc.col_budget_eur'), num: true, render: (r) => withBand(r.budget, r.budget_low, r.budget_high, int) },
  ], res.years || [], { className: 'years-table' });
}

/* ---- the three presets side by side ---------------------------------------------------- */

async function compareSection(box, s, current, ctx) {
  const title = h('h2', { id: 'sc-compare-h' }, t('sc.compare_title'));
  const names = ['slow', 'medium', 'fast'];
  const runs = await loadInto(box, ctx,
    () => Promise.all(names.map((a) => (a === s.adoption ? Promise.resolve(current) : get('/scenario', apiParams(s, a))))),
    { head: title, busy: true });
  if (!runs) return;
  const all = names.map((a, i) => ({ adoption: a, res: runs[i] }));
  if (s.adoption === 'custom') all.push({ adoption: 'custom', res: current });
  const years = (all[0].res.years || []).map((y) => y.year);
  const rows = all.map(({ adoption, res }) => ({
    adoption, ...res.parameters, displaced: res.totals.displaced, retraining: res.totals.retraining,
    hours: res.totals.hours, budget: res.totals.budget,
  }));
  replace(box, title,
    h('p', {}, t('sc.compare_text')),
    yearChart({
      caption: t('sc.compare_caption'),
      description: t('sc.compare_description', {
        list: rows.map((r) => `${t(`sc.adoption_${r.adoption}`)}: ${int(r.displaced)}`).join('; '),
      }),
      height: 320,
      years,
      format: int,
      grid: { right: 16, top: 40 },
      yAxis: { type: 'value', name: t('sc.col_displaced'), ...axis },
      series: all.map(({ adoption, res }) => ({
        type: 'line', name: t(`sc.adoption_${adoption}`), symbolSize: 6,
        itemStyle: { color: PRESET_COLOURS[adoption] },
        lineStyle: { width: 3, color: PRESET_COLOURS[adoption], type: adoption === 'medium' ? 'dashed' : adoption === 'slow' ? 'dotted' : 'solid' },
        data: rounded(res.years || [], 'displaced'),
      })),
    }),
    table(t('sc.compare_table_caption'), [
      { key: 'adoption', label: t('sc.p_adoption'), render: (r) => t(`sc.adoption_${r.adoption}`) },
      { key: 'ceiling', label: t('sc.p_ceiling'), num: true, render: (r) => pct(r.ceiling, 0) },
      { key: 'speed', label: t('sc.p_speed'), num: true, render: (r) => num(r.speed, 2) },
      { key: 'midpoint', label: t('sc.p_midpoint'), num: true, render: (r) => num(r.midpoint, 1) },
      { key: 'displaced', label: t('sc.col_displaced_total'), num: true, render: (r) => int(r.displaced) },
      { key: 'retraining', label: t('sc.col_places'), num: true, render: (r) => int(r.retraining) },
      { key: 'hours', label: t('sc.col_hours'), num: true, render: (r) => int(r.hours) },
      { key: 'budget', label: t('sc.col_budget'), num: true, render: (r) => eur(r.budget) },
    ], rows, { className: 'compare-table' }),
    h('div', { class: 'export' }, names.map((a) => csvLink('/scenario', apiParams(s, a), 'years',
      fileName({ ...s, adoption: a }, 'years'), t('sc.csv_years_of', { a: t(`sc.adoption_${a}`) })))));
}

/* ---- the page ------------------------------------------------------------------------ */

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'scenarios', nav: 'scenarios' }];

export async function render(main, ctx) {
  const page = await areasPage(main, ctx, t('sc.title'), t('sc.lead'));
  if (!page) return;
  const { body, areas } = page;
  const s = readState(ctx.query, areas);
  const results = h('div', { class: 'sc-results' });
  replace(body, form(areas, s, ctx), results);
  ctx.setTitle(t('sc.title_of', { area: s.area.area, adoption: t(`sc.adoption_${s.adoption}`) }));
  const params = apiParams(s);
  const res = await loadInto(results, ctx, () => get('/scenario', params));
  if (!res) return;
  const name = (what) => fileName(s, what);
  const compareBox = h('section', { class: 'section', 'aria-labelledby': 'sc-compare-h' });
  replace(results,
    h('h2', { id: 'sc-results-h' }, t('sc.results_title', {
      area: res.area, year: res.year, adoption: t(`sc.adoption_${s.adoption}`),
    })),
    illustrativeBanner([res.illustrative ? res.area : null]),
    noEstimatesWarning(res.totals, res),
    totalsFacts(res),
    h('section', { class: 'section', 'aria-labelledby': 'sc-params-h' },
      h('h2', { id: 'sc-params-h' }, t('sc.params_title')),
      parametersList(res),
      h('h3', {}, t('sc.method_title')),
      methodList(res.method, 'scenario', res.model),
      res.model === 'mcc' ? levelsTable(res) : null,
      h('details', { class: 'provenance' }, h('summary', {}, t('obs.sources_title')), sourcesList(res.sources)),
      h('p', { class: 'small' }, t('sc.limits'), ' ', h('a', { href: '#/sources#methods' }, t('sc.limits_link')))),
    s.compare ? compareBox : null,
    h('section', { class: 'section', 'aria-labelledby': 'sc-years-h' },
      h('h2', { id: 'sc-years-h' }, t('sc.years_title')),
      displacedChart(res),
      trainingChart(res),
      budgetChart(res),
      h('p', { class: 'small' }, t('sc.band_hint')),
      withCsv(yearsTable(res), csvLink('/scenario', params, 'years', name('years')))),
    h('section', { class: 'section', 'aria-labelledby': 'sc-dest-h' },
      h('h2', { id: 'sc-dest-h' }, t('sc.dest_title', { n: int(res.n_destinations) })),
      h('p', { class: 'small' }, t('sc.dest_hint')),
      withCsv(rankedTable(t('sc.dest_caption'), 'occupation', [
        ['workers', t('obs.col_placed')], ['workers_low', t('sc.col_low')], ['workers_high', t('sc.col_high')],
        ['wanted', t('obs.col_wanted')], ['capacity', t('obs.col_capacity')], ['origins', t('obs.col_origins')],
      ], res.destinations, 'dest-table'), csvLink('/scenario', params, 'destinations', name('destinations')))),
    h('section', { class: 'section', 'aria-labelledby': 'sc-skills-h' },
      h('h2', { id: 'sc-skills-h' }, t('sc.skills_title', { n: int(res.n_skills) })),
      withCsv(rankedTable(t('sc.skills_caption'), 'skill', [
        ['learners', t('obs.col_learners')], ['hours', t('sc.col_hours')], ['origins', t('obs.col_origins')],
      ], res.skills, 'skills-table'), csvLink('/scenario', params, 'skills', name('skills')))),
    h('section', { class: 'section', 'aria-labelledby': 'sc-units-h' },
      h('h2', { id: 'sc-units-h' }, t('sc.units_title', { n: int(res.n_units) })),
      withCsv(table(t('sc.units_caption'), [
        { key: 'code', label: t('obs.col_isco'), render: (r) => text(r.code) },
        { key: 'label', label: t('obs.col_occupation'), render: (r) => groupLabel(r) },
        { key: 'sector', label: t('sc.col_sector'), render: (r) => (r.sector ? r.sector : '—') },
        { key: 'employed', label: t('obs.col_employed'), num: true, render: (r) => int(r.employed) },
        { key: 'exposure', label: t('sc.col_exposure'), num: true, render: (r) => withBand(r.exposure, r.exposure_low, r.exposure_high, (v) => pct(v, 0)) },
        { key: 'displaced', label: t('sc.col_displaced_total'), num: true, render: (r) => withBand(r.displaced, r.displaced_low, r.displaced_high) },
      ], res.units || [], { className: 'units-table' }), csvLink('/scenario', params, 'units', name('units')))));
  announce(t('sc.loaded'));
  if (s.compare) await compareSection(compareBox, s, res, ctx);
}
