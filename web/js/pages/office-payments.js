// office-payments.js — payment batches (docs/vouchers.md, issue 14 point 5):
// #/office/payments lists the batches (GET /api/v1/payment-batches), drafts one from every
// payable claim in a currency (POST /api/v1/payment-batches), shows one with its claims (GET
// /api/v1/payment-batches/{batch}), approves a draft as paid (POST .../{batch}/approval) and
// exports it for the city's accounting (GET .../{batch}/export?format=csv, or format=sepa
// with the city's account as debtor_name, debtor_iban, debtor_bic: an ISO 20022 pain.001
// file of a paid batch, to the providers' recorded IBANs). The approval moves money and asks
// for the user's password first (office-common.js withConfirmation); the draft moves none.
// Lab time paid by voucher (GET /api/v1/voucher-lab-charges, docs/vouchers.md "Lab time") is
// owed to the labs' operators: the page shows what is pending (the booked slot not yet over) and
// payable, and a batch gathers the payable charges with the claims.

import { h, append, replace, newId, announce, download } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post, apiUrl, ApiError } from '../api.js';
import { pageTitle, errorBox, loading, table, unknown } from '../ui.js';
import {
  officeUser, officeTabs, lei, withConfirmation, statusBadge, inputField, selectField, when, providerNames, providerLabel,
  officeErrorBox,
} from './office-common.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'office/payments', nav: 'office' }];

function csvLink(b) {
  return h('a', { class: 'btn-small', 'data-format': 'csv', href: apiUrl(`/payment-batches/${b.id}/export`, { format: 'csv' }),
    download: `payment-batch-${b.id}.csv` }, t('office.export_csv'));
}

/** The SEPA payment file of a paid batch: the city's account asked for, the file fetched
 * (an error, e.g. a provider without an IBAN, is shown, not saved) and offered as a download. */
function sepaForm(b) {
  const name = inputField(newId('sepa-name'), t('office.sepa_name'), { required: true, maxlength: '70' });
  const iban = inputField(newId('sepa-iban'), t('office.sepa_iban'), { required: true, maxlength: '42', spellcheck: 'false', autocomplete: 'off' });
  const bic = inputField(newId('sepa-bic'), t('office.sepa_bic'), { maxlength: '11', spellcheck: 'false', autocomplete: 'off' });
  const errors = h('div', { class: 'form-errors' });
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    if (!name.input.value.trim() || !iban.input.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('office.sepa_missing')));
      (name.input.value.trim() ? iban.input : name.input).focus();
      return;
    }
    try {
      const res = await fetch(apiUrl(`/payment-batches/${b.id}/export`, { format: 'sepa', debtor_name: name.input.value.trim(),
        debtor_iban: iban.input.value.replace(/\s+/g, ''), debtor_bic: bic.input.value.trim() }), { credentials: 'same-origin' });
      if (!res.ok) {
        let e = null;
        try { e = (await res.json()).error; } catch (_) { e = null; }
        throw new ApiError(res.status, e ? e.code : `http-${res.status}`, e && e.message ? e.message : `HTTP ${res.status}`, e ? e.field : null);
      }
      download(`payment-batch-${b.id}.xml`, await res.text(), 'application/xml');
      announce(t('office.sepa_done', { id: b.id }));
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  return h('details', { class: 'office-sepa' }, h('summary', {}, t('office.export_sepa')),
    h('p', { class: 'hint' }, t('office.sepa_lead')),
    h('form', { class: 'form', novalidate: true, onsubmit: submit }, h('div', { class: 'filters' }, name.field, iban.field, bic.field), errors,
      h('button', { type: 'submit', class: 'btn-small' }, t('office.sepa_submit'))));
}

function batchClaims(b, names) {
  const claims = b.claims_list || b.redemptions || (Array.isArray(b.claims) ? b.claims : null);
  if (!claims) return null;
  const columns = [
    { key: 'id', label: t('office.claim'), render: (c) => `#${c.id}` },
    { key: 'provider', label: t('office.provider'),
      render: (c) => providerLabel(names, c.provider_id) },
    { key: 'module', label: t('office.module'), render: (c) => c.module || unknown() },
    { key: 'amount', label: t('office.amount'), num: true, render: (c) => lei(c.amount_minor, c.currency) },
    { key: 'status', label: t('office.status'), render: (c) => statusBadge(c.status) },
  ];
  return table(tp('office.batch_claims_caption', claims.length, { id: b.id }), columns, claims, { className: 'office-batch-claims' });
}

