// call-ranking.js — a call's ranking and the award decisions (docs/vouchers-calls.md,
// "Ranking" and "Awards"): #/call/ID/ranking, for the office (admin, programme manager:
// permission manage_calls). It shows the ranking by weighted score with its tie-breaks and
// what is available on the budget line (GET /api/v1/calls/{id}/ranking), the applications not
// ranked and why, and decides an application — award (with an amount below the requested one
// if wanted), waitlist or reject, always with a reason (POST
// /api/v1/applications/{id}/decision). An award that issued its voucher shows the code.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp, tmsg } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, errorBox, loading, num, table } from '../ui.js';
import { session } from '../session.js';
import { titleOf, money } from './calls.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'call/:id/ranking', nav: 'calls' }];

const DECIDED = ['awarded', 'rejected'];

function statusBadge(status) {
  const cls = status === 'awarded' ? 'badge-yes' : status === 'rejected' || status === 'ineligible' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${cls}`, 'data-status': status }, t(`calls.status_${status}`));
}

function fitsText(fits) {
  if (fits === true) return t('ranking.fits_yes');
  if (fits === false) return t('ranking.fits_no');
  return '—';
}

/** The decision form for the undecided ranked applications. */
function decisionForm(ranking, reload, done) {
  const open = ranking.ranked.filter((r) => !DECIDED.includes(r.status));
  if (!open.length) return h('p', {}, t('ranking.nothing_to_decide'));
  const ids = { app: newId('rk-app'), decision: newId('rk-dec'), amount: newId('rk-amt'), reason: newId('rk-why') };
  const app = h('select', { id: ids.app }, open.map((r) => h('option', { value: String(r.id) },
    t('ranking.option', { rank: r.rank, id: r.id, amount: money(r.requested) }))));
  const decision = h('select', { id: ids.decision }, ['award', 'waitlist', 'reject'].map((d) =>
    h('option', { value: d }, t(`ranking.decision_${d}`))));
  const amount = h('input', { id: ids.amount, type: 'number', min: '0.01', step: '0.01', inputmode: 'decimal' });
  const reason = h('textarea', { id: ids.reason, rows: '2', maxlength: '500', required: true });
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const submit = async (e) => {
    e.preventDefault();
    replace(errors);
    if (!reason.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('ranking.reason_required')));
      reason.focus();
      return;
    }
    const body = { decision: decision.value, reason: reason.value.trim() };
    if (decision.value === 'award' && amount.value !== '') body.amount = Math.round(Number(amount.value) * 100);
    try {
      const r = await post(`/applications/${app.value}/decision`, body);
      const words = t('ranking.decided', { id: r.id, status: t(`calls.status_${r.status}`) });
      const code = r.voucher && r.voucher.code;
      await reload();
      announce(words);
      replace(done, h('div', { class: 'card' }, h('p', {}, words),
        code ? h('p', {}, t('ranking.voucher_issued'), ' ', h('code', { class: 'voucher-code' }, code)) : null));
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  return h('div', {},
    h('form', { class: 'form ranking-form', onsubmit: submit },
      h('div', { class: 'field' }, h('label', { for: ids.app }, t('ranking.application')), app),
      h('div', { class: 'field' }, h('label', { for: ids.decision }, t('ranking.decision')), decision),
      h('div', { class: 'field' }, h('label', { for: ids.amount }, t('ranking.amount', { currency: ranking.currency })), amount,
        h('p', { class: 'hint' }, t('ranking.amount_hint'))),
      h('div', { class: 'field' }, h('label', { for: ids.reason }, t('ranking.reason')), reason),
      errors,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('ranking.submit')))));
}

function rankingView(ranking, reload, done) {
  const a = ranking.available_explained && ranking.available_explained.params;
  return h('div', {},
    h('section', { class: 'section', 'aria-labelledby': 'rk-available' },
      h('h2', { id: 'rk-available' }, t('ranking.available_title')),
      h('p', {}, h('strong', { class: 'ranking-available' }, money(ranking.available))),
      a ? h('p', { class: 'hint' }, t('ranking.available_explained', {
        line: a.line,
        line_available: money({ minor_units: a.line_available, currency: a.currency }),
        unissued: money({ minor_units: a.unissued, currency: a.currency }),
      })) : null),
    h('section', { class: 'section', 'aria-labelledby': 'rk-ranked' },
      h('h2', { id: 'rk-ranked' }, t('ranking.ranked_title')),
      ranking.ranked.length ? table(tp('ranking.ranked_count', ranking.ranked.length, { n: ranking.ranked.length }), [
        { key: 'rank', label: t('ranking.col_rank'), num: true, render: (r) => String(r.rank) },
        { key: 'id', label: t('ranking.col_application'), num: true, render: (r) => String(r.id) },
        { key: 'score', label: t('ranking.col_score'), num: true, render: (r) => num(r.weighted_score, 2) },
        { key: 'requested', label: t('ranking.col_requested'), num: true, render: (r) => money(r.requested) },
        { key: 'status', label: t('ranking.col_status'), render: (r) => statusBadge(r.status) },
        { key: 'fits', label: t('ranking.col_fits'), render: (r) => fitsText(r.fits) },
      ], ranking.ranked, { className: 'ranking-table' }) : h('p', {}, t('ranking.none_ranked')),
      h('p', { class: 'hint' }, tmsg(ranking.method)),
      h('ul', { class: 'hint' }, (ranking.tie_breaks || []).map((m) => h('li', {}, tmsg(m))))),
    (ranking.unranked || []).length ? h('section', { class: 'section', 'aria-labelledby': 'rk-unranked' },
      h('h2', { id: 'rk-unranked' }, t('ranking.unranked_title')),
      h('ul', { class: 'unranked-list' }, ranking.unranked.map((u) => h('li', { 'data-status': u.status },
        t('ranking.unranked_item', { id: u.id }), ' ', statusBadge(u.status), ' ', tmsg(u.why))))) : null,
    h('section', { class: 'section', 'aria-labelledby': 'rk-decide' },
      h('h2', { id: 'rk-decide' }, t('ranking.decide_title')),
      h('p', {}, t('ranking.decide_lead')),
      decisionForm(ranking, reload, done)));
}

export async function render(main, ctx) {
  const id = ctx.params.id;
  const user = session().user;
  if (!user || !(user.role === 'admin' || user.role === 'programme_manager')) {
    ctx.setTitle(t('ranking.title'));
    append(main, pageTitle(t('ranking.title')), h('p', {}, t('ranking.office_only')),
      user ? null : h('p', {}, h('a', { class: 'button', href: `#/login?next=call/${encodeURIComponent(id)}/ranking` }, t('account.login'))));
    return;
  }
  const box = h('div', {}, loading());
  append(main, box);
  let call;
  const body = h('div', {});
  // the last decision's outcome (with the voucher's code), kept when the ranking is drawn again
  const done = h('div', { 'aria-live': 'polite', class: 'ranking-result' });
  const reload = async () => {
    const ranking = await get(`/calls/${encodeURIComponent(id)}/ranking`);
    if (ctx.isCurrent()) replace(body, rankingView(ranking, reload, done));
  };
  try {
    call = await get(`/calls/${encodeURIComponent(id)}`);
    if (!ctx.isCurrent()) return;
    ctx.setTitle(`${t('ranking.title')}: ${titleOf(call)}`);
    replace(box, pageTitle(t('ranking.title'), titleOf(call)),
      h('p', {}, h('a', { href: `#/call/${call.id}` }, t('ranking.back_to_call'))), done, body);
    await reload();
  } catch (err) {
    if (ctx.isCurrent()) replace(box, pageTitle(t('ranking.title')), errorBox(err));
  }
}
