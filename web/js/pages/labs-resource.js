// labs-resource.js — a machine or space of a CREIC lab (#/lab-resources/{code};
// docs/labs.md): its description, safety notes and photo; what unlocks it
// (the trainings required) with the signed-in person's own status (GET
// /api/v1/me/lab-access): held, or missing with where to take it; its
// prices per category; and its availability in a week view and a month view.
//
// The calendar stays fast over a year of daily slots: availability is asked
// by whole months, a year ahead in ONE request (GET .../availability?from=
// &to=, at most 400 days), kept in a cache of days; moving between weeks
// and months renders from the cache, each view built in one
// DocumentFragment and put in the page at once. Only a month not yet in the
// cache is asked for (the calendar's data-requests counts the requests).
//
// A free slot opens the booking dialog: duration, price category, payment
// (one of my "lab time" vouchers, GET /api/v1/me/vouchers, or an invoice)
// and the total; POST /api/v1/lab-bookings books it, and a refusal is worded
// from the server's message code (training missing, slot taken, outside the
// opening hours, closed, voucher insufficient, ...). A taken slot offers the
// waiting list (POST /api/v1/lab-waitlist).

import { h, replace, announce, newId } from '../dom.js';
import { t, tp, lang } from '../i18n.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table } from '../ui.js';
import {
  loc, labHref, kindName, categoryName, moneyMinor, addDays, mondayOf, monthStart, monthEnd, addMonths,
  todayInLab, longDay, shortDay, monthName, weekdayName, minutesOf, hhmm, refusalText, missingOf,
  trainingLink, sourceLine, openDialog, newKey, codeOf, CATEGORIES,
} from './labs-common.js';

export const routes = [{ path: 'lab-resources/:code', nav: 'labs' }];

const YEAR_DAYS = 366; // one request covers a year of days ahead (the API takes up to 400)

/* ---- the availability cache ---------------------------------------------------- */

/**
 * Days of availability by date, asked by whole months. ensure(from, to)
 * asks for the months of [from, to] not cached yet in one request, from
 * the first missing month to at least a year after it.
 */
function availabilityCache(code) {
  const days = new Map();
  const months = new Set();
  let requests = 0;
  let slotMinutes = null;
  const monthsOf = (from, to) => {
    const out = [];
    for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) out.push(m.slice(0, 7));
    return out;
  };
  return {
    get requests() { return requests; },
    get slotMinutes() { return slotMinutes; },
    day: (iso) => days.get(iso) || null,
    has: (from, to) => monthsOf(from, to).every((m) => months.has(m)),
    forget(iso) { months.delete(iso.slice(0, 7)); },
    async ensure(from, to) {
      const missing = monthsOf(from, to).filter((m) => !months.has(m));
      if (!missing.length) return false;
      const first = `${missing[0]}-01`;
      let last = monthEnd(`${missing[missing.length - 1]}-01`);
      // a year ahead at once, ending at a month's end, never over what is cached already
      let ahead = monthEnd(addDays(first, YEAR_DAYS - 31));
      while (ahead > last && months.has(ahead.slice(0, 7))) ahead = monthEnd(addMonths(ahead, -1));
      if (ahead > last) last = ahead;
      requests += 1;
      const data = await get(`/lab-resources/${encodeURIComponent(code)}/availability`, { from: first, to: last });
      if (data.slot_minutes) slotMinutes = data.slot_minutes;
      for (const d of data.days || []) days.set(d.date, d);
      for (const m of monthsOf(first, last)) months.add(m);
      return true;
    },
  };
}

/* ---- slots of a day ---------------------------------------------------------------- */

function nowInLab() {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Bucharest', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date());
  const get2 = (type) => Number(parts.find((p) => p.type === type).value);
  return { day: todayInLab(), minute: get2('hour') * 60 + get2('minute') };
}

/**
 * The slots of a day on the resource's grid: [{start, end (minutes), state:
 * 'free'|'booked'|'maintenance'|'closure'|'past', freeUntil}]; freeUntil: the
 * end of the free interval a free slot starts (the longest booking from it).
 */
