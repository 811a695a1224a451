// labs-mine.js — my lab bookings (#/me/lab-bookings; docs/labs.md): the
// signed-in user's bookings (GET /api/v1/me/lab-bookings), each changed
// (PATCH /api/v1/lab-bookings/{id}) or cancelled (POST .../cancellation)
// with the fee of a late cancellation shown before confirming; the waiting
// list with the offers to accept (GET /api/v1/me/lab-waitlist, POST
// .../acceptance, .../withdrawal); and the personal calendar feed: a secret
// address (POST /api/v1/me/lab-calendar) to paste in any calendar
// application, with a copy button.

import { h, replace, announce, newId } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post, patch } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table } from '../ui.js';
import {
  codeOf, resourceHref, whenText, bookingStatus, moneyMinor, refusalText, openDialog, splitLocal,
  minutesOf, sourceLine, newKey, labsCatalogue, resourceName, labDateTime,
} from './labs-common.js';

export const routes = [{ path: 'me/lab-bookings', nav: 'me-lab-bookings' }];

const LIVE = ['confirmed'];

let cat = null; // the labs' catalogue (names of resources, the labs' cancellation policies)

function resourceCell(b) {
  return h('a', { href: resourceHref(codeOf(b.resource)) }, resourceName(cat, b.resource));
}

const policies = new Map();
/** The cancellation policy of the lab of booking b: {cancel_deadline_hours, late_cancel_fee_percent} or null. */
async function policyOf(b) {
  const code = b.lab || (cat && cat.resource(codeOf(b.resource)) || {}).lab;
  if (!code) return null;
  if (!policies.has(code)) {
    policies.set(code, get(`/labs/${encodeURIComponent(code)}`).then((d) => d.lab || d).catch(() => null));
  }
  const lab = await policies.get(code);
  const policy = lab && (lab.policy || lab);
  return policy && policy.cancel_deadline_hours !== undefined && policy.late_cancel_fee_percent !== undefined
    ? { cancel_deadline_hours: policy.cancel_deadline_hours, late_cancel_fee_percent: policy.late_cancel_fee_percent } : null;
}

/**
 * The fee a cancellation made now would cost: the server's own figure when
 * the booking carries it (cancel_fee_minor), else the lab's policy applied
 * (a share of the price once the deadline before the start has passed).
 */
export function cancelFee(b, policy, now = Date.now()) {
  if (typeof b.cancel_fee_minor === 'number') return b.cancel_fee_minor;
  const hours = policy ? policy.cancel_deadline_hours : undefined;
  const percent = policy ? policy.late_cancel_fee_percent : undefined;
  const start = b.starts_at ? b.starts_at * 1000 : Date.parse(b.start);
  if (hours === undefined || percent === undefined || Number.isNaN(start)) return null;
  if (now < start - hours * 3600 * 1000) return 0;
  return Math.round(((b.price_minor || 0) * percent) / 100);
}

async function cancelDialog(b) {
  const policy = await policyOf(b);
  const fee = cancelFee(b, policy);
  return openDialog(t('labs.cancel_title'), (close) => {
    const reasonId = newId('labs-reason');
    const reason = h('input', { id: reasonId, type: 'text', maxlength: '200' });
    const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });
    return h('form', {
      class: 'form', novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        try {
          const res = await post(`/lab-bookings/${b.id}/cancellation`, reason.value.trim() ? { reason: reason.value.trim() } : {});
          close(res || {});
        } catch (err) {
          replace(problem, refusalText(err));
          problem.hidden = false;
        }
      },
    },
    h('p', { class: 'dialog-summary' }, `${resourceName(cat, b.resource)} · ${whenText(b.start, b.end)}`),
    h('p', { 'data-testid': 'labs-cancel-fee', 'data-fee': fee === null ? '' : String(fee) }, fee === null ? t('labs.fee_unknown')
      : fee > 0 ? t('labs.fee_late', { fee: moneyMinor(fee, b.currency) }) : t('labs.fee_none')),
    policy ? h('p', { class: 'hint small' }, t('labs.fee_rule', { hours: policy.cancel_deadline_hours, percent: policy.late_cancel_fee_percent })) : null,
    h('div', { class: 'field' }, h('label', { for: reasonId }, t('labs.cancel_reason')), reason),
    problem,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, t('labs.cancel_confirm')),
      h('button', { type: 'button', class: 'button secondary', onclick: () => close(undefined) }, t('labs.close'))));
  });
}

