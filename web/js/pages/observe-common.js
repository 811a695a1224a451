// observe-common.js — what the observatory and the scenarios pages share:
// the areas with employment data (GET /areas), the fields that choose an
// area, its year and a risk model, the banner for illustrative data, links
// to the API's CSV tables, the API's method texts in the page's language,
// its source texts, the colours of the risk categories, and the parts both
// pages build alike: the page's start, a box filled by a request, headline
// figures, ranked tables and charts over years.

import { h, newId, append, replace } from '../dom.js';
import { t, tmsg, hasMsg, locale, has } from '../i18n.js';
import { get, apiUrl } from '../api.js';
import { text, int, pageTitle, errorBox, loading, table, occLink, skillLink } from '../ui.js';
import { chartFigure, resizeChartsIn } from '../charts.js';
import { session } from '../session.js';

export const MODELS = ['mcc', 'frey-osborne'];

/** The areas with employment data: [{area, years: [{year, rows, masked, employed_given}], source, illustrative}]. */
export async function loadAreas() {
  const res = await get('/areas');
  const areas = (res && res.areas) || [];
  for (const a of areas) a.years = [...(a.years || [])].sort((x, y) => x.year - y.year);
  return areas;
}

/** The years of an area as numbers, oldest first. */
export function yearsOf(area) {
  return area ? area.years.map((y) => y.year) : [];
}

/**
 * The area and year asked for in the query, or sensible defaults: the demo
 * city when it is there, else the first area; the area's latest year.
 */
export function chooseArea(areas, q, areaKey = 'area', yearKey = 'year') {
  const wanted = q.get(areaKey);
  let area = areas.find((a) => a.area === wanted)
    || (wanted ? areas.find((a) => a.area.toLowerCase() === wanted.toLowerCase()) : null);
  if (!area) area = areas.find((a) => a.area === 'Cluj-Napoca') || areas[0] || null;
  const years = yearsOf(area);
  const y = parseInt(q.get(yearKey), 10);
  const year = years.includes(y) ? y : years[years.length - 1] ?? null;
  return { area, year };
}

/** The model in the query (mcc by default). */
export function chooseModel(q) {
  return q.get('model') === 'frey-osborne' ? 'frey-osborne' : 'mcc';
}

/** A labelled select. options: [{value, label}]. */
export function selectField({ label, name, value, options, hint, id = newId(name) }) {
  const hintId = hint ? newId('hint') : null;
  const select = h('select', { id, name, 'aria-describedby': hintId },
    options.map((o) => h('option', { value: String(o.value), selected: String(o.value) === String(value) }, o.label)));
  return {
    select,
    element: h('div', { class: 'field' }, h('label', { for: id }, label), select,
      hint ? h('span', { class: 'hint block', id: hintId }, hint) : null),
  };
}

/** The options of a year select, latest first; chosen: the year selected. */
export function yearOptions(years, chosen) {
  return [...years].reverse().map((y) => h('option', { value: String(y), selected: String(y) === String(chosen) }, String(y)));
}

function areaOption(a) {
  return { value: a.area, label: a.illustrative ? `${a.area} (${t('obs.illustrative_short')})` : a.area };
}

/**
 * The area and year selects; changing the area refills the years (keeping
 * the year when the new area has it, else its latest). extraYear: an
 * optional first option of the year select ({value: '', label}).
 */
export function areaYearFields(areas, area, year, { areaName = 'area', yearName = 'year', areaLabel, yearLabel, noneArea, sameYear } = {}) {
  const areaField = selectField({
    label: areaLabel || t('obs.area'), name: areaName, value: area ? area.area : '',
    options: [...(noneArea ? [{ value: '', label: noneArea }] : []), ...areas.map(areaOption)],
  });
  const yearField = selectField({ label: yearLabel || t('obs.year'), name: yearName, value: year ?? '', options: [] });
  const fill = (keep) => {
    const a = areas.find((x) => x.area === areaField.select.value);
    const ys = yearsOf(a);
    const chosen = keep !== null && keep !== undefined && (ys.includes(Number(keep)) || (sameYear && keep === '')) ? keep
      : sameYear ? '' : ys[ys.length - 1];
    replace(yearField.select,
      sameYear ? h('option', { value: '', selected: chosen === '' }, sameYear) : null,
      yearOptions(ys, chosen));
    yearField.select.disabled = !a;
  };
  fill(year);
  areaField.select.addEventListener('change', () => fill(yearField.select.value));
  return { areaField, yearField };
}