export function daySlots(day, slot, now) {
  const out = [];
  if (!day || day.closed) return out;
  const free = (day.free || []).map(([a, b]) => [minutesOf(a), minutesOf(b)]);
  const busy = (day.busy || []).map((x) => ({ start: minutesOf(x.start), end: minutesOf(x.end), kind: x.kind || 'booked' }));
  for (const [a, b] of day.open || []) {
    const open = minutesOf(a);
    const close = minutesOf(b);
    for (let s = open; s + slot <= close; s += slot) {
      const e = s + slot;
      const inFree = free.find(([fa, fb]) => fa <= s && e <= fb);
      let state;
      if (inFree) state = 'free';
      else state = (busy.find((x) => x.start < e && s < x.end) || { kind: 'booked' }).kind;
      if (day.date < now.day || (day.date === now.day && s < now.minute)) state = 'past';
      out.push({ start: s, end: e, state, freeUntil: inFree ? inFree[1] : null });
    }
  }
  return out;
}

function closedText(closed) {
  if (!closed) return '';
  const reason = t(`labs.closed_${closed.reason}`);
  // a holiday's name in the page's language (name_local, for the page's ?lang=; the English name on
  // English pages only), a closure's reason as the manager wrote it
  let name = closed.name && typeof closed.name === 'object' ? loc({ name: closed.name }) : closed.name;
  if (closed.reason === 'holiday') name = closed.name_local || (lang() === 'en' ? name : '');
  return name ? `${reason}: ${name}` : reason;
}

/* ---- the page -------------------------------------------------------------------------- */