async function changeDialog(b) {
  const start = splitLocal(b.start);
  const minutesNow = b.minutes || (minutesOf(splitLocal(b.end).time) - minutesOf(start.time));
  return openDialog(t('labs.change_title'), (close) => {
    const ids = { day: newId('labs-day'), time: newId('labs-time'), min: newId('labs-min') };
    const day = h('input', { id: ids.day, type: 'date', value: start.day, required: true });
    const time = h('input', { id: ids.time, type: 'time', value: start.time, step: '900', required: true });
    const minutes = h('input', { id: ids.min, type: 'number', min: '15', step: '15', value: String(minutesNow), required: true });
    const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });
    return h('form', {
      class: 'form', novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        const body = {};
        const newStart = `${day.value}T${time.value}`;
        if (newStart !== `${start.day}T${start.time}`) body.start = newStart;
        if (Number(minutes.value) !== minutesNow) body.minutes = Number(minutes.value);
        if (!Object.keys(body).length) { replace(problem, t('labs.nothing_changed')); problem.hidden = false; return; }
        try {
          close(await patch(`/lab-bookings/${b.id}`, body));
        } catch (err) {
          replace(problem, refusalText(err));
          problem.hidden = false;
        }
      },
    },
    h('p', { class: 'dialog-summary' }, `${resourceName(cat, b.resource)} · ${whenText(b.start, b.end)}`),
    h('div', { class: 'field' }, h('label', { for: ids.day }, t('labs.day')), day),
    h('div', { class: 'field' }, h('label', { for: ids.time }, t('labs.start_time')), time),
    h('div', { class: 'field' }, h('label', { for: ids.min }, t('labs.duration_minutes')), minutes),
    problem,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button' }, t('labs.change_confirm')),
      h('button', { type: 'button', class: 'button secondary', onclick: () => close(undefined) }, t('labs.close'))));
  });
}

function bookingsTable(list, reload) {
  return table(t('labs.my_bookings_title'), [
    { key: 'when', label: t('labs.when'), render: (b) => h('span', { 'data-booking': b.id, 'data-uid': b.uid || '' }, whenText(b.start, b.end)) },
    { key: 'resource', label: t('labs.resource'), render: resourceCell },
    { key: 'status', label: t('labs.status'), render: (b) => bookingStatus(b.status) },
    { key: 'price', label: t('labs.price'), num: true, render: (b) => [moneyMinor(b.price_minor, b.currency),
      b.fee_minor ? h('span', { class: 'block small' }, t('labs.fee_paid', { fee: moneyMinor(b.fee_minor, b.currency) })) : null] },
    { key: 'payment', label: t('labs.payment'), render: (b) => [t(`labs.pay_${b.payment}`), b.voucher_code ? h('code', { class: 'block small' }, b.voucher_code) : null] },
    { key: 'actions', label: t('labs.actions'), render: (b) => (LIVE.includes(b.status) ? h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn-small', onclick: async () => { if (await changeDialog(b)) { announce(t('labs.changed')); reload(); } } }, t('labs.change')),
      h('button', { type: 'button', class: 'btn-small', 'data-action': 'cancel', onclick: async () => {
        const res = await cancelDialog(b);
        if (res) {
          const fee = res.fee_minor ?? (res.booking && res.booking.fee_minor) ?? 0;
          announce(fee ? t('labs.fee_late', { fee: moneyMinor(fee, b.currency) }) : t('labs.cancelled'));
          reload();
        }
      } }, t('labs.cancel'))) : '—') },
  ], list, { className: 'labs-my-bookings' });
}

