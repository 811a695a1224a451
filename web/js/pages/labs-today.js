// labs-today.js — a lab's day for its staff (#/labs/{lab}/today?date=;
// roles admin, lab_manager, lab_staff; docs/labs.md): the day's bookings of
// every machine and space (GET /api/v1/labs/{lab}/bookings?date=, the person
// named by their pseudonymous id only), with check-in, check-out and no-show
// (POST /api/v1/lab-bookings/{id}/check-in, /check-out, /no-show); and an
// in-lab induction recorded as the completion of the machine's induction
// module (POST /api/v1/lab-inductions), which issues its credential.

import { h, replace, announce, newId } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table, text, msgText } from '../ui.js';
import {
  loc, codeOf, resourceHref, labHref, bookingStatus, categoryName, refusalText, todayInLab, addDays, longDay,
  sourceLine, splitLocal, labDateTime,
} from './labs-common.js';
import { isLabStaff } from './labs.js';

export const routes = [{ path: 'labs/:lab/today', nav: 'labs' }];

function when(b) {
  const a = splitLocal(b.start);
  const z = splitLocal(b.end);
  return `${a.time}–${z.time}`;
}

function actionsOf(b, act) {
  const buttons = [];
  const btn = (what, label) => h('button', { type: 'button', class: 'btn-small', 'data-action': what, onclick: (ev) => act(ev, b, what) }, label);
  if (b.status === 'confirmed') buttons.push(btn('check-in', t('labs.check_in')), btn('no-show', t('labs.no_show')));
  if (b.status === 'checked_in') buttons.push(btn('check-out', t('labs.check_out')));
  return buttons.length ? h('div', { class: 'row-actions' }, buttons) : '—';
}

function inductionForm(resources) {
  const ids = { person: newId('labs-ind-p'), res: newId('labs-ind-r') };
  const person = h('input', { id: ids.person, type: 'text', required: true, autocomplete: 'off', maxlength: '64' });
  const resource = h('select', { id: ids.res }, resources.filter((r) => r.kind === 'machine')
    .map((r) => h('option', { value: r.code }, loc(r) || r.code)));
  const out = h('div', { 'aria-live': 'polite' });
  return h('section', { class: 'section', 'aria-labelledby': 'labs-ind-h' },
    h('h2', { id: 'labs-ind-h' }, t('labs.induction_title')),
    h('p', { class: 'hint' }, t('labs.induction_lead')),
    h('form', {
      class: 'form inline-form', novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        if (!person.value.trim()) { replace(out, h('p', { class: 'field-error', role: 'alert' }, t('labs.induction_person_missing'))); return; }
        try {
          const res = await post('/lab-inductions', { person: person.value.trim(), resource: resource.value });
          // {induction, result: {completion, skills, credential: {id, verify_url} | {id: null, note}}}
          const cred = res.credential || (res.result && res.result.credential) || {};
          const credId = cred.id || '';
          replace(out, h('p', { class: 'vside-done', role: 'status', 'data-testid': 'labs-induction-done', 'data-credential': credId },
            credId ? t('labs.induction_done', { id: credId }) : [t('labs.induction_no_credential'), ' ', cred.note ? msgText(cred.note) : null]));
        } catch (err) {
          replace(out, h('p', { class: 'field-error', role: 'alert' }, refusalText(err)));
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: ids.person }, t('labs.person_id')), person),
    h('div', { class: 'field' }, h('label', { for: ids.res }, t('labs.machine')), resource),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('labs.induction_record')))),
    out);
}

