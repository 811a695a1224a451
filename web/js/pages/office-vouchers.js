// office-vouchers.js — the voucher office's vouchers (docs/vouchers.md, issue 14 point 4):
// #/office/vouchers lists them with filters (GET /api/v1/vouchers?status=&person=&line=),
// issues one to a person or to an enterprise (its name and CUI) from a budget line (POST
// /api/v1/vouchers; the server checks the CUI's control digit), activates one (POST
// .../{code}/activation), cancels one with a reason (POST .../{code}/cancellation) and
// expires every voucher past its last day as of a date (POST /api/v1/vouchers/expiry).
// Issuing, cancelling and expiring move money: they ask for the user's password first
// (office-common.js withConfirmation); activating moves none.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, errorBox, loading, table } from '../ui.js';
import {
  officeUser, officeTabs, lei, parseLei, amountField, newKey, withConfirmation, statusBadge, lineName, purposeName,
  selectField, inputField,
  officeErrorBox,
} from './office-common.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'office/vouchers', nav: 'office' }];

const STATUSES = ['issued', 'active', 'expired', 'cancelled'];

function today() {
  return new Date().toISOString().slice(0, 10);
}

function fieldError(box, message, input) {
  replace(box, h('p', { class: 'field-error', role: 'alert' }, message));
  if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
}

/** Whom a voucher is for: the person's id, or the enterprise's name and CUI. */
function beneficiaryCell(v) {
  const b = v.beneficiary || {};
  if (b.kind === 'enterprise') {
    return h('span', { 'data-enterprise': b.registration_code },
      h('span', { class: 'office-line-of' }, b.name),
      h('span', { class: 'office-line-of hint' }, t('office.cui', { code: b.registration_code })));
  }
  return h('code', { 'data-person': v.person }, v.person);
}