/** The risk model select. */
export function modelField(value) {
  return selectField({
    label: t('obs.model'), name: 'model', value,
    options: MODELS.map((m) => ({ value: m, label: t(`model.${m}`) })),
  });
}

/** The banner shown when figures rest on illustrative (invented) counts. names: the areas concerned. */
export function illustrativeBanner(names) {
  const list = names.filter(Boolean);
  if (!list.length) return null;
  return h('div', { class: 'warning illustrative-banner', role: 'note' },
    h('p', { class: 'banner-title' }, t('obs.illustrative_title')),
    h('p', {}, t('obs.illustrative_text', { areas: list.join(', ') })));
}

/**
 * A link that downloads one table of an API answer as CSV: the same
 * address with format=csv&table=… (file name: name.csv).
 */
export function csvLink(path, params, table, name, label) {
  return h('a', {
    class: 'btn-small csv-link', href: apiUrl(path, { ...params, format: 'csv', table }),
    download: `${name}.csv`, type: 'text/csv', dataset: { table },
  }, label || t('obs.csv'));
}

/** A table with its CSV link under it (the link's name says which table). */
export function withCsv(tableNode, link) {
  const caption = tableNode.getAttribute && tableNode.getAttribute('aria-label');
  if (caption && !link.hasAttribute('aria-label')) link.setAttribute('aria-label', `${link.textContent}: ${caption}`);
  return h('div', { class: 'table-block' }, tableNode, h('div', { class: 'export' }, link));
}

/**
 * The i18n keys of the API's method texts, by answer: 'observatory'
 * (GET /observatory, with its lq_method and distribution.method), 'scale'
 * (GET /observatory/at-scale) and 'scenario' (GET /scenario). A key that
 * depends on the risk model maps each model to its own key.
 */
const METHOD_KEYS = {
  observatory: {
    counting: 'method.counting',
    estimates: 'method.estimates',
    shares: 'method.shares',
    categories: { mcc: 'method.categories_mcc', 'frey-osborne': 'method.categories_fo' },
    lq: 'method.lq',
    distribution: 'method.distribution',
  },
  scale: {
    workers: 'method.scale_workers',
    moves: 'method.scale_moves',
    spread: 'method.spread',
  },
  scenario: {
    adoption: 'method.sc_adoption',
    displaced: 'method.sc_displaced',
    training: 'method.sc_training',
    spread: 'method.spread',
  },
};

/**
 * A method text of the API in the page's language: {text, lang}. The API
 * writes its methods in English; a method it names that the strings know
 * is shown translated (lang null: the page's own), any other as the API
 * gives it (lang 'en'), so a new method still shows something.
 * scope: a key of METHOD_KEYS; name: the method's name in the answer;
 * model: the answer's risk model.
 */
export function methodText(scope, name, apiText, model) {
  const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
  const keys = own(METHOD_KEYS, scope) ? METHOD_KEYS[scope] : {};
  let key = own(keys, name) ? keys[name] : null;
  if (key && typeof key === 'object') key = own(key, model) ? key[model] : null;
  if (typeof key === 'string' && has(key)) return { text: t(key), lang: null };
  return { text: apiText, lang: 'en' };
}

/**
 * A message object of the API ({code, params, text}) in the page's
 * language: {text, lang}, worded by tmsg (i18n.js); without a string
 * msg.<code>, the API's English text (lang 'en').
 */
export function messageText(m) {
  return { text: tmsg(m), lang: hasMsg(m) ? null : 'en' };
}