/** A batch's lab charges (lab bookings paid by voucher), payable to the labs' operators. */
function batchLabCharges(b, charges, names) {
  if (!charges || !charges.length) return null;
  const columns = [
    { key: 'id', label: t('labpay.charge'), render: (c) => `#${c.id}` },
    { key: 'provider', label: t('labpay.operator'), render: (c) => providerLabel(names, c.provider_id) },
    { key: 'booking', label: t('labpay.booking'), render: (c) => `#${c.booking_id}` },
    { key: 'amount', label: t('office.amount'), num: true, render: (c) => lei(c.amount_minor, c.currency) },
    { key: 'state', label: t('office.status'), render: (c) => statusBadge(c.state) },
  ];
  return table(tp('labpay.batch_caption', charges.length, { id: b.id }), columns, charges, { className: 'office-batch-lab' });
}

/** Lab time owed to the labs' operators, by state (pending until the booked slot is over). */
function labSection() {
  const box = h('div', { 'aria-live': 'polite' }, loading());
  const load = async () => {
    try {
      const d = await get('/voucher-lab-charges');
      const rows = (d.totals || []).filter((x) => x.state !== 'refunded');
      const columns = [
        { key: 'state', label: t('office.status'), render: (x) => statusBadge(x.state) },
        { key: 'count', label: t('labpay.count'), num: true, render: (x) => String(x.count) },
        { key: 'amount', label: t('office.amount'), num: true, render: (x) => lei(x.amount_minor, x.currency) },
      ];
      replace(box, rows.length ? table(t('labpay.caption'), columns, rows, { className: 'office-lab-charges' })
        : h('p', {}, t('labpay.none')));
    } catch (err) {
      replace(box, errorBox(err));
    }
  };
  return { section: h('section', { class: 'section', 'aria-labelledby': 'lab-title' },
    h('h2', { id: 'lab-title' }, t('labpay.title')),
    h('p', { class: 'hint' }, t('labpay.lead')), box), load };
}

function claimsCount(b) {
  if (typeof b.claims === 'number') return b.claims;
  if (Array.isArray(b.claims)) return b.claims.length;
  return null;
}

function batchCard(b, names, refresh) {
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
      replace(errors, officeErrorBox(err));
    }
  };
  const show = async (ev) => {
    if (!ev.currentTarget.open || details.dataset.loaded) return;
    replace(details, loading());
    try {
      const full = await get(`/payment-batches/${b.id}`);
      details.dataset.loaded = '1';
      const claims = (full.claims || []).length ? batchClaims(full.batch ? { ...full.batch, claims_list: full.claims } : full, names) : null;
      const lab = batchLabCharges(b, full.lab_charges, names);
      replace(details, claims || lab ? [claims, lab] : h('p', {}, t('office.no_claims')));
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
      h('dt', {}, t('labpay.charges_count')), h('dd', { 'data-lab-charges': String(b.lab_charges ?? '') },
        typeof b.lab_charges === 'number' ? String(b.lab_charges) : unknown()),
      h('dt', {}, t('office.drafted')), h('dd', {}, t('office.by_at', { who: b.created_by || unknown(), at: when(b.created_at) })),
      b.approved_at ? [h('dt', {}, t('office.approved_label')),
        h('dd', {}, t('office.by_at', { who: b.approved_by || unknown(), at: when(b.approved_at) }))] : null),
    h('div', { class: 'actions' },
      b.status === 'draft' ? h('button', { type: 'button', class: 'button', onclick: approve }, t('office.approve')) : null,
      csvLink(b)),
    errors,
    b.status === 'paid' ? sepaForm(b) : null,
    h('details', { ontoggle: show }, h('summary', {}, t('labpay.batch_items')), details));
}

