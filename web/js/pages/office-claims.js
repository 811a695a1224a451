// office-claims.js — the providers' claims (docs/vouchers.md, issue 14 point 5):
// #/office/claims lists them by status and provider (GET /api/v1/claims?status=&provider=),
// settles every claim whose enrolment is completed (POST /api/v1/claims/settlement: payable
// at or above the voucher's attendance, refunded below it) and refunds one redemption not yet
// payable, with a reason (POST /api/v1/redemptions/{id}/refund). Both ask for the user's
// password first (office-common.js withConfirmation).

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, errorBox, loading, table, unknown } from '../ui.js';
import {
  officeUser, officeTabs, lei, withConfirmation, statusBadge, selectField, when, providerNames, providerLabel, officeErrorBox,
} from './office-common.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'office/claims', nav: 'office' }];

const STATUSES = ['redeemed', 'payable', 'batched', 'paid', 'refunded'];


function refundForm(c, refresh) {
  const id = newId('reason');
  const reason = h('textarea', { id, rows: '2', maxlength: '256', required: true });
  const errors = h('div', { class: 'form-errors' });
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    if (!reason.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('office.reason_missing')));
      reason.focus();
      return;
    }
    try {
      const done = await withConfirmation({
        title: t('office.refund_title'),
        summary: t('office.refund_summary', { id: c.id, amount: lei(c.amount_minor, c.currency), code: c.voucher ? c.voucher.code : '' }),
        confirmLabel: t('office.refund_confirm'),
      }, (password) => post(`/redemptions/${c.id}/refund`, { reason: reason.value.trim(), confirm_password: password }));
      if (!done) return;
      announce(t('office.refunded', { id: c.id }));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  return h('details', {}, h('summary', {}, t('office.refund')),
    h('form', { class: 'form', novalidate: true, onsubmit: submit },
      h('div', { class: 'field' }, h('label', { for: id }, t('office.reason')), reason), errors,
      h('button', { type: 'submit', class: 'btn-small' }, t('office.refund_submit'))));
}

function claimsTable(list, names, refresh) {
  const columns = [
    { key: 'id', label: t('office.claim'), render: (c) => h('span', { 'data-claim': String(c.id) }, `#${c.id}`) },
    { key: 'voucher', label: t('office.code'), render: (c) => h('code', {}, c.voucher ? c.voucher.code : unknown()) },
    { key: 'provider', label: t('office.provider'), render: (c) => providerLabel(names, c.provider_id) },
    { key: 'module', label: t('office.module'), render: (c) => h('span', { class: 'tag code' }, c.module || unknown()) },
    { key: 'amount', label: t('office.amount'), num: true, render: (c) => lei(c.amount_minor, c.currency) },
    { key: 'redeemed_at', label: t('office.redeemed_at'), render: (c) => when(c.redeemed_at) },
    { key: 'attendance', label: t('office.attendance'), num: true,
      render: (c) => {
        if (c.status === 'redeemed') return t('office.not_settled');
        // the attendance counted when the claim became payable; a refund says why in its reason
        // (a withdrawal, or the attendance below the voucher's minimum, in the ledger's words)
        if (['payable', 'batched', 'paid'].includes(c.status) && typeof c.attendance_percent === 'number') return `${c.attendance_percent}%`;
        return t('office.attendance_none');
      } },
    { key: 'status', label: t('office.status'), render: (c) => [statusBadge(c.status),
      c.batch_id ? h('span', { class: 'hint' }, ` ${t('office.in_batch', { id: c.batch_id })}`) : null,
      c.status === 'refunded' && c.note ? h('span', { class: 'hint office-line-of' }, `${t('office.reason')}: `,
        h('span', { 'data-user-input': '' }, c.note)) : null] },
    { key: 'actions', label: t('office.actions'),
      render: (c) => (c.status === 'redeemed' ? refundForm(c, refresh) : h('span', { class: 'hint' }, t('office.no_action'))) },
  ];
  return table(tp('office.claims_caption', list.length), columns, list, { className: 'office-claims' });
}

function settleSection(refresh) {
  const errors = h('div', { class: 'form-errors' });
  const result = h('div', { class: 'office-result', 'aria-live': 'polite' });
  const settle = async () => {
    replace(errors);
    try {
      const done = await withConfirmation({
        title: t('office.settle_title'), summary: t('office.settle_summary'), confirmLabel: t('office.settle_confirm'),
      }, (password) => post('/claims/settlement', { confirm_password: password }));
      if (!done) return;
      const message = `${tp('office.settled_payable', done.payable ?? 0)} ${tp('office.settled_refunded', done.refunded ?? 0)}`;
      announce(message);
      replace(result, h('p', { role: 'status', class: 'settle-result' }, message));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  return h('section', { class: 'section office-form', 'aria-labelledby': 'settle-title' },
    h('h2', { id: 'settle-title' }, t('office.settle_title')),
    h('p', {}, t('office.settle_lead')),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', onclick: settle }, t('office.settle'))),
    errors, result);
}

export async function render(main, ctx) {
  ctx.setTitle(t('office.claims_title'));
  append(main, pageTitle(t('office.claims_title'), t('office.claims_lead')));
  const user = await officeUser(main, ctx, 'office/claims');
  if (!user) return;
  append(main, officeTabs('office/claims'));
  const q = ctx.query;
  const status = selectField(newId('cf-status'), t('office.status'),
    [['', t('office.any')], ...STATUSES.map((s) => [s, t(`office.status_${s}`)])], { value: q.get('status') || '' });
  const names = await providerNames();
  if (!ctx.isCurrent()) return;
  const provider = selectField(newId('cf-provider'), t('office.provider'),
    [['', t('office.any')], ...[...names].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => [id, name])],
    { value: q.get('provider') || '' });
  const filter = (ev) => {
    ev.preventDefault();
    ctx.go('office/claims', { status: status.select.value, provider: provider.select.value });
  };
  const box = h('div', { 'aria-live': 'polite' }, loading());
  const refresh = async () => {
    try {
      const data = await get('/claims', { status: q.get('status'), provider: q.get('provider') });
      if (!ctx.isCurrent()) return;
      const list = data.claims || [];
      replace(box, list.length ? claimsTable(list, names, refresh) : h('p', {}, t('office.no_claims')));
    } catch (err) {
      replace(box, errorBox(err));
    }
  };
  append(main,
    settleSection(refresh),
    h('section', { class: 'section', 'aria-labelledby': 'cl-title' },
      h('h2', { id: 'cl-title' }, t('office.claims_list')),
      h('form', { class: 'form', novalidate: true, onsubmit: filter, role: 'search', 'aria-label': t('office.filters') },
        h('div', { class: 'filters' }, status.field, provider.field),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button secondary' }, t('office.filter')))),
      box));
  await refresh();
}