function cancelForm(v, refresh) {
  const id = newId('reason');
  const reason = h('textarea', { id, rows: '2', maxlength: '256', required: true });
  const errors = h('div', { class: 'form-errors' });
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    if (!reason.value.trim()) { fieldError(errors, t('office.reason_missing'), reason); return; }
    try {
      const done = await withConfirmation({
        title: t('office.cancel_title'),
        summary: t('office.cancel_summary', { code: v.code, amount: lei(v.amounts.balance_minor, v.currency) }),
        confirmLabel: t('office.cancel_confirm'),
      }, (password) => post(`/vouchers/${encodeURIComponent(v.code)}/cancellation`, { reason: reason.value.trim(), confirm_password: password }));
      if (!done) return;
      announce(t('office.cancelled', { code: v.code }));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  return h('details', {}, h('summary', {}, t('office.cancel')),
    h('form', { class: 'form', novalidate: true, onsubmit: submit },
      h('div', { class: 'field' }, h('label', { for: id }, t('office.reason')), reason), errors,
      h('button', { type: 'submit', class: 'btn-small' }, t('office.cancel_submit'))));
}

function rowActions(v, refresh) {
  const errors = h('div', { class: 'form-errors' });
  const activate = async () => {
    replace(errors);
    try {
      await post(`/vouchers/${encodeURIComponent(v.code)}/activation`, {});
      announce(t('office.activated', { code: v.code }));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  const open = v.status === 'issued' || v.status === 'active';
  if (!open) return h('span', { class: 'hint' }, t('office.no_action'));
  return h('div', { class: 'office-row-actions' },
    v.status === 'issued' ? h('button', { type: 'button', class: 'btn-small', onclick: activate }, t('office.activate')) : null,
    cancelForm(v, refresh), errors);
}

function vouchersTable(list, lines, refresh) {
  const byId = new Map(lines.map((l) => [l.id, l]));
  const columns = [
    { key: 'code', label: t('office.code'), render: (v) => h('code', { 'data-code': v.code }, v.code) },
    { key: 'person', label: t('office.beneficiary'), render: beneficiaryCell },
    { key: 'line', label: t('office.line'), render: (v) => {
      const l = byId.get(v.line_id);
      return l ? h('span', { title: lineName(l) }, `${purposeName(l.purpose)} ${l.year}`) : `#${v.line_id}`;
    } },
    { key: 'value', label: t('office.value'), num: true, render: (v) => lei(v.amounts.value_minor, v.currency) },
    { key: 'balance', label: t('office.balance'), num: true, render: (v) => lei(v.amounts.balance_minor, v.currency) },
    { key: 'used', label: t('office.redeemed_returned'), num: true, render: (v) => [
      h('span', { class: 'office-line-of', 'data-figure': 'redeemed' }, lei(v.amounts.redeemed_minor, v.currency)),
      h('span', { class: 'office-line-of', 'data-figure': 'returned' }, lei(v.amounts.returned_minor, v.currency))] },
    { key: 'valid', label: t('office.valid'), render: (v) => h('span', { class: 'office-dates', title: t('office.valid_range', { from: v.valid_from, to: v.valid_until }) },
      h('span', { class: 'office-line-of' }, v.valid_from), h('span', { class: 'office-line-of' }, v.valid_until)) },
    { key: 'status', label: t('office.status'), render: (v) => statusBadge(v.status) },
    { key: 'actions', label: t('office.actions'), render: (v) => rowActions(v, refresh) },
  ];
  return table(tp('office.vouchers_caption', list.length), columns, list, { className: 'office-vouchers' });
}

function issueForm(lines, refresh) {
  const usable = lines.filter((l) => l.amounts.available_minor > 0);
  const line = selectField(newId('iv-line'), t('office.issue_line'),
    (usable.length ? usable : lines).map((l) => [l.id, `${lineName(l)} · ${t('office.available_short', { amount: lei(l.amounts.available_minor, l.currency) })}`]),
    { required: true });
  const toName = newId('iv-to');
  const toPerson = h('input', { type: 'radio', name: toName, value: 'person', id: `${toName}-p`, checked: true });
  const toEnterprise = h('input', { type: 'radio', name: toName, value: 'enterprise', id: `${toName}-e` });
  const person = inputField(newId('iv-person'), t('office.issue_person'), { required: true, maxlength: '64', autocomplete: 'off', spellcheck: 'false' },
    t('office.issue_person_hint'));
  const firmName = inputField(newId('iv-firm'), t('office.issue_enterprise_name'), { maxlength: '200', autocomplete: 'off' });
  const firmCode = inputField(newId('iv-cui'), t('office.issue_enterprise_code'),
    { maxlength: '14', autocomplete: 'off', spellcheck: 'false' }, t('office.issue_enterprise_code_hint'));
  const forEnterprise = () => toEnterprise.checked;
  const showBeneficiary = () => {
    person.field.hidden = forEnterprise();
    person.input.required = !forEnterprise();
    firmName.field.hidden = !forEnterprise();
    firmCode.field.hidden = !forEnterprise();
    firmName.input.required = forEnterprise();
    firmCode.input.required = forEnterprise();
  };
  toPerson.addEventListener('change', showBeneficiary);
  toEnterprise.addEventListener('change', showBeneficiary);
  const beneficiary = h('fieldset', { class: 'field office-beneficiary' }, h('legend', {}, t('office.issue_to')),
    h('label', { class: 'radio', for: toPerson.id }, toPerson, ` ${t('office.issue_to_person')}`),
    h('label', { class: 'radio', for: toEnterprise.id }, toEnterprise, ` ${t('office.issue_to_enterprise')}`),
    h('p', { class: 'hint' }, t('office.issue_to_hint')));
  const value = amountField(newId('iv-value'), t('office.issue_value'));
  const from = inputField(newId('iv-from'), t('office.valid_from'), { type: 'date', required: true, value: today() });
  const until = inputField(newId('iv-until'), t('office.valid_until'), { type: 'date', required: true });
  const attendance = inputField(newId('iv-att'), t('office.min_attendance'), { type: 'number', min: '0', max: '100', step: '1', value: '80' });
  const modules = inputField(newId('iv-mod'), t('office.allowed_modules'), { maxlength: '600' }, t('office.allowed_modules_hint'));
  const award = inputField(newId('iv-award'), t('office.award_ref'), { maxlength: '64' });
  const note = inputField(newId('iv-note'), t('office.note'), { maxlength: '256' });
  const activeId = newId('iv-active');
  const active = h('input', { id: activeId, type: 'checkbox' });
  const errors = h('div', { class: 'form-errors' });
  const result = h('div', { class: 'office-result', 'aria-live': 'polite' });
  let key = newKey('issue');
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    for (const f of [person, firmName, firmCode, value, from, until]) f.input.removeAttribute('aria-invalid');
    line.select.removeAttribute('aria-invalid');
    const enterprise = forEnterprise();
    if (!enterprise && !person.input.value.trim()) { fieldError(errors, t('office.person_missing'), person.input); return; }
    if (enterprise && !firmName.input.value.trim()) { fieldError(errors, t('office.enterprise_name_missing'), firmName.input); return; }
    if (enterprise && !firmCode.input.value.trim()) { fieldError(errors, t('office.enterprise_code_missing'), firmCode.input); return; }
    const money = parseLei(value.input.value);
    if (money.error) { fieldError(errors, money.error, value.input); return; }
    if (!from.input.value) { fieldError(errors, t('office.date_missing'), from.input); return; }
    if (!until.input.value || until.input.value < from.input.value) { fieldError(errors, t('office.until_bad'), until.input); return; }
    const chosen = lines.find((l) => String(l.id) === line.select.value);
    const moduleCodes = modules.input.value.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
    const body = {
      line_id: Number(line.select.value), value_minor: money.minor,
      valid_from: from.input.value, valid_until: until.input.value, key,
      min_attendance_percent: attendance.input.value === '' ? undefined : Number(attendance.input.value),
      modules: moduleCodes.length ? moduleCodes : undefined,
      award_ref: award.input.value.trim() || undefined, note: note.input.value.trim() || undefined,
      active: active.checked || undefined,
    };
    // the CUI as typed, without spaces: the server checks its control digit
    const cui = firmCode.input.value.replace(/\s+/g, '').toUpperCase();
    if (enterprise) Object.assign(body, { enterprise_name: firmName.input.value.trim(), enterprise_code: cui });
    else body.person = person.input.value.trim();
    const whom = enterprise ? t('office.enterprise_with_cui', { name: body.enterprise_name, code: cui }) : body.person;
    try {
      const done = await withConfirmation({
        title: t('office.issue_title'),
        summary: t('office.issue_summary', { amount: lei(money.minor, chosen && chosen.currency), person: whom, line: lineName(chosen) }),
        confirmLabel: t('office.issue_confirm'),
      }, (password) => post('/vouchers', { ...body, confirm_password: password }));
      if (!done) return;
      key = newKey('issue');
      const v = done.voucher || done;
      announce(t('office.issued', { code: v.code }));
      replace(result, h('p', { class: 'cred-banner cred-valid', role: 'status' },
        t('office.issued_label'), ' ', h('code', { 'data-issued': v.code }, v.code)));
      form.reset(); // back to each control's default: the ones set as properties are set again
      from.input.value = today();
      attendance.input.value = '80';
      toPerson.checked = true;
      showBeneficiary();
      refresh();
    } catch (err) {
      // the server's refusals of an enterprise's fields, worded in the page's language at the field
      const at = { enterprise_code: [firmCode.input, 'office.enterprise_code_bad'], enterprise_name: [firmName.input, 'office.enterprise_name_bad'],
        purpose: [line.select, 'office.enterprise_line_bad'] }[enterprise && err && err.status === 400 ? err.field : ''];
      if (at) fieldError(errors, t(at[1], { code: cui }), at[0]);
      else replace(errors, officeErrorBox(err));
    }
  };
  const form = h('form', { class: 'form', novalidate: true, onsubmit: submit },
    beneficiary,
    h('div', { class: 'filters' }, line.field, person.field, firmName.field, firmCode.field, value.field, from.field, until.field,
      attendance.field, modules.field, award.field, note.field),
    h('div', { class: 'check' }, active, h('label', { for: activeId }, t('office.issue_active'))),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('office.issue_submit'))));
  showBeneficiary();
  return h('section', { class: 'section office-form', 'aria-labelledby': 'iv-title' },
    h('h2', { id: 'iv-title' }, t('office.issue_title')),
    lines.length ? [form, result] : h('p', {}, t('office.no_lines_to_issue')));
}

