// labs-common.js — what the CREIC lab pages share (docs/labs.md): texts of a
// lab or resource in the page's language (the API sends name_en/name_ro,
// ...), dates and local times of the lab's zone (Europe/Bucharest, sent as
// "YYYY-MM-DDTHH:MM+02:00": shown as they are, never converted by the
// browser's own zone), money, statuses, and the refusal of a booking worded
// from the server's message code. Not a page: it exports no routes.

import { h } from '../dom.js';
import { t, lang, locale, tmsg, has } from '../i18n.js';

/** The text field of obj in the page's language: field_ro / field_en, else the other, else obj[field]. */
export function loc(obj, field = 'name') {
  if (!obj) return '';
  const mine = obj[`${field}_${lang()}`];
  if (typeof mine === 'string' && mine) return mine;
  const v = obj[field];
  if (v && typeof v === 'object') return v[lang()] || v.en || v.ro || '';
  if (typeof v === 'string' && v) return v;
  return obj[`${field}_en`] || obj[`${field}_ro`] || '';
}

/** The lab or resource code of a reference (a code string or an object with code). */
export function codeOf(x) {
  if (!x) return '';
  return typeof x === 'string' ? x : (x.code || '');
}

export function resourceHref(code) { return `#/lab-resources/${encodeURIComponent(code)}`; }
export function labHref(code) { return `#/labs/${encodeURIComponent(code)}`; }

/** A link to a resource (object with code and names, or a code). */
export function resourceLink(r) {
  const code = codeOf(r);
  return h('a', { href: resourceHref(code) }, (typeof r === 'object' && loc(r)) || code);
}

/** Money in minor units as "1.200,00 RON". */
export function moneyMinor(minor, currency = 'RON') {
  if (minor === null || minor === undefined || Number.isNaN(Number(minor))) return t('common.unknown');
  const value = (Number(minor) / 100).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${value} ${currency || 'RON'}`;
}

/* ---- dates (YYYY-MM-DD, computed in UTC so the browser's zone never shifts a day) ---- */

export function parseDay(iso) {
  const [y, m, d] = String(iso).slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
export function dayIso(date) { return date.toISOString().slice(0, 10); }
export function addDays(iso, n) { const d = parseDay(iso); d.setUTCDate(d.getUTCDate() + n); return dayIso(d); }
/** ISO weekday 1 (Monday) .. 7 (Sunday). */
export function weekdayOf(iso) { const w = parseDay(iso).getUTCDay(); return w === 0 ? 7 : w; }
export function mondayOf(iso) { return addDays(iso, 1 - weekdayOf(iso)); }
export function monthStart(iso) { return `${String(iso).slice(0, 7)}-01`; }
export function addMonths(iso, n) {
  const d = parseDay(monthStart(iso));
  d.setUTCMonth(d.getUTCMonth() + n);
  return dayIso(d);
}
export function monthEnd(iso) { return addDays(addMonths(iso, 1), -1); }
/** Today in the lab's zone (Europe/Bucharest), YYYY-MM-DD. */
export function todayInLab() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

const fmtCache = new Map();
function fmt(opts) {
  const key = `${locale()}|${JSON.stringify(opts)}`;
  if (!fmtCache.has(key)) fmtCache.set(key, new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', ...opts }));
  return fmtCache.get(key);
}
/** "luni, 1 martie 2027" / "Monday, 1 March 2027". */
export function longDay(iso) { return fmt({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(parseDay(iso)); }
/** "lun. 1 mar." */
export function shortDay(iso) { return fmt({ weekday: 'short', day: 'numeric', month: 'short' }).format(parseDay(iso)); }
export function mediumDay(iso) { return fmt({ day: 'numeric', month: 'short', year: 'numeric' }).format(parseDay(iso)); }
export function monthName(iso) { return fmt({ month: 'long', year: 'numeric' }).format(parseDay(iso)); }
/** The name of ISO weekday n (1..7). */
export function weekdayName(n, style = 'long') { return fmt({ weekday: style }).format(parseDay(addDays('2027-03-01', n - 1))); }

/** "HH:MM" from minutes after midnight. */
export function hhmm(minutes) {
  const m = Number(minutes);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
/** Minutes after midnight of "HH:MM". */
export function minutesOf(s) { const [a, b] = String(s).split(':').map(Number); return a * 60 + (b || 0); }

/** A local time of the lab ("2027-03-01T10:00+02:00"): {day, time}. */
export function splitLocal(s) {
  const str = String(s || '');
  return { day: str.slice(0, 10), time: str.slice(11, 16) };
}
/** "1 mar. 2027, 10:00–12:00" for a booking's start and end (local times of the lab). */
export function whenText(start, end) {
  const a = splitLocal(start);
  const b = splitLocal(end);
  if (!a.day) return t('common.unknown');
  return `${mediumDay(a.day)}, ${a.time}${b.time ? `–${b.time}` : ''}${b.day && b.day !== a.day ? ` (${mediumDay(b.day)})` : ''}`;
}

/** A booking status as a badge. */
export function bookingStatus(status) {
  const kind = status === 'confirmed' || status === 'checked_in' || status === 'completed' ? 'badge-yes'
    : status === 'cancelled' || status === 'no_show' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${kind}`, 'data-status': status }, has(`labs.status_${status}`) ? t(`labs.status_${status}`) : status);
}