function draftSection(refresh) {
  const currency = inputField(newId('pb-cur'), t('office.batch_currency'),
    { required: true, maxlength: '3', value: 'RON', class: 'short', pattern: '[A-Z]{3}' });
  const errors = h('div', { class: 'form-errors' });
  const result = h('div', { class: 'office-result', 'aria-live': 'polite' });
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
      const done = await post('/payment-batches', { currency: cur });
      const b = done.batch || done;
      const message = t('office.drafted_batch', { id: b.id, amount: lei(b.total_minor, b.currency) });
      announce(message);
      replace(result, h('p', { role: 'status' }, message));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  return h('section', { class: 'section office-form', 'aria-labelledby': 'pb-title' },
    h('h2', { id: 'pb-title' }, t('office.draft_title')),
    h('p', {}, t('office.draft_lead')),
    h('form', { class: 'form', novalidate: true, onsubmit: submit }, currency.field, errors,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('office.draft')))),
    result);
}

/** A provider's bank account for the SEPA files (POST /api/v1/providers/{id}/bank-account): a change asks for the password. */
function bankSection(names) {
  const provider = selectField(newId('bank-provider'), t('office.provider'),
    [...names].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => [id, name]), { required: true });
  const iban = inputField(newId('bank-iban'), t('office.bank_iban'), { required: true, maxlength: '42', spellcheck: 'false', autocomplete: 'off' });
  const bic = inputField(newId('bank-bic'), t('office.sepa_bic'), { maxlength: '11', spellcheck: 'false', autocomplete: 'off' });
  const errors = h('div', { class: 'form-errors' });
  const result = h('div', { class: 'office-result', 'aria-live': 'polite' });
  const current = async () => {
    replace(result);
    if (!provider.select.value) return;
    try {
      const b = await get(`/providers/${provider.select.value}/bank-account`);
      replace(result, h('p', { class: 'hint' }, b.iban ? t('office.bank_current', { iban: b.iban, bic: b.bic || t('office.bank_no_bic') })
        : t('office.bank_none')));
    } catch (err) {
      replace(result, errorBox(err));
    }
  };
  provider.select.addEventListener('change', current);
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    const typed = iban.input.value.replace(/\s+/g, '').toUpperCase();
    if (!typed) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('office.bank_missing')));
      iban.input.focus();
      return;
    }
    const name = names.get(Number(provider.select.value)) || provider.select.value;
    try {
      const done = await withConfirmation({ title: t('office.bank_title'), summary: t('office.bank_summary', { provider: name, iban: typed }) },
        (password) => post(`/providers/${provider.select.value}/bank-account`,
          { iban: typed, bic: bic.input.value.trim() || undefined, confirm_password: password }));
      if (!done) return;
      announce(t('office.bank_saved', { provider: name }));
      iban.input.value = '';
      bic.input.value = '';
      await current();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  const form = h('form', { class: 'form', novalidate: true, onsubmit: submit },
    h('div', { class: 'filters' }, provider.field, iban.field, bic.field), errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button secondary' }, t('office.bank_submit'))));
  current();
  return h('details', { class: 'section office-form' }, h('summary', {}, t('office.bank_title')),
    h('p', { class: 'hint' }, t('office.bank_lead')), form, result);
}

export async function render(main, ctx) {
  ctx.setTitle(t('office.payments_title'));
  append(main, pageTitle(t('office.payments_title'), t('office.payments_lead')));
  const user = await officeUser(main, ctx, 'office/payments');
  if (!user) return;
  append(main, officeTabs('office/payments'));
  const names = await providerNames();
  if (!ctx.isCurrent()) return;
  const box = h('div', { 'aria-live': 'polite' }, loading());
  const lab = labSection();
  const refresh = async () => {
    lab.load();
    try {
      const data = await get('/payment-batches');
      if (!ctx.isCurrent()) return;
      const list = data.batches || [];
      replace(box, list.length ? list.map((b) => batchCard(b, names, refresh)) : h('p', {}, t('office.no_batches')));
    } catch (err) {
      replace(box, errorBox(err));
    }
  };
  append(main, lab.section, draftSection(refresh),
    h('section', { class: 'section', 'aria-labelledby': 'pl-title' },
      h('h2', { id: 'pl-title' }, t('office.batches_title')),
      h('p', { class: 'hint' }, t('office.export_note')), box),
    bankSection(names));
  await refresh();
}
