// cohort-common.js — what the cohort pages share (no routes): dates in the
// page's language, a cohort's status badge and seats, the cohorts table of
// a module, and the requests the API's GET/POST helpers do not make
// (DELETE with the session's CSRF token).

import { h } from '../dom.js';
import { t, tp, locale, lang } from '../i18n.js';
import { getCsrf, ApiError } from '../api.js';
import { int, table } from '../ui.js';
import { session } from '../session.js';

/** A day (YYYY-MM-DD) in the page's language, e.g. "1 feb. 2027". */
export function day(iso) {
  if (!iso) return '—';
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locale(), { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

/** "1 feb. 2027 – 12 mar. 2027" */
export function dates(c) {
  // a one-day cohort (a lab's induction) is one date, not the same date twice
  if (c.starts_on === c.ends_on) return day(c.starts_on);
  return `${day(c.starts_on)} – ${day(c.ends_on)}`;
}

/** A cohort's status as a badge. */
export function statusBadge(status) {
  const cls = status === 'open' ? 'badge-yes' : status === 'cancelled' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${cls}` }, t(`cohort.status_${status}`));
}

/** The title of the cohort's module in the page's language. */
export function moduleTitle(c) {
  const m = c.module || {};
  if (!m.title) return m.code || '';
  return (lang() === 'ro' ? m.title.ro : m.title.en) || m.title.en || m.code;
}

/** "5 seats left of 24" (with a waiting list when full). */
export function seatsText(c) {
  const s = c.seats || {};
  if (s.left > 0) return tp('cohort.seats_left', s.left, { capacity: int(s.capacity) });
  return tp('cohort.full_waiting', s.waiting || 0, { capacity: int(s.capacity) });
}

/** True when the signed-in user may manage cohorts and enrolments (the
 * server decides; this only chooses what to show). */
export function isStaff() {
  const u = session().user;
  return !!(u && (u.role === 'admin' || u.role === 'counsellor'));
}

/** True when the signed-in user runs cohorts (status, attendance, completion):
 * staff, and a provider for the cohorts of its own modules (the server
 * decides per cohort; this only chooses what to show). */
export function runsCohorts() {
  const u = session().user;
  return !!(u && (isStaff() || u.role === 'provider'));
}

/** The next cohort a person could join: open, not started before today;
 * the earliest with a seat left, else the earliest (its waiting list). */
export function nextOpen(cohorts, today = new Date().toISOString().slice(0, 10)) {
  let best = null;
  for (const c of cohorts) {
    if (c.status !== 'open' || c.starts_on < today) continue;
    if (!best || (best.seats.left === 0 && c.seats.left > 0)) best = c;
  }
  return best;
}

/** The cohorts of a list as a table: dates, place, language, status, seats. */
export function cohortsTable(caption, cohorts, { withModule = false } = {}) {
  const columns = [
    { key: 'dates', label: t('cohort.col_dates'), render: (c) => h('a', { href: `#/cohort/${c.id}` }, dates(c)) },
  ];
  if (withModule) {
    columns.push({
      key: 'module', label: t('cohort.col_module'),
      render: (c) => (c.module.id ? h('a', { href: `#/module/${c.module.id}` }, moduleTitle(c)) : c.module.code),
    });
  }
  columns.push(
    { key: 'place', label: t('cohort.col_place'), render: (c) => (c.place ? h('span', { 'data-name': '' }, c.place) : '—') },
    { key: 'language', label: t('cohort.col_language'), render: (c) => c.language },
    { key: 'status', label: t('cohort.col_status'), render: (c) => statusBadge(c.status) },
    { key: 'capacity', label: t('cohort.col_capacity'), num: true, render: (c) => int(c.seats.capacity) },
    { key: 'taken', label: t('cohort.col_enrolled'), num: true, render: (c) => int(c.seats.enrolled + c.seats.completed) },
    { key: 'waiting', label: t('cohort.col_waiting'), num: true, render: (c) => int(c.seats.waiting) },
    { key: 'left', label: t('cohort.col_left'), num: true, render: (c) => int(c.seats.left) });
  return table(caption, columns, cohorts, { className: 'cohorts-table' });
}

/** DELETE path (JSON answer), with the session's CSRF token. */
export async function del(path) {
  const url = new URL(`api/v1${path}`, document.baseURI);
  url.searchParams.set('lang', lang());
  const headers = { Accept: 'application/json' };
  const csrf = getCsrf();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(url, { method: 'DELETE', credentials: 'same-origin', headers });
  } catch (err) {
    throw new ApiError(0, 'network', err.message || 'network error', null);
  }
  let body = null;
  try { body = await res.json(); } catch (_) { body = null; }
  if (res.ok) return body;
  const e = body && body.error;
  throw new ApiError(res.status, e ? e.code : `http-${res.status}`, e && e.message ? e.message : `HTTP ${res.status}`,
    e ? e.field : null);
}