const isMessage = (v) => v && typeof v === 'object' && typeof v.code === 'string';

/**
 * The method texts of an answer (an object of name → text or message
 * object) as a list, in the page's language (see methodText and
 * messageText); extra: more name → text.
 */
export function methodList(method, scope, model, extra = {}) {
  const entries = Object.entries({ ...(method || {}), ...extra })
    .filter(([, v]) => (typeof v === 'string' && v) || isMessage(v));
  if (!entries.length) return null;
  return h('dl', { class: 'method-list' }, entries.map(([k, v]) => {
    const m = isMessage(v) ? messageText(v) : methodText(scope, k, v, model);
    return [
      h('dt', {}, has(`obs.method_${k}`) ? t(`obs.method_${k}`) : k),
      h('dd', { lang: m.lang }, m.text),
    ];
  }));
}

/** The sources of an answer (name → text). */
export function sourcesList(sources) {
  const entries = Object.entries(sources || {});
  if (!entries.length) return null;
  return h('dl', { class: 'method-list' }, entries.map(([k, v]) => [
    h('dt', {}, has(`obs.source_${k}`) ? t(`obs.source_${k}`) : k),
    h('dd', { lang: 'en', 'data-name': '' }, text(v)),
  ]));
}

/** A compact number for chart axes (12 k, 1.2 M). */
export function compact(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '';
  return new Intl.NumberFormat(locale(), { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

/** Euros, without cents. */
export function eur(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return t('common.unknown');
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(v);
}

/** A risk category of the observatory (MCC "High risk", "Other", "Low risk"; Frey & Osborne "high", "medium", "low"). */
export function categoryLabel(cat, short = false) {
  if (!cat) return t('common.unknown');
  const key = `obs.${short ? 'cat_short' : 'cat'}.${cat.toLowerCase().replace(/[^a-z]+/g, '_')}`;
  return has(key) ? t(key) : cat;
}

/** The colour of a risk category (≥ 3:1 against white). */
export function categoryColour(cat) {
  const c = (cat || '').toLowerCase();
  if (c.startsWith('high')) return '#b3261e';
  if (c.startsWith('low')) return '#1b7a3a';
  return '#1f5f99';
}

/** Whether the signed-in user may import employment tables. */
export function canImportEmployment() {
  const s = session();
  return !!(s.user && (s.user.role === 'admin' || s.user.role === 'analyst'));
}

/** The page shown when no area has employment data yet. */
export function noAreas() {
  return h('div', { class: 'panel' },
    h('p', {}, t('obs.no_areas')),
    canImportEmployment()
      ? h('p', {}, h('a', { class: 'button', href: '#/admin?kind=employment' }, t('obs.import_link')))
      : h('p', { class: 'muted' }, t('obs.no_areas_hint')));
}

/** A ranked item: "3. " then its link. */
export function ranked(r, link) {
  return h('span', { class: 'ranked' }, h('span', { class: 'rank-n' }, `${r.rank}.`), ' ', link);
}

/**
 * A ranked table of occupations (linked, with their ISCO group) or, with
 * kind 'skill', of skills (linked); then whole-number columns: counts as
 * [[key, label], …].
 */
export function rankedTable(caption, kind, counts, rows, className) {
  const first = kind === 'skill'
    ? [{ key: 'label', label: t('obs.col_skill'), render: (r) => ranked(r, skillLink(r)) }]
    : [
      { key: 'label', label: t('obs.col_occupation'), render: (r) => ranked(r, occLink(r)) },
      { key: 'isco_group', label: t('obs.col_isco'), render: (r) => text(r.isco_group) },
    ];
  const rest = counts.map(([key, label]) => ({ key, label, num: true, render: (r) => int(r[key]) }));
  return table(caption, [...first, ...rest], rows || [], { className });
}

/**
 * Fills box from a request: a loading sign (after head) while load() runs,
 * then nothing (the caller fills it) or the error. Returns the answer, or
 * null when the request failed or the page has moved on meanwhile. busy:
 * box is aria-busy while it loads.
 */
export async function loadInto(box, ctx, load, { head = null, busy = false } = {}) {
  replace(box, head, loading());
  if (busy) box.setAttribute('aria-busy', 'true');
  let res;
  try {
    res = await load();
  } catch (err) {
    if (!ctx.isCurrent()) return null;
    if (busy) box.removeAttribute('aria-busy');
    replace(box, head, errorBox(err));
    return null;
  }
  if (!ctx.isCurrent()) return null;
  if (busy) box.removeAttribute('aria-busy');
  return res;
}

/**
 * The start of a page about an area: its title and lead, then the areas
 * with employment data (with the error, or the page for no areas, instead).
 * Returns {body, areas}, body to be filled, or null when there is nothing
 * more to show.
 */
export async function areasPage(main, ctx, title, lead) {
  ctx.setTitle(title);
  append(main, pageTitle(title, lead));
  const body = h('div', {});
  append(main, body);
  const areas = await loadInto(body, ctx, loadAreas);
  if (!areas) return null;
  if (!areas.length) {
    replace(body, noAreas());
    return null;
  }
  return { body, areas };
}

/** The warning shown when no unit of the area has a risk estimate (totals of the answer res). */
export function noEstimatesWarning(totals, res) {
  return totals && !totals.with_estimate
    ? h('div', { class: 'warning', role: 'note' }, h('p', {}, t('obs.no_estimates', { model: t(`model.${res.model}`), area: res.area }))) : null;
}

/** A headline figure: its name, its value, lines under it (empty ones left out), then more. */
export function factItem(id, label, value, extras = [], ...more) {
  // a figure never breaks inside: it stays on one line and its size fits its length (app.css)
  const figure = h('p', { class: 'fact-value' }, value);
  figure.style.setProperty('--chars', String(Math.max(6, figure.textContent.length)));
  return h('li', { class: 'obs-fact', dataset: { fact: id } },
    h('h3', {}, label),
    figure,
    extras.filter(Boolean).map((e) => h('p', { class: 'fact-extra' }, e)),
    more);
}

const INK = '#1d232b';

/**
 * A chart over years (a category axis) with its legend on top and a
 * tooltip per year. format: the tooltip's numbers; grid: its right and top
 * margins; yAxis and series as ECharts takes them.
 */
export function yearChart({ caption, description, height, compact, years, format, grid, yAxis, series }) {
  return chartFigure({
    caption, description, height, compact,
    option: () => ({
      aria: { enabled: false },
      tooltip: { trigger: 'axis', valueFormatter: format },
      legend: { top: 0, textStyle: { color: INK } },
      grid: { left: 8, bottom: 8, containLabel: true, ...grid },
      xAxis: { type: 'category', data: years.map(String), axisLabel: { color: INK } },
      yAxis,
      series,
    }),
  });
}

/** Whether the page is laid out for a phone (the width at which tables become cards). */
export function narrowScreen() {
  return window.matchMedia('(max-width: 600px)').matches;
}

/**
 * A section that folds: a <section> holding a <details> whose summary holds the section's h2
 * (id) and a one-line summary of what it shows, so that a closed section
 * still says its main figure. open: whether it starts open (on a phone only
 * the first sections do, see narrowScreen). body is filled by the caller;
 * setSummary(text) words the summary line once the figures are known.
 * Charts inside are drawn or resized when the section opens.
 */
export function foldSection({ id, title, summary = '', open = true, className = '' }) {
  const line = h('span', { class: 'fold-summary' }, summary);
  const body = h('div', { class: 'fold-body' });
  const details = h('details', { class: `fold ${className}`.trim(), open: open || null, dataset: { fold: id } },
    h('summary', {}, h('h2', { id }, title), line),
    body);
  details.addEventListener('toggle', () => { if (details.open) resizeChartsIn(details); });
  const element = h('section', { class: 'section', 'aria-labelledby': id }, details);
  return {
    element,
    body,
    setSummary(text) { replace(line, text || ''); },
  };
}
