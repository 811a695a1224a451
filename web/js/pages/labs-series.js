// labs-series.js — a weekly series over a semester (#/lab-series; roles
// teacher, lab_manager, admin; docs/labs.md): a space or machine, a weekday,
// a time and a length, the first and last day, the class (name and size).
// "Preview" lists every occurrence with its conflict, worded from the
// server's reason code (POST /api/v1/lab-series/preview), before anything is
// booked; then the teacher books all of them or only the free ones
// (POST /api/v1/lab-series, skip_conflicts). Below, the series already booked
// (GET /api/v1/me/lab-series: the teacher's own, every one for lab staff) with
// their bookings counted now, each with a button that cancels the rest of it
// after a confirmation (POST /api/v1/lab-series/{id}/cancellation: the
// upcoming dates under the lab's policy, the past ones kept).

import { h, replace, announce, newId } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table } from '../ui.js';
import {
  loc, weekdayName, mediumDay, splitLocal, refusalText, kindName, addDays, todayInLab, sourceLine, openDialog, moneyMinor,
} from './labs-common.js';

export const routes = [{ path: 'lab-series', nav: 'lab-series' }];

const ROLES = ['teacher', 'lab_manager', 'admin'];

function field(id, label, control, hint) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint small' }, hint) : null);
}

/** The conflict of an occurrence (a message object), or null when it is free. */
export function conflictOf(o) {
  return o.conflict || null;
}

/** The confirmation of a series' cancellation: resolves with the server's answer, or undefined. */
function cancelDialog(series, name, policy) {
  return openDialog(t('labs.series_cancel_title'), (close) => {
    const reasonId = newId('labs-series-reason');
    const reason = h('input', { id: reasonId, type: 'text', maxlength: '200' });
    const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });
    const upcoming = (series.bookings || {}).upcoming || 0;
    return h('form', {
      class: 'form', novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        try {
          close(await post(`/lab-series/${series.id}/cancellation`, reason.value.trim() ? { reason: reason.value.trim() } : {}));
        } catch (err) {
          replace(problem, refusalText(err));
          problem.hidden = false;
        }
      },
    },
    h('p', { class: 'dialog-summary' }, `${name} · ${(series.group && series.group.name) || ''}`),
    h('p', { 'data-testid': 'labs-series-cancel-count' }, tp('labs.series_cancel_text', upcoming)),
    policy ? h('p', { class: 'hint small' }, t('labs.fee_rule', { hours: policy.cancel_deadline_hours, percent: policy.late_cancel_fee_percent })) : null,
    h('div', { class: 'field' }, h('label', { for: reasonId }, t('labs.cancel_reason')), reason),
    problem,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, t('labs.series_cancel_confirm')),
      h('button', { type: 'button', class: 'button secondary', onclick: () => close(undefined) }, t('labs.close'))));
  });
}

/** The series booked so far, each with its cancel button; reloads itself after a cancellation. */
async function seriesList(box, labs, ctx) {
  replace(box, loading());
  let list;
  try {
    list = (await get('/me/lab-series')).series || [];
  } catch (err) {
    if (ctx.isCurrent()) replace(box, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const resources = new Map();
  const labOf = new Map();
  for (const lab of labs) for (const r of lab.resources || []) { resources.set(r.code, r); labOf.set(r.code, lab); }
  const nameOf = (code) => loc(resources.get(code)) || code;
  const cancel = async (x, button) => {
    const lab = labOf.get(x.resource);
    let policy = null;
    try {
      const full = lab ? await get(`/labs/${encodeURIComponent(lab.code)}`) : null;
      policy = full ? ((full.lab || full).policy || null) : null;
    } catch (_) { /* the dialog goes without the rule */ }
    const res = await cancelDialog(x, nameOf(x.resource), policy);
    if (!res) { button.focus(); return; }
    const done = tp('labs.series_cancelled', res.count || 0);
    const fee = res.fee_minor ? ` ${t('labs.series_cancelled_fee', { fee: moneyMinor(res.fee_minor, res.currency) })}` : '';
    await seriesList(box, labs, ctx);
    box.insertBefore(h('p', { class: 'vside-done', role: 'status', 'data-testid': 'labs-series-cancel-done' }, `${done}${fee}`),
      box.children[1] || null);
    announce(`${done}${fee}`);
  };
  replace(box,
    h('h2', { id: 'labs-series-mine-h' }, t('labs.series_mine')),
    list.length === 0 ? h('p', { class: 'hint' }, t('labs.series_none')) : table(t('labs.series_mine_caption'), [
      { key: 'resource', label: t('labs.resource'), render: (x) => nameOf(x.resource) },
      { key: 'when', label: t('labs.series_when'), render: (x) => t('labs.series_when_value', { weekday: weekdayName(x.weekday), time: x.start_time, minutes: tp('labs.minutes', x.minutes) }) },
      { key: 'dates', label: t('labs.series_dates'), render: (x) => `${mediumDay(x.first_day)} – ${mediumDay(x.last_day)}` },
      { key: 'group', label: t('labs.group_name'), render: (x) => (x.group ? `${x.group.name} (${x.group.size})` : '') },
      { key: 'upcoming', label: t('labs.series_col_upcoming'), num: true, render: (x) => String((x.bookings || {}).upcoming ?? 0) },
      { key: 'held', label: t('labs.series_col_held'), num: true, render: (x) => String((x.bookings || {}).held ?? 0) },
      { key: 'cancelled', label: t('labs.series_col_cancelled'), num: true, render: (x) => String((x.bookings || {}).cancelled ?? 0) },
      { key: 'status', label: t('labs.status'), render: (x) => h('span', { class: `badge ${x.status === 'active' ? 'badge-yes' : 'badge-no'}`, 'data-status': x.status }, t(`labs.series_status_${x.status}`)) },
      { key: 'action', label: t('labs.series_action'), render: (x) => (x.status === 'active' && (x.bookings || {}).upcoming > 0
        ? h('button', { type: 'button', class: 'btn-small', 'data-series': String(x.id), onclick: (ev) => cancel(x, ev.currentTarget) }, t('labs.series_cancel'))
        : '') },
    ], list, { className: 'labs-series-mine' }),
    sourceLine(t('labs.series_mine_source')));
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
  const mine = h('section', { class: 'section labs-series-mine-section', 'aria-labelledby': 'labs-series-mine-h', 'data-testid': 'labs-series-mine' });
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
      seriesList(mine, labs, ctx);
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
      // a holiday's conflict names it in the page's language (name_local, for the page's ?lang=)
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
              refusalText({ msg: c }))
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
    result,
    mine);
  await seriesList(mine, labs, ctx);
}