export const CATEGORIES = ['school', 'university', 'enterprise', 'resident', 'culturepreneur'];
export function categoryName(c) { return has(`labs.category_${c}`) ? t(`labs.category_${c}`) : c; }
export function kindName(k) { return has(`labs.kind_${k}`) ? t(`labs.kind_${k}`) : k; }

/** The title of a requirement or missing training ({kind, ref, title_local | title_en/title_ro | title}). */
export function requirementTitle(r) {
  if (!r) return '';
  // a refusal's missing training carries its title in the page's language (the API's ?lang=)
  if (typeof r.title_local === 'string' && r.title_local) return r.title_local;
  const title = loc(r, 'title');
  return title || r.ref || '';
}

/**
 * Why the server refused a booking, in the page's language: the error's
 * message object (labs.training_missing, labs.slot_taken, labs.outside_hours,
 * labs.closed, labs.voucher_insufficient, ...) worded through msg.<code>;
 * its parameters made readable first (the list of missing trainings, money
 * in minor units, the reason of a closure, a holiday's name in the page's
 * language: name_local, which the API sends for the page's ?lang=). Without
 * a message, the code's own string or the server's text.
 */
export function refusalText(err) {
  if (!err) return '';
  const m = err.msg || (err.code && has(`msg.${err.code}`) ? { code: err.code, params: {}, text: err.message } : null);
  if (!m) return err.message || String(err);
  const params = { ...(m.params || {}) };
  if (Array.isArray(params.missing)) params.missing = params.missing.map(requirementTitle).filter(Boolean).join(', ');
  for (const k of ['balance', 'price', 'fee', 'amount']) {
    const v = params[k] ?? params[`${k}_minor`];
    if (typeof v === 'number') params[k] = moneyMinor(v, params.currency);
    else if (v && typeof v === 'object' && typeof v.minor_units === 'number') params[k] = moneyMinor(v.minor_units, v.currency);
  }
  // a holiday's name in the page's language (name_local); the English name only on English pages
  if (params.reason === 'holiday') params.name = params.name_local || (lang() === 'en' ? params.name || null : null);
  if (params.name === '') params.name = null;
  if (typeof params.reason === 'string' && has(`labs.closed_${params.reason}`)) params.reason = t(`labs.closed_${params.reason}`);
  return tmsg({ ...m, params });
}

/** The missing trainings of an error or an access answer, as a list ([{kind, ref, title}]). */
export function missingOf(x) {
  const list = (x && x.msg && x.msg.params && x.msg.params.missing) || (x && x.missing) || [];
  return Array.isArray(list) ? list : [];
}

/** A link to where a missing module is taught (the catalogue's module page), else its reference. */
export function trainingLink(req) {
  const title = requirementTitle(req);
  if (req.kind === 'module') {
    const target = req.module_id ? `#/module/${encodeURIComponent(req.module_id)}` : `#/search?q=${encodeURIComponent(req.ref)}`;
    return h('a', { href: req.href || target }, title === req.ref ? req.ref : `${title} (${req.ref})`);
  }
  return h('span', {}, title);
}

/** A small note saying where the figures of a page come from. */
export function sourceLine(textValue) {
  return h('p', { class: 'hint small source-note' }, textValue);
}

