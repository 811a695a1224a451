// labs.js — the CREIC labs (public; docs/labs.md): #/labs lists the labs
// with their spaces and machines (GET /api/v1/labs); #/labs/{lab} shows one
// lab: its spaces and machines, opening hours per weekday, the upcoming
// closures and maintenance windows and the public holidays of the next
// twelve months (GET /api/v1/labs/{lab}). Lab staff get a link to the day's
// bookings (#/labs/{lab}/today).

import { h, replace } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table, text } from '../ui.js';
import {
  loc, labHref, resourceHref, kindName, weekdayName, hhmm, minutesOf, mediumDay, whenText, sourceLine,
} from './labs-common.js';

export const routes = [{ path: 'labs', nav: 'labs' }, { path: 'labs/:lab', nav: 'labs' }];

const STAFF_ROLES = ['admin', 'lab_manager', 'lab_staff'];
export function isLabStaff() {
  const u = session().user;
  return !!(u && STAFF_ROLES.includes(u.role));
}

function resourceItem(r) {
  return h('li', { 'data-resource': r.code },
    h('a', { href: resourceHref(r.code) }, loc(r) || r.code),
    r.kind === 'space' && r.capacity > 1 ? h('span', { class: 'muted small' }, ` · ${tp('labs.capacity_people', r.capacity)}`) : null);
}

function labCard(lab) {
  const resources = lab.resources || [];
  const machines = resources.filter((r) => r.kind === 'machine');
  const spaces = resources.filter((r) => r.kind !== 'machine');
  const id = `lab-${lab.code}`;
  return h('li', { class: 'card labs-card', 'data-lab': lab.code },
    // a lab's name is a proper name (data-name: "Work 4.0 & Machine Learning" stays as the programme names it)
    h('h2', { id }, h('a', { href: labHref(lab.code), 'data-name': '' }, loc(lab) || lab.code)),
    loc(lab, 'description') ? h('p', {}, loc(lab, 'description')) : null,
    machines.length ? [h('h3', {}, tp('labs.machines_count', machines.length)),
      h('ul', { class: 'plain-list labs-resources' }, machines.map(resourceItem))] : null,
    spaces.length ? [h('h3', {}, tp('labs.spaces_count', spaces.length)),
      h('ul', { class: 'plain-list labs-resources' }, spaces.map(resourceItem))] : null,
    h('p', {}, h('a', { href: labHref(lab.code), 'aria-label': t('labs.open_lab', { name: loc(lab) || lab.code }) }, t('labs.open_lab_short')),
      isLabStaff() ? [' · ', h('a', { href: `${labHref(lab.code)}/today` }, t('labs.today_link'))] : null));
}

async function renderList(main, ctx) {
  ctx.setTitle(t('labs.title'));
  const body = h('div', {}, loading());
  replace(main, pageTitle(t('labs.title'), t('labs.lead')), body);
  try {
    const data = await get('/labs');
    if (!ctx.isCurrent()) return;
    const labs = data.labs || [];
    replace(body,
      labs.length ? h('ul', { class: 'cards labs-cards' }, labs.map(labCard)) : h('p', {}, t('labs.none')),
      session().user ? h('p', {}, h('a', { href: '#/me/lab-bookings' }, t('labs.my_bookings_link'))) : null,
      sourceLine(t('labs.catalogue_source')));
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(body, errorBox(err));
  }
}

/** The opening hours as [{weekday, ranges: [[open, close]]}] from the API's rows, whatever their field names. */
export function hoursByWeekday(hours) {
  const days = new Map();
  for (const row of hours || []) {
    const wd = Number(row.weekday);
    if (!days.has(wd)) days.set(wd, []);
    if (Array.isArray(row.ranges)) { days.get(wd).push(...row.ranges); continue; }
    const open = row.opens ?? row.open ?? row.from ?? (row.opens_minute !== undefined ? hhmm(row.opens_minute) : null);
    const close = row.closes ?? row.close ?? row.to ?? (row.closes_minute !== undefined ? hhmm(row.closes_minute) : null);
    if (open && close) days.get(wd).push([open, close]);
  }
  const out = [];
  for (let wd = 1; wd <= 7; wd += 1) {
    const ranges = (days.get(wd) || []).sort((a, b) => minutesOf(a[0]) - minutesOf(b[0]));
    out.push({ weekday: wd, ranges });
  }
  return out;
}

function hoursTable(hours) {
  return table(t('labs.hours_title'), [
    { key: 'weekday', label: t('labs.weekday'), render: (r) => weekdayName(r.weekday) },
    { key: 'ranges', label: t('labs.hours'), render: (r) => (r.ranges.length ? r.ranges.map((x) => `${x[0]}–${x[1]}`).join(', ') : t('labs.closed_day')) },
  ], hoursByWeekday(hours), { className: 'labs-hours' });
}

