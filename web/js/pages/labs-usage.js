// labs-usage.js — the labs' usage (#/lab-usage?lab=&from=&to=; roles admin,
// lab_manager and those who read the programme's figures; docs/labs.md):
// utilisation per ISO week as a chart (booked hours / open hours) with the
// table of the same figures (hours booked, hours used from check-in to
// check-out, no-shows), the users by price category (cells of fewer than 10
// people suppressed by the server), the projects carried out, and the CSV
// of each table (GET /api/v1/lab-usage?by=week|resource|category&format=csv,
// GET /api/v1/lab-projects).

import { h, replace, newId } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, apiUrl } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table, num, pct, int, msgText } from '../ui.js';
import { chartFigure, axisName, COLOURS } from '../charts.js';
import { loc, codeOf, categoryName, addDays, todayInLab, mondayOf, mediumDay, sourceLine } from './labs-common.js';

export const routes = [{ path: 'lab-usage', nav: 'lab-usage' }];

const ROLES = ['admin', 'lab_manager', 'analyst', 'programme_manager', 'voucher_office'];

const pick = (r, ...keys) => { for (const k of keys) if (r[k] !== undefined && r[k] !== null) return r[k]; return null; };
const booked = (r) => pick(r, 'hours_booked', 'booked_hours');
const used = (r) => pick(r, 'hours_used', 'used_hours');
const openHours = (r) => pick(r, 'hours_open', 'open_hours');
const noShows = (r) => pick(r, 'no_shows', 'noshows');
const weekOf = (r) => pick(r, 'week', 'iso_week', 'group');
/** A row's utilisation as a share 0..1 (the API gives utilisation_percent), null when nothing was open. */
export function utilisationOf(r) {
  const p = pick(r, 'utilisation_percent');
  if (typeof p === 'number') return p / 100;
  const u = pick(r, 'utilisation', 'utilization');
  return typeof u === 'number' ? u : null;
}
/** People of a row: {value, suppressed} from {value, suppressed} or a plain number. */
function peopleOf(r) {
  const p = r.people;
  if (p && typeof p === 'object') return { value: p.value ?? null, suppressed: !!(p.suppressed || p.complementary) || p.value === null };
  return { value: typeof p === 'number' ? p : null, suppressed: !!r.suppressed || p === null || p === undefined };
}

/**
 * The weeks of rows (one per week, or one per week and machine) as
 * [{week, label, booked, used, open, no_shows, utilisation}]: a week of one
 * row keeps the server's own figures; rows of several machines in a week
 * are summed, the utilisation the booked hours over the open hours.
 */
export function weeksOf(rows) {
  const weeks = new Map();
  for (const r of rows) {
    const w = weekOf(r);
    if (!w || w === 'total') continue;
    if (!weeks.has(w)) weeks.set(w, { week: w, booked: 0, used: 0, open: 0, no_shows: 0, rows: [] });
    const x = weeks.get(w);
    x.booked += booked(r) || 0;
    x.used += used(r) || 0;
    x.open += openHours(r) || 0;
    x.no_shows += noShows(r) || 0;
    x.rows.push(r);
  }
  return [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : 1)).map((x) => {
    const one = x.rows.length === 1 ? x.rows[0] : null;
    const utilisation = one ? utilisationOf(one) : (x.open > 0 ? x.booked / x.open : null);
    return { week: x.week, label: one ? loc(one, 'label') || x.week : x.week, booked: x.booked, used: x.used, open: x.open,
      no_shows: x.no_shows, utilisation };
  });
}

function csvLink(label, params) {
  return h('a', { class: 'btn-small', href: apiUrl('/lab-usage', { ...params, format: 'csv' }), download: '' }, label);
}