/**
 * An accessible modal dialog (role="dialog", aria-modal, labelled by its
 * title): build(close) returns its content; the page behind is inert while
 * it is open, Tab goes round its controls, Escape closes it, and the focus
 * goes back where it was. Resolves with the value close(value) was given
 * (undefined for Escape).
 */
export function openDialog(title, build, { className = '' } = {}) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const titleId = `labs-dialog-${Math.random().toString(36).slice(2, 8)}`;
    let behind = [];
    let done = false;
    const dialog = h('div', { class: `dialog ${className}`.trim(), role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId });
    const backdrop = h('div', { class: 'dialog-backdrop' }, dialog);
    const close = (value) => {
      if (done) return;
      done = true;
      document.removeEventListener('focusin', keepFocus, true);
      document.removeEventListener('keydown', onKey, true);
      window.removeEventListener('hashchange', onLeave);
      for (const el of behind) el.inert = false;
      backdrop.remove();
      document.body.classList.remove('has-dialog');
      if (before && typeof before.focus === 'function' && before.isConnected) before.focus();
      resolve(value);
    };
    const focusables = () => [...dialog.querySelectorAll('input, button, a[href], select, textarea, [tabindex]:not([tabindex="-1"])')]
      .filter((el) => !el.disabled && !el.closest('[hidden]'));
    function keepFocus(ev) { if (!dialog.contains(ev.target)) focusables()[0]?.focus(); }
    // Escape closes it wherever the focus is (a button disabled while it works lets the focus go to the body)
    function onKey(ev) {
      if (ev.key === 'Escape') { ev.preventDefault(); ev.stopPropagation(); close(undefined); }
    }
    // leaving the page (another address) closes it
    function onLeave() { close(undefined); }
    dialog.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Tab') return;
      const list = focusables();
      if (!list.length) return;
      if (ev.shiftKey && document.activeElement === list[0]) { ev.preventDefault(); list[list.length - 1].focus(); }
      else if (!ev.shiftKey && document.activeElement === list[list.length - 1]) { ev.preventDefault(); list[0].focus(); }
    });
    dialog.appendChild(h('h2', { id: titleId, tabindex: '-1' }, title));
    dialog.appendChild(build(close));
    behind = [...document.body.children].filter((el) => !el.inert && el.id !== 'announcer');
    for (const el of behind) el.inert = true;
    document.body.classList.add('has-dialog');
    document.body.appendChild(backdrop);
    document.addEventListener('focusin', keepFocus, true);
    document.addEventListener('keydown', onKey, true);
    window.addEventListener('hashchange', onLeave);
    (focusables()[0] || dialog.querySelector('h2')).focus();
  });
}

/** A fresh idempotency key for a request that changes state (a retry of the same click sends the same). */
export function newKey(prefix = 'web') {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

let catalogue = null;
/**
 * The labs with their resources (GET /api/v1/labs, public), read once per
 * page load: {labs, resource(code) → the resource with its lab's code,
 * lab(code)}. Bookings name their resource and lab by code only.
 */
export async function labsCatalogue(get) {
  if (!catalogue) {
    catalogue = get('/labs').then((data) => {
      const labs = data.labs || [];
      const resources = new Map();
      for (const lab of labs) for (const r of lab.resources || []) resources.set(r.code, { ...r, lab: lab.code });
      return { labs, resource: (code) => resources.get(code) || null, lab: (code) => labs.find((l) => l.code === code) || null };
    }).catch((err) => { catalogue = null; throw err; });
  }
  return catalogue;
}

/** The name of a resource given by code (or object) in the page's language, from the catalogue when it knows it. */
export function resourceName(cat, r) {
  if (r && typeof r === 'object' && loc(r)) return loc(r);
  const code = codeOf(r);
  const known = cat && cat.resource(code);
  return (known && loc(known)) || code;
}

/** A date-time from UTC seconds (0 or null: null) in the page's locale, in the lab's zone. */
export function labDateTime(seconds) {
  if (!seconds) return null;
  return new Intl.DateTimeFormat(locale(), { timeZone: 'Europe/Bucharest', dateStyle: 'medium', timeStyle: 'short' })
    .format(new Date(seconds * 1000));
}
