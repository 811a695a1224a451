// office.js — the voucher office's funds and budget lines (docs/vouchers.md, issue 14
// point 1): #/office lists each fund (GET /api/v1/funds) with its lines and their figures
// from the ledger (GET /api/v1/voucher-lines: allocated, available, committed, redeemed,
// returned), and adds a fund (POST /api/v1/funds), a line with its first allocation (POST
// /api/v1/voucher-lines) and top-ups (POST /api/v1/voucher-lines/{line}/top-ups). Money
// actions ask for the user's password first (office-common.js withConfirmation).

import { h, append, replace, newId, announce } from '../dom.js';
import { t } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, errorBox, loading, table } from '../ui.js';
import {
  officeUser, officeTabs, lei, parseLei, amountField, newKey, withConfirmation, purposeName, PURPOSES,
  selectField, inputField,
  officeErrorBox,
} from './office-common.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'office', nav: 'office' }];

const FIGURES = ['allocated', 'available', 'committed', 'redeemed', 'returned'];

function fieldError(box, message, input) {
  replace(box, h('p', { class: 'field-error', role: 'alert' }, message));
  if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
}

function topUpForm(line, refresh) {
  const { input, field } = amountField(newId('topup'), t('office.topup_amount', { currency: line.currency }));
  const errors = h('div', { class: 'form-errors' });
  let key = newKey('topup');
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    input.removeAttribute('aria-invalid');
    const amount = parseLei(input.value);
    if (amount.error) { fieldError(errors, amount.error, input); return; }
    try {
      const done = await withConfirmation({
        title: t('office.topup_title'),
        summary: t('office.topup_summary', { amount: lei(amount.minor, line.currency), line: `${purposeName(line.purpose)} ${line.year}` }),
      }, (password) => post(`/voucher-lines/${line.id}/top-ups`, { amount_minor: amount.minor, key, confirm_password: password }));
      if (!done) return;
      key = newKey('topup');
      announce(t('office.topped_up', { amount: lei(amount.minor, line.currency) }));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  return h('details', { class: 'office-topup' }, h('summary', {}, t('office.topup')),
    h('form', { class: 'form', novalidate: true, onsubmit: submit }, field, errors,
      h('button', { type: 'submit', class: 'btn-small' }, t('office.topup_submit'))));
}

function linesTable(fund, lines, refresh) {
  const columns = [
    { key: 'purpose', label: t('office.line'), render: (l) => h('span', { 'data-line': String(l.id) },
      `${purposeName(l.purpose)} ${l.year}`, l.name ? h('span', { class: 'hint' }, ` · ${l.name}`) : null) },
    ...FIGURES.map((f) => ({ key: f, label: t(`office.fig_${f}`), num: true,
      render: (l) => h('span', { class: 'nowrap', 'data-figure': f }, lei(l.amounts[`${f}_minor`], l.currency)) })),
    { key: 'actions', label: t('office.actions'), render: (l) => topUpForm(l, refresh) },
  ];
  return table(t('office.lines_caption', { fund: fund.name }), columns, lines, { className: 'office-lines' });
}

function fundSection(fund, lines, refresh) {
  const total = (f) => lines.reduce((s, l) => s + (l.amounts[`${f}_minor`] || 0), 0);
  return h('section', { class: 'section office-fund', 'data-fund': String(fund.id), 'aria-labelledby': `fund-${fund.id}` },
    h('h2', { id: `fund-${fund.id}` }, h('span', { 'data-name': '' }, fund.name), ' ', h('span', { class: 'tag' }, fund.currency)),
    fund.description ? h('p', {}, fund.description) : null,
    h('ul', { class: 'office-amounts', 'aria-label': t('office.fund_totals') },
      FIGURES.map((f) => h('li', {}, t(`office.fig_${f}`), h('strong', { class: 'nowrap' }, lei(total(f), fund.currency))))),
    lines.length ? linesTable(fund, lines, refresh) : h('p', {}, t('office.no_lines')));
}

function addFundForm(refresh) {
  const name = inputField(newId('fund-name'), t('office.fund_name'), { required: true, maxlength: '128' });
  const currency = inputField(newId('fund-cur'), t('office.fund_currency'),
    { required: true, maxlength: '3', value: 'RON', class: 'short', pattern: '[A-Z]{3}' }, t('office.fund_currency_hint'));
  const description = inputField(newId('fund-desc'), t('office.fund_description'), { maxlength: '512' });
  const errors = h('div', { class: 'form-errors' });
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    if (!name.input.value.trim()) { fieldError(errors, t('office.fund_name_missing'), name.input); return; }
    if (!/^[A-Z]{3}$/.test(currency.input.value.trim())) { fieldError(errors, t('office.fund_currency_bad'), currency.input); return; }
    try {
      const fund = await post('/funds', { name: name.input.value.trim(), currency: currency.input.value.trim(),
        description: description.input.value.trim() || undefined });
      announce(t('office.fund_added', { name: (fund && fund.name) || name.input.value.trim() }));
      form.reset();
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  const form = h('form', { class: 'form', novalidate: true, onsubmit: submit },
    h('div', { class: 'filters' }, name.field, currency.field, description.field), errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button secondary' }, t('office.fund_add'))));
  return h('details', { class: 'office-form' }, h('summary', {}, t('office.fund_add_title')), form);
}

function addLineForm(funds, refresh) {
  const fund = selectField(newId('line-fund'), t('office.line_fund'), funds.map((f) => [f.id, `${f.name} (${f.currency})`]), { required: true });
  const purpose = selectField(newId('line-purpose'), t('office.line_purpose'), PURPOSES.map((p) => [p, purposeName(p)]));
  const year = inputField(newId('line-year'), t('office.line_year'),
    { type: 'number', min: '2000', max: '2100', step: '1', required: true, value: String(new Date().getFullYear()) });
  const name = inputField(newId('line-name'), t('office.line_name'), { maxlength: '128' });
  const amount = amountField(newId('line-amount'), t('office.line_amount'));
  const errors = h('div', { class: 'form-errors' });
  const submit = async (ev) => {
    ev.preventDefault();
    replace(errors);
    const money = parseLei(amount.input.value);
    if (money.error) { fieldError(errors, money.error, amount.input); return; }
    const y = Number(year.input.value);
    if (!Number.isInteger(y) || y < 2000 || y > 2100) { fieldError(errors, t('office.line_year_bad'), year.input); return; }
    const chosen = funds.find((f) => String(f.id) === fund.select.value);
    try {
      const done = await withConfirmation({
        title: t('office.line_add_title'),
        summary: t('office.line_summary', { amount: lei(money.minor, chosen && chosen.currency), fund: chosen ? chosen.name : '',
          purpose: purposeName(purpose.select.value), year: y }),
      }, (password) => post('/voucher-lines', { fund_id: Number(fund.select.value), purpose: purpose.select.value, year: y,
        name: name.input.value.trim() || undefined, amount_minor: money.minor, confirm_password: password }));
      if (!done) return;
      announce(t('office.line_added'));
      refresh();
    } catch (err) {
      replace(errors, officeErrorBox(err));
    }
  };
  const form = h('form', { class: 'form', novalidate: true, onsubmit: submit },
    h('div', { class: 'filters' }, fund.field, purpose.field, year.field, name.field, amount.field), errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('office.line_add'))));
  return h('details', { class: 'office-form' }, h('summary', {}, t('office.line_add_title')), form);
}

export async function render(main, ctx) {
  ctx.setTitle(t('office.title'));
  append(main, pageTitle(t('office.title'), t('office.lead')));
  const user = await officeUser(main, ctx, 'office');
  if (!user) return;
  append(main, officeTabs('office'));
  const box = h('div', { 'aria-live': 'polite' }, loading());
  append(main, box);
  const refresh = async () => {
    let funds;
    let lines;
    try {
      [funds, lines] = await Promise.all([get('/funds'), get('/voucher-lines')]);
    } catch (err) {
      replace(box, errorBox(err));
      return;
    }
    if (!ctx.isCurrent()) return;
    funds = funds.funds || [];
    lines = lines.lines || [];
    replace(box,
      funds.length
        ? funds.map((f) => fundSection(f, lines.filter((l) => l.fund && l.fund.id === f.id), refresh))
        : h('p', {}, t('office.no_funds')),
      h('p', { class: 'source-note' }, t('office.figures_source')),
      h('section', { class: 'section', 'aria-labelledby': 'office-add' },
        h('h2', { id: 'office-add' }, t('office.add_title')),
        funds.length ? addLineForm(funds, refresh) : null,
        addFundForm(refresh)));
  };
  await refresh();
}