function expireForm(refresh) {
  const asOf = inputField(newId('exp-asof'), t('office.expire_as_of'), { type: 'date', required: true, value: today() },
    t('office.expire_hint'));
  const errors = h('div', { class: 'form-errors' });
  const result = h('div', { class: 'office-result', 'aria-live': 'polite' });
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    if (!asOf.input.value) { fieldError(errors, t('office.date_missing'), asOf.input); return; }
    try {
      const done = await withConfirmation({
        title: t('office.expire_title'),
        summary: t('office.expire_summary', { date: asOf.input.value }),
      }, (password) => post('/vouchers/expiry', { as_of: asOf.input.value, confirm_password: password }));
      if (!done) return;
      const n = done.expired ?? 0;
      const message = tp('office.expired_count', n, { date: asOf.input.value });
      announce(message);
      replace(result, h('p', { role: 'status' }, message));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  return h('section', { class: 'section office-form', 'aria-labelledby': 'exp-title' },
    h('h2', { id: 'exp-title' }, t('office.expire_title')),
    h('form', { class: 'form', novalidate: true, onsubmit: submit }, asOf.field, errors,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button secondary' }, t('office.expire_submit')))),
    result);
}

export async function render(main, ctx) {
  ctx.setTitle(t('office.vouchers_title'));
  append(main, pageTitle(t('office.vouchers_title'), t('office.vouchers_lead')));
  const user = await officeUser(main, ctx, 'office/vouchers');
  if (!user) return;
  append(main, officeTabs('office/vouchers'));
  let lines = [];
  try {
    lines = (await get('/voucher-lines')).lines || [];
  } catch (err) {
    append(main, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const q = ctx.query;
  const status = selectField(newId('vf-status'), t('office.status'),
    [['', t('office.any')], ...STATUSES.map((s) => [s, t(`office.status_${s}`)])], { value: q.get('status') || '' });
  const line = selectField(newId('vf-line'), t('office.line'),
    [['', t('office.any')], ...lines.map((l) => [l.id, lineName(l)])], { value: q.get('line') || '' });
  const person = inputField(newId('vf-person'), t('office.person'), { value: q.get('person') || '', maxlength: '64', spellcheck: 'false' });
  const filter = (ev) => {
    ev.preventDefault();
    ctx.go('office/vouchers', { status: status.select.value, line: line.select.value, person: person.input.value.trim() });
  };
  const box = h('div', { 'aria-live': 'polite' }, loading());
  const refresh = async () => {
    try {
      const [data, fresh] = await Promise.all([
        get('/vouchers', { status: q.get('status'), line: q.get('line'), person: q.get('person') }),
        get('/voucher-lines')]);
      if (!ctx.isCurrent()) return;
      lines = fresh.lines || lines;
      const list = data.vouchers || [];
      replace(box, list.length ? vouchersTable(list, lines, refresh) : h('p', {}, t('office.no_vouchers')));
    } catch (err) {
      replace(box, errorBox(err));
    }
  };
  append(main,
    issueForm(lines, refresh),
    h('section', { class: 'section', 'aria-labelledby': 'vl-title' },
      h('h2', { id: 'vl-title' }, t('office.vouchers_list')),
      h('form', { class: 'form', novalidate: true, onsubmit: filter, role: 'search', 'aria-label': t('office.filters') },
        h('div', { class: 'filters' }, status.field, line.field, person.field),
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button secondary' }, t('office.filter')))),
      box),
    expireForm(refresh));
  await refresh();
}