export async function render(main, ctx) {
  const code = ctx.params.code;
  replace(main, pageTitle(code), loading());
  let resource;
  try {
    const data = await get(`/lab-resources/${encodeURIComponent(code)}`);
    resource = data.resource || data;
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(main, pageTitle(t('labs.resource')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const user = session().user;
  const name = loc(resource) || code;
  ctx.setTitle(name);

  // my status for each requirement, and where the modules are taught
  let access = null;
  let accessError = null;
  const moduleIds = new Map();
  const asks = [];
  if (user) {
    asks.push(get('/me/lab-access').then((a) => {
      const list = a.resources || a.access || a.machines || (Array.isArray(a) ? a : []);
      access = list.find((e) => codeOf(e.resource) === code || e.code === code) || null;
    }).catch((err) => { accessError = err; }));
  }
  if ((resource.requirements || []).some((r) => r.kind === 'module')) {
    asks.push(get('/modules').then((m) => {
      for (const mod of m.modules || []) moduleIds.set(mod.code, mod.id);
    }).catch(() => { /* the links fall back to a search */ }));
  }
  await Promise.all(asks);
  if (!ctx.isCurrent()) return;

  let lab = resource.lab && typeof resource.lab === 'object' ? resource.lab : { code: resource.lab || resource.lab_code };
  if (lab.code && !loc(lab)) {
    // the resource names its lab by code: the lab's names
    try {
      const data = await get(`/labs/${encodeURIComponent(lab.code)}`);
      lab = data.lab || data;
    } catch (_) { /* the code stays */ }
    if (!ctx.isCurrent()) return;
  }
  const calendarBox = h('section', { class: 'section labs-calendar-section', 'aria-labelledby': 'labs-cal-h' });
  const notice = h('div', { 'aria-live': 'polite', 'data-testid': 'labs-booked' });

  replace(main,
    h('nav', { class: 'crumbs', 'aria-label': t('labs.crumbs') }, h('ol', {},
      h('li', {}, h('a', { href: '#/labs' }, t('labs.title'))),
      lab.code ? h('li', {}, h('a', { href: labHref(lab.code), 'data-name': '' }, loc(lab) || lab.code)) : null,
      h('li', {}, name))),
    pageTitle(name, `${kindName(resource.kind)}${resource.kind === 'space' && resource.capacity ? ` · ${tp('labs.capacity_people', resource.capacity)}` : ''}`),
    h('div', { class: 'split labs-resource-head' },
      h('div', {},
        loc(resource, 'description') ? h('p', {}, loc(resource, 'description')) : null,
        loc(resource, 'safety') ? h('div', { class: 'warning labs-safety', role: 'note' },
          h('strong', {}, `${t('labs.safety')}: `), loc(resource, 'safety')) : null,
        h('p', { class: 'hint' }, t('labs.slot_rule', {
          slot: tp('labs.minutes', resource.slot_minutes || 60),
          max: tp('labs.minutes', (resource.slot_minutes || 60) * (resource.max_slots || 1)),
        }))),
      resource.photo ? h('figure', { class: 'labs-photo' },
        h('img', { src: resource.photo, alt: t('labs.photo_alt', { name }), loading: 'lazy' })) : null),
    requirementsSection(resource, user, access, accessError, moduleIds, code),
    pricesSection(resource),
    notice,
    calendarBox);

  const calendar = calendarView(calendarBox, resource, ctx, { user, access, moduleIds, notice });
  await calendar.show();
  return () => calendar.dispose();
}

function requirementsSection(resource, user, access, accessError, moduleIds, code) {
  const reqs = resource.requirements || [];
  const missing = missingOf(access);
  const isMissing = (r) => missing.some((m) => m.kind === r.kind && m.ref === r.ref);
  const link = (r) => trainingLink({ ...r, module_id: r.module_id || moduleIds.get(r.ref) });
  let status = null;
  if (!user) {
    status = h('p', { class: 'hint' }, h('a', { href: `#/login?next=${encodeURIComponent(`lab-resources/${code}`)}` }, t('labs.sign_in')),
      ' ', t('labs.sign_in_status'));
  } else if (accessError) {
    status = errorBox(accessError);
  } else if (access) {
    status = access.allowed
      ? h('p', { class: 'labs-access', 'data-access': 'allowed' }, h('span', { class: 'badge badge-yes' }, t('labs.access_allowed')))
      : h('p', { class: 'labs-access', 'data-access': 'missing' }, h('span', { class: 'badge badge-no' }, t('labs.access_missing')));
  }
  return h('section', { class: 'section', 'aria-labelledby': 'labs-req-h' },
    h('h2', { id: 'labs-req-h' }, t('labs.requirements_title')),
    status,
    reqs.length ? h('ul', { class: 'plain-list labs-reqs' }, reqs.map((r) => {
      let mine = null;
      if (user && access) {
        mine = isMissing(r)
          ? h('span', {}, h('span', { class: 'badge badge-no' }, t('labs.req_missing')), ' ',
            r.kind === 'module' ? t('labs.req_where_module') : t('labs.req_where_skill'))
          : h('span', { class: 'badge badge-yes' }, t('labs.req_held'));
      }
      return h('li', { 'data-ref': r.ref },
        h('span', { class: 'muted' }, `${t(`labs.req_kind_${r.kind === 'skill' ? 'skill' : 'module'}`)}: `),
        link(r), mine ? [' — ', mine] : null);
    })) : h('p', {}, t('labs.no_requirements')),
    reqs.length ? h('p', { class: 'hint small' }, t('labs.requirements_rule')) : null);
}

function pricesSection(resource) {
  const prices = resource.prices || [];
  return h('section', { class: 'section', 'aria-labelledby': 'labs-prices-h' },
    h('h2', { id: 'labs-prices-h' }, t('labs.prices_title')),
    prices.length ? table(t('labs.prices_title'), [
      { key: 'category', label: t('labs.category'), render: (p) => categoryName(p.category) },
      { key: 'per_hour', label: t('labs.per_hour'), num: true, render: (p) => moneyMinor(p.per_hour_minor, p.currency) },
    ], prices, { className: 'labs-prices' }) : h('p', {}, t('labs.no_prices')),
    sourceLine(t('labs.prices_source')));
}

/* ---- the calendar ------------------------------------------------------------------------- */

function calendarView(box, resource, ctx, env) {
  const code = resource.code || ctx.params.code;
  const cache = availabilityCache(code);
  const slot = resource.slot_minutes || 60;
  let view = ctx.query.get('view') === 'month' ? 'month' : 'week';
  const askedDate = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.get('date') || '') ? ctx.query.get('date') : null;
  let anchor = askedDate || todayInLab();
  let disposed = false;
  let shown = 0; // the latest show(): an older one that waited for the network does not draw over it

  const title = h('h2', { id: 'labs-cal-h' }, t('labs.availability_title'));
  const range = h('p', { class: 'labs-cal-range', 'aria-live': 'polite' });
  const grid = h('div', { class: 'labs-cal', 'data-testid': 'labs-calendar', 'data-requests': '0' });
  const weekBtn = h('button', { type: 'button', class: 'btn-small', onclick: () => setView('week') }, t('labs.view_week'));
  const monthBtn = h('button', { type: 'button', class: 'btn-small', onclick: () => setView('month') }, t('labs.view_month'));
  const prev = h('button', { type: 'button', class: 'btn-small', onclick: () => move(-1) });
  const next = h('button', { type: 'button', class: 'btn-small', onclick: () => move(1) });
  const today = h('button', { type: 'button', class: 'btn-small', onclick: () => { anchor = todayInLab(); show(); } }, t('labs.today'));
  replace(box, title,
    h('div', { class: 'labs-cal-tools' },
      h('div', { role: 'group', 'aria-label': t('labs.view_label'), class: 'labs-cal-views' }, weekBtn, monthBtn),
      h('div', { role: 'group', 'aria-label': t('labs.move_label'), class: 'labs-cal-move' }, prev, today, next)),
    range,
    env.user ? null : h('p', { class: 'hint' }, t('labs.sign_in_to_book')),
    grid,
    h('p', { class: 'hint small labs-legend' },
      h('span', { class: 'labs-slot labs-slot-free', 'aria-hidden': 'true' }, '09:00'), ` ${t('labs.legend_free')} `,
      h('span', { class: 'labs-slot labs-slot-booked', 'aria-hidden': 'true' }, '09:00'), ` ${t('labs.legend_busy')}`),
    sourceLine(t('labs.availability_source', { zone: 'Europe/Bucharest' })));

  function remember() {
    // the view and date in the address (shared links open the same view), without rendering anew
    const target = `#/lab-resources/${encodeURIComponent(code)}?view=${view}&date=${anchor}`;
    if (location.hash !== target) {
      history.replaceState(history.state, '', target);
      document.getElementById('main').dataset.hash = location.hash;
    }
  }

  function setView(v) { view = v; show(); }
  function move(step) {
    anchor = view === 'week' ? addDays(mondayOf(anchor), 7 * step) : addMonths(anchor, step);
    show();
  }

  function bounds() {
    if (view === 'week') { const from = mondayOf(anchor); return [from, addDays(from, 6)]; }
    const first = monthStart(anchor);
    return [mondayOf(first), addDays(mondayOf(monthEnd(anchor)), 6)];
  }

  async function show({ refresh = false } = {}) {
    if (disposed) return;
    shown += 1;
    const mine = shown;
    weekBtn.setAttribute('aria-pressed', view === 'week' ? 'true' : 'false');
    monthBtn.setAttribute('aria-pressed', view === 'month' ? 'true' : 'false');
    prev.textContent = view === 'week' ? t('labs.prev_week') : t('labs.prev_month');
    next.textContent = view === 'week' ? t('labs.next_week') : t('labs.next_month');
    const [from, to] = bounds();
    range.textContent = view === 'week' ? `${shortDay(from)} – ${shortDay(to)}` : monthName(anchor);
    remember();
    if (refresh || !cache.has(from, to)) {
      grid.setAttribute('aria-busy', 'true');
      try {
        await cache.ensure(from, to);
      } catch (err) {
        grid.removeAttribute('aria-busy');
        replace(grid, errorBox(err));
        return;
      }
      grid.removeAttribute('aria-busy');
      if (disposed || mine !== shown) return;
    }
    grid.dataset.requests = String(cache.requests);
    grid.dataset.view = view;
    grid.dataset.from = from;
    const started = performance.now();
    const fragment = view === 'week' ? weekFragment(from) : monthFragment(from, to);
    replace(grid, fragment);
    grid.dataset.renderMs = (performance.now() - started).toFixed(1);
  }

  function weekFragment(from) {
    const now = nowInLab();
    const fragment = document.createDocumentFragment();
    const list = h('ol', { class: 'labs-week' });
    for (let i = 0; i < 7; i += 1) {
      const iso = addDays(from, i);
      const day = cache.day(iso);
      const li = h('li', { class: 'labs-day', 'data-date': iso });
      const headId = `labs-d-${iso}`;
      li.appendChild(h('h3', { id: headId, class: 'labs-day-head' }, longDay(iso)));
      if (!day) li.appendChild(h('p', { class: 'muted' }, t('labs.no_data')));
      else if (day.closed) li.appendChild(h('p', { class: 'labs-closed' }, closedText(day.closed)));
      else {
        const slots = daySlots(day, slot, now);
        if (!slots.length) li.appendChild(h('p', { class: 'labs-closed' }, t('labs.closed_outside')));
        const ul = h('ul', { class: 'labs-slots', 'aria-labelledby': headId });
        for (const s of slots) {
          const time = hhmm(s.start);
          if (s.state === 'free') {
            ul.appendChild(h('li', {}, h('button', {
              type: 'button', class: 'labs-slot labs-slot-free', 'data-start': `${iso}T${time}`,
              'aria-label': t('labs.book_slot_label', { day: longDay(iso), time }),
              onclick: () => bookDialog(iso, s),
            }, time)));
          } else {
            ul.appendChild(h('li', {}, h('span', { class: `labs-slot labs-slot-${s.state === 'past' ? 'past' : 'booked'}`, 'data-state': s.state },
              time, h('span', { class: 'visually-hidden' }, ` ${t(`labs.slot_${s.state}`)}`))));
          }
        }
        li.appendChild(ul);
      }
      list.appendChild(li);
    }
    fragment.appendChild(list);
    return fragment;
  }

  function monthFragment(from, to) {
    const now = nowInLab();
    const month = anchor.slice(0, 7);
    const fragment = document.createDocumentFragment();
    const tbl = h('table', { class: 'labs-month' },
      h('caption', { class: 'visually-hidden' }, t('labs.month_caption', { month: monthName(anchor) })),
      h('thead', {}, h('tr', {}, [1, 2, 3, 4, 5, 6, 7].map((wd) => h('th', { scope: 'col', abbr: weekdayName(wd) }, weekdayName(wd, 'narrow'))))));
    const body = h('tbody', {});
    for (let week = from; week <= to; week = addDays(week, 7)) {
      const tr = h('tr', {});
      for (let i = 0; i < 7; i += 1) {
        const iso = addDays(week, i);
        const day = cache.day(iso);
        const inMonth = iso.slice(0, 7) === month;
        let freeMinutes = 0;
        let state = 'none';
        if (day && day.closed) state = 'closed';
        else if (day) {
          freeMinutes = daySlots(day, slot, now).filter((s) => s.state === 'free').length * slot;
          state = freeMinutes > 0 ? 'free' : 'full';
        }
        const label = state === 'closed' ? closedText(day.closed)
          : state === 'free' ? tp('labs.free_hours', Math.round((freeMinutes / 60) * 10) / 10)
            : state === 'full' ? t('labs.day_full') : t('labs.no_data');
        const short = state === 'free' ? t('labs.hours_short', { n: Math.round((freeMinutes / 60) * 10) / 10 })
          : state === 'closed' ? '×' : '—';
        tr.appendChild(h('td', { class: `labs-mday labs-mday-${state}${inMonth ? '' : ' labs-mday-out'}`, 'data-date': iso },
          h('button', {
            type: 'button', class: 'labs-mday-btn', 'aria-label': `${longDay(iso)}: ${label}`,
            onclick: () => { anchor = iso; view = 'week'; show(); },
          }, h('span', { class: 'labs-mday-n' }, String(Number(iso.slice(8)))), h('span', { class: 'labs-mday-h' }, short))));
      }
      body.appendChild(tr);
    }
    tbl.appendChild(body);
    fragment.appendChild(h('div', { class: 'labs-month-wrap' }, tbl));
    return fragment;
  }

  async function bookDialog(iso, s) {
    if (!env.user) {
      await openDialog(t('labs.book_title'), (close) => h('div', {},
        h('p', {}, t('labs.sign_in_to_book')),
        h('div', { class: 'actions' },
          h('a', { class: 'button', href: `#/login?next=${encodeURIComponent(`lab-resources/${code}?view=${view}&date=${anchor}`)}`, onclick: () => close() }, t('labs.sign_in')),
          h('button', { type: 'button', class: 'button secondary', onclick: () => close() }, t('labs.close')))));
      return;
    }
    let vouchers = [];
    if (env.user.role === 'person') {
      try {
        const mine = await get('/me/vouchers');
        vouchers = (mine.vouchers || []).filter((v) => v.voucher && v.voucher.purpose === 'lab_time' && v.usable);
      } catch (_) { vouchers = []; }
    }
    const booked = await openDialog(t('labs.book_title'), (close) => bookingForm({ resource, iso, s, slot, vouchers, close, env }),
      { className: 'labs-book-dialog' });
    if (booked) {
      replace(env.notice, h('p', { class: 'vside-done labs-done', role: 'status' },
        t('labs.booked', { when: `${longDay(iso)}, ${hhmm(s.start)}` }), ' ',
        h('a', { href: '#/me/lab-bookings' }, t('labs.my_bookings_link'))));
      announce(t('labs.booked', { when: `${longDay(iso)}, ${hhmm(s.start)}` }));
    }
    if (booked !== undefined) {
      cache.forget(iso);
      await show({ refresh: true });
    }
  }

  return { show, dispose() { disposed = true; } };
}

/** The booking dialog's form. close(true) when booked, close(false) after a refusal that changed the calendar. */
function bookingForm({ resource, iso, s, slot, vouchers, close }) {
  const code = resource.code;
  const maxMinutes = Math.min((resource.max_slots || 1) * slot, (s.freeUntil || s.end) - s.start);
  const prices = resource.prices || [];
  const priced = CATEGORIES.filter((c) => prices.some((p) => p.category === c));
  const categories = priced.length ? priced : CATEGORIES;
  const priceOf = (c) => prices.find((p) => p.category === c) || null;
  const ids = { dur: newId('labs-dur'), cat: newId('labs-cat'), voucher: newId('labs-v'), invoice: newId('labs-inv'), pay: newId('labs-pay') };
  const duration = h('select', { id: ids.dur }, Array.from({ length: Math.max(1, Math.floor(maxMinutes / slot)) }, (_, i) => {
    const m = (i + 1) * slot;
    return h('option', { value: String(m) }, `${tp('labs.minutes', m)} (${hhmm(s.start)}–${hhmm(s.start + m)})`);
  }));
  const defaultCategory = categories.includes('resident') ? 'resident' : categories[0];
  const category = h('select', { id: ids.cat }, categories.map((c) => {
    const p = priceOf(c);
    return h('option', { value: c, selected: c === defaultCategory }, p ? `${categoryName(c)} — ${t('labs.price_per_hour', { price: moneyMinor(p.per_hour_minor, p.currency) })}` : categoryName(c));
  }));
  const voucherSelect = h('select', { id: ids.voucher }, vouchers.map((v) => h('option', { value: v.voucher.code },
    `${v.voucher.code} — ${t('labs.voucher_balance', { balance: moneyMinor(v.voucher.amounts.balance_minor, v.voucher.currency) })}`)));
  const invoiceRef = h('input', { id: ids.invoice, type: 'text', maxlength: '60', autocomplete: 'off' });
  const payVoucher = h('input', { type: 'radio', name: ids.pay, value: 'voucher', checked: vouchers.length > 0, disabled: !vouchers.length });
  const payInvoice = h('input', { type: 'radio', name: ids.pay, value: 'invoice', checked: !vouchers.length });
  const total = h('p', { class: 'labs-total', 'aria-live': 'polite' });
  const problem = h('div', { class: 'field-error labs-refusal', role: 'alert', tabindex: '-1', hidden: true });
  const voucherField = h('div', { class: 'field' }, h('label', { for: ids.voucher }, t('labs.voucher')), voucherSelect);
  const invoiceField = h('div', { class: 'field' }, h('label', { for: ids.invoice }, t('labs.invoice_ref')), invoiceRef);
  const submit = h('button', { type: 'submit', class: 'button' }, t('labs.book_confirm'));
  const key = newKey('book');

  const update = () => {
    const p = priceOf(category.value);
    const minutes = Number(duration.value);
    total.textContent = p ? t('labs.total', { price: moneyMinor(Math.round((p.per_hour_minor * minutes) / 60), p.currency) }) : t('labs.total_unknown');
    voucherField.hidden = !payVoucher.checked;
    invoiceField.hidden = !payInvoice.checked;
  };
  for (const el of [duration, category, payVoucher, payInvoice]) el.addEventListener('change', update);

  const onSubmit = async (ev) => {
    ev.preventDefault();
    problem.hidden = true;
    submit.disabled = true;
    const body = {
      resource: code, start: `${iso}T${hhmm(s.start)}`, minutes: Number(duration.value), category: category.value,
      payment: payVoucher.checked ? 'voucher' : 'invoice', idempotency_key: key,
    };
    if (payVoucher.checked) body.voucher_code = voucherSelect.value;
    else if (invoiceRef.value.trim()) body.invoice_ref = invoiceRef.value.trim();
    try {
      await post('/lab-bookings', body);
      close(true);
    } catch (err) {
      submit.disabled = false;
      // the missing trainings come with their titles in the page's language (title_local)
      const missing = missingOf(err);
      replace(problem,
        h('p', { 'data-code': (err.msg && err.msg.code) || err.code }, refusalText(err)),
        missing.length ? h('ul', {}, missing.map((m) => h('li', {}, trainingLink(m)))) : null,
        (err.msg && err.msg.code) === 'labs.slot_taken' || err.code === 'labs.slot_taken'
          ? h('button', { type: 'button', class: 'btn-small', onclick: async (e2) => {
            const btn = e2.currentTarget;
            btn.disabled = true;
            try {
              await post('/lab-waitlist', { resource: code, start: body.start, minutes: body.minutes, category: body.category });
              replace(problem, h('p', { role: 'status' }, t('labs.waitlist_joined')));
            } catch (e3) { replace(problem, h('p', {}, refusalText(e3))); }
          } }, t('labs.waitlist_join')) : null);
      problem.hidden = false;
      problem.focus();
    }
  };

  const form = h('form', { class: 'form labs-book-form', novalidate: true, onsubmit: onSubmit },
    h('p', { class: 'dialog-summary' }, `${loc(resource) || code} · ${longDay(iso)}, ${hhmm(s.start)}`),
    h('div', { class: 'field' }, h('label', { for: ids.dur }, t('labs.duration')), duration),
    h('div', { class: 'field' }, h('label', { for: ids.cat }, t('labs.category')), category),
    h('fieldset', { class: 'field' }, h('legend', {}, t('labs.payment')),
      h('label', { class: 'radio' }, payVoucher, ` ${t('labs.pay_voucher')}`),
      vouchers.length ? null : h('p', { class: 'hint small' }, t('labs.no_lab_vouchers')),
      h('label', { class: 'radio' }, payInvoice, ` ${t('labs.pay_invoice')}`)),
    voucherField, invoiceField, total, problem,
    h('p', { class: 'hint small' }, t('labs.cancel_policy_hint')),
    h('div', { class: 'actions' }, submit,
      h('button', { type: 'button', class: 'button secondary', onclick: () => close(undefined) }, t('labs.close'))));
  update();
  return form;
}