const NEXT_HOLIDAYS = 5;

/** The next public holidays in a table, the rest of the twelve months folded under it. */
function holidayTables(holidays) {
  const columns = [
    { key: 'day', label: t('labs.day'), render: (d) => mediumDay(d.day || d.date) },
    { key: 'name', label: t('labs.holiday'), render: (d) => loc(d) || text(null) },
  ];
  const next = holidays.slice(0, NEXT_HOLIDAYS);
  const later = holidays.slice(NEXT_HOLIDAYS);
  return [table(t('labs.holidays_next'), columns, next, { className: 'labs-holidays' }),
    later.length ? h('details', { class: 'table-details' }, h('summary', {}, tp('labs.holidays_later', later.length)),
      table(t('labs.holidays_title'), columns, later, { className: 'labs-holidays' })) : null];
}

async function renderLab(main, ctx) {
  const code = ctx.params.lab;
  const body = h('div', {}, loading());
  replace(main, pageTitle(code), body);
  let lab;
  try {
    const data = await get(`/labs/${encodeURIComponent(code)}`);
    lab = data.lab || data;
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(main, pageTitle(t('labs.title')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const name = loc(lab) || code;
  ctx.setTitle(name);
  const resources = lab.resources || [];
  const title = pageTitle(name, loc(lab, 'description') || null);
  title.querySelector('h1').dataset.name = ''; // the lab's proper name
  const closures = lab.closures || [];
  const holidays = lab.holidays || [];
  replace(main,
    h('nav', { class: 'crumbs', 'aria-label': t('labs.crumbs') }, h('ol', {},
      h('li', {}, h('a', { href: '#/labs' }, t('labs.title'))), h('li', { 'data-name': '' }, name))),
    title,
    lab.address ? h('p', {}, h('strong', {}, `${t('labs.address')}: `), h('span', { 'data-name': '' }, lab.address)) : null,
    isLabStaff() ? h('p', {}, h('a', { href: `${labHref(code)}/today` }, t('labs.today_link'))) : null,
    h('section', { class: 'section', 'aria-labelledby': 'labs-resources-h' },
      h('h2', { id: 'labs-resources-h' }, t('labs.resources_title')),
      resources.length ? table(t('labs.resources_title'), [
        { key: 'name', label: t('labs.resource'), render: (r) => h('a', { href: resourceHref(r.code) }, loc(r) || r.code) },
        { key: 'kind', label: t('labs.kind'), render: (r) => kindName(r.kind) },
        { key: 'slot', label: t('labs.slot'), render: (r) => (r.slot_minutes ? tp('labs.minutes', r.slot_minutes) : text(null)) },
        { key: 'capacity', label: t('labs.capacity'), num: true, render: (r) => (r.capacity ? String(r.capacity) : text(null)) },
      ], resources, { className: 'labs-resources-table' }) : h('p', {}, t('labs.no_resources'))),
    h('section', { class: 'section', 'aria-labelledby': 'labs-hours-h' },
      h('h2', { id: 'labs-hours-h' }, t('labs.hours_title')),
      hoursTable(lab.hours),
      h('p', { class: 'hint' }, t('labs.timezone_note', { zone: lab.timezone || 'Europe/Bucharest' }))),
    h('section', { class: 'section', 'aria-labelledby': 'labs-closures-h' },
      h('h2', { id: 'labs-closures-h' }, t('labs.closures_title')),
      closures.length ? table(t('labs.closures_title'), [
        { key: 'when', label: t('labs.when'), render: (c) => whenText(c.start, c.end) },
        { key: 'kind', label: t('labs.kind'), render: (c) => t(c.kind === 'maintenance' ? 'labs.closed_maintenance' : 'labs.closed_closure') },
        { key: 'what', label: t('labs.what'), render: (c) => (c.resource ? loc(c.resource) || c.resource.code || c.resource : t('labs.whole_lab')) },
        { key: 'reason', label: t('labs.reason'), render: (c) => text(c.reason) },
      ], closures) : h('p', {}, t('labs.no_closures'))),
    h('section', { class: 'section', 'aria-labelledby': 'labs-holidays-h' },
      h('h2', { id: 'labs-holidays-h' }, t('labs.holidays_title')),
      holidays.length ? holidayTables(holidays) : h('p', {}, t('labs.no_holidays')),
      sourceLine(t('labs.holidays_source', { source: (holidays.find((d) => d.source) || {}).source || t('labs.holidays_law') }))));
}

export async function render(main, ctx) {
  if (ctx.route === 'labs') return renderList(main, ctx);
  return renderLab(main, ctx);
}