function waitlistSection(entries, reload) {
  const offered = (e) => e.status === 'offered';
  const note = h('p', { role: 'alert', class: 'field-error', hidden: true });
  const refused = (err) => { replace(note, refusalText(err)); note.hidden = false; };
  return h('section', { class: 'section', 'aria-labelledby': 'labs-wait-h' },
    h('h2', { id: 'labs-wait-h' }, t('labs.waitlist_title')),
    entries.length ? table(t('labs.waitlist_title'), [
      { key: 'when', label: t('labs.when'), render: (e) => whenText(e.start, e.end) },
      { key: 'resource', label: t('labs.resource'), render: resourceCell },
      { key: 'status', label: t('labs.status'), render: (e) => [h('span', { class: `badge ${offered(e) ? 'badge-yes' : 'badge-neutral'}` }, t(`labs.wait_${e.status}`)),
        offered(e) && e.offer_expires_at ? h('span', { class: 'block small' }, t('labs.offer_until', { when: labDateTime(e.offer_expires_at) })) : null] },
      { key: 'actions', label: t('labs.actions'), render: (e) => h('div', { class: 'row-actions' },
        offered(e) ? h('button', { type: 'button', class: 'btn-small', onclick: async (ev) => {
          ev.currentTarget.disabled = true;
          try {
            await post(`/lab-waitlist/${e.id}/acceptance`, { payment: 'invoice', idempotency_key: newKey('accept') });
            announce(t('labs.offer_accepted'));
            reload();
          } catch (err) { refused(err); }
        } }, t('labs.offer_accept')) : null,
        e.status === 'waiting' || offered(e) ? h('button', { type: 'button', class: 'btn-small', onclick: async () => {
          try { await post(`/lab-waitlist/${e.id}/withdrawal`, {}); reload(); } catch (err) { refused(err); }
        } }, t('labs.waitlist_withdraw')) : null) },
    ], entries) : h('p', {}, t('labs.waitlist_none')), note);
}

function feedSection() {
  const box = h('div', { 'data-testid': 'labs-feed' });
  const make = async (ev) => {
    ev.currentTarget.disabled = true;
    try {
      const res = await post('/me/lab-calendar', {});
      const url = new URL(res.url.replace(/^\//, ''), document.baseURI).href;
      const id = newId('labs-feed');
      const input = h('input', { id, type: 'text', readonly: true, value: url, class: 'labs-feed-url', 'data-testid': 'labs-feed-url' });
      const copied = h('span', { role: 'status', class: 'hint' });
      replace(box,
        h('div', { class: 'field' }, h('label', { for: id }, t('labs.feed_url')), input),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn-small', onclick: async () => {
            try { await navigator.clipboard.writeText(url); } catch (_) { input.select(); document.execCommand('copy'); }
            copied.textContent = t('labs.feed_copied');
          } }, t('labs.feed_copy')), copied),
        h('p', { class: 'hint' }, t('labs.feed_secret')));
    } catch (err) {
      replace(box, errorBox(err));
    }
  };
  replace(box, h('button', { type: 'button', class: 'button secondary', onclick: make }, t('labs.feed_make')),
    h('p', { class: 'hint' }, t('labs.feed_lead')));
  return h('section', { class: 'section', 'aria-labelledby': 'labs-feed-h' },
    h('h2', { id: 'labs-feed-h' }, t('labs.feed_title')), box);
}

export async function render(main, ctx) {
  ctx.setTitle(t('labs.my_bookings_title'));
  const body = h('div', {}, loading());
  replace(main, pageTitle(t('labs.my_bookings_title'), t('labs.my_bookings_lead')), body);
  if (!session().user) {
    replace(body, h('p', { class: 'warning', role: 'note' }, h('a', { href: '#/login?next=me/lab-bookings' }, t('labs.sign_in')), ' ', t('labs.sign_in_bookings')));
    return;
  }
  const load = async () => {
    try {
      const [bookings, waits, catalogue] = await Promise.all([get('/me/lab-bookings'), get('/me/lab-waitlist'),
        labsCatalogue(get).catch(() => null)]);
      cat = catalogue;
      if (!ctx.isCurrent()) return;
      const list = bookings.bookings || [];
      const entries = waits.entries || waits.waitlist || [];
      replace(body,
        h('p', { class: 'hint', 'data-testid': 'labs-count' }, tp('labs.bookings_count', list.length)),
        list.length ? bookingsTable(list, load) : h('p', {}, t('labs.no_bookings'), ' ', h('a', { href: '#/labs' }, t('labs.find_machine'))),
        sourceLine(t('labs.my_bookings_source')),
        waitlistSection(entries, load),
        feedSection());
    } catch (err) {
      if (!ctx.isCurrent()) return;
      replace(body, errorBox(err));
    }
  };
  await load();
}
