// office-payments.js — payment batches (docs/vouchers.md, issue 14 point 5):
// #/office/payments lists the batches (GET /api/v1/payment-batches), drafts one from every
// payable claim in a currency (POST /api/v1/payment-batches), shows one with its claims (GET
// /api/v1/payment-batches/{batch}), approves a draft as paid (POST .../{batch}/approval) and
// links its export for the city's accounting (GET .../{batch}/export?format=csv|sepa). The
// draft and the approval ask for the user's password first (office-common.js).

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post, apiUrl } from '../api.js';
import { pageTitle, errorBox, loading, table, unknown } from '../ui.js';
import { officeUser, officeTabs, lei, withConfirmation, statusBadge, inputField, when, newKey } from './office-common.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'office/payments', nav: 'office' }];

function exportLinks(b) {
  const link = (format, label) => h('a', { class: 'btn-small', 'data-format': format,
    href: apiUrl(`/payment-batches/${b.id}/export`, { format }), download: `payment-batch-${b.id}.${format === 'sepa' ? 'xml' : 'csv'}` }, label);
  return h('span', { class: 'office-row-actions' }, link('csv', t('office.export_csv')), link('sepa', t('office.export_sepa')));
}

function batchClaims(b) {
  const claims = b.claims_list || b.redemptions || (Array.isArray(b.claims) ? b.claims : null);
  if (!claims) return null;
  const columns = [
    { key: 'id', label: t('office.claim'), render: (c) => `#${c.id}` },
    { key: 'provider', label: t('office.provider'),
      render: (c) => (c.provider && c.provider.name) || c.provider_name || (c.provider_id ? `#${c.provider_id}` : unknown()) },
    { key: 'module', label: t('office.module'), render: (c) => c.module || unknown() },
    { key: 'amount', label: t('office.amount'), num: true, render: (c) => lei(c.amount_minor, c.currency) },
    { key: 'status', label: t('office.status'), render: (c) => statusBadge(c.status) },
  ];
  return table(tp('office.batch_claims_caption', claims.length, { id: b.id }), columns, claims, { className: 'office-batch-claims' });
}

function claimsCount(b) {
  if (typeof b.claims === 'number') return b.claims;
  if (Array.isArray(b.claims)) return b.claims.length;
  return null;
}

function batchCard(b, refresh) {
  const errors = h('div', { class: 'form-errors' });
  const details = h('div', { 'aria-live': 'polite' });
  const approve = async () => {
    replace(errors);
    try {
      const done = await withConfirmation({
        title: t('office.approve_title'),
        summary: t('office.approve_summary', { id: b.id, amount: lei(b.total_minor, b.currency) }),
        confirmLabel: t('office.approve_confirm'),
      }, (password) => post(`/payment-batches/${b.id}/approval`, { confirm_password: password }));
      if (!done) return;
      announce(t('office.approved', { id: b.id }));
      refresh();
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  const show = async (ev) => {
    if (!ev.currentTarget.open || details.dataset.loaded) return;
    replace(details, loading());
    try {
      const full = await get(`/payment-batches/${b.id}`);
      details.dataset.loaded = '1';
      replace(details, batchClaims(full.batch ? { ...full.batch, claims_list: full.claims } : full) || h('p', {}, t('office.no_claims')));
    } catch (err) {
      replace(details, errorBox(err));
    }
  };
  const n = claimsCount(b);
  return h('article', { class: 'card office-batch', 'data-batch': String(b.id), 'data-status': b.status },
    h('h3', {}, t('office.batch', { id: b.id }), ' ', statusBadge(b.status)),
    h('dl', { class: 'facts-dl' },
      h('dt', {}, t('office.total')), h('dd', { class: 'nowrap' }, lei(b.total_minor, b.currency)),
      h('dt', {}, t('office.claims_count')), h('dd', {}, n === null ? unknown() : String(n)),
      h('dt', {}, t('office.drafted')), h('dd', {}, t('office.by_at', { who: b.created_by || unknown(), at: when(b.created_at) })),
      b.approved_at ? [h('dt', {}, t('office.approved_label')),
        h('dd', {}, t('office.by_at', { who: b.approved_by || unknown(), at: when(b.approved_at) }))] : null),
    h('div', { class: 'actions' },
      b.status === 'draft' ? h('button', { type: 'button', class: 'button', onclick: approve }, t('office.approve')) : null,
      exportLinks(b)),
    errors,
    h('details', { ontoggle: show }, h('summary', {}, t('office.batch_claims')), details));
}

function draftSection(refresh) {
  const currency = inputField(newId('pb-cur'), t('office.batch_currency'),
    { required: true, maxlength: '3', value: 'RON', class: 'short', pattern: '[A-Z]{3}' });
  const errors = h('div', { class: 'form-errors' });
  const result = h('div', { class: 'office-result', 'aria-live': 'polite' });
  let key = newKey('batch');
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    const cur = currency.input.value.trim();
    if (!/^[A-Z]{3}$/.test(cur)) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('office.fund_currency_bad')));
      currency.input.focus();
      return;
    }
    try {
      const done = await withConfirmation({
        title: t('office.draft_title'), summary: t('office.draft_summary', { currency: cur }), confirmLabel: t('office.draft_confirm'),
      }, (password) => post('/payment-batches', { currency: cur, key, confirm_password: password }));
      if (!done) return;
      key = newKey('batch');
      const b = done.batch || done;
      const message = t('office.drafted_batch', { id: b.id, amount: lei(b.total_minor, b.currency) });
      announce(message);
      replace(result, h('p', { role: 'status' }, message));
      refresh();
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  return h('section', { class: 'section office-form', 'aria-labelledby': 'pb-title' },
    h('h2', { id: 'pb-title' }, t('office.draft_title')),
    h('p', {}, t('office.draft_lead')),
    h('form', { class: 'form', onsubmit: submit }, currency.field, errors,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('office.draft')))),
    result);
}

export async function render(main, ctx) {
  ctx.setTitle(t('office.payments_title'));
  append(main, pageTitle(t('office.payments_title'), t('office.payments_lead')));
  const user = await officeUser(main, ctx, 'office/payments');
  if (!user) return;
  append(main, officeTabs('office/payments'));
  const box = h('div', { 'aria-live': 'polite' }, loading());
  const refresh = async () => {
    try {
      const data = await get('/payment-batches');
      if (!ctx.isCurrent()) return;
      const list = data.batches || [];
      replace(box, list.length ? list.map((b) => batchCard(b, refresh)) : h('p', {}, t('office.no_batches')));
    } catch (err) {
      replace(box, errorBox(err));
    }
  };
  append(main, draftSection(refresh),
    h('section', { class: 'section', 'aria-labelledby': 'pl-title' },
      h('h2', { id: 'pl-title' }, t('office.batches_title')),
      h('p', { class: 'hint' }, t('office.export_note')), box));
  await refresh();
}