export async function render(main, ctx) {
  const code = ctx.params.lab;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.get('date') || '') ? ctx.query.get('date') : todayInLab();
  ctx.setTitle(t('labs.today_title'));
  const body = h('div', {}, loading());
  replace(main, pageTitle(t('labs.today_title')), body);
  if (!session().user || !isLabStaff()) {
    replace(body, h('p', { class: 'warning', role: 'note' }, t('labs.staff_only')));
    return;
  }
  let lab;
  try {
    const data = await get(`/labs/${encodeURIComponent(code)}`);
    lab = data.lab || data;
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(body, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const name = loc(lab) || code;
  ctx.setTitle(`${t('labs.today_title')} — ${name}`);
  const dayId = newId('labs-date');
  const dayInput = h('input', { id: dayId, type: 'date', value: date });
  const list = h('div', {}, loading());
  replace(main,
    h('nav', { class: 'crumbs', 'aria-label': t('labs.crumbs') }, h('ol', {},
      h('li', {}, h('a', { href: '#/labs' }, t('labs.title'))),
      h('li', {}, h('a', { href: labHref(code) }, name)), h('li', {}, t('labs.today_title')))),
    pageTitle(`${t('labs.today_title')} — ${name}`, longDay(date)),
    h('form', { class: 'filters', onsubmit: (ev) => { ev.preventDefault(); ctx.go(`labs/${encodeURIComponent(code)}/today`, { date: dayInput.value }); } },
      h('div', { class: 'field' }, h('label', { for: dayId }, t('labs.day')), dayInput),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'button secondary' }, t('labs.show_day')),
        h('a', { class: 'btn-small', href: `#/labs/${encodeURIComponent(code)}/today?date=${addDays(date, -1)}` }, t('labs.prev_day')),
        h('a', { class: 'btn-small', href: `#/labs/${encodeURIComponent(code)}/today?date=${addDays(date, 1)}` }, t('labs.next_day')))),
    list,
    inductionForm(lab.resources || []));

  const load = async () => {
    try {
      const data = await get(`/labs/${encodeURIComponent(code)}/bookings`, { date });
      if (!ctx.isCurrent()) return;
      const bookings = data.bookings || [];
      const act = async (ev, b, what) => {
        ev.currentTarget.disabled = true;
        try {
          await post(`/lab-bookings/${b.id}/${what}`, {});
          announce(t(`labs.done_${what.replace('-', '_')}`));
          await load();
        } catch (err) {
          replace(list, errorBox(err));
        }
      };
      replace(list,
        h('p', { class: 'hint', 'data-testid': 'labs-day-count' }, tp('labs.bookings_count', bookings.length)),
        bookings.length ? table(t('labs.today_table', { day: longDay(date) }), [
          { key: 'time', label: t('labs.time'), render: (b) => h('span', { 'data-booking': b.id }, when(b)) },
          { key: 'resource', label: t('labs.resource'), render: (b) => {
            const code = codeOf(b.resource);
            const r = (lab.resources || []).find((x) => x.code === code);
            return h('a', { href: resourceHref(code) }, (r && loc(r)) || code);
          } },
          { key: 'who', label: t('labs.who'), render: (b) => (b.group ? `${b.group.name} (${tp('labs.people', b.group.size || 1)})`
            : h('code', { class: 'person-id', 'data-person': b.person || '' }, text(b.person || b.enterprise_code))) },
          { key: 'category', label: t('labs.category'), render: (b) => categoryName(b.category) },
          { key: 'status', label: t('labs.status'), render: (b) => [bookingStatus(b.status),
            b.checked_in_at ? h('span', { class: 'block small' }, t('labs.in_at', { when: labDateTime(b.checked_in_at) })) : null,
            b.checked_out_at ? h('span', { class: 'block small' }, t('labs.out_at', { when: labDateTime(b.checked_out_at) })) : null] },
          { key: 'actions', label: t('labs.actions'), render: (b) => actionsOf(b, act) },
        ], bookings, { className: 'labs-today' }) : h('p', {}, t('labs.no_bookings_day')),
        sourceLine(t('labs.today_source')));
    } catch (err) {
      if (!ctx.isCurrent()) return;
      replace(list, errorBox(err));
    }
  };
  await load();
}