export async function render(main, ctx) {
  ctx.setTitle(t('labs.usage_title'));
  const body = h('div', {}, loading());
  replace(main, pageTitle(t('labs.usage_title'), t('labs.usage_lead')), body);
  const user = session().user;
  if (!user || !ROLES.includes(user.role)) {
    replace(body, h('p', { class: 'warning', role: 'note' }, t('labs.usage_only')));
    return;
  }
  const today = todayInLab();
  const q = ctx.query;
  const lab = q.get('lab') || '';
  const from = /^\d{4}-\d{2}-\d{2}$/.test(q.get('from') || '') ? q.get('from') : mondayOf(addDays(today, -7 * 12));
  const to = /^\d{4}-\d{2}-\d{2}$/.test(q.get('to') || '') ? q.get('to') : addDays(mondayOf(addDays(today, 7 * 13)), 6);
  const params = { lab, from, to };
  let labs = [];
  let byWeek;
  let byCategory;
  let byResource;
  let projects = null;
  try {
    [labs, byWeek, byCategory, byResource, projects] = await Promise.all([
      get('/labs').then((d) => d.labs || []),
      get('/lab-usage', { ...params, by: 'week' }),
      get('/lab-usage', { ...params, by: 'category' }),
      get('/lab-usage', { ...params, by: 'resource' }),
      get('/lab-projects', lab ? { lab } : {}).catch(() => null),
    ]);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(body, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;

  const ids = { lab: newId('labs-u-lab'), from: newId('labs-u-from'), to: newId('labs-u-to') };
  const labSelect = h('select', { id: ids.lab }, h('option', { value: '' }, t('labs.all_labs')),
    labs.map((l) => h('option', { value: l.code, selected: l.code === lab }, loc(l) || l.code)));
  const fromInput = h('input', { id: ids.from, type: 'date', value: from });
  const toInput = h('input', { id: ids.to, type: 'date', value: to });
  const weeks = weeksOf(byWeek.rows || byWeek.weeks || []);
  const categories = (byCategory.rows || byCategory.categories || []).filter((r) => r.group !== 'total');
  const resources = (byResource.rows || byResource.resources || []).filter((r) => r.group !== 'total');
  const labName = (code) => { const l = labs.find((x) => x.code === code); return l ? loc(l) || code : code; };
  // the server's own method and source, as it words them
  const methodNote = (d) => [d.method ? h('p', { class: 'hint small source-note' }, msgText(d.method)) : null,
    d.source ? h('p', { class: 'hint small source-note' }, msgText(d.source)) : null];

  const chartable = weeks.filter((w) => w.utilisation !== null);
  const chart = chartable.length ? chartFigure({
    caption: t('labs.usage_chart_caption', { from: mediumDay(from), to: mediumDay(to) }),
    description: t('labs.usage_chart_desc', { n: chartable.length }),
    height: 300,
    option: () => ({
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => pct(v, 0) },
      xAxis: { type: 'category', data: chartable.map((w) => w.week), axisLabel: { rotate: 45, fontSize: 11 }, ...axisName(t('labs.iso_week'), { gap: 44 }) },
      yAxis: { type: 'value', min: 0, max: Math.max(1, ...chartable.map((w) => w.utilisation)),
        axisLabel: { formatter: (v) => pct(v, 0) }, ...axisName(t('labs.utilisation_axis'), { gap: 44, vertical: true }) },
      series: [{ type: 'bar', name: t('labs.utilisation'), data: chartable.map((w) => w.utilisation), itemStyle: { color: COLOURS.accent } }],
    }),
  }) : h('p', { class: 'muted' }, t('labs.usage_no_weeks'));

  replace(body,
    h('form', {
      class: 'filters', onsubmit: (ev) => { ev.preventDefault(); ctx.go('lab-usage', { lab: labSelect.value, from: fromInput.value, to: toInput.value }); },
    },
    h('div', { class: 'field' }, h('label', { for: ids.lab }, t('labs.lab')), labSelect),
    h('div', { class: 'field' }, h('label', { for: ids.from }, t('labs.from')), fromInput),
    h('div', { class: 'field' }, h('label', { for: ids.to }, t('labs.to')), toInput),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('labs.show')))),

    h('section', { class: 'section', 'aria-labelledby': 'labs-u-week' },
      h('h2', { id: 'labs-u-week' }, t('labs.usage_weeks')),
      chart,
      weeks.length ? h('details', { class: 'table-details', open: window.matchMedia('(min-width: 600px)').matches },
        h('summary', {}, tp('labs.usage_weeks_table', weeks.length)), table(t('labs.usage_weeks'), [
        { key: 'week', label: t('labs.iso_week'), render: (w) => w.label },
        { key: 'booked', label: t('labs.hours_booked'), num: true, render: (w) => num(w.booked, 2) },
        { key: 'used', label: t('labs.hours_used'), num: true, render: (w) => num(w.used, 2) },
        { key: 'open', label: t('labs.hours_open'), num: true, render: (w) => (w.open ? num(w.open, 2) : '—') },
        { key: 'no_shows', label: t('labs.no_shows'), num: true, render: (w) => int(w.no_shows) },
        { key: 'utilisation', label: t('labs.utilisation'), num: true, render: (w) => pct(w.utilisation, 0) },
      ], weeks, { className: 'labs-usage-weeks' })) : null,
      h('div', { class: 'export' }, csvLink(t('labs.csv_weeks'), { ...params, by: 'week' })),
      methodNote(byWeek)),

    h('section', { class: 'section', 'aria-labelledby': 'labs-u-res' },
      h('h2', { id: 'labs-u-res' }, t('labs.usage_resources')),
      resources.length ? table(t('labs.usage_resources'), [
        { key: 'resource', label: t('labs.resource'), render: (r) => (r.resource && typeof r.resource === 'object' ? loc(r.resource) || codeOf(r.resource)
          : loc(r, 'label') || loc(r) || r.resource || r.group) },
        { key: 'booked', label: t('labs.hours_booked'), num: true, render: (r) => num(booked(r), 2) },
        { key: 'used', label: t('labs.hours_used'), num: true, render: (r) => num(used(r), 2) },
        { key: 'no_shows', label: t('labs.no_shows'), num: true, render: (r) => int(noShows(r)) },
        { key: 'utilisation', label: t('labs.utilisation'), num: true, render: (r) => pct(utilisationOf(r), 0) },
      ], resources, { className: 'labs-usage-resources' }) : h('p', { class: 'muted' }, t('labs.usage_none')),
      h('div', { class: 'export' }, csvLink(t('labs.csv_resources'), { ...params, by: 'resource' }))),

    h('section', { class: 'section', 'aria-labelledby': 'labs-u-cat' },
      h('h2', { id: 'labs-u-cat' }, t('labs.usage_categories')),
      categories.length ? table(t('labs.usage_categories'), [
        { key: 'category', label: t('labs.category'), render: (r) => categoryName(r.category || r.group) },
        { key: 'people', label: t('labs.people_col'), num: true, render: (r) => (peopleOf(r).suppressed ? h('span', { class: 'muted' }, t('labs.suppressed')) : int(peopleOf(r).value)) },
        { key: 'booked', label: t('labs.hours_booked'), num: true, render: (r) => (r.suppressed || booked(r) === null ? h('span', { class: 'muted' }, t('labs.suppressed')) : num(booked(r), 2)) },
      ], categories, { className: 'labs-usage-categories' }) : h('p', { class: 'muted' }, t('labs.usage_none')),
      h('div', { class: 'export' }, csvLink(t('labs.csv_categories'), { ...params, by: 'category' })),
      sourceLine(t('labs.usage_kanon'))),

    h('section', { class: 'section', 'aria-labelledby': 'labs-u-proj' },
      h('h2', { id: 'labs-u-proj' }, t('labs.projects_title')),
      projects && (projects.projects || []).length ? table(t('labs.projects_title'), [
        { key: 'title', label: t('labs.project') },
        { key: 'lab', label: t('labs.lab'), render: (p) => (p.lab && typeof p.lab === 'object' ? loc(p.lab) || codeOf(p.lab) : labName(p.lab) || '—') },
        { key: 'outcome', label: t('labs.outcome'), render: (p) => p.outcome || '—' },
      ], projects.projects, { className: 'labs-projects' })
        : h('p', { class: 'muted' }, projects ? tp('labs.projects_count', 0) : t('labs.projects_unavailable')),
      projects ? h('div', { class: 'export' }, h('a', { class: 'btn-small', href: apiUrl('/lab-projects', { lab, format: 'csv' }), download: '' }, t('labs.csv_projects'))) : null));
}
