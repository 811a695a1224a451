// labs-series.js — a weekly series over a semester (#/lab-series; roles
// teacher, lab_manager, admin; docs/labs.md): a space or machine, a weekday,
// a time and a length, the first and last day, the class (name and size).
// "Preview" lists every occurrence with its conflict, worded from the
// server's reason code (POST /api/v1/lab-series/preview), before anything is
// booked; then the teacher books all of them or only the free ones
// (POST /api/v1/lab-series, skip_conflicts).

import { h, replace, announce, newId } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table } from '../ui.js';
import { loc, weekdayName, mediumDay, splitLocal, refusalText, kindName, addDays, todayInLab, sourceLine } from './labs-common.js';

export const routes = [{ path: 'lab-series', nav: 'lab-series' }];

const ROLES = ['teacher', 'lab_manager', 'admin'];

function field(id, label, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint small' }, hint) : null);
}

/** The conflict of an occurrence (a message object), or null when it is free. */
export function conflictOf(o) {
  return o.conflict || null;
}

export async function render(main, ctx) {
  ctx.setTitle(t('labs.series_title'));
  const body = h('div', {}, loading());
  replace(main, pageTitle(t('labs.series_title'), t('labs.series_lead')), body);
  const user = session().user;
  if (!user || !ROLES.includes(user.role)) {
    replace(body, h('p', { class: 'warning', role: 'note' }, t('labs.series_only')));
    return;
  }
  let labs;
  try {
    labs = (await get('/labs')).labs || [];
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(body, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const ids = Object.fromEntries(['res', 'wd', 'time', 'min', 'first', 'last', 'group', 'size'].map((k) => [k, newId(`labs-s-${k}`)]));
  const resource = h('select', { id: ids.res }, labs.map((lab) => h('optgroup', { label: loc(lab) || lab.code },
    (lab.resources || []).map((r) => h('option', { value: r.code, selected: r.code === ctx.query.get('resource') }, `${loc(r) || r.code} (${kindName(r.kind)})`)))));
  const weekday = h('select', { id: ids.wd }, [1, 2, 3, 4, 5, 6, 7].map((d) => h('option', { value: String(d) }, weekdayName(d))));
  const start = h('input', { id: ids.time, type: 'time', value: '10:00', step: '900', required: true });
  const minutes = h('input', { id: ids.min, type: 'number', min: '15', step: '15', value: '120', required: true });
  const first = h('input', { id: ids.first, type: 'date', value: addDays(todayInLab(), 7), required: true });
  const last = h('input', { id: ids.last, type: 'date', value: addDays(todayInLab(), 7 + 7 * 13), required: true });
  const group = h('input', { id: ids.group, type: 'text', maxlength: '80', required: true });
  const size = h('input', { id: ids.size, type: 'number', min: '1', max: '500', value: '20', required: true });
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'labs-series-result' });
  const request = () => ({
    resource: resource.value, weekday: Number(weekday.value), start_time: start.value, minutes: Number(minutes.value),
    first_day: first.value, last_day: last.value, group_name: group.value.trim(), group_size: Number(size.value),
  });

  const confirm = async (req, skip) => {
    try {
      const res = await post('/lab-series', { ...req, skip_conflicts: skip });
      const booked = (res.occurrences || []).filter((o) => o.booking_id).length;
      replace(result, h('p', { class: 'vside-done', role: 'status', 'data-testid': 'labs-series-done' },
        tp('labs.series_booked', booked), ' ', h('a', { href: '#/me/lab-bookings' }, t('labs.my_bookings_link'))));
      announce(tp('labs.series_booked', booked));
    } catch (err) {
      replace(result, h('p', { class: 'field-error', role: 'alert' }, refusalText(err)));
    }
  };

  const preview = async (ev) => {
    ev.preventDefault();
    const req = request();
    if (!req.group_name) { replace(result, h('p', { class: 'field-error', role: 'alert' }, t('labs.group_missing'))); group.focus(); return; }
    replace(result, loading());
    try {
      const res = await post('/lab-series/preview', req);
      const occ = res.occurrences || [];
      // the holidays of the resource's lab in the page's language (the conflicts name them in English)
      const holidays = new Map();
      const labCode = (labs.find((l) => (l.resources || []).some((r) => r.code === req.resource)) || {}).code;
      if (occ.some((o) => o.conflict && o.conflict.params && o.conflict.params.reason === 'holiday') && labCode) {
        try {
          const full = await get(`/labs/${encodeURIComponent(labCode)}`);
          for (const d of (full.lab || full).holidays || []) holidays.set(d.day, loc(d));
        } catch (_) { /* the reason stays without the name */ }
      }
      const conflicts = occ.filter(conflictOf);
      replace(result,
        h('h2', {}, t('labs.series_preview')),
        h('p', { 'data-testid': 'labs-series-summary' }, tp('labs.series_occurrences', occ.length), ' · ', tp('labs.series_conflicts', conflicts.length)),
        table(t('labs.series_preview'), [
          { key: 'day', label: t('labs.day'), render: (o) => mediumDay(o.date || splitLocal(o.start).day) },
          { key: 'time', label: t('labs.time'), render: (o) => `${splitLocal(o.start).time || req.start_time}–${splitLocal(o.end).time || ''}` },
          { key: 'state', label: t('labs.status'), render: (o) => {
            const c = conflictOf(o);
            return c ? h('span', { class: 'labs-conflict' }, h('span', { class: 'badge badge-no' }, t('labs.conflict')), ' ',
              refusalText({ msg: c }, { holidayName: holidays.get(o.date || splitLocal(o.start).day) }))
              : h('span', { class: 'badge badge-yes' }, t('labs.free'));
          } },
        ], occ, { className: 'labs-series-table' }),
        h('div', { class: 'actions' },
          conflicts.length === 0
            ? h('button', { type: 'button', class: 'button', onclick: () => confirm(req, false) }, tp('labs.series_book_all', occ.length))
            : h('button', { type: 'button', class: 'button', onclick: () => confirm(req, true) }, tp('labs.series_book_free', occ.length - conflicts.length))),
        sourceLine(t('labs.series_source')));
    } catch (err) {
      replace(result, h('p', { class: 'field-error', role: 'alert' }, refusalText(err)));
    }
  };

  replace(body,
    h('form', { class: 'form labs-series-form', novalidate: true, onsubmit: preview },
      h('div', { class: 'fields-2' },
        field(ids.res, t('labs.resource'), resource),
        field(ids.wd, t('labs.weekday'), weekday),
        field(ids.time, t('labs.start_time'), start),
        field(ids.min, t('labs.duration_minutes'), minutes),
        field(ids.first, t('labs.first_day'), first),
        field(ids.last, t('labs.last_day'), last),
        field(ids.group, t('labs.group_name'), group),
        field(ids.size, t('labs.group_size'), size)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('labs.series_preview_button')))),
    result);
}
